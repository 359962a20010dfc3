//! Conditional requirements between the fields of one request object ("when `method` is `card`,
//! `additional_fields.card_number` is required"; "at least one of `email`, `phone`"), checked on
//! the object's wire form by generated clients and the sandbox alike.

use std::borrow::Cow;

use serde_json::Value;

use crate::json_path;
use crate::validate::{join_path, ValidationErrors};
use crate::wire_tree::{WireObject, WireValue};

/// An object the requirements read: a parsed JSON value (the sandbox, specs read at run time)
/// or a request tree (generated clients).
trait Fields {
    /// Present: not absent, not null, not a blank string.
    fn present(&self, path: &str) -> bool;
    /// The wire text of the field at `path` (strings and number texts borrowed).
    fn text_ref(&self, path: &str) -> Option<Cow<'_, str>>;
}

impl Fields for Value {
    fn present(&self, path: &str) -> bool {
        present(self, path)
    }

    fn text_ref(&self, path: &str) -> Option<Cow<'_, str>> {
        json_path::at(self, path).and_then(json_path::text_ref)
    }
}

impl Fields for WireObject<'_> {
    fn present(&self, path: &str) -> bool {
        match self.at(path) {
            None | Some(WireValue::Null) => false,
            Some(WireValue::Str(s)) => !s.trim().is_empty(),
            Some(_) => true,
        }
    }

    fn text_ref(&self, path: &str) -> Option<Cow<'_, str>> {
        self.at(path).and_then(WireValue::as_text)
    }
}

/// A request object that gives the wire value at each dotted path its requirements read,
/// straight from its fields (a generated lookup; no request tree): `None` where its tree has
/// nothing at the path.
pub trait RequirementFields {
    /// The wire value at `path` (relative to the object), as its tree holds it.
    fn field_at(&self, path: &str) -> Option<WireValue<'_>>;
}

/// A [`RequirementFields`] object read as the requirements read a tree.
struct Looked<'a, T: ?Sized>(&'a T);

impl<T: RequirementFields + ?Sized> Fields for Looked<'_, T> {
    fn present(&self, path: &str) -> bool {
        match self.0.field_at(path) {
            None | Some(WireValue::Null) => false,
            Some(WireValue::Str(s)) => !s.trim().is_empty(),
            Some(_) => true,
        }
    }

    fn text_ref(&self, path: &str) -> Option<Cow<'_, str>> {
        // the text `WireValue::as_text` gives, kept past the value it was read from
        match self.0.field_at(path)? {
            WireValue::Null => None,
            WireValue::Str(s) | WireValue::Number(s) => Some(s),
            other => other.as_text().map(|t| Cow::Owned(t.into_owned())),
        }
    }
}

/// One requirement of an object, over dotted wire paths relative to the object.
#[derive(Debug, Clone, Copy)]
pub struct Requirement<'a> {
    /// Applies when every listed field's wire text is one of its values (empty: always).
    pub when: &'a [(&'a str, &'a [&'a str])],
    /// Must be present (not null, not blank).
    pub required: &'a [&'a str],
    /// Must be absent (or null).
    pub forbidden: &'a [&'a str],
    /// At least one must be present.
    pub at_least_one_of: &'a [&'a str],
}

/// Present: not absent, not null, not a blank string.
fn present(object: &Value, path: &str) -> bool {
    match json_path::at(object, path) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(_) => true,
    }
}

/// The wire text of the field at `path`, looked up once for consecutive requirements that read
/// the same field (specs usually list several for one `method` field).
struct Lookups<'o, 'p, O: ?Sized> {
    object: &'o O,
    last: Option<(&'p str, Option<Cow<'o, str>>)>,
}

impl<'o, 'p, O: Fields + ?Sized> Lookups<'o, 'p, O> {
    fn text(&mut self, path: &'p str) -> Option<&str> {
        // the same path is usually the same static text: compared by address first
        let same = |p: &&str| std::ptr::eq(*p, path) || *p == path;
        if !self.last.as_ref().is_some_and(|(p, _)| same(p)) {
            let text = self.object.text_ref(path);
            self.last = Some((path, text));
        }
        self.last.as_ref().and_then(|(_, t)| t.as_deref())
    }
}

/// Whether `when` holds (every listed field's wire text is one of its values); reads the
/// object without copying anything.
fn holds<'p, O: Fields + ?Sized>(
    lookups: &mut Lookups<'_, 'p, O>,
    when: &[(&'p str, &[&str])],
) -> bool {
    when.iter().all(|(field, values)| {
        lookups
            .text(field)
            .is_some_and(|text| values.contains(&text))
    })
}

/// The text of a condition that holds, for messages (`` when `method` is `card` ``); built only
/// when a requirement is broken.
fn condition_text<O: Fields + ?Sized>(object: &O, when: &[(&str, &[&str])]) -> String {
    let parts: Vec<String> = when
        .iter()
        .map(|(field, _)| {
            let text = object.text_ref(field).unwrap_or_default();
            format!("`{field}` is `{text}`")
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" when {}", parts.join(" and "))
    }
}

/// Checks every requirement against the wire form `object` of the value at `path`; each
/// missing or forbidden field is named (rules `required`, `forbidden`, `at_least_one_of`).
pub fn check_requirements(
    errs: &mut ValidationErrors,
    path: &str,
    object: &Value,
    requirements: &[Requirement<'_>],
) {
    check(errs, path, object, requirements);
}

/// [`check_requirements`] on a request tree (what generated encoding builds).
pub fn check_tree_requirements(
    errs: &mut ValidationErrors,
    path: &str,
    object: &WireObject<'_>,
    requirements: &[Requirement<'_>],
) {
    check(errs, path, object, requirements);
}

/// Whether a looked-up value's wire text is one of `values` (a requirement's `when`, as
/// [`check_field_requirements`] reads it).
#[inline]
pub fn wire_text_in(value: &Option<WireValue<'_>>, values: &[&str]) -> bool {
    match value {
        // a string's text is itself (the usual `method` field), compared in place
        Some(WireValue::Str(s)) => values.contains(&s.as_ref()),
        other => other
            .as_ref()
            .and_then(WireValue::as_text)
            .is_some_and(|text| values.contains(&&*text)),
    }
}

/// Whether a looked-up value is present as requirements say: not absent, not null, not a
/// blank string.
#[inline]
pub fn wire_present(value: &Option<WireValue<'_>>) -> bool {
    match value {
        None | Some(WireValue::Null) => false,
        Some(WireValue::Str(s)) => !s.trim().is_empty(),
        Some(_) => true,
    }
}

/// [`check_requirements`] on a request object read through its generated lookup (what
/// generated bodies written straight from their fields check): the same errors, in the same
/// order, as [`check_tree_requirements`] on the object's tree.
pub fn check_field_requirements<T: RequirementFields + ?Sized>(
    errs: &mut ValidationErrors,
    path: &str,
    object: &T,
    requirements: &[Requirement<'_>],
) {
    check(errs, path, &Looked(object), requirements);
}

fn check<O: Fields + ?Sized>(
    errs: &mut ValidationErrors,
    path: &str,
    object: &O,
    requirements: &[Requirement<'_>],
) {
    let mut lookups = Lookups { object, last: None };
    for r in requirements {
        if !holds(&mut lookups, r.when) {
            continue;
        }
        let broken = r.required.iter().any(|f| !object.present(f))
            || r.forbidden.iter().any(|f| object.present(f))
            || (!r.at_least_one_of.is_empty()
                && !r.at_least_one_of.iter().any(|f| object.present(f)));
        if !broken {
            continue;
        }
        let when = condition_text(object, r.when);
        for field in r.required.iter().filter(|f| !object.present(f)) {
            errs.push(
                join_path(path, field),
                "required",
                format!("is required{when}"),
            );
        }
        for field in r.forbidden.iter().filter(|f| object.present(f)) {
            errs.push(
                join_path(path, field),
                "forbidden",
                format!("must be absent{when}"),
            );
        }
        let group = r.at_least_one_of;
        if !group.is_empty() && !group.iter().any(|f| object.present(f)) {
            let names: Vec<String> = group.iter().map(|f| format!("`{f}`")).collect();
            let message = format!("one of {} is required{when}", names.join(", "));
            for field in group {
                errs.push(join_path(path, field), "at_least_one_of", message.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CARD_NEEDS_PAN: Requirement<'static> = Requirement {
        when: &[("method", &["card"])],
        required: &["additional_fields.card_number"],
        forbidden: &[],
        at_least_one_of: &[],
    };
    const NO_PAN_FOR_SBP: Requirement<'static> = Requirement {
        when: &[("method", &["sbp", "sbp_qr"])],
        required: &[],
        forbidden: &["additional_fields.card_number"],
        at_least_one_of: &[],
    };
    const CONTACT: Requirement<'static> = Requirement {
        when: &[],
        required: &[],
        forbidden: &[],
        at_least_one_of: &["email", "phone"],
    };

    fn errors(object: Value) -> Vec<(String, String, String)> {
        let mut errs = ValidationErrors::new();
        check_requirements(
            &mut errs,
            "",
            &object,
            &[CARD_NEEDS_PAN, NO_PAN_FOR_SBP, CONTACT],
        );
        errs.errors
            .into_iter()
            .map(|e| (e.path, e.rule, e.message))
            .collect()
    }

    #[test]
    fn a_card_payout_needs_the_card_number() {
        let found = errors(
            json!({"method": "card", "additional_fields": {"phone_number": "7"}, "email": "a@b.c"}),
        );
        assert_eq!(
            found,
            vec![(
                "additional_fields.card_number".into(),
                "required".into(),
                "is required when `method` is `card`".into()
            )]
        );
        assert!(errors(
            json!({"method": "card", "additional_fields": {"card_number": "4242"}, "phone": "1"})
        )
        .is_empty());
        let blank = errors(
            json!({"method": "card", "additional_fields": {"card_number": " "}, "phone": "1"}),
        );
        assert_eq!(blank.len(), 1, "a blank value is missing");
    }

    #[test]
    fn forbidden_fields_and_one_of_groups_name_every_field() {
        let found =
            errors(json!({"method": "sbp_qr", "additional_fields": {"card_number": "4242"}}));
        let rules: Vec<(&str, &str)> = found
            .iter()
            .map(|(p, r, _)| (p.as_str(), r.as_str()))
            .collect();
        assert_eq!(
            rules,
            vec![
                ("additional_fields.card_number", "forbidden"),
                ("email", "at_least_one_of"),
                ("phone", "at_least_one_of"),
            ]
        );
        assert_eq!(found[1].2, "one of `email`, `phone` is required");
    }

    #[test]
    fn conditions_compare_wire_text_and_skip_when_absent() {
        let numeric = Requirement {
            when: &[("kind", &["2"])],
            required: &["x"],
            forbidden: &[],
            at_least_one_of: &[],
        };
        let mut errs = ValidationErrors::new();
        check_requirements(&mut errs, "req", &json!({"kind": 2}), &[numeric]);
        check_requirements(&mut errs, "req", &json!({}), &[numeric]);
        assert_eq!(errs.errors.len(), 1);
        assert_eq!(errs.errors[0].path, "req.x");
    }

    #[test]
    fn looked_up_values_read_as_the_tree_reads_them() {
        let values = json!([null, true, false, 0, 2, -3, 1.5, "", " ", "\t\n", "card", "2",
            "true", "é", [], [1], {}, {"a": 1}]);
        let values = values.as_array().cloned().unwrap_or_default();
        let texts: &[&str] = &["card", "2", "true", "false", "0", "1.5", "", "[1]", "{}"];
        for value in &values {
            let object = json!({ "f": value });
            let Some(map) = object.as_object() else {
                continue;
            };
            let tree = WireObject::from_json(map);
            let looked = tree.at("f").cloned();
            assert_eq!(wire_present(&looked), tree.present("f"), "{value}");
            for n in 0..texts.len() {
                let expected = tree
                    .text_ref("f")
                    .is_some_and(|t| texts[..n].contains(&&*t));
                assert_eq!(wire_text_in(&looked, &texts[..n]), expected, "{value} {n}");
            }
        }
        assert!(!wire_present(&None) && !wire_text_in(&None, texts));
    }
}
