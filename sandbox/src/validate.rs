//! Validates a received request body against the spec's types, generically: required fields,
//! patterns, lengths, ranges, allowed values, enums, formats and non-negative money.

use std::collections::HashMap;
use std::sync::Mutex;

use paygen_codegen::spec::builtin::Builtin;
use paygen_codegen::spec::model::{EnumValue, Field, Rules, Spec, TypeDef};
use paygen_runtime::requirements;
use paygen_runtime::validate::{
    check_compiled_pattern, check_format, check_length, check_money, check_one_of, check_range,
    compile_pattern, index_path, join_path,
};
use paygen_runtime::{Decimal, MinorUnits, ValidationErrors};
use regex::Regex;
use serde_json::{Map, Value};

use crate::template::text_of;

const MAX_DEPTH: usize = 12;

/// Checks `fields` against the named request type; every problem is collected.
pub fn validate_request(spec: &Spec, ty: &str, fields: &Map<String, Value>) -> ValidationErrors {
    let mut errs = ValidationErrors::new();
    let mut v = Validator {
        spec,
        errs: &mut errs,
    };
    v.object(ty, fields, "", 0);
    errs
}

struct Validator<'a> {
    spec: &'a Spec,
    errs: &'a mut ValidationErrors,
}

impl Validator<'_> {
    fn object(&mut self, ty: &str, fields: &Map<String, Value>, path: &str, depth: usize) {
        let Some(def) = self.spec.types.get(ty) else {
            return;
        };
        let Some(defs) = &def.fields else { return };
        // `local` fields stay with the client: never on the wire, never required there.
        for (name, field) in defs.iter().filter(|(_, f)| !f.local) {
            let p = join_path(path, name);
            match fields.get(name).filter(|v| !v.is_null()) {
                Some(value) => self.field(field, value, &p, depth + 1),
                None if field.required => self.errs.push(&p, "required", "is required"),
                None => {}
            }
        }
        if !def.requires.is_empty() {
            check_requirements(self.errs, path, fields, &def.requires);
        }
    }

    fn field(&mut self, field: &Field, value: &Value, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        self.rules(&field.rules(), value, path);
        match Builtin::parse(&field.ty) {
            Some(Builtin::Money) => self.money(value, path, field.minimum),
            Some(Builtin::Integer) => self.integer(value, path),
            Some(Builtin::Boolean) => self.boolean(value, path),
            Some(Builtin::List) => self.list(field.items.as_deref(), value, path, depth),
            Some(Builtin::String | Builtin::Decimal | Builtin::Map | Builtin::Json) => {}
            None => self.named(&field.ty, value, path, depth),
        }
    }

    fn named(&mut self, name: &str, value: &Value, path: &str, depth: usize) {
        let Some(def) = self.spec.types.get(name) else {
            return;
        };
        self.rules(&def.rules(), value, path);
        if let Some(base) = &def.base {
            let field = Field {
                ty: base.clone(),
                ..Field::default()
            };
            self.field(&field, value, path, depth + 1);
        } else if let Some(values) = &def.values {
            self.enum_value(values, value, path);
        } else if def.fields.is_some() {
            match value.as_object() {
                Some(m) => self.object(name, m, path, depth + 1),
                None => self.errs.push(path, "type", "must be an object"),
            }
        } else if def.variants.is_some() {
            self.one_of(def, value, path, depth);
        }
    }

    fn one_of(&mut self, def: &TypeDef, value: &Value, path: &str, depth: usize) {
        let Some(variants) = &def.variants else {
            return;
        };
        let Some(m) = value.as_object() else {
            self.errs.push(path, "type", "must be an object");
            return;
        };
        // no variant fits: report the one that knows most of the keys sent, then fewest errors
        let mut best: Option<(usize, ValidationErrors)> = None;
        for v in variants.values() {
            let mut errs = ValidationErrors::new();
            Validator {
                spec: self.spec,
                errs: &mut errs,
            }
            .object(&v.ty, m, path, depth + 1);
            if errs.is_empty() {
                return;
            }
            let known = self.spec.types.get(&v.ty).and_then(|t| t.fields.as_ref());
            let overlap = m
                .keys()
                .filter(|k| known.is_some_and(|f| f.contains_key(*k)))
                .count();
            let better = best
                .as_ref()
                .is_none_or(|(o, b)| overlap > *o || (overlap == *o && errs.len() < b.len()));
            if better {
                best = Some((overlap, errs));
            }
        }
        if let Some((_, b)) = best {
            self.errs.errors.extend(b.errors);
        }
    }

    fn rules(&mut self, rules: &Rules, value: &Value, path: &str) {
        if value.is_object() || value.is_array() {
            return;
        }
        let text = text_of(value);
        if let Some(p) = &rules.pattern {
            check_pattern(self.errs, path, &text, p);
        }
        if rules.min_length.is_some() || rules.max_length.is_some() {
            check_length(self.errs, path, &text, rules.min_length, rules.max_length);
        }
        if let Some(allowed) = &rules.allowed {
            let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
            check_one_of(self.errs, path, &text, &allowed);
        }
        if let Some(f) = rules.format {
            check_format(self.errs, path, &text, f);
        }
        if rules.minimum.is_some() || rules.maximum.is_some() {
            if let Ok(n) = text.parse::<i64>() {
                check_range(self.errs, path, n, rules.minimum, rules.maximum);
            }
        }
    }

    fn money(&mut self, value: &Value, path: &str, min: Option<i64>) {
        let text = text_of(value);
        let ok = (value.is_number() || value.is_string()) && Decimal::parse(&text).is_some();
        if !ok {
            self.errs.push(path, "type", "must be an amount (a number)");
        } else if text.trim_start().starts_with('-') {
            self.errs.push(path, "range", "amount must not be negative");
        } else if let (Some(m), Ok(n)) = (min, text.parse::<i64>()) {
            check_money(self.errs, path, MinorUnits(n), Some(m));
        }
    }

    fn integer(&mut self, value: &Value, path: &str) {
        if text_of(value).parse::<i64>().is_err() || value.is_boolean() {
            self.errs.push(path, "type", "must be an integer");
        }
    }

    fn boolean(&mut self, value: &Value, path: &str) {
        let t = text_of(value);
        if !(value.is_boolean() || t == "true" || t == "false") {
            self.errs.push(path, "type", "must be true or false");
        }
    }

    fn list(&mut self, items: Option<&str>, value: &Value, path: &str, depth: usize) {
        let Some(list) = value.as_array() else {
            // form bodies carry lists as text; nothing more to check there
            return;
        };
        let Some(items) = items else { return };
        let item = Field {
            ty: items.to_string(),
            ..Field::default()
        };
        for (i, v) in list.iter().enumerate() {
            self.field(&item, v, &index_path(path, i), depth + 1);
        }
    }

    fn enum_value(&mut self, values: &[EnumValue], value: &Value, path: &str) {
        let text = text_of(value);
        let wires: Vec<String> = values
            .iter()
            .map(|v| match v {
                EnumValue::Short(w) => w.text(),
                EnumValue::Full(d) => d.wire.text(),
            })
            .collect();
        if !wires.contains(&text) {
            let allowed: Vec<&str> = wires.iter().map(String::as_str).collect();
            check_one_of(self.errs, path, &text, &allowed);
        }
    }
}

static REGEXES: Mutex<Option<HashMap<String, Result<Regex, String>>>> = Mutex::new(None);

/// The spec's patterns are compiled once, cached, and checked by the runtime's rule.
fn check_pattern(errs: &mut ValidationErrors, path: &str, value: &str, pattern: &str) {
    let mut guard = match REGEXES.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    let cache = guard.get_or_insert_with(HashMap::new);
    let compiled = cache
        .entry(pattern.to_string())
        .or_insert_with(|| compile_pattern(pattern));
    check_compiled_pattern(errs, path, value, pattern, compiled);
}

/// The field at a dotted path of a request type (for money wire forms).
pub fn field_at<'s>(spec: &'s Spec, ty: &str, path: &str) -> Option<&'s Field> {
    let mut cur_ty = ty.to_string();
    let mut found = None;
    for key in path.split('.') {
        let def = spec.types.get(&cur_ty)?;
        let f = def.fields.as_ref()?.get(key)?;
        cur_ty = f.ty.clone();
        found = Some(f);
    }
    found
}

/// The spec's conditional requirements, checked by the runtime's rule (as the clients do).
fn check_requirements(
    errs: &mut ValidationErrors,
    path: &str,
    fields: &Map<String, Value>,
    requires: &[paygen_codegen::spec::model::Requirement],
) {
    let object = Value::Object(fields.clone());
    for r in requires {
        let texts: Vec<(&str, Vec<String>)> = r
            .when
            .iter()
            .map(|(f, vs)| (f.as_str(), vs.iter().map(|v| v.text()).collect()))
            .collect();
        let values: Vec<Vec<&str>> = texts
            .iter()
            .map(|(_, vs)| vs.iter().map(String::as_str).collect())
            .collect();
        let when: Vec<(&str, &[&str])> = texts
            .iter()
            .zip(&values)
            .map(|((f, _), vs)| (*f, vs.as_slice()))
            .collect();
        let (required, forbidden, one_of) = (
            strs(&r.required),
            strs(&r.forbidden),
            strs(&r.at_least_one_of),
        );
        let rule = requirements::Requirement {
            when: &when,
            required: &required,
            forbidden: &forbidden,
            at_least_one_of: &one_of,
        };
        requirements::check_requirements(errs, path, &object, &[rule]);
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cactusgino() -> Spec {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/cactusgino.yaml");
        match paygen_codegen::check_file(&path) {
            Ok(loaded) => loaded.spec,
            Err(d) => panic!("{}", paygen_codegen::spec::diag::render(&d)),
        }
    }

    fn rules(body: Value) -> Vec<(String, String)> {
        let spec = cactusgino();
        let Value::Object(fields) = body else {
            panic!("object")
        };
        validate_request(&spec, "PayoutRequest", &fields)
            .errors
            .into_iter()
            .map(|e| (e.path, e.rule))
            .collect()
    }

    #[test]
    fn the_simulator_refuses_a_card_payout_without_a_card_number_as_the_client_does() {
        let base = serde_json::json!({
            "merchant_id": "m", "site_login": "u", "site_id": 1, "request_id": "r",
            "amount": 100, "currency": "USD", "method": "card",
            "additional_fields": {"phone_holder": "J", "phone_number": "79999999999"}
        });
        assert_eq!(
            rules(base.clone()),
            vec![("additional_fields.card_number".into(), "required".into())]
        );
        let mut no_fields = base;
        no_fields["method"] = "binance".into();
        no_fields["additional_fields"] = serde_json::json!({});
        assert!(rules(no_fields.clone()).is_empty());
        if let Some(m) = no_fields.as_object_mut() {
            m.remove("additional_fields");
        }
        assert_eq!(
            rules(no_fields),
            vec![("additional_fields".into(), "required".into())]
        );
    }
}
