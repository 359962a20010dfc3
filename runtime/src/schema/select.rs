//! Which variant of an untagged one-of a JSON value is, and whether a value has a type's shape
//! (what serde accepts when the generated client deserializes it).

use std::cell::RefCell;
use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::interpret::text_rule_errors;
use super::{RequestTable, TypeDef, ValueType, VariantDef};
use crate::json_path::{equals_bool, equals_i64, equals_str, has, text_at};
use crate::money::Decimal;
use crate::towire::fits_fields;
use crate::wire::WireScalar;

/// A condition over a JSON value: every part must hold (as the generated conditions do).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Condition {
    /// Paths present and not null.
    pub has: Vec<String>,
    /// Paths absent or null.
    pub absent: Vec<String>,
    /// Paths equal to literals (`null`: absent).
    pub equals: Vec<(String, Value)>,
    /// HTTP status range (a request is judged as status 200, like the generated code).
    pub http_status: Option<(u16, u16)>,
    /// At least one holds (when non-empty).
    pub any: Vec<Condition>,
    /// None holds.
    pub none: Vec<Condition>,
}

impl Condition {
    /// Whether the condition holds for `value` with HTTP `status`.
    pub fn holds(&self, value: &Value, status: u16) -> bool {
        self.has.iter().all(|p| has(value, p))
            && self.absent.iter().all(|p| !has(value, p))
            && self.equals.iter().all(|(p, lit)| equals(value, p, lit))
            && self
                .http_status
                .is_none_or(|(lo, hi)| (lo..=hi).contains(&status))
            && (self.any.is_empty() || self.any.iter().any(|c| c.holds(value, status)))
            && !self.none.iter().any(|c| c.holds(value, status))
    }
}

fn equals(value: &Value, path: &str, lit: &Value) -> bool {
    match lit {
        Value::String(s) => equals_str(value, path, s),
        Value::Bool(b) => equals_bool(value, path, *b),
        Value::Null => !has(value, path),
        Value::Number(n) => match n.as_i64() {
            Some(i) => equals_i64(value, path, i),
            None => text_at(value, path).as_deref() == Some(n.to_string().as_str()),
        },
        _ => false,
    }
}

/// Shape questions about the values of one request, each (type, value node) answered once: an
/// untagged one-of is tried variant by variant, and without the memo nested one-ofs would cost
/// exponential time on a hostile body. A type met again at the same value (a cycle of one-ofs
/// or aliases in the spec) has no shape.
pub(super) struct Shapes<'t> {
    table: &'t RequestTable,
    exponents: Vec<(&'t str, u8)>,
    memo: RefCell<HashMap<(String, usize), bool>>,
}

impl<'t> Shapes<'t> {
    pub(super) fn new(table: &'t RequestTable) -> Self {
        Shapes {
            table,
            exponents: table.exponents(),
            memo: RefCell::new(HashMap::new()),
        }
    }

    /// The variant the generated client deserializes `value` into: in order, the first whose
    /// condition holds (or, without one, whose fields account for every key) and which
    /// deserializes; else the first that deserializes at all.
    pub(super) fn variant<'a>(
        &self,
        variants: &'a [VariantDef],
        value: &Value,
    ) -> Option<&'a VariantDef> {
        let applies = |v: &VariantDef| match &v.when {
            Some(c) => c.holds(value, 200),
            None => fits(self.table, &v.ty, value),
        };
        let shaped = |v: &&VariantDef| self.named(&v.ty, value);
        variants
            .iter()
            .filter(|v| applies(v))
            .find(shaped)
            .or_else(|| variants.iter().find(shaped))
    }

    /// Whether the generated type named `ty` deserializes from `value` (checked scalars
    /// included: they check their rules while deserializing).
    pub(super) fn named(&self, ty: &str, value: &Value) -> bool {
        let key = (ty.to_string(), value as *const Value as usize);
        if let Some(known) = self.memo.borrow().get(&key) {
            return *known;
        }
        self.memo.borrow_mut().insert(key.clone(), false);
        let answer = self.named_uncached(ty, value);
        self.memo.borrow_mut().insert(key, answer);
        answer
    }

    fn named_uncached(&self, ty: &str, value: &Value) -> bool {
        match self.table.get(ty) {
            Some(TypeDef::Object(fields)) => {
                let Value::Object(map) = value else {
                    return false;
                };
                fields.iter().filter(|f| f.source.is_none()).all(|f| {
                    match map.get(&f.wire).filter(|v| !v.is_null()) {
                        Some(v) => self.shape(&f.ty, v),
                        None => {
                            !f.required || (f.ty == ValueType::Json && map.contains_key(&f.wire))
                        }
                    }
                })
            }
            Some(TypeDef::OneOf(variants)) => self.variant(variants, value).is_some(),
            Some(TypeDef::Checked { base, rules }) => {
                self.shape(base, value)
                    && value
                        .as_str()
                        .is_none_or(|s| text_rule_errors(rules, s, &self.exponents).is_empty())
            }
            Some(TypeDef::Enum(_)) => WireScalar::deserialize(value).is_ok(),
            Some(TypeDef::Alias(inner)) => self.shape(inner, value),
            None => false,
        }
    }

    /// Whether a value of type `ty` deserializes from `value`.
    pub(super) fn shape(&self, ty: &ValueType, value: &Value) -> bool {
        match ty {
            ValueType::Text => value.is_string(),
            ValueType::Integer | ValueType::Money { .. } => value.as_i64().is_some(),
            ValueType::Boolean => value.is_boolean(),
            ValueType::Decimal => Decimal::deserialize(value).is_ok(),
            ValueType::Json => true,
            ValueType::Named(n) => self.named(n, value),
            ValueType::List(inner) => value
                .as_array()
                .is_some_and(|items| items.iter().all(|i| self.shape(inner, i))),
            ValueType::Map(inner) => value
                .as_object()
                .is_some_and(|m| m.values().all(|v| self.shape(inner, v))),
        }
    }
}

/// For reporting only, when no variant deserializes: the first variant that applies by its
/// condition or keys (its field errors then say what is wrong).
pub(super) fn closest_variant<'a>(
    t: &RequestTable,
    variants: &'a [VariantDef],
    value: &Value,
) -> Option<&'a VariantDef> {
    variants.iter().find(|v| match &v.when {
        Some(c) => c.holds(value, 200),
        None => fits(t, &v.ty, value),
    })
}

fn fits(t: &RequestTable, ty: &str, value: &Value) -> bool {
    let Some(TypeDef::Object(fields)) = t.get(ty) else {
        return true;
    };
    let known: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required && f.source.is_none())
        .map(|f| f.wire.as_str())
        .collect();
    fits_fields(value, &known, &required)
}

/// How many named types deep the interpreter walks: a spec whose one-ofs or aliases refer to
/// each other in a cycle must not recurse forever.
pub(super) const MAX_DEPTH: usize = 256;

/// What a value of type `ty` should be, for `type` errors.
pub(super) fn expected(ty: &ValueType) -> &'static str {
    match ty {
        ValueType::Text => "must be a string",
        ValueType::Integer => "must be an integer",
        ValueType::Money { .. } => "must be an integer amount in minor units",
        ValueType::Boolean => "must be true or false",
        ValueType::Decimal => "must be a decimal number or numeric string",
        ValueType::Json => "must be JSON",
        ValueType::Named(_) => "must be a value of this field's type",
        ValueType::List(_) => "must be a list",
        ValueType::Map(_) => "must be an object",
    }
}
