//! The wire hook: a user's code that observes or adjusts each outgoing request after it is
//! signed, and observes each answer (metrics, proxies, request ids, extra headers).
//!
//! The hook cannot make the engine send more than it would: it runs once per attempt, it sees
//! the body read-only (the signature covers it), and a money-moving request's body is handed to
//! the HTTP client in a form that cannot be replayed (no client-side retry or 307/308 redirect
//! can resend it). A hook that needs to count attempts sees [`OutgoingRequest::attempt`].

use std::fmt;
use std::time::Duration;

use super::Method;

/// One attempt's request, after signing, just before it is handed to the HTTP client.
///
/// Header values include credentials (`Authorization`, API keys): never log them.
pub struct OutgoingRequest<'a> {
    /// The provider's name.
    pub provider: &'static str,
    /// The operation's name.
    pub operation: &'static str,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// The method (not changeable: the signature may cover it).
    pub method: Method,
    /// The full URL; a hook may point it elsewhere (a proxy that forwards the same path).
    pub url: &'a mut reqwest::Url,
    /// The headers; a hook may add some (a request id, tracing context).
    pub headers: &'a mut http::HeaderMap,
    pub(crate) body: &'a [u8],
}

impl OutgoingRequest<'_> {
    /// The body bytes as signed (read-only).
    pub fn body(&self) -> &[u8] {
        self.body
    }
}

impl fmt::Debug for OutgoingRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingRequest")
            .field("provider", &self.provider)
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("method", &self.method)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// One attempt's answer head, as received (before the body is read).
#[derive(Debug)]
pub struct IncomingResponse<'a> {
    /// The provider's name.
    pub provider: &'static str,
    /// The operation's name.
    pub operation: &'static str,
    /// The attempt it answers (1-based).
    pub attempt: u32,
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: &'a http::HeaderMap,
    /// Time from handing the request to the HTTP client to the answer's head.
    pub elapsed: Duration,
}

/// One attempt's request as sent and its answer as received in full: what a recorder writes
/// down ([`crate::cassette::CassetteRecorder`]). Attempts that got no answer are not shown.
///
/// Header values and bodies include credentials and card data: never log them as they are.
pub struct Exchanged<'a> {
    /// The provider's name.
    pub provider: &'static str,
    /// The operation's name.
    pub operation: &'static str,
    /// The attempt (1-based).
    pub attempt: u32,
    /// Whether the spec verifies this operation's answers (a signed answer).
    pub verify_response: bool,
    /// The request's method.
    pub method: Method,
    /// The URL the request was sent to.
    pub url: &'a reqwest::Url,
    /// The request's headers as sent (after the hook's `on_request`).
    pub request_headers: &'a http::HeaderMap,
    /// The request's body as sent.
    pub request_body: &'a [u8],
    /// HTTP status of the answer.
    pub status: u16,
    /// The answer's headers.
    pub headers: &'a http::HeaderMap,
    /// The answer's body, before any verification or decoding.
    pub body: &'a [u8],
    /// Time from sending the request to the end of the answer's body.
    pub elapsed: Duration,
}

impl fmt::Debug for Exchanged<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exchanged")
            .field("provider", &self.provider)
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("status", &self.status)
            .field("request_body_len", &self.request_body.len())
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Observes or adjusts the exchange; set it in `EngineConfig::hook`. Both methods default to
/// doing nothing. They run on the request's task: keep them quick and never block.
///
/// ```
/// use paygen_runtime::engine::{Hook, OutgoingRequest};
///
/// #[derive(Debug)]
/// struct RequestId;
///
/// impl Hook for RequestId {
///     fn on_request(&self, request: &mut OutgoingRequest<'_>) {
///         let id = format!("{}-{}", request.operation, request.attempt);
///         if let Ok(value) = id.parse() {
///             request.headers.insert("x-request-id", value);
///         }
///     }
/// }
/// ```
pub trait Hook: Send + Sync + fmt::Debug {
    /// Called once per attempt, after signing, before the request is handed to the client.
    fn on_request(&self, request: &mut OutgoingRequest<'_>) {
        let _ = request;
    }

    /// Called once per answer received (any status), before its body is read.
    fn on_response(&self, response: &IncomingResponse<'_>) {
        let _ = response;
    }

    /// Called once per answer whose body was read in full, before it is verified or decoded:
    /// the request as sent and the answer. The engine copies the request's headers for it
    /// only when a hook is set.
    fn on_answer(&self, exchange: &Exchanged<'_>) {
        let _ = exchange;
    }
}
