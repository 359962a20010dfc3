//! A request as a provider receives it (wire form: amounts in their wire form, client-filled
//! fields present, form bodies as text) read back into the JSON of the typed request, so a
//! simulator can check it with the same interpreter the client's requests pass through.

use serde_json::{Map, Value};

use super::select::{closest_variant, MAX_DEPTH};
use super::{FieldDef, FieldSource, MoneyCurrency, RequestTable, TypeDef, ValueType};
use crate::money::{exponent_for, Decimal, MoneyWire};
use crate::validate::{index_path, join_path, ValidationErrors};

/// A received request read back into typed form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Received {
    /// The JSON of the typed request: money in minor units, client-filled fields left out.
    pub typed: Value,
    /// Credential-filled fields: (path, credential name, value as sent).
    pub credentials: Vec<(String, String, String)>,
    /// Clock-filled fields: (path, strftime pattern, value as sent).
    pub timestamps: Vec<(String, String, String)>,
}

/// Reads `wire` (a received body of request type `ty`) back into typed form. Amounts that do
/// not convert (unknown currency, more decimals than the currency has) are kept as sent and
/// reported (rule `currency` / `money`); everything else is left to
/// [`validate_request`](super::validate_request) on `Received::typed`.
pub fn typed_from_wire(
    table: &RequestTable,
    ty: &str,
    wire: &Value,
    errs: &mut ValidationErrors,
) -> Received {
    let mut out = Received::default();
    let mut reader = Reader {
        table,
        exponents: table.exponents(),
        out: &mut out,
        errs,
        depth: 0,
    };
    let typed = reader.named(ty, wire, "");
    out.typed = typed;
    out
}

struct Reader<'a> {
    table: &'a RequestTable,
    exponents: Vec<(&'a str, u8)>,
    out: &'a mut Received,
    errs: &'a mut ValidationErrors,
    /// Named types entered (a cycle of one-ofs or aliases stops at MAX_DEPTH).
    depth: usize,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Reader<'_> {
    fn named(&mut self, ty: &str, v: &Value, path: &str) -> Value {
        if self.depth >= MAX_DEPTH {
            return v.clone();
        }
        self.depth += 1;
        let out = self.named_here(ty, v, path);
        self.depth -= 1;
        out
    }

    fn named_here(&mut self, ty: &str, v: &Value, path: &str) -> Value {
        match self.table.get(ty) {
            Some(TypeDef::Object(fields)) => match v {
                Value::Object(map) => self.object(fields, map, path),
                _ => v.clone(),
            },
            Some(TypeDef::OneOf(variants)) => match closest_variant(self.table, variants, v) {
                Some(var) => {
                    let ty = var.ty.clone();
                    self.named(&ty, v, path)
                }
                None => v.clone(),
            },
            Some(TypeDef::Checked { base, .. }) => scalar(base, v),
            Some(TypeDef::Alias(inner)) => self.value(&inner.clone(), v, None, path),
            Some(TypeDef::Enum(_)) | None => v.clone(),
        }
    }

    fn object(&mut self, fields: &[FieldDef], map: &Map<String, Value>, path: &str) -> Value {
        let mut typed = Map::new();
        for (key, v) in map {
            let p = join_path(path, key);
            let Some(f) = fields.iter().find(|f| &f.wire == key) else {
                typed.insert(key.clone(), v.clone());
                continue;
            };
            match &f.source {
                Some(FieldSource::Credential(c)) => {
                    self.out.credentials.push((p, c.clone(), text(v)))
                }
                Some(FieldSource::Clock(pattern)) => {
                    self.out.timestamps.push((p, pattern.clone(), text(v)))
                }
                Some(FieldSource::Const(_)) => {}
                None => {
                    let value = self.value(&f.ty, v, Some(map), &p);
                    typed.insert(key.clone(), value);
                }
            }
        }
        Value::Object(typed)
    }

    fn value(
        &mut self,
        ty: &ValueType,
        v: &Value,
        siblings: Option<&Map<String, Value>>,
        p: &str,
    ) -> Value {
        match ty {
            ValueType::Money { currency, wire } => {
                let code = match currency {
                    MoneyCurrency::Fixed(code) => code.clone(),
                    MoneyCurrency::Field(f) => siblings
                        .and_then(|m| m.get(f))
                        .map(text)
                        .unwrap_or_default(),
                };
                self.money(v, &code, *wire, p)
            }
            ValueType::Named(n) => self.named(n, v, p),
            ValueType::List(inner) => match v {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.value(inner, item, None, &index_path(p, i)))
                        .collect(),
                ),
                _ => v.clone(),
            },
            ValueType::Map(inner) => match v {
                Value::Object(m) => Value::Object(
                    m.iter()
                        .map(|(k, item)| {
                            (k.clone(), self.value(inner, item, None, &join_path(p, k)))
                        })
                        .collect(),
                ),
                _ => v.clone(),
            },
            _ => scalar(ty, v),
        }
    }

    /// An amount in its wire form back to integer minor units.
    fn money(&mut self, v: &Value, currency: &str, wire: MoneyWire, p: &str) -> Value {
        let raw = text(v);
        if wire == MoneyWire::IntegerMinor {
            return raw
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| v.clone());
        }
        let Some(exponent) = exponent_for(currency, &self.exponents) else {
            self.errs.push(
                p,
                "currency",
                "must be an ISO 4217 currency code with a known exponent",
            );
            return v.clone();
        };
        match Decimal::parse(&raw).map(|d| d.to_minor(exponent)) {
            Some(Some(minor)) => Value::from(minor.0),
            Some(None) => {
                self.errs.push(
                    p,
                    "money",
                    format!("has more decimal places than {currency} has ({exponent})"),
                );
                v.clone()
            }
            None => v.clone(),
        }
    }
}

/// Form bodies carry every scalar as text: integers and booleans are read back.
fn scalar(ty: &ValueType, v: &Value) -> Value {
    match (ty, v) {
        (ValueType::Integer, Value::String(s)) => s
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| v.clone()),
        (ValueType::Boolean, Value::String(s)) if s == "true" || s == "false" => {
            Value::Bool(s == "true")
        }
        _ => v.clone(),
    }
}
