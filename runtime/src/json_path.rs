//! Dotted paths over JSON values (`data.status`, `errors.0.code`, `items[2].id`): lookups and
//! comparisons used to pick response variants and recognise error envelopes.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// `name[1][2]` -> (`name`, `[1][2]`).
fn split_brackets(segment: &str) -> (&str, &str) {
    match segment.find('[') {
        Some(i) => (&segment[..i], &segment[i..]),
        None => (segment, ""),
    }
}

/// A key step: an object's field, or an array's element by a numeric key.
fn key_step<'a>(cur: &'a Value, key: &str) -> Option<&'a Value> {
    match cur {
        Value::Object(m) => m.get(key),
        Value::Array(a) => a.get(key.parse::<usize>().ok()?),
        _ => None,
    }
}

/// `[i][j]` steps; `None` when a bracket is malformed or an index is missing.
fn index_steps<'a>(mut cur: &'a Value, mut brackets: &str) -> Option<&'a Value> {
    while let Some(rest) = brackets.strip_prefix('[') {
        let close = rest.find(']')?;
        let i: usize = rest[..close].parse().ok()?;
        cur = match cur {
            Value::Array(a) => a.get(i)?,
            _ => return None,
        };
        brackets = &rest[close + 1..];
    }
    brackets.is_empty().then_some(cur)
}

/// Walks `a.b[0].c` / `a.b.0.c` from `cur`, step by step, allocating nothing.
fn walk<'a>(mut cur: &'a Value, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return Some(cur);
    }
    for segment in path.split('.') {
        let (name, brackets) = split_brackets(segment);
        if !name.is_empty() {
            cur = key_step(cur, name)?;
        }
        cur = index_steps(cur, brackets)?;
    }
    Some(cur)
}

/// The value at `path` (empty path: `v` itself). A numeric segment indexes an array, or is a key
/// of an object. Allocates nothing.
pub fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    walk(v, path)
}

/// [`at`] from an object's fields (a request body held as a map, no copy made); `None` for the
/// empty path.
pub fn at_field<'a>(fields: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    let (name, brackets) = split_brackets(first);
    let cur = index_steps(fields.get(name)?, brackets)?;
    walk(cur, rest)
}

/// The top-level key `path` starts from (`items` of `items[0].id`, `a` of `a.b`; empty when the
/// path starts with `.` or `[`): [`at_field`] reads `fields[first_key(path)]` and then
/// [`after_first_key`] from it.
pub(crate) fn first_key(path: &str) -> &str {
    // the first segment's name: everything before the first `.` or `[` (a byte loop: this
    // runs for every webhook condition, and a char-set `find` costs several times as much)
    let end = path.bytes().position(|b| matches!(b, b'.' | b'['));
    &path[..end.unwrap_or(path.len())]
}

/// The rest of `path` after its first key, read from that key's value `v` (see [`first_key`]).
pub(crate) fn after_first_key<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    walk(index_steps(v, split_brackets(first).1)?, rest)
}

/// Present and not null.
pub fn has(v: &Value, path: &str) -> bool {
    at(v, path).is_some_and(|x| !x.is_null())
}

/// A string equal to `expected` (a number or bool whose text equals it also matches).
pub fn equals_str(v: &Value, path: &str, expected: &str) -> bool {
    match at(v, path) {
        Some(Value::String(s)) => s == expected,
        Some(x @ (Value::Number(_) | Value::Bool(_))) => text_of(x).as_deref() == Some(expected),
        _ => false,
    }
}

/// A number or numeric string equal to `expected`.
pub fn equals_i64(v: &Value, path: &str, expected: i64) -> bool {
    match at(v, path) {
        Some(Value::Number(n)) => n.as_i64() == Some(expected),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok() == Some(expected),
        _ => false,
    }
}

/// A bool equal to `expected` (also the strings `"true"` / `"false"`).
pub fn equals_bool(v: &Value, path: &str, expected: bool) -> bool {
    match at(v, path) {
        Some(Value::Bool(b)) => *b == expected,
        Some(Value::String(s)) => s == if expected { "true" } else { "false" },
        _ => false,
    }
}

/// Text of the value at `path`: strings as is, numbers as written, bools `true`/`false`,
/// objects and arrays as compact JSON; `None` for missing or null.
pub fn text_at(v: &Value, path: &str) -> Option<String> {
    at(v, path).and_then(text_of)
}

/// Text of one value; see [`text_at`].
pub fn text_of(v: &Value) -> Option<String> {
    text_ref(v).map(Cow::into_owned)
}

/// [`text_of`] borrowed where it can be: strings and numbers (their text as written) are not
/// copied, bools are static; only objects and arrays are written out.
pub fn text_ref(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Borrowed(n.as_str())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Array(_) | Value::Object(_) => serde_json::to_string(v).ok().map(Cow::Owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        match serde_json::from_str(
            r#"{"status":1,"code":"E12","ok":true,"amt":40.10,"n":"200","nil":null,
                "data":{"items":[{"id":"a"},{"id":7}],"0":"zero"},"errors":[{"code":"X"}]}"#,
        ) {
            Ok(v) => v,
            Err(_) => Value::Null,
        }
    }

    #[test]
    fn lookups() {
        let v = sample();
        assert_eq!(at(&v, "data.items.1.id"), Some(&json!(7)));
        assert_eq!(at(&v, "data.items[0].id"), Some(&json!("a")));
        assert_eq!(at(&v, "errors[0].code"), Some(&json!("X")));
        assert_eq!(at(&v, "data.0"), Some(&json!("zero")));
        assert_eq!(at(&v, ""), Some(&v));
        assert_eq!(at(&v, "data.items[9]"), None);
        assert_eq!(at(&v, "data.items[x]"), None);
        assert_eq!(at(&v, "code.deeper"), None);
        assert!(has(&v, "code") && !has(&v, "nil") && !has(&v, "missing"));
    }

    /// Paths that find a value, find nothing, or stop short, for the lookups that start from
    /// the top-level fields.
    const FIELD_PATHS: [&str; 11] = [
        "data.items.1.id",
        "data.items[0].id",
        "errors[0].code",
        "errors[0]",
        "data.0",
        "data.items[9]",
        "data.items[x]",
        "code.deeper",
        "status",
        "data.",
        "missing.x",
    ];

    #[test]
    fn lookups_from_fields_match_lookups_from_the_value() {
        let v = sample();
        let Value::Object(fields) = &v else {
            unreachable!("the sample is an object")
        };
        for path in FIELD_PATHS {
            assert_eq!(at_field(fields, path), at(&v, path), "{path}");
        }
        assert_eq!(at_field(fields, ""), None);
    }

    #[test]
    fn the_first_key_and_the_rest_read_as_a_lookup_from_the_fields() {
        let v = sample();
        let Value::Object(fields) = &v else {
            unreachable!("the sample is an object")
        };
        for path in FIELD_PATHS {
            let key = first_key(path);
            let got = fields.get(key).and_then(|v| after_first_key(v, path));
            assert_eq!(got, at_field(fields, path), "{path}");
        }
        assert_eq!(first_key("a[0].b"), "a");
        assert_eq!(first_key("a.b[0]"), "a");
        assert_eq!(first_key(".a"), "");
        assert_eq!(first_key("[0]"), "");
    }

    #[test]
    fn comparisons_and_text() {
        let v = sample();
        assert!(
            equals_i64(&v, "status", 1) && equals_i64(&v, "n", 200) && !equals_i64(&v, "code", 1)
        );
        assert!(
            equals_str(&v, "code", "E12")
                && equals_str(&v, "status", "1")
                && !equals_str(&v, "nil", "")
        );
        assert!(equals_bool(&v, "ok", true) && !equals_bool(&v, "ok", false));
        assert_eq!(text_at(&v, "amt").as_deref(), Some("40.10"));
        assert_eq!(text_at(&v, "ok").as_deref(), Some("true"));
        assert_eq!(text_at(&v, "code").as_deref(), Some("E12"));
        assert_eq!(text_at(&v, "errors").as_deref(), Some(r#"[{"code":"X"}]"#));
        assert_eq!(text_at(&v, "nil"), None);
    }
}
