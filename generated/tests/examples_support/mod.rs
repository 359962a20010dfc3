//! Support for replaying documented examples: wire JSON back to typed-request JSON (money to minor
//! units), credentials and clock taken from the example, and a numeric-aware JSON comparison.

pub mod replay;

use paygen_codegen::ir::{Field, MoneyCurrency, MoneyWire, Provider, Source, TypeKind, TypeRef};
use paygen_runtime::__codegen::{exponent_for, Decimal};
use paygen_runtime::Credentials;
use serde_json::{Map, Value};

/// What the example itself says the client must fill in.
#[derive(Debug, Default)]
pub struct Filled {
    /// Credential values the example carries (`merchantNo: 202333`).
    pub credentials: Vec<(String, String)>,
    /// Unix time of a clock-filled field.
    pub unix: Option<i64>,
}

/// Converts a documented wire body into the JSON the typed request deserializes from.
pub fn to_typed_json(p: &Provider, type_name: &str, wire: &Value, filled: &mut Filled) -> Value {
    let Some(TypeKind::Object { fields }) = p
        .types
        .iter()
        .find(|t| t.rust == type_name)
        .map(|t| &t.kind)
    else {
        return wire.clone();
    };
    let Value::Object(map) = wire else {
        return wire.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let Some(f) = fields.iter().find(|f| &f.wire == key) else {
            out.insert(key.clone(), value.clone());
            continue;
        };
        match &f.source {
            Some(Source::Credential(c)) => filled.credentials.push((c.clone(), text(value))),
            Some(Source::Clock(pattern)) => filled.unix = parse_time(&text(value), pattern),
            Some(Source::Const(_)) => {}
            None => {
                out.insert(key.clone(), typed_value(p, f, value, map, filled));
            }
        }
    }
    Value::Object(out)
}

fn typed_value(
    p: &Provider,
    f: &Field,
    value: &Value,
    siblings: &Map<String, Value>,
    filled: &mut Filled,
) -> Value {
    match &f.ty {
        TypeRef::Money {
            wire: MoneyWire::IntegerMinor,
            ..
        } => value.clone(),
        TypeRef::Money { currency, .. } => {
            let currency = match currency {
                MoneyCurrency::Field(f) => siblings.get(f).map(text).unwrap_or_default(),
                MoneyCurrency::Fixed(c) => c.clone(),
            };
            let exponents: Vec<(&str, u8)> =
                p.exponents.iter().map(|(c, e)| (c.as_str(), *e)).collect();
            let minor = exponent_for(&currency, &exponents)
                .and_then(|e| Decimal::parse(&text(value)).and_then(|d| d.to_minor(e)));
            minor
                .map(|m| Value::from(m.0))
                .unwrap_or_else(|| value.clone())
        }
        TypeRef::Named(n) => to_typed_json(p, n, value, filled),
        TypeRef::List(inner) => match (inner.as_ref(), value) {
            (TypeRef::Named(n), Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .map(|i| to_typed_json(p, n, i, filled))
                    .collect(),
            ),
            _ => value.clone(),
        },
        _ => value.clone(),
    }
}

/// Wire names of the fields the client fills itself (credentials, clock) in a request type.
pub fn client_filled(p: &Provider, type_name: &str) -> Vec<String> {
    match p
        .types
        .iter()
        .find(|t| t.rust == type_name)
        .map(|t| &t.kind)
    {
        Some(TypeKind::Object { fields }) => fields
            .iter()
            .filter(|f| f.source.is_some())
            .map(|f| f.wire.clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// `sent` with object keys in the order `like` has them (keys `like` lacks go last), recursively.
pub fn reorder_like(sent: &Value, like: &Value) -> Value {
    match (sent, like) {
        (Value::Object(s), Value::Object(l)) => {
            let mut out = Map::new();
            for (k, lv) in l {
                if let Some(sv) = s.get(k) {
                    out.insert(k.clone(), reorder_like(sv, lv));
                }
            }
            for (k, sv) in s {
                if !out.contains_key(k) {
                    out.insert(k.clone(), sv.clone());
                }
            }
            Value::Object(out)
        }
        (Value::Array(s), Value::Array(l)) => Value::Array(
            s.iter()
                .zip(l.iter().chain(std::iter::repeat(&Value::Null)))
                .map(|(a, b)| reorder_like(a, b))
                .collect(),
        ),
        _ => sent.clone(),
    }
}

/// A value's text: strings as they are, anything else as JSON text.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Parses a time written with a `%Y %m %d %H %M %S` strftime pattern (UTC).
pub fn parse_time(text: &str, pattern: &str) -> Option<i64> {
    let (mut parts, mut rest, mut pat) = ([0i64; 6], text, pattern);
    while let Some(c) = pat.chars().next() {
        pat = &pat[c.len_utf8()..];
        if c != '%' {
            rest = rest.strip_prefix(c)?;
            continue;
        }
        let d = pat.chars().next()?;
        pat = &pat[1..];
        let (slot, width) = match d {
            'Y' => (0, 4),
            'm' => (1, 2),
            'd' => (2, 2),
            'H' => (3, 2),
            'M' => (4, 2),
            'S' => (5, 2),
            _ => return None,
        };
        parts[slot] = rest.get(..width)?.parse().ok()?;
        rest = &rest[width..];
    }
    let days = days_from_civil(parts[0], parts[1], parts[2]);
    Some(days * 86_400 + parts[3] * 3600 + parts[4] * 60 + parts[5])
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// JSON equality where numbers and numeric strings compare by value (`"500"` = `"500.00"`) and
/// key order is ignored.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            x == y || normal_decimal(x).is_some_and(|n| Some(n) == normal_decimal(y))
        }
        (Value::Number(x), Value::Number(y)) => {
            x == y
                || normal_decimal(&x.to_string())
                    .is_some_and(|n| Some(n) == normal_decimal(&y.to_string()))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_json(v, w))
        }
        _ => a == b,
    }
}

/// A plain decimal's canonical text (`0500.50` -> `500.5`, `7.0` -> `7`); None for anything else.
fn normal_decimal(text: &str) -> Option<String> {
    let (sign, digits) = text.strip_prefix('-').map_or(("", text), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !plain(int) || !plain(frac) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Some(if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    })
}

#[test]
fn decimals_compare_by_value_without_overflow() {
    assert!(same_json(
        &serde_json::json!(700),
        &serde_json::json!(700.00)
    ));
    assert!(!same_json(
        &serde_json::json!(900000),
        &serde_json::json!(90000000)
    ));
    assert!(same_json(
        &serde_json::json!("500"),
        &serde_json::json!("500.00")
    ));
    assert!(!same_json(
        &serde_json::json!("5"),
        &serde_json::json!("500")
    ));
}

#[test]
fn parses_the_pockyt_timestamp() {
    assert_eq!(
        parse_time("2023-02-13T10:50:58Z", "%Y-%m-%dT%H:%M:%SZ"),
        Some(1_676_285_458)
    );
}

/// A spec checked and lowered to the IR the emitters read (with the spec model beside it).
pub fn lower(spec: &str) -> (Provider, paygen_codegen::Spec) {
    let loaded = paygen_codegen::check_file(std::path::Path::new(spec))
        .unwrap_or_else(|d| panic!("{}", paygen_codegen::spec::diag::render(&d)));
    (
        paygen_codegen::lower::lower(&loaded.spec, spec),
        loaded.spec,
    )
}

/// Test credentials of the spec, overridden by values the example itself carries.
pub fn credentials(spec: &paygen_codegen::Spec, filled: &Filled) -> Credentials {
    let mut creds = Credentials::new();
    for (k, v) in spec.sandbox.iter().flat_map(|s| s.credentials.iter()) {
        creds.insert(k.clone(), v.as_str());
    }
    for (k, v) in &filled.credentials {
        creds.insert(k.clone(), v.as_str());
    }
    creds
}
