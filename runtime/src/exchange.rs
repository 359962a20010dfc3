//! What one exchange with a provider is made of, as plain data shared by the engine and the
//! modules around it (validation, wire encoding, webhooks, reconciliation, recording): the static
//! description of an operation ([`OperationMeta`] with its [`Method`], [`BodyEncoding`],
//! [`Repeat`] and [`Resolve`]) and the answer as received ([`RawResponse`]). A leaf module: it
//! names no other module of the runtime but `redact` and `wire_parse` (the parsed body, itself a
//! leaf), so everything can depend on it.

use std::fmt;
use std::time::Duration;

use crate::redact::excerpt;
use crate::wire_parse::AnswerJson;

/// `(target field, source path)` pairs: the target is a wire field of the lookup request (or a
/// dotted path in the notification); the source is a dotted wire path in the original request.
pub type KeyMap = &'static [(&'static str, &'static str)];

/// How the spec says an unknown outcome of one operation is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resolve {
    /// Ask this (safe) lookup operation; its request fields come from the original request.
    Lookup {
        /// The lookup operation's name.
        operation: &'static str,
        /// Lookup request field <- original request path.
        key: KeyMap,
    },
    /// No lookup exists: the final state arrives as one of these notifications.
    AwaitCallback {
        /// Event kinds (names of the spec's `webhooks.events`) that carry the final state.
        events: &'static [&'static str],
        /// Notification path <- original request path (how to recognise the transaction).
        key: KeyMap,
    },
    /// The spec names no resolution (operations that move no money may leave it out).
    Unspecified,
}

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

    #[cfg(feature = "transport")]
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
    /// Sent exactly once; an unknown outcome carries how to resolve it.
    Once {
        /// How the spec says an unknown outcome is resolved.
        resolve: Resolve,
    },
}

/// What an operation may answer besides (or instead of) JSON: the spec's `answers` list.
/// Anything else is an unexpected answer (for a money-moving operation: an unknown outcome).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Answers {
    /// A JSON body (the documented response types).
    pub json: bool,
    /// A 3xx redirect with a `Location` header.
    pub redirect: bool,
    /// An HTML page, kept as text.
    pub html: bool,
    /// A plain-text body.
    pub text: bool,
    /// An HTML page holding a form to post (3-D Secure style): its action and fields.
    pub form: bool,
}

impl Answers {
    /// JSON only (the default).
    pub const JSON: Answers = Answers {
        json: true,
        redirect: false,
        html: false,
        text: false,
        form: false,
    };

    /// True when only JSON is declared (the generated method returns the decoded type itself).
    pub fn json_only(self) -> bool {
        self == Answers::JSON
    }
}

impl Default for Answers {
    fn default() -> Self {
        Answers::JSON
    }
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
    /// The `Accept` header value (from the spec's `answers`; `application/json` by default).
    pub accept: &'static str,
    /// What the operation may answer (JSON, redirect, HTML, text, auto-post form).
    pub answers: Answers,
    /// Total time allowed for each attempt, from the spec (`timeout_ms`); `None` uses
    /// [`EngineConfig::timeout`]. [`CallOptions::timeout`] beats both.
    ///
    /// [`EngineConfig::timeout`]: crate::EngineConfig::timeout
    /// [`CallOptions::timeout`]: crate::engine::CallOptions::timeout
    pub timeout: Option<Duration>,
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
    pub json: Option<AnswerJson>,
}

impl RawResponse {
    /// An answer with its body parsed ([`AnswerJson::parse`]).
    pub fn new(status: u16, headers: http::HeaderMap, body: bytes::Bytes) -> RawResponse {
        let json = AnswerJson::parse(&body);
        RawResponse {
            status,
            headers,
            body,
            json,
        }
    }
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
