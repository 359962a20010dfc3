//! Money: amounts in minor units (`MinorUnits`), their wire forms, and provider-written decimals.
//!
//! No floating point anywhere: amounts are `i64` minor units; decimal wire forms are produced and
//! read as text with the currency's ISO 4217 exponent (a spec may override an exponent).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

use crate::currency::currency_exponent;
use crate::wire::{read_scalar, Scalar};

/// An amount in the currency's minor units (cents for EUR, yen for JPY, fils for BHD).
#[derive(
    Debug, Clone, Default, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct MinorUnits(pub i64);

impl fmt::Display for MinorUnits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<i64> for MinorUnits {
    fn from(value: i64) -> Self {
        MinorUnits(value)
    }
}

/// How a provider writes an amount (also the spec language's `money.wire` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MoneyWire {
    /// JSON integer of minor units: `4011`.
    IntegerMinor,
    /// JSON number in major units, shortest exact form (a JSON number has no significant
    /// trailing zeros): `40.11`, `30`, `12.3`, `2000` (JPY), `1.5` (BHD).
    DecimalNumber,
    /// JSON string with exactly the exponent's fractional digits: `"40.11"`, `"30.00"`.
    DecimalString,
}

/// The exponent of `currency`: an override from the spec first, else ISO 4217. Codes compare
/// without regard to ASCII case (some providers send `usd`, not `USD`).
pub fn exponent_for(currency: &str, exponent_overrides: &[(&str, u8)]) -> Option<u8> {
    exponent_overrides
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(currency))
        .map(|(_, e)| *e)
        .or_else(|| currency_exponent(currency))
        .or_else(|| {
            // Only a code that is not upper case already is looked up again.
            let upper = currency.to_ascii_uppercase();
            (upper != currency)
                .then(|| currency_exponent(&upper))
                .flatten()
        })
}

/// `value` in major units with exactly `exponent` fractional digits: 4011, 2 -> `40.11`;
/// 3000, 2 -> `30.00`; -5, 2 -> `-0.05`; 2000, 0 -> `2000`.
pub fn minor_to_decimal_text(value: MinorUnits, exponent: u8) -> String {
    decimal_text(value, exponent, false)
}

/// `minor_to_decimal_text` without trailing fractional zeros: `30.00` -> `30`, `12.30` -> `12.3`.
pub fn minor_to_shortest_text(value: MinorUnits, exponent: u8) -> String {
    decimal_text(value, exponent, true)
}

/// The digits of `value` (by `itoa`, no formatter) with the point `exponent` digits from the
/// right, zeros in front where the value has fewer digits; trailing fractional zeros (and a
/// bare point) dropped when `shortest`.
fn decimal_text(value: MinorUnits, exponent: u8, shortest: bool) -> String {
    let exp = usize::from(exponent);
    let mut digits_buffer = itoa::Buffer::new();
    let digits = digits_buffer.format(value.0.unsigned_abs()).as_bytes();
    // at least one integer digit: `0.05`, not `.05`
    let zeros = (exp + 1).saturating_sub(digits.len());
    let int_len = zeros + digits.len() - exp;
    // sign, 20 digits of a u64, the point and the padding: written once, never grown
    let mut out = String::with_capacity(24 + exp);
    if value.0 < 0 {
        out.push('-');
    }
    let padded = std::iter::repeat_n(b'0', zeros).chain(digits.iter().copied());
    let mut fraction_end = 0;
    for (i, b) in padded.enumerate() {
        if i == int_len {
            out.push('.');
        }
        if i >= int_len && b != b'0' {
            fraction_end = i + 1 - int_len;
        }
        out.push(char::from(b));
    }
    if shortest && exp > 0 {
        // `int.` + the fraction's digits up to its last non-zero one (none: no point)
        let cut = out.len() - exp - 1
            + if fraction_end == 0 {
                0
            } else {
                1 + fraction_end
            };
        out.truncate(cut);
    }
    out
}

/// The wire form of an amount. A decimal string carries the exponent's digits (`30.00`, not
/// `30`); a decimal number is the shortest exact form (`30`, `12.3`). The error (unknown
/// currency) is a message for a `currency` [`crate::FieldError`].
pub fn money_to_wire(
    value: MinorUnits,
    currency: &str,
    wire: MoneyWire,
    exponent_overrides: &[(&str, u8)],
) -> Result<Value, String> {
    let exponent = exponent_for(currency, exponent_overrides)
        .ok_or_else(|| "must be an ISO 4217 currency code with a known exponent".to_string())?;
    match wire {
        MoneyWire::IntegerMinor => Ok(Value::from(value.0)),
        MoneyWire::DecimalString => Ok(Value::String(minor_to_decimal_text(value, exponent))),
        MoneyWire::DecimalNumber => {
            let text = minor_to_shortest_text(value, exponent);
            serde_json::from_str::<Number>(&text)
                .map(Value::Number)
                .map_err(|e| format!("cannot write the amount as a JSON number: {e}"))
        }
    }
}

/// [`money_to_wire`] as a request-tree value (the amount's text written once, not parsed back).
pub fn money_to_tree(
    value: MinorUnits,
    currency: &str,
    wire: MoneyWire,
    exponent_overrides: &[(&str, u8)],
) -> Result<crate::wire_tree::WireValue<'static>, String> {
    use crate::wire_tree::WireValue;
    let exponent = exponent_for(currency, exponent_overrides)
        .ok_or_else(|| "must be an ISO 4217 currency code with a known exponent".to_string())?;
    match wire {
        MoneyWire::IntegerMinor => Ok(WireValue::Int(value.0)),
        MoneyWire::DecimalString => Ok(WireValue::Str(
            minor_to_decimal_text(value, exponent).into(),
        )),
        MoneyWire::DecimalNumber => {
            let text = minor_to_shortest_text(value, exponent);
            if crate::wire_tree::is_json_number(&text) {
                Ok(WireValue::Number(text.into()))
            } else {
                Err(format!(
                    "cannot write the amount as a JSON number: `{text}`"
                ))
            }
        }
    }
}

/// Parsed pieces of a decimal text: sign, integer digits, fraction digits, power of ten.
struct Parts<'a> {
    negative: bool,
    int: &'a str,
    frac: &'a str,
    exp: i64,
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `-?D+(.D+)?([eE][+-]?D+)?`
fn parse_parts(text: &str) -> Option<Parts<'_>> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    // by bytes: a char-set `find` costs several times as much, and this runs per amount read
    let (mantissa, exp) = match rest.bytes().position(|b| matches!(b, b'e' | b'E')) {
        Some(i) => {
            let e = &rest[i + 1..];
            let e_digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if !all_digits(e_digits) {
                return None;
            }
            (&rest[..i], e.parse::<i64>().ok()?)
        }
        None => (rest, 0),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) if all_digits(f) => (i, f),
        Some(_) => return None,
        None => (mantissa, ""),
    };
    all_digits(int).then_some(Parts {
        negative,
        int,
        frac,
        exp,
    })
}

/// Exact minor units of a decimal text (`"40.11"`, `"40.1"`, `"4011e-2"`) at `exponent`; `None`
/// when the text is not a decimal, does not fit `i64`, or has more fractional digits than the
/// exponent allows (trailing zeros excepted: `"40.110"` is fine at exponent 2, `"40.111"` is not).
pub fn minor_from_decimal_text(text: &str, exponent: u8) -> Option<MinorUnits> {
    let p = parse_parts(text)?;
    let mut digits = format!("{}{}", p.int, p.frac);
    let frac_len = i64::try_from(p.frac.len()).ok()?;
    let shift = i64::from(exponent)
        .checked_sub(frac_len)?
        .checked_add(p.exp)?;
    let all_zero = digits.bytes().all(|b| b == b'0');
    if all_zero {
        return Some(MinorUnits(0));
    }
    if shift >= 0 {
        if shift > 20 {
            return None;
        }
        digits.extend(std::iter::repeat_n('0', usize::try_from(shift).ok()?));
    } else {
        let cut = usize::try_from(shift.unsigned_abs()).ok()?;
        if cut > digits.len() || !digits[digits.len() - cut..].bytes().all(|b| b == b'0') {
            return None;
        }
        digits.truncate(digits.len() - cut);
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > 20 {
        return None;
    }
    let magnitude: i128 = if significant.is_empty() {
        0
    } else {
        significant.parse().ok()?
    };
    let signed = if p.negative { -magnitude } else { magnitude };
    i64::try_from(signed).ok().map(MinorUnits)
}

/// A decimal exactly as the provider wrote it (`40.11`, `"40.10"`, `1e3`). Deserializes from a
/// JSON number or a numeric string, keeping the text; serializes back as a JSON number with the
/// same text. Convert with [`Decimal::to_minor`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

impl Decimal {
    /// A decimal from its text, if the text is one (`-?D+(.D+)?([eE][+-]?D+)?`).
    pub fn parse(text: &str) -> Option<Decimal> {
        parse_parts(text).map(|_| Decimal(text.to_string()))
    }

    /// `value` written with `exponent` fractional digits.
    pub fn from_minor(value: MinorUnits, exponent: u8) -> Decimal {
        Decimal(minor_to_decimal_text(value, exponent))
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Exact minor units at `exponent`; see [`minor_from_decimal_text`].
    pub fn to_minor(&self, exponent: u8) -> Option<MinorUnits> {
        minor_from_decimal_text(&self.0, exponent)
    }
}

impl FromStr for Decimal {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::parse(s).ok_or_else(|| "not a decimal number".to_string())
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match Number::from_str(&self.0) {
            Ok(n) => n.serialize(serializer),
            Err(_) => serializer.serialize_str(&self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    /// A number's text as `serde_json::Number` keeps it, or a string's, read as a
    /// `serde_json::Value` would be read but without building one (no float, one `String`: the
    /// parser's own text of a fractional number is taken over).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let not_decimal =
            || serde::de::Error::custom("expected a decimal number or numeric string");
        let text = match read_scalar(deserializer)? {
            Scalar::Str(s) => s.into_owned(),
            Scalar::Other(Value::String(s)) => s,
            // an integer's digits are a decimal's (other numbers are checked: an exponent
            // beyond `i64` is refused)
            Scalar::U64(u) => return Ok(Decimal(u.to_string())),
            Scalar::I64(i) => return Ok(Decimal(i.to_string())),
            number => number.number_text().ok_or_else(not_decimal)?,
        };
        match parse_parts(&text) {
            Some(_) => Ok(Decimal(text)),
            None => Err(not_decimal()),
        }
    }
}

#[cfg(feature = "json-schema")]
impl schemars::JsonSchema for Decimal {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": ["number", "string"],
            "description": "A decimal as the provider writes it; strings must be numeric."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts as they were written before `itoa` (a formatter and an insert).
    fn formatted(value: MinorUnits, exponent: u8, shortest: bool) -> String {
        use std::fmt::Write as _;
        let exp = usize::from(exponent);
        let mut out = String::new();
        if value.0 < 0 {
            out.push('-');
        }
        let _ = write!(out, "{:0>width$}", value.0.unsigned_abs(), width = exp + 1);
        if exp > 0 {
            out.insert(out.len() - exp, '.');
        }
        if shortest && out.contains('.') {
            let kept = out.trim_end_matches('0').trim_end_matches('.').len();
            out.truncate(kept);
        }
        out
    }

    #[test]
    fn amount_texts_are_the_formatter_s_texts() {
        let mut values = vec![
            0, 1, -1, 5, -5, 10, 100, 1000, 4011, 3000, 1230, -1230, 90125,
        ];
        values.extend([
            i64::MAX,
            i64::MIN,
            i64::MAX - 1,
            i64::MIN + 1,
            10_000_000_000,
        ]);
        values.extend(
            (0..19)
                .map(|p| 10i64.pow(p))
                .flat_map(|v| [v, -v, v + 1, v * 3]),
        );
        for v in values {
            for e in [0u8, 1, 2, 3, 4, 8, 18, 19, 20, 25] {
                for shortest in [false, true] {
                    let written = decimal_text(MinorUnits(v), e, shortest);
                    assert_eq!(written, formatted(MinorUnits(v), e, shortest), "{v} {e}");
                }
            }
        }
    }

    #[test]
    fn decimal_texts_carry_the_exponent_and_shortest_texts_drop_trailing_zeros() {
        let decimal = |v, e| minor_to_decimal_text(MinorUnits(v), e);
        assert_eq!(decimal(4011, 2), "40.11");
        assert_eq!(decimal(3000, 2), "30.00");
        assert_eq!(decimal(-5, 2), "-0.05");
        assert_eq!(decimal(0, 3), "0.000");
        assert_eq!(decimal(2000, 0), "2000");
        assert_eq!(decimal(-7, 0), "-7");
        assert_eq!(decimal(i64::MIN, 0), "-9223372036854775808");
        assert_eq!(decimal(i64::MAX, 18), "9.223372036854775807");
        let shortest = |v, e| minor_to_shortest_text(MinorUnits(v), e);
        assert_eq!(shortest(3000, 2), "30");
        assert_eq!(shortest(1230, 2), "12.3");
        assert_eq!(shortest(-5, 2), "-0.05");
        assert_eq!(shortest(0, 2), "0");
        assert_eq!(shortest(2000, 0), "2000");
    }

    fn wire_text(minor: i64, currency: &str, wire: MoneyWire) -> String {
        match money_to_wire(MinorUnits(minor), currency, wire, &[]) {
            Ok(v) => serde_json::to_string(&v).unwrap_or_default(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn lower_case_codes_have_their_iso_exponent() {
        assert_eq!(exponent_for("usd", &[]), Some(2));
        assert_eq!(exponent_for("jpy", &[]), Some(0));
        assert_eq!(exponent_for("idr", &[("IDR", 0)]), Some(0));
        assert_eq!(exponent_for("xyz", &[]), None);
        assert_eq!(
            wire_text(4011, "eur", MoneyWire::DecimalString),
            r#""40.11""#
        );
    }

    #[test]
    fn wire_forms() {
        use MoneyWire::*;
        assert_eq!(wire_text(4011, "EUR", IntegerMinor), "4011");
        assert_eq!(wire_text(4011, "EUR", DecimalNumber), "40.11");
        assert_eq!(wire_text(3000, "EUR", DecimalNumber), "30");
        assert_eq!(wire_text(1230, "EUR", DecimalNumber), "12.3");
        assert_eq!(wire_text(5, "EUR", DecimalNumber), "0.05");
        assert_eq!(wire_text(4011, "EUR", DecimalString), "\"40.11\"");
        assert_eq!(wire_text(2000, "JPY", DecimalNumber), "2000");
        assert_eq!(wire_text(2000, "JPY", DecimalString), "\"2000\"");
        assert_eq!(wire_text(1500, "BHD", DecimalNumber), "1.5");
        assert_eq!(wire_text(1, "BHD", DecimalString), "\"0.001\"");
        assert_eq!(wire_text(-4011, "EUR", DecimalNumber), "-40.11");
        assert_eq!(wire_text(-5, "EUR", DecimalString), "\"-0.05\"");
        assert_eq!(
            wire_text(i64::MIN, "EUR", DecimalString),
            "\"-92233720368547758.08\""
        );
        assert!(wire_text(1, "XYZ", DecimalNumber).starts_with("error"));
    }

    #[test]
    fn exponent_overrides_win() {
        let v = money_to_wire(
            MinorUnits(150),
            "ISK",
            MoneyWire::DecimalNumber,
            &[("ISK", 2)],
        );
        assert_eq!(v.map(|v| v.to_string()).ok().as_deref(), Some("1.5"));
        let v = money_to_wire(
            MinorUnits(1),
            "XTS",
            MoneyWire::DecimalString,
            &[("XTS", 1)],
        );
        assert_eq!(v.ok(), Some(Value::String("0.1".into())));
    }

    #[test]
    fn decimal_to_minor_is_exact() {
        let m = |t: &str, e: u8| minor_from_decimal_text(t, e).map(|m| m.0);
        assert_eq!(m("40.11", 2), Some(4011));
        assert_eq!(m("40.1", 2), Some(4010));
        assert_eq!(m("40", 2), Some(4000));
        assert_eq!(m("40.110", 2), Some(4011));
        assert_eq!(m("40.111", 2), None);
        assert_eq!(m("0.001", 3), Some(1));
        assert_eq!(m("2000", 0), Some(2000));
        assert_eq!(m("2000.5", 0), None);
        assert_eq!(m("-0.05", 2), Some(-5));
        assert_eq!(m("4011e-2", 2), Some(4011));
        assert_eq!(m("4.011E1", 2), Some(4011));
        assert_eq!(m("1e2", 0), Some(100));
        assert_eq!(m("0.000", 2), Some(0));
        assert_eq!(m("92233720368547758.07", 2), Some(i64::MAX));
        assert_eq!(m("92233720368547758.08", 2), None);
        assert_eq!(m("1e999999999999", 2), None);
        for bad in [
            "", "-", "abc", "1.", ".5", "1,5", "1.2.3", "1e", "+1", " 1", "0x10", "NaN",
        ] {
            assert_eq!(m(bad, 2), None, "{bad:?}");
        }
    }

    #[test]
    fn decimal_keeps_the_text_both_ways() -> Result<(), serde_json::Error> {
        let d: Decimal = serde_json::from_str("40.10")?;
        assert_eq!(d.as_str(), "40.10");
        assert_eq!(d.to_minor(2), Some(MinorUnits(4010)));
        assert_eq!(serde_json::to_string(&d)?, "40.10");
        let s: Decimal = serde_json::from_str("\"1000.00\"")?;
        assert_eq!(format!("{s} {s:?}"), "1000.00 1000.00");
        assert_eq!(serde_json::to_string(&s)?, "1000.00");
        assert!(serde_json::from_str::<Decimal>("\"12abc\"").is_err());
        assert!(serde_json::from_str::<Decimal>("true").is_err());
        let big: Decimal = serde_json::from_str("123456789012345678901234567890.5")?;
        assert_eq!(big.as_str(), "123456789012345678901234567890.5");
        assert_eq!(big.to_minor(2), None);
        assert_eq!(Decimal::from_minor(MinorUnits(7), 3).as_str(), "0.007");
        Ok(())
    }

    /// How `Decimal` was read before it had its own visitor: through a `serde_json::Value`.
    fn through_a_value<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = match Value::deserialize(d)? {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s,
            _ => {
                return Err(serde::de::Error::custom(
                    "expected a decimal number or numeric string",
                ))
            }
        };
        Decimal::parse(&text)
            .ok_or_else(|| serde::de::Error::custom("expected a decimal number or numeric string"))
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Old(#[serde(deserialize_with = "through_a_value")] Decimal);

    #[derive(Debug, PartialEq, Deserialize)]
    struct InStruct {
        #[serde(default)]
        amount: Option<Decimal>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct OldInStruct {
        #[serde(default, deserialize_with = "old_option")]
        amount: Option<Decimal>,
    }

    fn old_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Option::<Old>::deserialize(d).map(|o| o.map(|Old(d)| d))
    }

    /// Every number form: read from text, from a `Value`, as a struct's optional field.
    const NUMBER_FORMS: &[&str] = &[
        "0",
        "40",
        "-7",
        "12.30",
        "0.05",
        "-0",
        "-0.0",
        "1e3",
        "1E+3",
        "4011e-2",
        "4.011E1",
        "1e400",
        "1e99999999999999999999",
        "-1.5E-99999999999999999999",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "123456789012345678901234567890.5",
        r#""40.10""#,
        r#""1e3""#,
        r#""-0""#,
        r#""007""#,
        r#""12abc""#,
        r#""""#,
        r#"" 1""#,
        r#""40""#,
        "null",
        "true",
        "[1]",
        "{}",
        r#"{"$serde_json::private::Number":"1.50"}"#,
        "01",
        "1.",
        "",
    ];

    #[test]
    fn decimal_reads_every_number_form_as_a_value_read_it() {
        let err = |e: serde_json::Error| e.to_string();
        for form in NUMBER_FORMS {
            let new = serde_json::from_str::<Decimal>(form).map_err(err);
            let old = serde_json::from_str::<Old>(form)
                .map(|Old(d)| d)
                .map_err(err);
            assert_eq!(new, old, "{form}");
            let body = format!(r#"{{"amount":{form}, "x":1}}"#);
            let new = serde_json::from_str::<InStruct>(&body).map_err(err);
            let old = serde_json::from_str::<OldInStruct>(&body)
                .map(|o| InStruct { amount: o.amount })
                .map_err(err);
            assert_eq!(new, old, "{body}");
            if let Ok(value) = serde_json::from_str::<Value>(form) {
                let new = Decimal::deserialize(&value).map_err(err);
                let old = through_a_value(&value).map_err(err);
                assert_eq!(new, old, "&Value {form}");
                let new = serde_json::from_value::<Decimal>(value.clone()).map_err(err);
                let old = through_a_value(value).map_err(err);
                assert_eq!(new, old, "Value {form}");
            }
        }
    }

    #[test]
    fn decimal_keeps_each_number_forms_text() -> Result<(), serde_json::Error> {
        let text = |json: &str| serde_json::from_str::<Decimal>(json).map(|d| d.0);
        assert_eq!(text("12.30")?, "12.30");
        assert_eq!(text("40")?, "40");
        assert_eq!(text("-0")?, "-0");
        assert_eq!(text("-0.0")?, "-0.0");
        // serde_json writes an exponent's sign and a lower-case `e`: the value is exact
        assert_eq!(text("1E3")?, "1e+3");
        assert_eq!(text("4011e-2")?, "4011e-2");
        assert_eq!(text("18446744073709551616")?, "18446744073709551616");
        assert_eq!(text(r#""40.10""#)?, "40.10");
        assert_eq!(text(r#""1E3""#)?, "1E3");
        let none: InStruct = serde_json::from_str(r#"{"amount":null}"#)?;
        assert_eq!(none.amount, None);
        assert!(serde_json::from_str::<Decimal>("null").is_err());
        assert!(serde_json::from_str::<Decimal>(r#""12abc""#).is_err());
        Ok(())
    }
}
