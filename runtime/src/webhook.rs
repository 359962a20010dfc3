//! Incoming webhooks: body parsing (JSON or form), signature verification with the provider's
//! webhook recipe (compiled once in a [`WebhookVerifier`]), the de-duplication key, and the
//! acknowledgement the provider expects. Signed answers are verified here too.

use std::sync::Arc;

use http::HeaderMap;
use serde_json::{Map, Value};

use crate::clock::{Clock, SystemClock};
use crate::credentials::Credentials;
use crate::error::Error;
#[cfg(feature = "transport")]
use crate::exchange::RawResponse;
use crate::redact::excerpt;
use crate::signing::{verify_received, Placement, Received, Recipe, Signer, SigningError};
use crate::wire::form_decode;

mod body;
mod entries;
mod probe;

pub use body::WebhookBody;

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

/// A webhook verifier built once per receiver: the compiled recipe with its keys (every
/// rotated key), the body encoding and the clock tolerance checks use.
#[derive(Clone)]
pub struct WebhookVerifier {
    signer: Signer,
    encoding: WebhookEncoding,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("signer", &self.signer)
            .field("encoding", &self.encoding)
            .finish()
    }
}

impl WebhookVerifier {
    /// Compiles `recipe` and prepares its keys from `creds` (system clock).
    pub fn new(
        recipe: &Recipe,
        creds: &Credentials,
        encoding: WebhookEncoding,
    ) -> Result<Self, Error> {
        // A blank key would let anyone forge a notification: refused before anything is verified.
        let keys = std::iter::once(recipe.secret.credential.as_str())
            .chain(recipe.secret.previous.iter().map(String::as_str));
        creds.require(keys)?;
        let signer = Signer::from_recipe(recipe, creds)
            .map_err(|e| Error::Config(format!("webhook: {e}")))?;
        Ok(WebhookVerifier {
            signer,
            encoding,
            clock: Arc::new(SystemClock),
        })
    }

    /// The same verifier reading time from `clock` (timestamp tolerance).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Parses the body and verifies its signature (see [`verify_webhook`]); returns the fields
    /// as received.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, Error> {
        let plan = self.signer.plan();
        let fields = parse_webhook_body(body, self.encoding);
        // a raw-body signature in a header does not need the body to parse: check it first
        let needs_fields =
            !plan.reads_body_bytes() || matches!(plan.recipe().place, Placement::BodyField(_));
        if fields.is_err() && needs_fields {
            return fields;
        }
        self.verify_signature(headers, body, fields.as_ref().ok())?;
        fields
    }

    /// Verifies the signature, then readies the body for typed decoding, parsing it once (see
    /// [`WebhookBody`]): a signature over the raw bytes and headers is checked before anything
    /// is parsed, and then only the top-level fields `probe` starts from are built; a signature
    /// that reads the fields is checked over the whole parse, which the body then keeps.
    pub fn check<'a>(
        &self,
        headers: &HeaderMap,
        body: &'a [u8],
        probe: &[&str],
    ) -> Result<WebhookBody<'a>, Error> {
        if self.signer.plan().reads_fields() {
            let fields = self.verify(headers, body)?;
            return Ok(WebhookBody::whole(fields, body, self.encoding));
        }
        self.verify_signature(headers, body, None)?;
        WebhookBody::parse(body, self.encoding, probe)
    }

    /// Checks the signature over the headers, the raw body and (when parsed) the fields.
    fn verify_signature(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        fields: Option<&Map<String, Value>>,
    ) -> Result<(), Error> {
        // the headers are read where they are: nothing copied per notification
        let received = Received {
            method: "POST",
            path: "/",
            headers: headers.into(),
            fields,
            body,
            refuse_ambiguous: true,
            ..Received::default()
        };
        verify_received(&self.signer, &received, self.clock.as_ref()).map_err(|e| match e {
            SigningError::InvalidRecipe(_)
            | SigningError::MissingCredential(_)
            | SigningError::BadKey(_) => Error::Config(format!("webhook: {e}")),
            _ => Error::BadSignature {
                operation: WEBHOOK,
                what: "webhook",
            },
        })
    }
}

/// Parses the body and verifies its signature with `recipe`: a header placement checks the
/// header (read by the recipe's `value` template, any candidate may match) against the message;
/// a body-field placement checks that field against the other fields. Every key of the recipe
/// (rotation) is tried; a timestamp outside `tolerance` is refused. Returns the fields as
/// received. A missing or wrong signature is [`Error::BadSignature`] with `what: "webhook"`.
/// Compiles the recipe on each call: receivers should build a [`WebhookVerifier`] once.
pub fn verify_webhook(
    recipe: &Recipe,
    creds: &Credentials,
    headers: &HeaderMap,
    body: &[u8],
    enc: WebhookEncoding,
) -> Result<Map<String, Value>, Error> {
    WebhookVerifier::new(recipe, creds, enc)?.verify(headers, body)
}

/// Verifies a signed answer with the response signer over its headers (borrowed: copied only
/// for a template that reads one), its parsed fields and its bytes. An object on the answer's
/// tape is read as a wire tree borrowing from the body; a body outside the tape's subset as the
/// `serde_json` tree it was parsed into.
#[cfg(feature = "transport")]
pub(crate) fn verify_answer(
    signer: &Signer,
    raw: &RawResponse,
    clock: &dyn Clock,
) -> Result<(), SigningError> {
    let json = raw.json.as_ref();
    let wire = json.and_then(crate::engine::AnswerJson::wire_object);
    let tree = json
        .filter(|_| wire.is_none())
        .map(crate::engine::AnswerJson::value);
    let received = Received {
        method: "POST",
        path: "/",
        headers: (&raw.headers).into(),
        fields: tree.as_deref().and_then(Value::as_object),
        wire_fields: wire.as_ref(),
        body: &raw.body,
        ..Received::default()
    };
    verify_received(signer, &received, clock)
}

/// The values of the notification fields at `paths` joined by U+001F (the de-duplication key
/// a spec declares); `None` when any is missing or none is declared.
pub fn dedup_key(fields: &Map<String, Value>, paths: &[&str]) -> Option<String> {
    join_dedup_key(paths, |path| crate::signing::field_text(fields, path))
}

/// The texts `text` finds at `paths` joined by U+001F; `None` when any is missing or `paths`
/// is empty.
pub(crate) fn join_dedup_key(
    paths: &[&str],
    mut text: impl FnMut(&str) -> Option<String>,
) -> Option<String> {
    if paths.is_empty() {
        return None;
    }
    let mut out = String::new();
    for (i, path) in paths.iter().enumerate() {
        if i > 0 {
            out.push('\u{1f}');
        }
        out.push_str(&text(path)?);
    }
    Some(out)
}
