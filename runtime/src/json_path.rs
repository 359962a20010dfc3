//! Dotted paths over JSON values (`data.status`, `errors.0.code`, `items[2].id`): lookups and
//! comparisons used to pick response variants and recognise error envelopes.

use serde_json::Value;

/// One step of a path.
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// Splits `a.b[0].c` / `a.b.0.c` into steps; `None` when a bracket is malformed.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut out = Vec::new();
    if path.is_empty() {
        return Some(out);
    }
    for segment in path.split('.') {
        let (name, mut brackets) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !name.is_empty() {
            out.push(Step::Key(name));
        }
        while let Some(rest) = brackets.strip_prefix('[') {
            let close = rest.find(']')?;
            out.push(Step::Index(rest[..close].parse().ok()?));
            brackets = &rest[close + 1..];
        }
        if !brackets.is_empty() {
            return None;
        }
    }
    Some(out)
}

/// The value at `path` (empty path: `v` itself). A numeric segment indexes an array, or is a key
/// of an object.
pub fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for step in steps(path)? {
        cur = match (step, cur) {
            (Step::Key(k), Value::Object(m)) => m.get(k)?,
            (Step::Key(k), Value::Array(a)) => a.get(k.parse::<usize>().ok()?)?,
            (Step::Index(i), Value::Array(a)) => a.get(i)?,
            _ => return None,
        };
    }
    Some(cur)
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
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(_) | Value::Object(_) => serde_json::to_string(v).ok(),
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
