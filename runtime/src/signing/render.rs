//! Rendering of one JSON value to canonical text: scalars (borrowed, integers through a stack
//! buffer), nested objects (keys in the order remembered from the last call) and lists (scalar
//! items on the stack) written into the canonical buffer, deep containers.

use std::borrow::Cow;

use arrayvec::ArrayString;
use smallvec::SmallVec;

use super::order::OrderCache;
use super::python_repr::python_repr;
use super::recipe::{Canonical, DeepRule, ListRule, NestedRule, NullRule};
use super::template::Template;
use super::text_buf::{Lit, TextBuf};
use super::SigningError;
use crate::wire_tree::{WireObject, WireValue};

/// Entries of a nested object kept on the stack while sorting.
const INLINE_ENTRIES: usize = 16;

/// What a top-level value renders to.
pub(crate) enum Top<'a> {
    /// Left out (with its pair).
    Absent,
    /// This text.
    Text(&'a str),
    /// An object or list, written by [`Renderer::write_container`].
    Container,
}

/// Renders values under one recipe's `canonical` rules.
#[derive(Debug, Clone)]
pub(crate) struct Renderer {
    null: NullRule,
    true_text: String,
    false_text: String,
    /// `flatten_one_level`: the inner pair template and join; `None` renders objects as JSON.
    nested: Option<(Template, Lit)>,
    lists: ListRule,
    deep: DeepRule,
    /// The nested objects' key order of the last bodies signed.
    nested_order: OrderCache,
}

impl Renderer {
    /// A renderer for these rules (parses the nested pair template once).
    pub(crate) fn new(rules: &Canonical) -> Result<Self, SigningError> {
        let nested = match &rules.nested {
            NestedRule::Json => None,
            NestedRule::FlattenOneLevel { pair, join } => {
                Some((Template::parse(pair, "nested.pair")?, Lit::new(join)))
            }
        };
        Ok(Renderer {
            null: rules.null.clone(),
            true_text: rules.bools.true_text.clone(),
            false_text: rules.bools.false_text.clone(),
            nested,
            lists: rules.lists.clone(),
            deep: rules.deep,
            nested_order: OrderCache::default(),
        })
    }

    /// A top-level value: left out (a null under `null: skip`), a text (strings, number texts
    /// and the recipe's fixed texts borrowed, an integer written into `number`), or a container
    /// for [`Renderer::write_container`]. `skip` is not applied here.
    pub(crate) fn top_level<'a>(
        &'a self,
        value: &'a WireValue<'_>,
        number: &'a mut itoa::Buffer,
    ) -> Top<'a> {
        match value {
            WireValue::Null if self.null == NullRule::Skip => Top::Absent,
            WireValue::Object(_) | WireValue::List(_) => Top::Container,
            scalar => self
                .scalar(scalar, number)
                .map_or(Top::Container, Top::Text),
        }
    }

    /// Writes a top-level object or list into `out` (nothing for a scalar).
    pub(crate) fn write_container(&self, value: &WireValue<'_>, out: &mut TextBuf) {
        match value {
            WireValue::Object(map) => self.nested_object(map, out),
            WireValue::List(items) => self.list(items, out),
            _ => {}
        }
    }

    /// A scalar's text (nulls under the recipe's rule, integers written into `number`); `None`
    /// for a container.
    fn scalar<'a>(
        &'a self,
        value: &'a WireValue<'_>,
        number: &'a mut itoa::Buffer,
    ) -> Option<&'a str> {
        match value {
            WireValue::Int(n) => Some(number.format(*n)),
            other => self.fixed(other),
        }
    }

    /// The text of a scalar that is not an integer, borrowed from the value or the rules.
    fn fixed<'a>(&'a self, value: &'a WireValue<'_>) -> Option<&'a str> {
        Some(match value {
            WireValue::Null => match &self.null {
                NullRule::Skip => "",
                NullRule::Render(text) => text,
            },
            WireValue::Bool(true) => &self.true_text,
            WireValue::Bool(false) => &self.false_text,
            // the number's text exactly as written
            WireValue::Number(n) => n,
            WireValue::Str(s) => s,
            WireValue::Int(_) | WireValue::List(_) | WireValue::Object(_) => return None,
        })
    }

    /// A value one level down (inside a top-level object or list): scalars under the recipe's
    /// null/bool rules, containers under `deep`.
    #[inline]
    fn inner<'a>(&'a self, value: &'a WireValue<'_>, number: &'a mut itoa::Buffer) -> Cow<'a, str> {
        match self.scalar(value, number) {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(self.deep(value)),
        }
    }

    /// An inner value's text for a list: borrowed, an integer on the stack, or an owned
    /// container text.
    fn item<'a>(&'a self, value: &'a WireValue<'_>) -> Item<'a> {
        match (value, self.fixed(value)) {
            (_, Some(text)) => Item::Text(Cow::Borrowed(text)),
            (WireValue::Int(n), None) => Item::Int(int_text(*n)),
            (container, None) => Item::Text(Cow::Owned(self.deep(container))),
        }
    }

    fn deep(&self, container: &WireValue<'_>) -> String {
        match self.deep {
            DeepRule::Json => container.to_json_string(),
            DeepRule::PythonRepr => python_repr(container),
        }
    }

    /// Whether a nested object is written as its pairs (`flatten_one_level`), not as JSON.
    pub(super) fn flattens(&self) -> bool {
        self.nested.is_some()
    }

    /// One pair of a flattened nested object (its key as it is, the join before every pair but
    /// the first), written as [`Renderer::nested_object`] writes it; nothing when the rules do
    /// not flatten.
    #[inline]
    pub(super) fn flat_pair(
        &self,
        out: &mut TextBuf,
        first: &mut bool,
        key: &str,
        value: &WireValue<'_>,
    ) {
        let Some((template, join)) = &self.nested else {
            return;
        };
        if !std::mem::take(first) {
            join.push_to(out);
        }
        let mut number = itoa::Buffer::new();
        template.write(out, key, false, &self.inner(value, &mut number));
    }

    /// [`Renderer::flat_pair`] of a string value (its text as it is).
    #[inline]
    pub(super) fn flat_text(&self, out: &mut TextBuf, first: &mut bool, key: &str, text: &str) {
        let Some((template, join)) = &self.nested else {
            return;
        };
        if !std::mem::take(first) {
            join.push_to(out);
        }
        template.write(out, key, false, text);
    }

    /// The pairs of a nested object sorted by key, written into `out`.
    fn nested_object(&self, map: &WireObject<'_>, out: &mut TextBuf) {
        let Some((template, join)) = &self.nested else {
            out.push_str(&map.to_json_string());
            return;
        };
        // filled in place: a collected vector would be moved (a copy of its inline array)
        let mut entries: SmallVec<[(&str, &WireValue<'_>); INLINE_ENTRIES]> = SmallVec::new();
        entries.extend(map.iter());
        let order = self.nested_order.sorted(&entries, |entry| entry.0);
        let mut first = true;
        for at in order.positions() {
            let Some(&(key, value)) = entries.get(at) else {
                continue;
            };
            if !std::mem::take(&mut first) {
                join.push_to(out);
            }
            let mut number = itoa::Buffer::new();
            template.write(out, key, false, &self.inner(value, &mut number));
        }
    }

    fn list(&self, items: &[WireValue<'_>], out: &mut TextBuf) {
        let (sep, sorted) = match &self.lists {
            ListRule::Json => return out.push_str(&compact_json_list(items)),
            ListRule::Join(sep) => (sep, false),
            ListRule::SortedJoin(sep) => (sep, true),
        };
        if !sorted {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                let mut number = itoa::Buffer::new();
                out.push_str(&self.inner(item, &mut number));
            }
            return;
        }
        let mut parts: SmallVec<[Item<'_>; INLINE_ENTRIES]> =
            items.iter().map(|v| self.item(v)).collect();
        parts.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(part.as_str());
        }
    }
}

/// The text of one list item while a list is sorted.
enum Item<'a> {
    Text(Cow<'a, str>),
    /// An integer's digits (at most 20 with the sign), on the stack.
    Int(ArrayString<20>),
}

impl Item<'_> {
    fn as_str(&self) -> &str {
        match self {
            Item::Text(text) => text,
            Item::Int(digits) => digits,
        }
    }
}

/// An integer's decimal text on the stack.
fn int_text(n: i64) -> ArrayString<20> {
    let mut digits = ArrayString::new();
    // an i64 has at most 20 characters, so the push cannot fail
    let _ = digits.try_push_str(itoa::Buffer::new().format(n));
    digits
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
            Ok(r) => match r.top_level(&v, &mut itoa::Buffer::new()) {
                Top::Absent => None,
                Top::Text(text) => Some(text.to_string()),
                Top::Container => {
                    let mut out = TextBuf::new();
                    r.write_container(&v, &mut out);
                    Some(out.into_string())
                }
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
