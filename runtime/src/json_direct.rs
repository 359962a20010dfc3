//! Request bodies written as JSON straight from the typed request, with no request tree in
//! between (issue 11): the [`WriteJson`] trait generated request types implement, the pieces
//! its generated bodies call, and the validated body an operation that needs no tree sends.
//!
//! A generated `write_json` appends exactly the bytes `to_wire(..).write_json_to(..)` appends
//! and pushes exactly the same field errors, in the same order: keys are written as literals
//! the generator escaped, every scalar goes through the same `AsWire` value, money and
//! credentials through the same functions the tree path calls. A type the generator cannot
//! mirror keeps the trait's default, which is that tree path.

use crate::as_wire::AsWire;
use crate::error::Error;
use crate::json_write;
use crate::money::{exponent_for, MinorUnits, MoneyWire};
use crate::towire::{money_value, ToWire, WireContext, WireSource};
use crate::validate::{field_path, within_item, ValidationErrors};
use crate::wire_tree::is_json_number;

/// A request value that can write its wire JSON without building a request tree.
pub trait WriteJson: ToWire {
    /// Appends the value's compact JSON to `out`: byte for byte what
    /// `self.to_wire(ctx, path, errs).write_json_to(out)` appends, with the same errors pushed
    /// to `errs` (a missing credential, an amount its currency cannot express). The default is
    /// exactly that.
    fn write_json(
        &self,
        ctx: &WireContext<'_>,
        path: &str,
        errs: &mut ValidationErrors,
        out: &mut Vec<u8>,
    ) {
        self.to_wire(ctx, path, errs).write_json_to(out);
    }
}

/// The key of an object's next entry: `key` is `,"name":` as the generator escaped it (a
/// constant's value may follow in the same literal), its comma left out when the entry is the
/// object's first (the object's `{` is the last byte written: no value's JSON ends with `{`).
/// Generic over the literal's length so each call copies a known number of bytes inline.
#[inline(always)]
pub fn write_key<const N: usize>(out: &mut Vec<u8>, key: &[u8; N]) {
    match key.split_first() {
        Some((_, rest)) if out.last() == Some(&b'{') => out.extend_from_slice(rest),
        _ => out.extend_from_slice(key),
    }
}

/// An entry whose value is a text (a `String`'s or a sensitive text's wire value).
#[inline]
pub fn entry_str<const N: usize>(out: &mut Vec<u8>, key: &[u8; N], text: &str) {
    write_key(out, key);
    write_text(out, text);
}

/// A text value's JSON: [`json_write::write_str`], in one shared copy out of line. Inlined
/// into [`entry_str`], which is compiled once per key length, it was copied (about 1.3 KB) for
/// every key length a client's bodies use, and a call ran through many of those copies.
#[inline(never)]
fn write_text(out: &mut Vec<u8>, text: &str) {
    json_write::write_str(out, text);
}

/// An entry whose value is an integer (an `i64`'s wire value).
#[inline]
pub fn entry_int<const N: usize>(out: &mut Vec<u8>, key: &[u8; N], n: i64) {
    write_key(out, key);
    json_write::write_int(out, n);
}

/// An entry whose value is a boolean (a `bool`'s wire value).
#[inline]
pub fn entry_bool<const N: usize>(out: &mut Vec<u8>, key: &[u8; N], b: bool) {
    write_key(out, key);
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// An entry whose value is any other plain value: the JSON its `AsWire` value writes.
#[inline]
pub fn entry_value<T: AsWire + ?Sized, const N: usize>(
    out: &mut Vec<u8>,
    key: &[u8; N],
    value: &T,
) {
    write_key(out, key);
    value.as_wire().write_json_to(out);
}

/// A list of request objects, each written by its own impl; an item's errors are put below
/// `path[i]`, as the tree path puts them.
pub fn write_items<T: WriteJson>(
    out: &mut Vec<u8>,
    items: &[T],
    ctx: &WireContext<'_>,
    path: &str,
    errs: &mut ValidationErrors,
) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        within_item(errs, path, i, |errs| item.write_json(ctx, "", errs, out));
    }
    out.push(b']');
}

/// A credential's value as a JSON string, borrowed (not copied); a missing one is the tree
/// path's field error at `path`.`wire`, written as `null`.
#[inline]
pub fn write_credential(
    out: &mut Vec<u8>,
    ctx: &WireContext<'_>,
    name: &str,
    path: &str,
    wire: &str,
    errs: &mut ValidationErrors,
) {
    match ctx.credentials.get(name) {
        Some(value) => json_write::write_str(out, value.expose()),
        None => ctx
            .credential(name, &field_path(path, wire), errs)
            .write_json_to(out),
    }
}

/// An amount's JSON, written in place: what [`money_value`] gives for it, written (the same
/// text: minor units padded to the exponent's digits, the point put in, trailing fractional
/// zeros dropped for a JSON number), with no text allocated. An amount that has no such form
/// (an unknown currency) goes to [`money_value`] for its field error.
pub fn write_money(
    out: &mut Vec<u8>,
    value: MinorUnits,
    currency: &str,
    wire: MoneyWire,
    ctx: &WireContext<'_>,
    path: &str,
    errs: &mut ValidationErrors,
) {
    let exponent = match (wire, exponent_for(currency, ctx.exponents)) {
        (_, None) => return money_value(value, currency, wire, ctx, path, errs).write_json_to(out),
        (MoneyWire::IntegerMinor, Some(_)) => return json_write::write_int(out, value.0),
        (_, Some(e)) => usize::from(e),
    };
    let start = out.len();
    let quoted = wire == MoneyWire::DecimalString;
    if quoted {
        out.push(b'"');
    }
    if value.0 < 0 {
        out.push(b'-');
    }
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(value.0.unsigned_abs()).as_bytes();
    // padded to at least one integer digit before the point
    out.resize(
        out.len() + (exponent + 1).saturating_sub(digits.len()),
        b'0',
    );
    out.extend_from_slice(digits);
    if exponent > 0 {
        out.insert(out.len() - exponent, b'.');
        if !quoted {
            let kept = out.len() - out.iter().rev().take_while(|&&b| b == b'0').count();
            let kept = kept - usize::from(out[kept - 1] == b'.');
            out.truncate(kept);
        }
    }
    if quoted {
        out.push(b'"');
        return;
    }
    // the amount's text is always a JSON number; were it not, the tree path's error
    if !std::str::from_utf8(&out[start..]).is_ok_and(is_json_number) {
        out.truncate(start);
        money_value(value, currency, wire, ctx, path, errs).write_json_to(out);
    }
}

/// Validates `request` and writes its body as JSON (`Error::InvalidRequest` names every bad
/// field, as [`crate::towire::encode_tree`] does; nothing is returned for a bad request).
pub fn encode_json<T: WriteJson + ?Sized>(
    request: &T,
    ctx: &WireContext<'_>,
) -> Result<Vec<u8>, Error> {
    let mut errs = ValidationErrors::default();
    request.validate("", &mut errs);
    // a usual payment body fits without growing
    let mut out = Vec::with_capacity(1024);
    request.write_json(ctx, "", &mut errs, &mut out);
    errs.into_result()?;
    if out.first() != Some(&b'{') {
        return Err(Error::Config(
            "a request body must encode to a JSON object".into(),
        ));
    }
    Ok(out)
}

/// [`encode_json`] with the credentials and clock of `source` (a client's engine).
pub fn request_json<T: WriteJson + ?Sized>(
    request: &T,
    source: &dyn WireSource,
    exponents: &[(&str, u8)],
) -> Result<Vec<u8>, Error> {
    let ctx = WireContext {
        credentials: source.credentials(),
        clock: source.clock(),
        exponents,
    };
    encode_json(request, &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::credentials::Credentials;
    use crate::wire_tree::{WireObject, WireValue};

    /// A hand-written request that keeps the default (the tree path).
    struct Plain(&'static str);

    impl ToWire for Plain {
        fn validate(&self, _path: &str, _errs: &mut ValidationErrors) {}
        fn to_wire(
            &self,
            ctx: &WireContext<'_>,
            path: &str,
            errs: &mut ValidationErrors,
        ) -> WireValue<'_> {
            let mut map = WireObject::with_capacity(2);
            map.push("k", WireValue::text(self.0));
            map.push("id", ctx.credential("id", &field_path(path, "id"), errs));
            WireValue::Object(map)
        }
    }

    impl WriteJson for Plain {}

    #[test]
    fn the_default_writes_the_tree_and_credentials_are_written_alike() {
        let clock = FixedClock(0);
        let creds = Credentials::new().with("id", "a\"b");
        let ctx = WireContext {
            credentials: &creds,
            clock: &clock,
            exponents: &[],
        };
        let body = encode_json(&Plain("x\u{1}é"), &ctx).unwrap_or_default();
        assert_eq!(body, r#"{"k":"x\u0001é","id":"a\"b"}"#.as_bytes());
        let (mut direct, mut errs) = (Vec::new(), ValidationErrors::default());
        write_credential(&mut direct, &ctx, "id", "", "id", &mut errs);
        assert_eq!(direct, br#""a\"b""#);

        let empty = Credentials::new();
        let ctx = WireContext {
            credentials: &empty,
            ..ctx
        };
        let (mut direct, mut errs) = (Vec::new(), ValidationErrors::default());
        write_credential(&mut direct, &ctx, "id", "card", "id", &mut errs);
        let mut tree_errs = ValidationErrors::default();
        let tree = ctx.credential("id", "card.id", &mut tree_errs);
        assert_eq!(direct, tree.to_json_string().as_bytes());
        assert_eq!(errs, tree_errs);
        assert_eq!(errs.errors[0].path, "card.id");
        assert!(matches!(
            encode_json(&Plain("x"), &ctx),
            Err(Error::InvalidRequest(_))
        ));
    }

    #[test]
    fn amounts_are_written_as_their_tree_values() {
        let clock = FixedClock(0);
        let creds = Credentials::new();
        let ctx = WireContext {
            credentials: &creds,
            clock: &clock,
            exponents: &[("BTC", 8), ("ECS", 0), ("ODD", 20)],
        };
        let values = [
            0,
            1,
            -1,
            5,
            -5,
            10,
            100,
            4011,
            3000,
            -3000,
            120_000,
            123_456_789,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ];
        let currencies = ["EUR", "JPY", "BHD", "BTC", "ECS", "ODD", "eur", "XXX1", ""];
        let forms = [
            MoneyWire::IntegerMinor,
            MoneyWire::DecimalNumber,
            MoneyWire::DecimalString,
        ];
        for value in values {
            for currency in currencies {
                for form in forms {
                    let (mut direct, mut errs) = (b"[".to_vec(), ValidationErrors::default());
                    let m = MinorUnits(value);
                    write_money(&mut direct, m, currency, form, &ctx, "a", &mut errs);
                    let mut tree_errs = ValidationErrors::default();
                    let mut tree = b"[".to_vec();
                    money_value(m, currency, form, &ctx, "a", &mut tree_errs)
                        .write_json_to(&mut tree);
                    let what = format!("{value} {currency} {form:?}");
                    assert_eq!(
                        String::from_utf8_lossy(&direct),
                        String::from_utf8_lossy(&tree),
                        "{what}"
                    );
                    assert_eq!(errs, tree_errs, "{what}");
                }
            }
        }
    }

    #[test]
    fn keys_drop_their_comma_for_the_first_entry_only() {
        let mut out = b"{".to_vec();
        entry_value(&mut out, b",\"a\":", &serde_json::json!({}));
        entry_bool(&mut out, b",\"b\":", true);
        out.push(b'}');
        write_key(&mut out, b",\"c\":null");
        assert_eq!(out, br#"{"a":{},"b":true},"c":null"#);
    }
}
