//! The interpreter: the generated `ToWire::validate` and `ToWire::to_wire`, read from the table
//! instead of compiled. Validation runs first over the whole value, then encoding (which adds
//! credential and currency errors), exactly in the generated order.

use serde::Deserialize;
use serde_json::{Map, Value};

use std::cell::Cell;

use super::select::{closest_variant, expected, Shapes, MAX_DEPTH};
use super::{
    EnumDef, FieldDef, FieldSource, MoneyCurrency, RequestTable, Rules, TypeDef, ValueType,
};
use crate::error::Error;
use crate::money::{Decimal, MinorUnits};
use crate::towire::{check_currency, check_known, check_not_blank, money_value, WireContext};
use crate::validate::{
    check_compiled_pattern, check_format, check_length, check_money, check_one_of, check_range,
    index_path, join_path, Format, ValidationErrors,
};
use crate::wire::{wire_int, wire_str, WireScalar};

/// Validates `body` as the request type `ty` and encodes it: the wire fields, or
/// `Error::InvalidRequest` naming every bad field (as `towire::encode` does for a typed value).
pub fn encode_request(
    table: &RequestTable,
    ty: &str,
    body: &Value,
    ctx: &WireContext<'_>,
) -> Result<Map<String, Value>, Error> {
    if table.get(ty).is_none() {
        return Err(Error::Config(format!("no request type `{ty}`")));
    }
    let mut errs = ValidationErrors::new();
    validate_request(table, ty, body, &mut errs);
    let value = Interpreter::new(table).encode_named(ty, body, ctx, "", &mut errs);
    errs.into_result()?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(Error::Config(
            "a request body must encode to a JSON object".into(),
        )),
    }
}

/// The validation pass alone: every broken rule of `body` as the request type `ty`.
pub fn validate_request(table: &RequestTable, ty: &str, body: &Value, errs: &mut ValidationErrors) {
    Interpreter::new(table).validate_named(ty, body, "", errs);
}

/// The errors of a text value's rules (a checked scalar's `new`).
pub(super) fn text_rule_errors(
    rules: &Rules,
    text: &str,
    exponents: &[(&str, u8)],
) -> ValidationErrors {
    let mut errs = ValidationErrors::new();
    text_checks(rules, text, exponents, "", &mut errs);
    errs
}

fn text_checks(
    rules: &Rules,
    text: &str,
    exponents: &[(&str, u8)],
    p: &str,
    errs: &mut ValidationErrors,
) {
    if let Some(pat) = &rules.pattern {
        check_compiled_pattern(errs, p, text, &pat.source, &pat.compiled);
    }
    if rules.min_length.is_some() || rules.max_length.is_some() {
        check_length(errs, p, text, rules.min_length, rules.max_length);
    }
    if !rules.allowed.is_empty() {
        let allowed: Vec<&str> = rules.allowed.iter().map(String::as_str).collect();
        check_one_of(errs, p, text, &allowed);
    }
    match rules.format {
        Some(Format::Currency) => check_currency(errs, p, text, exponents),
        Some(fmt) => check_format(errs, p, text, fmt),
        None => {}
    }
}

/// Present and not null.
fn present<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// The path of the whole body in messages.
fn shown(path: &str) -> &str {
    if path.is_empty() {
        "body"
    } else {
        path
    }
}

/// The wire value of an open enum: a documented value in its documented form, else as given.
fn enum_wire(def: &EnumDef, raw: WireScalar) -> (WireScalar, bool) {
    let found = def.values.iter().find(|lit| match lit {
        WireScalar::Int(n) if def.int => wire_int(&raw) == Some(*n),
        WireScalar::Str(s) if !def.int => wire_str(&raw) == *s,
        _ => false,
    });
    match found {
        Some(lit) => (lit.clone(), true),
        None => (raw, false),
    }
}

/// A value's text as the generated `wire_text` gives it: strings as they are, else JSON text.
fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

struct Interpreter<'t> {
    table: &'t RequestTable,
    exponents: Vec<(&'t str, u8)>,
    shapes: Shapes<'t>,
    /// Named types entered and not left yet (a cycle of one-ofs or aliases stops at MAX_DEPTH).
    depth: Cell<usize>,
}

impl<'t> Interpreter<'t> {
    fn new(table: &'t RequestTable) -> Self {
        Interpreter {
            table,
            exponents: table.exponents(),
            shapes: Shapes::new(table),
            depth: Cell::new(0),
        }
    }

    /// Runs `f` one named type deeper, or returns `None` past [`MAX_DEPTH`].
    fn deeper<R>(&self, f: impl FnOnce() -> R) -> Option<R> {
        let d = self.depth.get();
        if d >= MAX_DEPTH {
            return None;
        }
        self.depth.set(d + 1);
        let out = f();
        self.depth.set(d);
        Some(out)
    }

    fn validate_named(&self, ty: &str, v: &Value, path: &str, errs: &mut ValidationErrors) {
        let nested = self.deeper(|| self.validate_named_here(ty, v, path, errs));
        if nested.is_none() {
            errs.push(shown(path), "type", "is nested too deeply");
        }
    }

    fn encode_named(
        &self,
        ty: &str,
        v: &Value,
        ctx: &WireContext<'_>,
        path: &str,
        errs: &mut ValidationErrors,
    ) -> Value {
        self.deeper(|| self.encode_named_here(ty, v, ctx, path, errs))
            .unwrap_or(Value::Null)
    }

    fn validate_named_here(&self, ty: &str, v: &Value, path: &str, errs: &mut ValidationErrors) {
        match self.table.get(ty) {
            Some(TypeDef::Object(fields)) => self.validate_object(ty, fields, v, path, errs),
            Some(TypeDef::OneOf(variants)) => {
                let chosen = self
                    .shapes
                    .variant(variants, v)
                    .or_else(|| closest_variant(self.table, variants, v));
                match chosen {
                    Some(var) => self.validate_named(&var.ty, v, path, errs),
                    None => errs.push(
                        shown(path),
                        "one_of",
                        format!("matches none of the shapes of `{ty}`"),
                    ),
                }
            }
            Some(TypeDef::Checked { base, rules }) => match v.as_str() {
                Some(text) if *base == ValueType::Text => {
                    text_checks(rules, text, &self.exponents, path, errs)
                }
                _ if self.shapes.shape(base, v) => {}
                _ => errs.push(shown(path), "type", expected(base)),
            },
            Some(TypeDef::Enum(def)) => self.validate_enum(def, v, path, errs),
            Some(TypeDef::Alias(inner)) => {
                self.value_checks(inner, &Rules::default(), false, v, path, errs)
            }
            None => errs.push(shown(path), "type", format!("unknown type `{ty}`")),
        }
    }

    fn validate_object(
        &self,
        ty: &str,
        fields: &[FieldDef],
        v: &Value,
        path: &str,
        errs: &mut ValidationErrors,
    ) {
        let Value::Object(map) = v else {
            return errs.push(shown(path), "type", "must be an object");
        };
        for f in fields.iter().filter(|f| f.source.is_none()) {
            let p = join_path(path, &f.wire);
            match present(map, &f.wire) {
                Some(value) => self.value_checks(&f.ty, &f.rules, f.required, value, &p, errs),
                None if f.required => errs.push(&p, "required", "is required"),
                None => {}
            }
        }
        for key in map.keys() {
            if !fields.iter().any(|f| &f.wire == key) {
                errs.push(
                    join_path(path, key),
                    "unknown",
                    format!("is not a field of `{ty}`"),
                );
            }
        }
    }

    fn validate_enum(&self, def: &EnumDef, v: &Value, p: &str, errs: &mut ValidationErrors) {
        match WireScalar::deserialize(v) {
            Ok(raw) => check_known(errs, p, enum_wire(def, raw).1),
            Err(_) => errs.push(shown(p), "type", "must be a number or a string"),
        }
    }

    /// The generated `value_checks` (and the presence check of a required text field).
    fn value_checks(
        &self,
        ty: &ValueType,
        rules: &Rules,
        required: bool,
        v: &Value,
        p: &str,
        errs: &mut ValidationErrors,
    ) {
        match ty {
            ValueType::Text => match v.as_str() {
                Some(text) => {
                    if required {
                        check_not_blank(errs, p, text);
                    }
                    text_checks(rules, text, &self.exponents, p, errs);
                }
                None => errs.push(p, "type", expected(ty)),
            },
            ValueType::Integer => match v.as_i64() {
                Some(n) if rules.minimum.is_some() || rules.maximum.is_some() => {
                    check_range(errs, p, n, rules.minimum, rules.maximum)
                }
                Some(_) => {}
                None => errs.push(p, "type", expected(ty)),
            },
            ValueType::Money { .. } => match v.as_i64() {
                Some(n) => {
                    check_money(errs, p, MinorUnits(n), Some(rules.minimum.unwrap_or(0)));
                    if rules.maximum.is_some() {
                        check_range(errs, p, n, None, rules.maximum);
                    }
                }
                None => errs.push(p, "type", expected(ty)),
            },
            ValueType::Named(n) => match self.table.get(n) {
                Some(TypeDef::Enum(def)) => self.validate_enum(def, v, p, errs),
                _ => self.validate_named(n, v, p, errs),
            },
            ValueType::List(inner) => match v.as_array() {
                Some(items) => self.validate_items(inner, items.iter().enumerate(), p, errs),
                None => errs.push(p, "type", expected(ty)),
            },
            ValueType::Map(inner) => match v.as_object() {
                Some(m) => {
                    for (k, item) in m {
                        if !self.shapes.shape(inner, item) {
                            errs.push(join_path(p, k), "type", expected(inner));
                        }
                    }
                }
                None => errs.push(p, "type", expected(ty)),
            },
            ValueType::Boolean | ValueType::Decimal | ValueType::Json => {
                if !self.shapes.shape(ty, v) {
                    errs.push(p, "type", expected(ty));
                }
            }
        }
    }

    /// Items of a list: structured ones are validated, the others only need their shape.
    fn validate_items<'v>(
        &self,
        inner: &ValueType,
        items: impl Iterator<Item = (usize, &'v Value)>,
        p: &str,
        errs: &mut ValidationErrors,
    ) {
        for (i, item) in items {
            let ip = index_path(p, i);
            match inner {
                ValueType::Named(n) if self.is_structured(n) => {
                    self.validate_named(n, item, &ip, errs)
                }
                _ if self.shapes.shape(inner, item) => {}
                _ => errs.push(ip, "type", expected(inner)),
            }
        }
    }

    /// Objects, one-ofs and checked scalars validate themselves; enums are plain values.
    fn is_structured(&self, name: &str) -> bool {
        !matches!(self.table.get(name), Some(TypeDef::Enum(_)) | None)
    }

    fn encode_named_here(
        &self,
        ty: &str,
        v: &Value,
        ctx: &WireContext<'_>,
        path: &str,
        errs: &mut ValidationErrors,
    ) -> Value {
        match self.table.get(ty) {
            Some(TypeDef::Object(fields)) => {
                let value = self.encode_object(fields, v, ctx, path, errs);
                check_owned_requirements(self.table.requirements(ty), &value, path, errs);
                value
            }
            Some(TypeDef::OneOf(variants)) => match self.shapes.variant(variants, v) {
                Some(var) => self.encode_named(&var.ty, v, ctx, path, errs),
                None => Value::Null,
            },
            Some(TypeDef::Checked { base, .. }) => self.leaf(base, v),
            Some(TypeDef::Enum(_)) => self.leaf(&ValueType::Named(ty.to_string()), v),
            Some(TypeDef::Alias(inner)) => self.encode_value(inner, v, None, ctx, path, errs),
            None => Value::Null,
        }
    }

    fn encode_object(
        &self,
        fields: &[FieldDef],
        v: &Value,
        ctx: &WireContext<'_>,
        path: &str,
        errs: &mut ValidationErrors,
    ) -> Value {
        let empty = Map::new();
        let map = v.as_object().unwrap_or(&empty);
        let mut out = Map::new();
        for f in fields.iter().filter(|f| !f.local) {
            let value = match &f.source {
                Some(FieldSource::Credential(c)) => {
                    ctx.credential(c, &join_path(path, &f.wire), errs).to_json()
                }
                Some(FieldSource::Clock(pattern)) => ctx.timestamp(pattern).to_json(),
                Some(FieldSource::Const(c)) => c.clone(),
                None => match present(map, &f.wire) {
                    Some(value) => {
                        let p = join_path(path, &f.wire);
                        let siblings = Some((fields, map));
                        self.encode_value(&f.ty, value, siblings, ctx, &p, errs)
                    }
                    None => continue,
                },
            };
            out.insert(f.wire.clone(), value);
        }
        Value::Object(out)
    }

    fn encode_value(
        &self,
        ty: &ValueType,
        v: &Value,
        siblings: Option<(&[FieldDef], &Map<String, Value>)>,
        ctx: &WireContext<'_>,
        p: &str,
        errs: &mut ValidationErrors,
    ) -> Value {
        match ty {
            ValueType::Money { currency, wire } => {
                let currency = match currency {
                    MoneyCurrency::Fixed(code) => code.clone(),
                    MoneyCurrency::Field(name) => siblings
                        .filter(|(fields, _)| {
                            fields.iter().any(|f| &f.wire == name && f.source.is_none())
                        })
                        .and_then(|(_, map)| present(map, name))
                        .map(json_text)
                        .unwrap_or_default(),
                };
                let minor = MinorUnits(v.as_i64().unwrap_or_default());
                money_value(minor, &currency, *wire, ctx, p, errs).to_json()
            }
            ValueType::Named(n) if self.is_structured(n) => self.encode_named(n, v, ctx, p, errs),
            ValueType::List(inner) => match (inner.as_ref(), v.as_array()) {
                (ValueType::Named(n), Some(items)) if self.is_structured(n) => Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.encode_named(n, item, ctx, &index_path(p, i), errs))
                        .collect(),
                ),
                _ => self.leaf(ty, v),
            },
            _ => self.leaf(ty, v),
        }
    }

    /// What serde writes for a plain value (enums in their documented form, decimals as numbers).
    fn leaf(&self, ty: &ValueType, v: &Value) -> Value {
        match ty {
            ValueType::Named(n) => match (self.table.get(n), WireScalar::deserialize(v)) {
                (Some(TypeDef::Enum(def)), Ok(raw)) => match enum_wire(def, raw).0 {
                    WireScalar::Int(i) => Value::from(i),
                    WireScalar::Str(s) => Value::String(s),
                },
                (Some(TypeDef::Checked { base, .. }), _) => self.leaf(base, v),
                (Some(TypeDef::Alias(inner)), _) => self.leaf(inner, v),
                _ => v.clone(),
            },
            ValueType::Decimal => Decimal::deserialize(v)
                .ok()
                .and_then(|d| serde_json::to_value(d).ok())
                .unwrap_or_else(|| v.clone()),
            ValueType::List(inner) => match v.as_array() {
                Some(items) => Value::Array(items.iter().map(|i| self.leaf(inner, i)).collect()),
                None => v.clone(),
            },
            ValueType::Map(inner) => match v.as_object() {
                Some(m) => Value::Object(
                    m.iter()
                        .map(|(k, i)| (k.clone(), self.leaf(inner, i)))
                        .collect(),
                ),
                None => v.clone(),
            },
            _ => v.clone(),
        }
    }
}

/// Whether the generated type named `ty` would deserialize from `value`.
pub fn deserializes(table: &RequestTable, ty: &str, value: &Value) -> bool {
    Shapes::new(table).named(ty, value)
}

/// The generated `to_wire`'s last step: the object's wire form checked against its conditional
/// requirements, with the same runtime function and the same messages.
fn check_owned_requirements(
    requires: &[super::OwnedRequirement],
    value: &Value,
    path: &str,
    errs: &mut ValidationErrors,
) {
    for r in requires {
        let when_values: Vec<Vec<&str>> = r
            .when
            .iter()
            .map(|(_, vs)| vs.iter().map(String::as_str).collect())
            .collect();
        let when: Vec<(&str, &[&str])> = r
            .when
            .iter()
            .zip(&when_values)
            .map(|((f, _), vs)| (f.as_str(), vs.as_slice()))
            .collect();
        let (required, forbidden, one_of) = (
            strs(&r.required),
            strs(&r.forbidden),
            strs(&r.at_least_one_of),
        );
        let borrowed = crate::requirements::Requirement {
            when: &when,
            required: &required,
            forbidden: &forbidden,
            at_least_one_of: &one_of,
        };
        crate::requirements::check_requirements(errs, path, value, &[borrowed]);
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}
