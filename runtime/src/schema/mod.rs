//! Request types as data: a table of a provider's request types (fields with wire names,
//! required/optional, rules, money encodings, `from:` sources, one-ofs) and the interpreter that
//! validates a JSON request and encodes it to wire fields exactly as the generated client does.
//!
//! The generated client checks a typed value; the interpreter checks the JSON of that typed
//! value (wire field names, money in integer minor units). Both push the same
//! [`FieldError`](crate::FieldError)s (path, rule, message) in the same order, and both encode
//! the same wire fields, so `paygen request` and a simulator can refuse exactly what the client
//! refuses. On top of what a typed value can express, the interpreter reports what only JSON can
//! get wrong: a missing required field (`required`), a value of the wrong JSON type (`type`), a
//! key that is not a field of the type (`unknown`: in Rust it would not compile) and an untagged
//! one-of no variant fits (`one_of`).

mod from_wire;
mod interpret;
mod select;

use indexmap::IndexMap;
use regex::Regex;
use serde_json::Value;

use crate::money::MoneyWire;
use crate::validate::Format;
use crate::wire::WireScalar;

pub use from_wire::{typed_from_wire, Received};
pub use interpret::{deserializes, encode_request, validate_request};
pub use select::Condition;

/// Every request-side type of one provider, by the name the generated code gives it.
#[derive(Debug, Clone, Default)]
pub struct RequestTable {
    types: IndexMap<String, TypeDef>,
    exponents: Vec<(String, u8)>,
    requires: IndexMap<String, Vec<OwnedRequirement>>,
}

/// A conditional requirement of an object type as owned data (the generated code's
/// [`crate::requirements::Requirement`] borrows static text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedRequirement {
    /// Field wire name -> wire texts that make it apply (empty: always).
    pub when: Vec<(String, Vec<String>)>,
    /// Paths that must be present.
    pub required: Vec<String>,
    /// Paths that must be absent.
    pub forbidden: Vec<String>,
    /// Paths of which one must be present.
    pub at_least_one_of: Vec<String>,
}

impl RequestTable {
    /// A table of named types and the spec's currency exponent overrides.
    pub fn new(types: Vec<(String, TypeDef)>, exponents: Vec<(String, u8)>) -> RequestTable {
        RequestTable {
            types: types.into_iter().collect(),
            exponents,
            requires: IndexMap::new(),
        }
    }

    /// The table with the conditional requirements of object types (by type name).
    pub fn with_requirements(mut self, requires: Vec<(String, Vec<OwnedRequirement>)>) -> Self {
        self.requires = requires
            .into_iter()
            .filter(|(_, r)| !r.is_empty())
            .collect();
        self
    }

    /// The conditional requirements of an object type (empty when it has none).
    pub fn requirements(&self, name: &str) -> &[OwnedRequirement] {
        self.requires.get(name).map_or(&[], Vec::as_slice)
    }

    /// A named type.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// The names of the types, in spec order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.types.keys().map(String::as_str)
    }

    /// Currency exponents that differ from ISO 4217.
    pub fn exponents(&self) -> Vec<(&str, u8)> {
        self.exponents
            .iter()
            .map(|(c, e)| (c.as_str(), *e))
            .collect()
    }
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// An object: fields in wire order.
    Object(Vec<FieldDef>),
    /// An untagged one-of: variants in order.
    OneOf(Vec<VariantDef>),
    /// A checked scalar (a newtype whose value must pass `rules`).
    Checked {
        /// The scalar underneath.
        base: ValueType,
        /// Its rules.
        rules: Rules,
    },
    /// An open enum: requests may only carry documented values.
    Enum(EnumDef),
    /// Another name for a container type.
    Alias(ValueType),
}

/// An open enum's documented wire values.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Integer codes (compared as integers) or string codes (compared as text).
    pub int: bool,
    /// The documented values.
    pub values: Vec<WireScalar>,
}

/// A field of an object.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// Wire name (also the key in the request JSON).
    pub wire: String,
    /// Required on requests.
    pub required: bool,
    /// Its type.
    pub ty: ValueType,
    /// Its rules.
    pub rules: Rules,
    /// Filled by the client, not by the caller.
    pub source: Option<FieldSource>,
    /// Given by the caller for the client's own use (a money field's currency): validated,
    /// never sent.
    pub local: bool,
}

/// Where the client takes a field's value from.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldSource {
    /// A credential (spec name).
    Credential(String),
    /// The clock, formatted with a strftime pattern.
    Clock(String),
    /// A constant.
    Const(Value),
}

/// A variant of a one-of.
#[derive(Debug, Clone)]
pub struct VariantDef {
    /// Variant name.
    pub name: String,
    /// The variant's type (a name in the table).
    pub ty: String,
    /// When it applies; without one, it applies when its fields account for every key.
    pub when: Option<Condition>,
}

/// The type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueType {
    /// Text (sensitive strings too: they travel as text).
    Text,
    /// 64-bit integer.
    Integer,
    /// Boolean.
    Boolean,
    /// Exact decimal (a JSON number or numeric string, sent as a number).
    Decimal,
    /// Any JSON.
    Json,
    /// Integer minor units, sent in `wire` form (the currency gives the exponent).
    Money {
        /// Where the currency comes from.
        currency: MoneyCurrency,
        /// Wire form.
        wire: MoneyWire,
    },
    /// A named type of the table.
    Named(String),
    /// A list.
    List(Box<ValueType>),
    /// A map with string keys.
    Map(Box<ValueType>),
}

/// Where a money field's currency comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyCurrency {
    /// A sibling field (its key in the request), sent or local.
    Field(String),
    /// A fixed currency code.
    Fixed(String),
}

/// Validation rules of one value.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Regular expression (searched, as in JSON Schema).
    pub pattern: Option<RulePattern>,
    /// Minimum length in chars.
    pub min_length: Option<usize>,
    /// Maximum length in chars.
    pub max_length: Option<usize>,
    /// Minimum integer (for money: minimum minor units, default 0).
    pub minimum: Option<i64>,
    /// Maximum integer.
    pub maximum: Option<i64>,
    /// Allowed values (empty: any).
    pub allowed: Vec<String>,
    /// A well-known format.
    pub format: Option<Format>,
}

/// A spec's regular expression, compiled once (a bad one is a `pattern` error, never a panic).
#[derive(Debug, Clone)]
pub struct RulePattern {
    source: String,
    compiled: Result<Regex, String>,
}

impl RulePattern {
    /// Compiles `source`.
    pub fn new(source: &str) -> RulePattern {
        RulePattern {
            source: source.to_string(),
            compiled: Regex::new(source).map_err(|e| e.to_string()),
        }
    }

    /// The pattern's text.
    pub fn source(&self) -> &str {
        &self.source
    }
}

#[cfg(test)]
mod tests;
