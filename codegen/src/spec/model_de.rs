//! Deserializing the model's untagged enums of enum values ([`EnumValue`], [`WireLiteral`]) by
//! the kind of value met, with the errors serde's `#[serde(untagged)]` gives (same message, at
//! the same path): the derived form buffers every value and tries each variant in turn, which
//! for the hundreds of enum values of a spec cost more than the rest of their loading.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::model::{EnumValue, EnumValueDef, WireLiteral};

/// The message of serde's untagged enums when no variant matches.
fn no_variant<E: de::Error>(name: &str) -> E {
    E::custom(format_args!(
        "data did not match any variant of untagged enum {name}"
    ))
}

/// A scalar wire literal: an integer that fits `i64`, or a string.
struct Scalar;

impl<'de> Visitor<'de> for Scalar {
    type Value = WireLiteral;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer or a string")
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<WireLiteral, E> {
        Ok(WireLiteral::Int(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<WireLiteral, E> {
        i64::try_from(n)
            .map(WireLiteral::Int)
            .map_err(|_| E::custom("out of range"))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<WireLiteral, E> {
        Ok(WireLiteral::Str(s.to_string()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<WireLiteral, E> {
        Ok(WireLiteral::Str(s))
    }
}

impl<'de> Deserialize<'de> for WireLiteral {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(Scalar)
            .map_err(|_: D::Error| no_variant("WireLiteral"))
    }
}

/// An enum value: a scalar is the short form, a mapping the full one.
struct Value_;

impl<'de> Visitor<'de> for Value_ {
    type Value = EnumValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer, a string or a mapping")
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<EnumValue, E> {
        Scalar.visit_i64(n).map(EnumValue::Short)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<EnumValue, E> {
        Scalar.visit_u64(n).map(EnumValue::Short)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<EnumValue, E> {
        Scalar.visit_str(s).map(EnumValue::Short)
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<EnumValue, E> {
        Scalar.visit_string(s).map(EnumValue::Short)
    }

    /// A sequence is the full form's fields in order (as serde reads any struct); the structure
    /// check refuses one before the model is read, but the result is the derived one.
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<EnumValue, A::Error> {
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        EnumValueDef::deserialize(value)
            .map(EnumValue::Full)
            .map_err(|_| de::Error::custom("full form"))
    }

    /// The mapping is read whole first, as the untagged form reads it, so an error inside it
    /// is reported at the enum value (not at the key within it).
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EnumValue, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        EnumValueDef::deserialize(value)
            .map(EnumValue::Full)
            .map_err(|_| de::Error::custom("full form"))
    }
}

impl<'de> Deserialize<'de> for EnumValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(Value_)
            .map_err(|_: D::Error| no_variant("EnumValue"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    /// The derived untagged forms, as they were: the reference the impls above must match.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum DerivedWireLiteral {
        Int(i64),
        Str(String),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DerivedEnumValueDef {
        wire: DerivedWireLiteral,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        doc: Option<String>,
        #[serde(default)]
        common: Option<paygen_runtime::wire::CommonStatus>,
        #[serde(default)]
        assumed: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum DerivedEnumValue {
        Short(DerivedWireLiteral),
        Full(DerivedEnumValueDef),
    }

    /// What each form makes of a value, as text: the value's Debug form or the error, with the
    /// path `serde_path_to_error` reports.
    fn outcome<T: for<'de> Deserialize<'de> + fmt::Debug>(v: &Value) -> String {
        let wrapped = json!({ "values": [v.clone()] });
        #[derive(Debug, Deserialize)]
        struct Holder<T> {
            #[allow(dead_code)] // read through Debug only
            values: Vec<T>,
        }
        match serde_path_to_error::deserialize::<_, Holder<T>>(wrapped) {
            Ok(h) => format!("{h:?}").replace("Derived", ""),
            Err(e) => format!("{} at {}", e.inner(), e.path()).replace("Derived", ""),
        }
    }

    #[test]
    fn enum_values_deserialize_as_the_derived_untagged_forms() {
        let cases = [
            json!(4),
            json!(-4),
            json!(u64::MAX),
            json!(1.5),
            json!("card"),
            json!(true),
            json!(null),
            json!([1]),
            json!([1, "One"]),
            json!([]),
            json!({ "wire": 4, "name": "Four", "doc": "d", "common": "succeeded" }),
            json!({ "wire": "x", "assumed": "a" }),
            json!({ "wire": u64::MAX }),
            json!({ "wire": 1.5 }),
            json!({ "wire": "x", "unknown": 1 }),
            json!({ "wire": "x", "common": "nonsense" }),
            json!({ "name": "NoWire" }),
            json!({}),
        ];
        for v in &cases {
            assert_eq!(
                outcome::<EnumValue>(v),
                outcome::<DerivedEnumValue>(v),
                "{v}"
            );
            assert_eq!(
                outcome::<WireLiteral>(v),
                outcome::<DerivedWireLiteral>(v),
                "{v}"
            );
        }
    }
}
