//! The engine's data: operation and provider descriptions, transport settings, and the
//! request/answer values (with Debug output that never shows secrets or card numbers).

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use crate::redact::{excerpt, redact_text};
use crate::secret::Secret;
use crate::signing::Recipe;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET (a body map becomes the query string).
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
    /// PATCH.
    Patch,
}

impl Method {
    /// Upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
            Method::Patch => reqwest::Method::PATCH,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the request body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyEncoding {
    /// Compact JSON, `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// No body; fields (if any) go into the query string.
    None,
}

/// Whether an operation may be sent again after an unknown outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Repeat {
    /// Safe to repeat (naturally idempotent, or carries an idempotency key): retried.
    Safe,
    /// Sent exactly once; an unknown outcome names the status operation to reconcile with.
    Once {
        /// The status operation.
        reconcile_with: Option<&'static str>,
    },
}

/// How requests authenticate (besides signatures).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthSpec {
    /// `(header, credential)`: the header carries the credential's value. The credential part
    /// may also be a template such as `"Bearer {api_key}"` (each `{name}` is a credential).
    pub headers: &'static [(&'static str, &'static str)],
    /// HTTP Basic: `(user credential, password credential)`.
    pub basic: Option<(&'static str, &'static str)>,
}

/// A provider's own error code and message, recognised in an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderError {
    /// The provider's code.
    pub code: String,
    /// The provider's message.
    pub message: String,
}

/// Static description of one operation.
#[derive(Debug, Clone, Copy)]
pub struct OperationMeta {
    /// Operation name (`create_payment`).
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Host name key into the engine's base URLs (`"default"` for the main one).
    pub host: &'static str,
    /// Path; `{field}` placeholders are filled from (and removed from) the body fields.
    pub path: &'static str,
    /// Body encoding.
    pub encoding: BodyEncoding,
    /// Whether a retry is safe.
    pub repeat: Repeat,
    /// Whether the operation moves money.
    pub money_moving: bool,
    /// Sign the request with the provider's request recipe.
    pub sign_request: bool,
    /// Verify 2xx answers with the provider's response recipe.
    pub verify_response: bool,
    /// Recognises the provider's error envelope.
    pub provider_error: Option<fn(&RawResponse) -> Option<ProviderError>>,
    /// Non-2xx answers are documented response shapes (e.g. a typed decline on HTTP 400): they
    /// go to the generated decoder, which reports `Error::Http` when no documented shape matches.
    pub typed_error_statuses: bool,
}

/// Static description of a provider.
#[derive(Debug, Clone)]
pub struct ProviderMeta {
    /// Provider name.
    pub name: &'static str,
    /// Authentication.
    pub auth: AuthSpec,
    /// Recipe signing requests (operations with `sign_request`).
    pub request_recipe: Option<Recipe>,
    /// Recipe verifying answers (operations with `verify_response`).
    pub response_recipe: Option<Recipe>,
}

/// Transport settings.
#[derive(Clone)]
pub struct EngineConfig {
    /// Time allowed to connect (default 10 s).
    pub connect_timeout: Duration,
    /// Time allowed for the whole exchange (default 60 s).
    pub timeout: Duration,
    /// Retries of [`Repeat::Safe`] operations (default 2).
    pub max_retries: u32,
    /// First retry delay, doubled each time (default 200 ms).
    pub retry_backoff: Duration,
    /// Cap on `Retry-After` and on backoff delays (default 10 s).
    pub max_retry_after: Duration,
    /// Headers added to every request (e.g. sandbox fault injection).
    pub extra_headers: Vec<(String, String)>,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_retries: 2,
            retry_backoff: Duration::from_millis(200),
            max_retry_after: Duration::from_secs(10),
            extra_headers: Vec::new(),
        }
    }
}

impl fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.extra_headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("EngineConfig")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_backoff", &self.retry_backoff)
            .field("max_retry_after", &self.max_retry_after)
            .field("extra_headers", &names)
            .finish()
    }
}

/// An answer as received.
#[derive(Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: http::HeaderMap,
    /// Body bytes.
    pub body: bytes::Bytes,
    /// The body parsed as JSON, when it is JSON (whatever the content type).
    pub json: Option<Value>,
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field(
                "headers",
                &self.headers.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            )
            .field("body", &excerpt(&self.body))
            .finish()
    }
}

/// A request exactly as it would be sent (after signing).
#[derive(Clone)]
pub struct PreparedRequest {
    /// Method.
    pub method: Method,
    /// Full URL (with query string).
    pub url: String,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    pub(crate) masked_headers: Vec<String>,
    pub(crate) secrets: std::sync::Arc<[Secret]>,
}

impl PreparedRequest {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `text` with card numbers, sensitive keys and every credential value masked.
    fn scrub(&self, text: &str) -> String {
        let mut out = redact_text(text);
        for s in self.secrets.iter() {
            if s.expose().len() >= 4 {
                out = out.replace(s.expose(), "***");
            }
        }
        out
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let masked = self
                    .masked_headers
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(k));
                (k.clone(), if masked { "***".into() } else { self.scrub(v) })
            })
            .collect();
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.scrub(&self.url))
            .field("headers", &headers)
            .field("body", &self.scrub(&String::from_utf8_lossy(&self.body)))
            .finish()
    }
}
