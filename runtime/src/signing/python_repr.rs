//! Python `str()` / `repr()` rendering of JSON values (`deep: python_repr`).
//!
//! Renders a JSON value the way Python's `str()` renders the equivalent `json.loads` result:
//! `{'a': 1, 'b': 'x', 'c': None, 'd': True}`, `['x', 1]`. Strings inside containers use
//! Python's `repr` quoting and escaping. Numbers keep their JSON text (the engine signs numbers
//! exactly as sent). Known approximation: Python also escapes *unassigned* code points, which
//! this module (without a Unicode database) leaves as they are.

use crate::wire_tree::WireValue;

/// Python `str()` of a container (or `repr()` of a scalar inside one).
pub(crate) fn python_repr(value: &WireValue<'_>) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &WireValue<'_>) {
    match value {
        WireValue::Null => out.push_str("None"),
        WireValue::Bool(true) => out.push_str("True"),
        WireValue::Bool(false) => out.push_str("False"),
        WireValue::Number(n) => out.push_str(n),
        WireValue::Int(n) => out.push_str(&n.to_string()),
        WireValue::Str(s) => write_str_repr(out, s),
        WireValue::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        WireValue::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_str_repr(out, k);
                out.push_str(": ");
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

/// Python `repr(str)`: single quotes unless the text has `'` and no `"`.
pub(crate) fn write_str_repr(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => push_escape(out, c),
        }
    }
    out.push(quote);
}

fn push_escape(out: &mut String, c: char) {
    let code = u32::from(c);
    let text = if code < 0x100 {
        format!("\\x{code:02x}")
    } else if code < 0x1_0000 {
        format!("\\u{code:04x}")
    } else {
        format!("\\U{code:08x}")
    };
    out.push_str(&text);
}

/// Python's `str.isprintable()` for one character, minus the unassigned (Cn) category.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() {
        return false;
    }
    let code = u32::from(c);
    !(is_separator(code) || is_format(code) || is_private_or_surrogate(code))
}

/// Unicode Zs (other than the ASCII space), Zl and Zp.
fn is_separator(code: u32) -> bool {
    matches!(
        code,
        0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000
    )
}

/// Unicode Cf (format characters).
fn is_format(code: u32) -> bool {
    matches!(
        code,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

/// Unicode Co (private use). Surrogates cannot occur in a Rust `char`.
fn is_private_or_surrogate(code: u32) -> bool {
    matches!(code, 0xE000..=0xF8FF | 0xF_0000..=0xF_FFFD | 0x10_0000..=0x10_FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The repr of a parsed JSON value, through its request tree.
    fn python_repr(v: &Value) -> String {
        super::python_repr(&WireValue::from_json(v))
    }

    fn repr_of(text: &str) -> String {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => python_repr(&v),
            Err(e) => format!("bad test json: {e}"),
        }
    }

    #[test]
    fn dict_with_every_scalar_kind() {
        let v = json!({"a": 1, "b": "x", "c": null, "d": true, "e": false});
        assert_eq!(
            python_repr(&v),
            "{'a': 1, 'b': 'x', 'c': None, 'd': True, 'e': False}"
        );
    }

    #[test]
    fn nested_lists_and_dicts_keep_order_and_number_text() {
        assert_eq!(
            repr_of(r#"["x", 1, 10.0, [], {}]"#),
            "['x', 1, 10.0, [], {}]"
        );
        assert_eq!(
            repr_of(r#"{"z": {"y": [null, 1.50]}, "a": []}"#),
            "{'z': {'y': [None, 1.50]}, 'a': []}"
        );
    }

    #[test]
    fn string_quoting_follows_python() {
        assert_eq!(python_repr(&json!("it's")), "\"it's\"");
        assert_eq!(python_repr(&json!("say \"hi\"")), "'say \"hi\"'");
        assert_eq!(python_repr(&json!("both ' and \"")), "'both \\' and \"'");
        assert_eq!(python_repr(&json!("a\\b\n\t\r")), "'a\\\\b\\n\\t\\r'");
    }

    #[test]
    fn non_printables_are_escaped_like_python() {
        assert_eq!(
            python_repr(&json!("\u{1}\u{7f}\u{a0}")),
            "'\\x01\\x7f\\xa0'"
        );
        assert_eq!(python_repr(&json!("\u{200b}\u{e000}")), "'\\u200b\\ue000'");
        assert_eq!(python_repr(&json!("\u{e0001}")), "'\\U000e0001'");
        assert_eq!(python_repr(&json!("héllo ✓ 日本")), "'héllo ✓ 日本'");
    }
}
