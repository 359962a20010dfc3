//! The engine's tracing: one `paygen.call` span per operation call and events for retries,
//! token refreshes and signature failures. Fields carry names, numbers and classes only:
//! never a credential, a token, a body or a header value other than the provider's request id
//! (which is redacted and cut short).

use std::time::Instant;

use tracing::field::Empty;
use tracing::Span;

use super::OperationMeta;
use crate::error::{Error, OutcomeClass};
use crate::redact::{redact_text, truncate_chars};

/// Span name of one operation call.
pub const CALL_SPAN: &str = "paygen.call";

/// The span of one call: provider, operation, money_moving now; attempt, http_status,
/// request_id, outcome, cause and elapsed_ms when known.
pub(crate) fn call_span(provider: &str, op: &OperationMeta) -> Span {
    tracing::info_span!(
        "paygen.call",
        provider = provider,
        operation = op.name,
        money_moving = op.money_moving,
        attempt = Empty,
        http_status = Empty,
        request_id = Empty,
        outcome = Empty,
        cause = Empty,
        elapsed_ms = Empty,
    )
}

/// Records the attempt being made (1-based).
pub(crate) fn attempt(attempt: u32) {
    Span::current().record("attempt", attempt);
}

/// Records an answer's status and the provider's request id header, when named.
pub(crate) fn answer(status: u16, headers: &http::HeaderMap, request_id_header: Option<&str>) {
    let span = Span::current();
    span.record("http_status", status);
    let id = request_id_header
        .and_then(|h| headers.get(h))
        .and_then(|v| v.to_str().ok());
    if let Some(id) = id {
        span.record("request_id", redact_text(&truncate_chars(id, 128)).as_str());
    }
}

/// When the call started, for its span: `None` when the span records nothing (no subscriber
/// listens), so an unheard call reads no clock for it.
pub(crate) fn started(span: &Span) -> Option<Instant> {
    (!span.is_disabled()).then(Instant::now)
}

/// Records how the call ended (in its span, when it records: see [`started`]).
pub(crate) fn finish<T>(result: &Result<T, Error>, started: Option<Instant>) {
    let class = match result {
        Ok(_) => OutcomeClass::Succeeded,
        Err(e) => e.class(),
    };
    if let Some(started) = started {
        let span = Span::current();
        span.record("outcome", class.as_str());
        if let Err(Error::OutcomeUnknown { cause, .. }) = result {
            span.record("cause", cause.as_str());
        }
        let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("elapsed_ms", elapsed);
    }
    match result {
        Ok(_) => tracing::debug!(outcome = class.as_str(), "call finished"),
        Err(_) => tracing::info!(outcome = class.as_str(), "call finished"),
    }
}

/// A retry is about to happen after `delay_ms`.
pub(crate) fn retry(next_attempt: u32, delay_ms: u64, reason: &'static str) {
    tracing::info!(next_attempt, delay_ms, reason, "retrying a safe operation");
}

/// A response or webhook signature did not verify.
pub(crate) fn bad_signature(op: &'static str, what: &'static str) {
    tracing::warn!(operation = op, what, "signature missing or does not verify");
}

/// The provider refused the bearer token (401): one refresh and resend.
pub(crate) fn token_refused(op: &'static str) {
    tracing::info!(
        operation = op,
        "bearer token refused (HTTP 401): refreshing it and sending once more"
    );
}
