//! JSON templates: `"{req.amount}"` (a whole-string placeholder keeps the value's JSON type),
//! `"id-{tx.id}"` (text), `"{tx.reference?}"` (key left out when missing), `"{x|last4}"`
//! (filters: `first6`, `last4`, `string`, `number`, `upper`, `lower`, `epoch_ms`) and
//! `"{>name}"` (a named template), rendered against a JSON context.

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// Named templates plus the context they are rendered with.
pub struct Renderer<'a> {
    /// Named templates (`{>name}`).
    pub templates: &'a IndexMap<String, Value>,
    /// The context: `req`, `tx`, `state`, `parent`, `now`, `message`, `code`, ...
    pub ctx: &'a Value,
}

const MAX_DEPTH: usize = 16;

impl Renderer<'_> {
    /// Renders a template.
    pub fn render(&self, template: &Value) -> Value {
        self.render_at(template, 0).unwrap_or(Value::Null)
    }

    /// `None` = leave the key out.
    fn render_at(&self, template: &Value, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return Some(Value::Null);
        }
        match template {
            Value::String(s) => self.render_string(s, depth),
            Value::Array(items) => Some(Value::Array(
                items
                    .iter()
                    .filter_map(|t| self.render_at(t, depth + 1))
                    .collect(),
            )),
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, t) in map {
                    if let Some(v) = self.render_at(t, depth + 1) {
                        out.insert(k.clone(), v);
                    }
                }
                Some(Value::Object(out))
            }
            other => Some(other.clone()),
        }
    }

    fn render_string(&self, s: &str, depth: usize) -> Option<Value> {
        if let Some(inner) = whole_placeholder(s) {
            if let Some(name) = inner.strip_prefix('>') {
                let t = self.templates.get(name.trim())?;
                return self.render_at(t, depth + 1);
            }
            let (expr, optional) = match inner.strip_suffix('?') {
                Some(e) => (e, true),
                None => (inner, false),
            };
            return match self.eval(expr) {
                Some(v) => Some(v),
                None if optional => None,
                None => Some(Value::Null),
            };
        }
        Some(Value::String(self.interpolate(s)))
    }

    /// Replaces every `{expr}` in a text by the value's text (missing = empty).
    pub fn interpolate(&self, s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let expr = after[..end].trim_end_matches('?');
            if let Some(v) = self.eval(expr) {
                out.push_str(&text_of(&v));
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// A dotted path, then filters: `req.card.pan|last4`.
    fn eval(&self, expr: &str) -> Option<Value> {
        let mut parts = expr.split('|');
        let path = parts.next()?.trim();
        let mut value = lookup(self.ctx, path)?.clone();
        for f in parts {
            value = apply_filter(f.trim(), value)?;
        }
        Some(value)
    }
}

fn whole_placeholder(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('{')?.strip_suffix('}')?;
    if inner.contains('{') || inner.contains('}') || inner.is_empty() {
        None
    } else {
        Some(inner)
    }
}

/// A dotted path in a JSON value; list items by number (`items.0.id`). Null counts as missing.
pub fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut cur = value;
    for key in path.split('.').filter(|k| !k.is_empty()) {
        cur = match cur {
            Value::Object(m) => m.get(key)?,
            Value::Array(a) => a.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    (!cur.is_null()).then_some(cur)
}

/// [`lookup`] in an object's fields (no copy of the object).
pub fn lookup_in<'v>(fields: &'v serde_json::Map<String, Value>, path: &str) -> Option<&'v Value> {
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    lookup(fields.get(first)?, rest)
}

/// Sets a dotted path in a JSON value, making objects on the way (a non-object on the way is
/// replaced by an object). Depth is bounded like lookups.
pub fn set_path(target: &mut Value, path: &str, value: Value) {
    let keys: Vec<&str> = path.split('.').filter(|k| !k.is_empty()).collect();
    let Some((last, head)) = keys.split_last() else {
        return;
    };
    let mut cur = target;
    for key in head.iter().take(MAX_DEPTH) {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let Value::Object(m) = cur else { return };
        cur = m
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !cur.is_object() {
        *cur = Value::Object(Map::new());
    }
    if let Value::Object(m) = cur {
        m.insert(last.to_string(), value);
    }
}

/// The text of a scalar (strings raw, numbers as written); containers as compact JSON.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn apply_filter(name: &str, v: Value) -> Option<Value> {
    let text = text_of(&v);
    let chars: Vec<char> = text.chars().collect();
    Some(match name {
        "first6" => Value::String(chars.iter().take(6).collect()),
        "last4" => Value::String(chars[chars.len().saturating_sub(4)..].iter().collect()),
        "string" => Value::String(text),
        "number" => serde_json::from_str::<Value>(&text)
            .ok()
            .filter(Value::is_number)?,
        "upper" => Value::String(text.to_uppercase()),
        "lower" => Value::String(text.to_lowercase()),
        // an RFC 3339 time (`{tx.created}`, `{now}`) as milliseconds since the epoch
        "epoch_ms" => Value::from(crate::calendar::epoch_ms(&text)?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_types_text_optional_and_named() {
        let templates: IndexMap<String, Value> = [("m".to_string(), json!({"id": "{tx.id}"}))]
            .into_iter()
            .collect();
        let ctx = json!({"tx": {"id": 7, "pan": "4242424242424242"}});
        let r = Renderer {
            templates: &templates,
            ctx: &ctx,
        };
        let out = r.render(&json!({
            "a": "{tx.id}", "b": "n-{tx.id}", "c": "{tx.missing?}", "d": "{>m}",
            "e": "{tx.pan|last4}", "f": "{tx.missing}"
        }));
        assert_eq!(
            out,
            json!({"a": 7, "b": "n-7", "d": {"id": 7}, "e": "4242", "f": null})
        );
    }

    #[test]
    fn epoch_ms_filter_reads_rfc3339_times() {
        let templates = IndexMap::new();
        let ctx = json!({"tx": {"created": "2020-11-30T09:01:19Z", "id": "x"}});
        let r = Renderer {
            templates: &templates,
            ctx: &ctx,
        };
        let out = r.render(&json!({
            "created": "{tx.created|epoch_ms}",
            "completed": "{tx.completed|epoch_ms?}",
            "bad": "{tx.id|epoch_ms?}"
        }));
        assert_eq!(out, json!({"created": 1_606_726_879_000_i64}));
    }

    #[test]
    fn set_path_makes_objects_and_replaces() {
        let mut v = json!({"a": {"b": 1}, "c": 2});
        set_path(&mut v, "a.b", json!("x"));
        set_path(&mut v, "c.d", json!(3));
        set_path(&mut v, "e.f.g", json!(true));
        set_path(&mut v, "", json!(0));
        assert_eq!(
            v,
            json!({"a": {"b": "x"}, "c": {"d": 3}, "e": {"f": {"g": true}}})
        );
    }
}
