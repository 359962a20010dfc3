//! Wire-value helpers: lenient scalars for wire enums (`WireScalar`), the provider-neutral
//! `CommonStatus`, conversions between typed values and JSON bodies, and form/percent encoding
//! (on `form_urlencoded` and `percent-encoding`).

use std::fmt;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

mod scalar;

pub(crate) use scalar::{is_number_text, read_scalar, Scalar};

/// The raw value of a wire enum: a number or a string, kept as the provider sent it. A numeric
/// *string* stays a string (`"1"` is `Str("1")`); use [`wire_int`] to compare leniently.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WireScalar {
    /// A JSON integer that fits `i64`.
    Int(i64),
    /// A JSON string (or any other number, as its text).
    Str(String),
}

impl WireScalar {
    /// The value as text (`1`, `captured`).
    pub fn text(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for WireScalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireScalar::Int(i) => write!(f, "{i}"),
            WireScalar::Str(s) => f.write_str(s),
        }
    }
}

impl Serialize for WireScalar {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            WireScalar::Int(i) => serializer.serialize_i64(*i),
            WireScalar::Str(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for WireScalar {
    /// Read as a `serde_json::Value` would be read (a number that is an `i64` is `Int`, any
    /// other number its text, a bool its text), without building one (the `scalar` module).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match read_scalar(deserializer)? {
            Scalar::Str(s) => WireScalar::Str(s.into_owned()),
            Scalar::U64(u) => {
                i64::try_from(u).map_or_else(|_| WireScalar::Str(u.to_string()), WireScalar::Int)
            }
            Scalar::I64(i) => WireScalar::Int(i),
            // `Number::as_i64` with arbitrary precision: the text parsed as it is
            Scalar::Number(text) => match text.parse::<i64>() {
                Ok(i) => WireScalar::Int(i),
                Err(_) => WireScalar::Str(text),
            },
            Scalar::Other(Value::Number(n)) => match n.as_i64() {
                Some(i) => WireScalar::Int(i),
                None => WireScalar::Str(n.to_string()),
            },
            Scalar::Other(Value::String(s)) => WireScalar::Str(s),
            Scalar::Other(Value::Bool(b)) => WireScalar::Str(b.to_string()),
            Scalar::Other(_) => {
                return Err(serde::de::Error::custom("expected a number or a string"))
            }
        })
    }
}

impl From<i64> for WireScalar {
    fn from(v: i64) -> Self {
        WireScalar::Int(v)
    }
}

impl From<&str> for WireScalar {
    fn from(v: &str) -> Self {
        WireScalar::Str(v.to_string())
    }
}

/// The integer of a scalar: `Int`, or a `Str` that parses as `i64`.
#[inline]
pub fn wire_int(v: &WireScalar) -> Option<i64> {
    match v {
        WireScalar::Int(i) => Some(*i),
        WireScalar::Str(s) => s.trim().parse().ok(),
    }
}

/// The string of a scalar: `Str`, or an `Int`'s decimal text.
pub fn wire_str(v: &WireScalar) -> String {
    v.to_string()
}

/// A payment's state, mapped from each provider's own status codes (the spec's `common` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CommonStatus {
    /// Created, waiting for the payer or a next step.
    Pending,
    /// In progress at the provider.
    Processing,
    /// Paid / captured / settled.
    Succeeded,
    /// Declined, errored or expired.
    Failed,
    /// Refunded (fully or partly).
    Refunded,
    /// Cancelled or voided.
    Cancelled,
    /// A status this client does not know.
    Unknown,
}

impl CommonStatus {
    /// Lower-case name (`succeeded`).
    pub fn as_str(self) -> &'static str {
        match self {
            CommonStatus::Pending => "pending",
            CommonStatus::Processing => "processing",
            CommonStatus::Succeeded => "succeeded",
            CommonStatus::Failed => "failed",
            CommonStatus::Refunded => "refunded",
            CommonStatus::Cancelled => "cancelled",
            CommonStatus::Unknown => "unknown",
        }
    }

    /// No further change is expected (succeeded, failed, refunded, cancelled).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            CommonStatus::Succeeded
                | CommonStatus::Failed
                | CommonStatus::Refunded
                | CommonStatus::Cancelled
        )
    }
}

impl fmt::Display for CommonStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The characters left as they are outside forms (paths, `percent` filter): RFC 3986's unreserved
/// set, ASCII letters, digits and `-._~`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `text`. Form mode is `application/x-www-form-urlencoded` (`form_urlencoded`:
/// ASCII letters, digits and `*-._` stay, a space becomes `+`); otherwise RFC 3986 (`percent-encoding`:
/// letters, digits and `-._~` stay). Every other byte becomes `%XX`, upper-case hex.
pub fn percent_encode(text: &str, form: bool) -> String {
    if form {
        form_urlencoded::byte_serialize(text.as_bytes()).collect()
    } else {
        utf8_percent_encode(text, UNRESERVED).to_string()
    }
}

/// Decodes `%XX` escapes (and `+` as space in form mode); malformed escapes are kept as written.
/// `None` when the result is not UTF-8 (so a signature is never checked over replaced bytes, which
/// is why this does not use `form_urlencoded::parse`, whose decoding is lossy).
pub fn percent_decode(text: &str, form: bool) -> Option<String> {
    let spaced;
    let text = if form && text.contains('+') {
        spaced = text.replace('+', " ");
        spaced.as_str()
    } else {
        text
    };
    percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// The text a field has in a form or query: strings raw, numbers as written, bools
/// `true`/`false`, objects and arrays as compact JSON; `None` for null (the field is left out).
pub fn form_text(v: &Value) -> Option<String> {
    crate::json_path::text_of(v)
}

/// `application/x-www-form-urlencoded` text of an object's fields, in order; nulls left out.
pub fn form_encode(fields: &Map<String, Value>) -> String {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        if let Some(text) = form_text(v) {
            form.append_pair(k, &text);
        }
    }
    form.finish()
}

/// Pairs of a form body or query string, decoded; `None` when something is not UTF-8.
pub fn form_decode(text: &str) -> Option<Vec<(String, String)>> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_lenient_on_read_and_exact_on_write() -> Result<(), serde_json::Error> {
        let v: Vec<WireScalar> = serde_json::from_str(r#"[1, "1", "captured", 1.5, -7, true]"#)?;
        assert_eq!(
            v,
            [
                WireScalar::Int(1),
                WireScalar::Str("1".into()),
                WireScalar::Str("captured".into()),
                WireScalar::Str("1.5".into()),
                WireScalar::Int(-7),
                WireScalar::Str("true".into()),
            ]
        );
        assert_eq!(
            serde_json::to_string(&v)?,
            r#"[1,"1","captured","1.5",-7,"true"]"#
        );
        assert_eq!(wire_int(&v[1]), Some(1));
        assert_eq!(wire_int(&v[2]), None);
        assert_eq!(wire_str(&v[0]), "1");
        assert_eq!(v[2].to_string(), "captured");
        assert!(serde_json::from_str::<WireScalar>("null").is_err());
        Ok(())
    }

    /// How `WireScalar` was read before it had its own visitor: through a `serde_json::Value`.
    fn through_a_value<'de, D: Deserializer<'de>>(d: D) -> Result<WireScalar, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => Ok(match n.as_i64() {
                Some(i) => WireScalar::Int(i),
                None => WireScalar::Str(n.to_string()),
            }),
            Value::String(s) => Ok(WireScalar::Str(s)),
            Value::Bool(b) => Ok(WireScalar::Str(b.to_string())),
            _ => Err(serde::de::Error::custom("expected a number or a string")),
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Old(#[serde(deserialize_with = "through_a_value")] WireScalar);

    #[test]
    fn scalars_read_every_form_as_a_value_read_it() {
        let forms = [
            "0",
            "1",
            "-7",
            "-0",
            "-0.0",
            "1.5",
            "1e3",
            "1E-2",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "1e400",
            r#""1""#,
            r#""captured""#,
            r#""a\"b""#,
            "true",
            "false",
            "null",
            "[1]",
            "{}",
            r#"{"a":1}"#,
            "01",
            "",
        ];
        let err = |e: serde_json::Error| e.to_string();
        for form in forms {
            let new = serde_json::from_str::<WireScalar>(form).map_err(err);
            let old = serde_json::from_str::<Old>(form)
                .map(|Old(s)| s)
                .map_err(err);
            assert_eq!(new, old, "{form}");
            let list = format!("[{form}, 2]");
            let new = serde_json::from_str::<Vec<Option<WireScalar>>>(&list).map_err(err);
            let old = serde_json::from_str::<Vec<Option<Old>>>(&list)
                .map(|v| v.into_iter().map(|o| o.map(|Old(s)| s)).collect())
                .map_err(err);
            assert_eq!(new, old, "{list}");
            if let Ok(value) = serde_json::from_str::<Value>(form) {
                let new = WireScalar::deserialize(&value).map_err(err);
                let old = through_a_value(&value).map_err(err);
                assert_eq!(new, old, "&Value {form}");
            }
        }
    }

    #[test]
    fn scalar_number_forms() -> Result<(), serde_json::Error> {
        let read = |json: &str| serde_json::from_str::<WireScalar>(json);
        assert_eq!(read("4")?, WireScalar::Int(4));
        assert_eq!(read("-0")?, WireScalar::Int(0));
        assert_eq!(read("4.0")?, WireScalar::Str("4.0".into()));
        assert_eq!(read("1E3")?, WireScalar::Str("1e+3".into()));
        assert_eq!(
            read("9223372036854775808")?,
            WireScalar::Str("9223372036854775808".into())
        );
        assert_eq!(read(r#""4""#)?, WireScalar::Str("4".into()));
        assert!(read("null").is_err());
        assert_eq!(serde_json::from_str::<Option<WireScalar>>("null")?, None);
        Ok(())
    }

    #[test]
    fn statuses() {
        assert_eq!(CommonStatus::Succeeded.to_string(), "succeeded");
        assert_eq!(CommonStatus::Cancelled.to_string(), "cancelled");
        assert!(CommonStatus::Refunded.is_final() && !CommonStatus::Pending.is_final());
    }

    #[test]
    fn form_round_trip() {
        let m = match serde_json::from_str::<Value>(
            r#"{"a":"x y&z=1","n":40.10,"b":true,"nil":null,"o":{"k":[1,"é"]},"key~":"*"}"#,
        ) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        };
        let text = form_encode(&m);
        assert_eq!(
            text,
            "a=x+y%26z%3D1&n=40.10&b=true&o=%7B%22k%22%3A%5B1%2C%22%C3%A9%22%5D%7D&key%7E=*"
        );
        let pairs = form_decode(&text).unwrap_or_default();
        assert_eq!(pairs[0], ("a".to_string(), "x y&z=1".to_string()));
        assert_eq!(pairs[3].1, r#"{"k":[1,"é"]}"#);
        assert_eq!(percent_encode("a b/~", false), "a%20b%2F~");
        assert_eq!(percent_decode("100%", true).as_deref(), Some("100%"));
        assert_eq!(percent_decode("%ZZ%41", true).as_deref(), Some("%ZZA"));
        assert_eq!(percent_decode("%FF", true), None);
    }
}
