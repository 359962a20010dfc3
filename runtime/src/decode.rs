//! Decoding an answer's JSON body into the generated types ([`Error::Undecodable`] with a
//! redacted excerpt when it does not fit; the engine settles that into an unknown outcome for
//! money-moving operations).

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::exchange::RawResponse;
use crate::redact::{excerpt, excerpt_text, redact_text};
use crate::wire_parse::AnswerJson;

/// Decodes an answer's body into `T` ([`Error::Undecodable`] with a redacted excerpt). An empty
/// body decodes as JSON `null` (so `Option<T>` and `()` work). A body on the parsed answer's
/// tape is decoded from the tape's nodes (the bytes are not scanned again), else from the
/// tree the engine parsed (and verified a signature over); only a body that does not fit is
/// parsed again from its bytes, so the error names the line and column.
pub fn decode<T: DeserializeOwned>(op_name: &'static str, raw: &RawResponse) -> Result<T, Error> {
    if let Some(json) = &raw.json {
        if let Some(decoded) = typed(json) {
            return Ok(decoded);
        }
    }
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

/// `T` read from the bytes of a body on the tape, else from the tree (today's and the tape's
/// acceptance alike: either reading succeeding is a decoded answer).
fn typed<T: DeserializeOwned>(json: &AnswerJson) -> Option<T> {
    if let Some(decoded) = from_tape(json) {
        return Some(decoded);
    }
    T::deserialize(json.value().as_ref()).ok()
}

/// `T` read from a body on the tape: from the tape's nodes, else (a reading the tape leaves to
/// `serde_json`, or a misfit) from the body's bytes; `None` for a tree or a misfit.
fn from_tape<T: DeserializeOwned>(json: &AnswerJson) -> Option<T> {
    match json.decode_tape()? {
        Ok(decoded) => Some(decoded),
        Err(_) => serde_json::from_slice(json.tape_body()?).ok(),
    }
}

/// What [`decode_value`] decodes from: a `serde_json::Value` or an answer's parsed body.
pub trait DecodeSource {
    /// `T` decoded, or the error [`decode_value`] reports.
    fn decode_as<T: DeserializeOwned>(&self, op_name: &'static str) -> Result<T, Error>;
}

impl DecodeSource for Value {
    fn decode_as<T: DeserializeOwned>(&self, op_name: &'static str) -> Result<T, Error> {
        T::deserialize(self).map_err(|e| Error::Undecodable {
            operation: op_name,
            reason: redact_text(&e.to_string()),
            body_excerpt: excerpt_text(&self.to_string()),
        })
    }
}

impl DecodeSource for AnswerJson {
    fn decode_as<T: DeserializeOwned>(&self, op_name: &'static str) -> Result<T, Error> {
        if let Some(decoded) = from_tape(self) {
            return Ok(decoded);
        }
        // the tree, exactly as before the tape: its acceptance and its error
        self.value().decode_as(op_name)
    }
}

/// Decodes a JSON value (or an answer's parsed body) into `T` ([`Error::Undecodable`] with a
/// redacted excerpt).
pub fn decode_value<T: DeserializeOwned>(
    op_name: &'static str,
    value: &(impl DecodeSource + ?Sized),
) -> Result<T, Error> {
    value.decode_as(op_name)
}
