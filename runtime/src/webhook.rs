//! Incoming webhooks: body parsing (JSON or form), signature verification with the provider's
//! webhook recipe, and the acknowledgement the provider expects.

use http::HeaderMap;
use serde_json::{Map, Value};

use crate::credentials::Credentials;
use crate::error::Error;
use crate::json_path::text_of;
use crate::redact::excerpt;
use crate::signing::{self, Over, Placement, Recipe, SignInput, SigningError};
use crate::wire::form_decode;

/// The operation name webhook errors carry.
pub const WEBHOOK: &str = "webhook";

/// How a webhook body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookEncoding {
    /// A JSON object.
    Json,
    /// `application/x-www-form-urlencoded` (every value a string).
    Form,
}

/// What to answer the provider once a webhook is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ack {
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub content_type: &'static str,
    /// Body.
    pub body: &'static str,
}

impl Ack {
    /// `200 text/plain` with an empty body.
    pub const OK_EMPTY: Ack = Ack {
        status: 200,
        content_type: "text/plain",
        body: "",
    };
}

fn undecodable(reason: &str, body: &[u8]) -> Error {
    Error::Undecodable {
        operation: WEBHOOK,
        reason: reason.to_string(),
        body_excerpt: excerpt(body),
    }
}

/// The webhook's fields: a JSON object, or a form's pairs as strings (a repeated key keeps
/// its last value).
pub fn parse_webhook_body(body: &[u8], enc: WebhookEncoding) -> Result<Map<String, Value>, Error> {
    match enc {
        WebhookEncoding::Json => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(undecodable("a JSON webhook body must be an object", body)),
            Err(e) => Err(undecodable(&format!("not JSON: {e}"), body)),
        },
        WebhookEncoding::Form => {
            let text = std::str::from_utf8(body)
                .map_err(|_| undecodable("a form body must be UTF-8", body))?;
            let pairs = form_decode(text.trim())
                .ok_or_else(|| undecodable("a form value is not UTF-8", body))?;
            Ok(pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect())
        }
    }
}

/// Parses the body and verifies its signature with `recipe`: a header placement checks the
/// header against the raw bytes (or the fields, if the recipe signs fields); a body-field
/// placement checks that field against the other fields. Returns the fields as received.
/// A missing or wrong signature is [`Error::BadSignature`] with `what: "webhook"`.
pub fn verify_webhook(
    recipe: &Recipe,
    creds: &Credentials,
    headers: &HeaderMap,
    body: &[u8],
    enc: WebhookEncoding,
) -> Result<Map<String, Value>, Error> {
    let bad = || Error::BadSignature {
        operation: WEBHOOK,
        what: "webhook",
    };
    let fields = parse_webhook_body(body, enc);
    let signs_raw = recipe.over == Over::RawBody;
    // a raw-body signature in a header does not need the body to parse: check it first
    if fields.is_err() && !(signs_raw && matches!(recipe.place, Placement::Header(_))) {
        return fields;
    }
    let (provided, others) =
        provided_signature(&recipe.place, headers, fields.as_ref().ok()).ok_or_else(bad)?;
    let input = match &others {
        Some(m) if !signs_raw => SignInput::Fields(m),
        _ => SignInput::Raw(body),
    };
    signing::verify(recipe, creds, &input, &provided).map_err(|e| match e {
        SigningError::InvalidRecipe(_) | SigningError::MissingCredential(_) => {
            Error::Config(format!("webhook: {e}"))
        }
        _ => bad(),
    })?;
    fields
}

/// The signature sent and the fields it covers (a body field's own value left out).
pub(crate) fn provided_signature(
    place: &Placement,
    headers: &HeaderMap,
    fields: Option<&Map<String, Value>>,
) -> Option<(String, Option<Map<String, Value>>)> {
    match place {
        Placement::Header(h) => {
            let v = headers.get(h.as_str())?.to_str().ok()?;
            Some((v.trim().to_string(), fields.cloned()))
        }
        Placement::BodyField(f) => {
            let mut others = fields?.clone();
            let provided = others.shift_remove(f).as_ref().and_then(text_of)?;
            Some((provided, Some(others)))
        }
    }
}
