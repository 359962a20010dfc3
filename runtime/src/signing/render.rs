//! Rendering of one JSON value to canonical text: scalars, nested objects, lists, deep containers.

use std::borrow::Cow;

use super::python_repr::python_repr;
use super::recipe::{Canonical, DeepRule, ListRule, NestedRule, NullRule};
use super::template::Template;
use super::SigningError;
use crate::wire_tree::{WireObject, WireValue};

/// Renders values under one recipe's `canonical` rules.
#[derive(Debug, Clone)]
pub(crate) struct Renderer {
    rules: Canonical,
    nested_pair: Option<Template>,
}

impl Renderer {
    /// A renderer for these rules (parses the nested pair template once).
    pub(crate) fn new(rules: &Canonical) -> Result<Self, SigningError> {
        let nested_pair = match &rules.nested {
            NestedRule::Json => None,
            NestedRule::FlattenOneLevel { pair, .. } => Some(Template::parse(pair, "nested.pair")?),
        };
        Ok(Renderer {
            rules: rules.clone(),
            nested_pair,
        })
    }

    /// A top-level value, or `None` when the value is left out (a null under `null: skip`).
    /// `skip` is not applied here. Strings and the recipe's fixed texts are borrowed.
    pub(crate) fn top_level<'a>(
        &'a self,
        value: &'a WireValue<'_>,
    ) -> Result<Option<Cow<'a, str>>, SigningError> {
        match value {
            WireValue::Null if self.rules.null == NullRule::Skip => Ok(None),
            WireValue::Object(map) => self.nested_object(map).map(|t| Some(Cow::Owned(t))),
            WireValue::List(items) => self.list(items).map(|t| Some(Cow::Owned(t))),
            scalar => Ok(Some(self.inner(scalar)?)),
        }
    }

    /// A value one level down (inside a top-level object or list): scalars under the recipe's
    /// null/bool rules, containers under `deep`.
    fn inner<'a>(&'a self, value: &'a WireValue<'_>) -> Result<Cow<'a, str>, SigningError> {
        Ok(match value {
            WireValue::Null => match &self.rules.null {
                NullRule::Skip => Cow::Borrowed(""),
                NullRule::Render(text) => Cow::Borrowed(text),
            },
            WireValue::Bool(true) => Cow::Borrowed(&self.rules.bools.true_text),
            WireValue::Bool(false) => Cow::Borrowed(&self.rules.bools.false_text),
            // the number's text exactly as written, borrowed
            WireValue::Number(n) => Cow::Borrowed(n),
            WireValue::Int(n) => Cow::Owned(n.to_string()),
            WireValue::Str(s) => Cow::Borrowed(s),
            container => Cow::Owned(self.deep(container)),
        })
    }

    fn deep(&self, container: &WireValue<'_>) -> String {
        match self.rules.deep {
            DeepRule::Json => container.to_json_string(),
            DeepRule::PythonRepr => python_repr(container),
        }
    }

    /// The pairs of a nested object sorted by key, written into one string.
    fn nested_object(&self, map: &WireObject<'_>) -> Result<String, SigningError> {
        let (template, join) = match (&self.nested_pair, &self.rules.nested) {
            (Some(t), NestedRule::FlattenOneLevel { join, .. }) => (t, join),
            _ => return Ok(map.to_json_string()),
        };
        let mut entries: Vec<(&str, &WireValue<'_>)> = map.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::with_capacity(16 * entries.len());
        for (i, (key, value)) in entries.into_iter().enumerate() {
            if i > 0 {
                out.push_str(join);
            }
            template.render_into(&mut out, key, &self.inner(value)?);
        }
        Ok(out)
    }

    fn list(&self, items: &[WireValue<'_>]) -> Result<String, SigningError> {
        let (sep, sorted) = match &self.rules.lists {
            ListRule::Json => return Ok(compact_json_list(items)),
            ListRule::Join(sep) => (sep, false),
            ListRule::SortedJoin(sep) => (sep, true),
        };
        let mut parts = items
            .iter()
            .map(|v| self.inner(v))
            .collect::<Result<Vec<_>, _>>()?;
        if sorted {
            parts.sort();
        }
        Ok(parts.join(sep.as_str()))
    }
}

/// Compact JSON text of a list (order and number text preserved).
fn compact_json_list(items: &[WireValue<'_>]) -> String {
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&item.to_json_string());
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::recipe::BoolRender;
    use serde_json::{json, Value};

    fn rules() -> Canonical {
        Canonical {
            null: NullRule::Render("None".into()),
            bools: BoolRender {
                true_text: "True".into(),
                false_text: "False".into(),
            },
            nested: NestedRule::FlattenOneLevel {
                pair: "{key}:{value}".into(),
                join: ";".into(),
            },
            lists: ListRule::SortedJoin(";".into()),
            deep: DeepRule::PythonRepr,
            ..Canonical::default()
        }
    }

    fn top(rules: &Canonical, v: Value) -> Option<String> {
        let v = WireValue::from_json(&v);
        match Renderer::new(rules) {
            Ok(r) => match r.top_level(&v) {
                Ok(text) => text.map(Cow::into_owned),
                Err(e) => Some(format!("ERR {e}")),
            },
            Err(e) => Some(format!("ERR {e}")),
        }
    }

    #[test]
    fn scalars_render_raw_with_exact_number_text() {
        let r = Canonical::default();
        let num: Value = serde_json::from_str("1.00").unwrap_or(Value::Null);
        assert_eq!(top(&r, num), Some("1.00".into()));
        assert_eq!(top(&r, json!("a \"b\" & c")), Some("a \"b\" & c".into()));
        assert_eq!(top(&r, json!(true)), Some("true".into()));
        assert_eq!(top(&r, Value::Null), None);
    }

    #[test]
    fn null_render_applies_everywhere() {
        let r = rules();
        assert_eq!(top(&r, Value::Null), Some("None".into()));
        assert_eq!(
            top(&r, json!({"b": null, "a": false})),
            Some("a:False;b:None".into())
        );
        assert_eq!(top(&r, json!([null, true])), Some("None;True".into()));
    }

    #[test]
    fn nested_null_under_skip_renders_empty_and_is_kept() {
        let r = Canonical {
            null: NullRule::Skip,
            ..rules()
        };
        assert_eq!(top(&r, json!({"b": null, "a": ""})), Some("a:;b:".into()));
    }

    #[test]
    fn flatten_keeps_inner_key_case_and_sorts_bytewise() {
        let r = rules();
        assert_eq!(
            top(&r, json!({"b": 1, "B": 2, "a": "x"})),
            Some("B:2;a:x;b:1".into())
        );
    }

    #[test]
    fn deep_containers_follow_deep_rule() {
        let r = rules();
        let v = json!({"k": {"b": [1, "x", null, true]}});
        assert_eq!(
            top(&r, v.clone()),
            Some("k:{'b': [1, 'x', None, True]}".into())
        );
        let j = Canonical {
            deep: DeepRule::Json,
            ..rules()
        };
        assert_eq!(top(&j, v), Some(r#"k:{"b":[1,"x",null,true]}"#.into()));
        assert_eq!(top(&r, json!([[2, 1], "a"])), Some("[2, 1];a".into()));
    }

    #[test]
    fn list_rules() {
        let sorted = rules();
        assert_eq!(top(&sorted, json!([3, 1, 10, 2])), Some("1;10;2;3".into()));
        let joined = Canonical {
            lists: ListRule::Join(",".into()),
            ..rules()
        };
        assert_eq!(top(&joined, json!([3, 1, 2])), Some("3,1,2".into()));
        let json_list = Canonical::default();
        assert_eq!(
            top(&json_list, json!([3, "a", null])),
            Some(r#"[3,"a",null]"#.into())
        );
    }

    #[test]
    fn nested_json_is_compact_and_ordered() {
        let r = Canonical::default();
        assert_eq!(
            top(&r, json!({"z": 1, "a": [true]})),
            Some(r#"{"z":1,"a":[true]}"#.into())
        );
    }
}
