//! Decoding an answer's JSON body into the generated types ([`Error::Undecodable`] with a
//! redacted excerpt when it does not fit; the engine settles that into an unknown outcome for
//! money-moving operations).

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::exchange::RawResponse;
use crate::redact::{excerpt, excerpt_text, redact_text};

/// Decodes an answer's body into `T` ([`Error::Undecodable`] with a redacted excerpt). An empty
/// body decodes as JSON `null` (so `Option<T>` and `()` work).
pub fn decode<T: DeserializeOwned>(op_name: &'static str, raw: &RawResponse) -> Result<T, Error> {
    let result = if raw.body.iter().all(u8::is_ascii_whitespace) {
        T::deserialize(Value::Null)
    } else {
        serde_json::from_slice(&raw.body)
    };
    result.map_err(|e| Error::Undecodable {
        operation: op_name,
        reason: redact_text(&e.to_string()),
        body_excerpt: excerpt(&raw.body),
    })
}

/// Decodes a JSON value into `T` ([`Error::Undecodable`] with a redacted excerpt).
pub fn decode_value<T: DeserializeOwned>(op_name: &'static str, value: &Value) -> Result<T, Error> {
    T::deserialize(value).map_err(|e| Error::Undecodable {
        operation: op_name,
        reason: redact_text(&e.to_string()),
        body_excerpt: excerpt_text(&value.to_string()),
    })
}
