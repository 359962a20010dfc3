//! Walking a recorded value (JSON, or form text) against a spec type: undocumented fields and enum values, type
//! and wire-format mismatches, broken rules, absent required fields, and key order.

use paygen_runtime::money::MoneyWire;
use paygen_runtime::validate::{check_format, ValidationErrors};
use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use super::Finding;
use crate::spec::builtin::Builtin;
use crate::spec::model::{Field, Spec, TypeDef, WireLiteral};

/// How deep a recorded value is followed (recursive types, hostile recordings).
const MAX_DEPTH: usize = 32;

/// How the recorded values were written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// JSON: a value's kind (number, string, ...) is what the provider sent.
    Json,
    /// Form text (every value a string, as `paygen_runtime::webhook::parse_webhook_body`
    /// hands them to the typed decoding): an enum value is compared as the generated parser
    /// reads it (`wire_int` / `wire_str`), not by its JSON kind.
    FormText,
}

/// What every step of one walk shares.
#[derive(Clone, Copy)]
struct Cx<'a> {
    spec: &'a Spec,
    values: Values,
}

/// Checks `value` against the spec type `ty`; `at` is the JSON path so far (for messages). List
/// items are written `list[]` and map entries `map.*`, so that one difference of every item is
/// one finding.
pub fn check_type(spec: &Spec, ty: &str, value: &Value, at: &str, out: &mut Vec<Finding>) {
    check_values(spec, Values::Json, ty, value, at, out);
}

/// [`check_type`] for values written as `values`.
pub fn check_values(
    spec: &Spec,
    values: Values,
    ty: &str,
    value: &Value,
    at: &str,
    out: &mut Vec<Finding>,
) {
    walk(Cx { spec, values }, ty, None, value, at, 0, out);
}

fn walk(
    cx: Cx<'_>,
    ty: &str,
    field: Option<(&str, &str, &Field)>,
    value: &Value,
    at: &str,
    depth: usize,
    out: &mut Vec<Finding>,
) {
    if depth > MAX_DEPTH || value.is_null() {
        return;
    }
    let spec_path = field.map(|(owner, name, _)| format!("types.{owner}.fields.{name}"));
    let here = spec_path.clone().unwrap_or_else(|| format!("types.{ty}"));
    let f = field.map(|(_, _, f)| f);
    let json = Builtin::Json.name();
    match Builtin::parse(ty) {
        Some(Builtin::String) => expect(value.is_string(), "a string", &here, at, value, out),
        Some(Builtin::Integer) => expect(
            value.is_i64() || value.is_u64(),
            "an integer",
            &here,
            at,
            value,
            out,
        ),
        Some(Builtin::Boolean) => expect(value.is_boolean(), "a boolean", &here, at, value, out),
        Some(Builtin::Decimal) => expect(is_decimal(value), "a decimal", &here, at, value, out),
        Some(Builtin::Json) => {}
        Some(Builtin::Money) => check_money(f, value, &here, at, out),
        Some(Builtin::List) => {
            let items = f.and_then(|f| f.items.as_deref()).unwrap_or(json);
            match value.as_array() {
                Some(arr) => arr
                    .iter()
                    .for_each(|v| walk(cx, items, None, v, &format!("{at}[]"), depth + 1, out)),
                None => expect(false, "a list", &here, at, value, out),
            }
        }
        Some(Builtin::Map) => {
            let items = f.and_then(|f| f.items.as_deref()).unwrap_or(json);
            match value.as_object() {
                Some(map) => map
                    .values()
                    .for_each(|v| walk(cx, items, None, v, &join(at, "*"), depth + 1, out)),
                None => expect(false, "a map", &here, at, value, out),
            }
        }
        None => {
            if let Some(def) = cx.spec.types.get(ty) {
                walk_named(cx, ty, def, value, at, depth, out);
            }
        }
    }
    if let (Some(f), Some(path)) = (f, spec_path) {
        check_rules(f, value, &path, at, out);
    }
}

fn walk_named(
    cx: Cx<'_>,
    name: &str,
    def: &TypeDef,
    value: &Value,
    at: &str,
    depth: usize,
    out: &mut Vec<Finding>,
) {
    if let Some(fields) = &def.fields {
        let Some(map) = value.as_object() else {
            return expect(false, "an object", &format!("types.{name}"), at, value, out);
        };
        for (key, v) in map {
            match fields.get(key) {
                Some(f) => walk(
                    cx,
                    &f.ty,
                    Some((name, key, f)),
                    v,
                    &join(at, key),
                    depth + 1,
                    out,
                ),
                None => out.push(undocumented_field(name, key, v, at)),
            }
        }
        for (key, f) in fields
            .iter()
            .filter(|(k, f)| f.required && !map.contains_key(*k))
        {
            out.push(Finding {
                code: "D0008",
                spec_path: format!("types.{name}.fields.{key}"),
                message: format!("`{}` is required by the spec but absent", join(at, key)),
                suggestion: Some(format!(
                    "types.{name}.fields.{key}.required: false  # was {}",
                    f.required
                )),
            });
        }
    } else if let Some(values) = &def.values {
        check_enum(cx.values, name, values, value, at, out);
    } else if let Some(base) = def.base.as_deref() {
        let items = def.items.as_deref().unwrap_or(Builtin::Json.name());
        match (Builtin::parse(base), value) {
            (Some(Builtin::Map), Value::Object(map)) => map
                .values()
                .for_each(|v| walk(cx, items, None, v, &join(at, "*"), depth + 1, out)),
            (Some(Builtin::List), Value::Array(arr)) => arr
                .iter()
                .for_each(|v| walk(cx, items, None, v, &format!("{at}[]"), depth + 1, out)),
            (Some(Builtin::Map), _) => {
                expect(false, "a map", &format!("types.{name}"), at, value, out)
            }
            (Some(Builtin::List), _) => {
                expect(false, "a list", &format!("types.{name}"), at, value, out)
            }
            _ => walk(cx, base, None, value, at, depth + 1, out),
        }
    }
}

fn check_enum(
    wire_values: Values,
    name: &str,
    values: &[crate::spec::model::EnumValue],
    value: &Value,
    at: &str,
    out: &mut Vec<Finding>,
) {
    use crate::spec::model::EnumValue;
    let known = values.iter().any(|v| {
        let wire = match v {
            EnumValue::Short(w) => w,
            EnumValue::Full(d) => &d.wire,
        };
        match (wire_values, wire, value) {
            (Values::FormText, _, Value::String(got)) => read_as_parser(wire, got),
            (_, WireLiteral::Int(n), Value::Number(got)) => got.as_i64() == Some(*n),
            (_, WireLiteral::Str(s), Value::String(got)) => s == got,
            _ => false,
        }
    });
    if !known {
        out.push(Finding {
            code: "D0005",
            spec_path: format!("types.{name}.values"),
            message: format!(
                "`{}` carries {value}, which `{name}` does not document",
                show(at)
            ),
            suggestion: Some(format!(
                "types.{name}.values:\n  - {value}   # seen in recorded traffic"
            )),
        });
    }
}

/// Whether form text `got` is the wire literal as the generated enum parser reads it: an integer
/// literal by `wire_int`, a string literal by `wire_str`.
fn read_as_parser(wire: &WireLiteral, got: &str) -> bool {
    use paygen_runtime::wire::{wire_int, wire_str, WireScalar};
    let raw = WireScalar::Str(got.to_string());
    match wire {
        WireLiteral::Int(n) => wire_int(&raw) == Some(*n),
        WireLiteral::Str(s) => wire_str(&raw) == *s,
    }
}

fn check_money(f: Option<&Field>, value: &Value, here: &str, at: &str, out: &mut Vec<Finding>) {
    let Some(wire) = f.and_then(|f| f.money.as_ref()).map(|m| m.wire) else {
        return expect(is_decimal(value), "a decimal amount", here, at, value, out);
    };
    let (ok, want) = match wire {
        MoneyWire::IntegerMinor => (
            value.is_i64() || value.is_u64(),
            "an integer of minor units",
        ),
        MoneyWire::DecimalNumber => (value.is_number(), "a JSON number"),
        MoneyWire::DecimalString => (
            value.as_str().is_some_and(is_decimal_text),
            "a decimal string",
        ),
    };
    if !ok {
        out.push(Finding {
            code: "D0006",
            spec_path: format!("{here}.money.wire"),
            message: format!(
                "`{}` is {} on the wire, the spec says {want}",
                show(at),
                kind_of(value)
            ),
            suggestion: Some(format!("{here}.money.wire: {}", infer_money_wire(value))),
        });
    }
}

fn check_rules(f: &Field, value: &Value, path: &str, at: &str, out: &mut Vec<Finding>) {
    let Some(text) = value.as_str() else { return };
    let mut broken = Vec::new();
    if let Some(p) = &f.pattern {
        if regex::Regex::new(p).is_ok_and(|re| !re.is_match(text)) {
            broken.push(format!("does not match the pattern `{p}`"));
        }
    }
    if let Some(allowed) = &f.allowed {
        if !allowed.iter().any(|a| a == text) {
            broken.push(format!("is not one of {}", allowed.join(", ")));
        }
    }
    if let Some(format) = f.format {
        let mut errs = ValidationErrors::new();
        check_format(&mut errs, at, text, format);
        if !errs.is_empty() {
            broken.push(format!("breaks the `{}` rule", format.rule()));
        }
    }
    for what in broken {
        out.push(Finding {
            code: "D0007",
            spec_path: path.to_string(),
            message: format!("`{}` {what}", show(at)),
            suggestion: None,
        });
    }
}

fn undocumented_field(owner: &str, key: &str, v: &Value, at: &str) -> Finding {
    Finding {
        code: "D0004",
        spec_path: format!("types.{owner}.fields"),
        message: format!("`{}` is not documented in `{owner}`", join(at, key)),
        suggestion: Some(format!(
            "types.{owner}.fields.{key}: {{ type: {}, doc: \"seen in recorded traffic\" }}",
            infer_type(v)
        )),
    }
}

fn expect(ok: bool, want: &str, here: &str, at: &str, value: &Value, out: &mut Vec<Finding>) {
    if !ok {
        out.push(Finding {
            code: "D0006",
            spec_path: here.to_string(),
            message: format!("`{}` is {}, the spec says {want}", show(at), kind_of(value)),
            suggestion: Some(format!("{here}.type: {}", infer_type(value))),
        });
    }
}

fn is_decimal(v: &Value) -> bool {
    v.is_number() || v.as_str().is_some_and(is_decimal_text)
}

fn is_decimal_text(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    int_ok
        && parts
            .next()
            .is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a decimal number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The builtin type name a spec would give a recorded value (for suggestions).
fn infer_type(v: &Value) -> &'static str {
    let builtin = match v {
        Value::Bool(_) => Builtin::Boolean,
        Value::Number(n) if n.is_i64() || n.is_u64() => Builtin::Integer,
        Value::Number(_) => Builtin::Decimal,
        Value::String(_) => Builtin::String,
        Value::Array(_) => Builtin::List,
        Value::Object(_) | Value::Null => Builtin::Json,
    };
    builtin.name()
}

fn infer_money_wire(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "decimal_string",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer_minor",
        _ => "decimal_number",
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

fn show(at: &str) -> &str {
    if at.is_empty() {
        "the body"
    } else {
        at
    }
}

/// The top-level keys of a JSON object text in the order they were written (independent of
/// how `serde_json::Map` orders keys); `None` when the text is not a JSON object.
pub fn top_level_keys(text: &str) -> Option<Vec<String>> {
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            let mut keys = Vec::new();
            while let Some((k, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                keys.push(k);
            }
            Ok(keys)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(Keys).ok()
}

/// Where a recipe signs fields in the order they are sent, the recorded order of the top-level
/// keys must be the type's declared order.
pub fn check_key_order(spec: &Spec, ty: &str, body: &str, recipe: &str, out: &mut Vec<Finding>) {
    check_recorded_order(spec, ty, top_level_keys(body), recipe, out);
}

/// [`check_key_order`] for top-level `keys` already read in recorded order (a form's pairs).
pub fn check_recorded_order(
    spec: &Spec,
    ty: &str,
    keys: Option<Vec<String>>,
    recipe: &str,
    out: &mut Vec<Finding>,
) {
    use paygen_runtime::signing::SortOrder;
    let signing = spec.signing.as_ref();
    let r = match recipe {
        "response" => signing.and_then(|s| s.response.as_ref()),
        _ => signing.and_then(|s| s.webhook.as_ref()),
    };
    let order_matters = r.is_some_and(|r| r.canonical.sort == SortOrder::None);
    let fields = spec.types.get(ty).and_then(|d| d.fields.as_ref());
    let (true, Some(fields), Some(keys)) = (order_matters, fields, keys) else {
        return;
    };
    let declared: Vec<&String> = fields.keys().filter(|k| keys.contains(k)).collect();
    let recorded: Vec<&String> = keys.iter().filter(|k| fields.contains_key(*k)).collect();
    if declared != recorded {
        out.push(Finding {
            code: "D0010",
            spec_path: format!("types.{ty}.fields"),
            message: format!(
                "`signing.{recipe}` signs fields in the order sent; recorded order {recorded:?} differs from the declared {declared:?}"
            ),
            suggestion: Some(format!("reorder types.{ty}.fields as {recorded:?}")),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::read_as_parser;
    use crate::spec::model::WireLiteral;

    #[test]
    fn form_text_is_read_like_the_generated_enum_parser() {
        assert!(read_as_parser(&WireLiteral::Int(3), "3"));
        assert!(read_as_parser(&WireLiteral::Int(3), " 3"), "wire_int trims");
        assert!(!read_as_parser(&WireLiteral::Int(3), "three"));
        assert!(read_as_parser(
            &WireLiteral::Str("success".into()),
            "success"
        ));
        assert!(!read_as_parser(
            &WireLiteral::Str("success".into()),
            "Success"
        ));
    }
}
