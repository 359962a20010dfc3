//! The runtime's one error type, split by phase: what was (not) sent and what is known.
//!
//! The phase decides what a caller may do next: after [`Error::InvalidRequest`],
//! [`Error::NotConnected`] or [`Error::Config`] nothing reached the provider and a fixed request
//! may be sent again; after [`Error::OutcomeUnknown`] the provider may have acted on the request
//! (money may have moved) and the only safe next step is to ask the named status operation.
//! Errors never contain secrets; body excerpts are short and pass through
//! [`crate::redact::redact_text`].
//!
//! For a money-moving operation ([`crate::engine::Repeat::Once`]) every answer that does not
//! prove the outcome (timeout, reset, truncated or undecodable body, bad response signature,
//! 5xx, an unexpected status or content) is [`Error::OutcomeUnknown`], with the
//! [`UnknownCause`] saying which; [`Error::class`] sorts any error into an [`OutcomeClass`].

use std::fmt;

use crate::field_errors::ValidationErrors;
use crate::reconcile::Reconcile;

/// What went wrong, by phase.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke the spec's rules; nothing was sent. Lists every bad field.
    #[error("{0}")]
    InvalidRequest(ValidationErrors),

    /// No connection could be made (refused, DNS, TLS handshake); nothing was sent.
    #[error("{operation}: could not connect, nothing was sent: {reason}")]
    NotConnected {
        /// The operation.
        operation: &'static str,
        /// Why, in words (no secrets, no URL query).
        reason: String,
    },

    /// The request was sent and no answer proves what the provider did: a timeout or reset
    /// before a complete answer, or (for a money-moving operation) a truncated, undecodable or
    /// badly signed body, a 5xx, an unexpected status or content. The provider may or may not
    /// have acted on it.
    #[error("{}", outcome_unknown_text(operation, *money_moving, reconcile, reason))]
    OutcomeUnknown {
        /// The operation.
        operation: &'static str,
        /// Whether the operation moves money (a blind retry could charge twice).
        money_moving: bool,
        /// How to resolve the outcome, as data: a lookup with its key, or the notification to
        /// await (see [`Reconcile`]; a generated client's `resolve(&error)` runs a lookup).
        reconcile: Reconcile,
        /// What happened on the wire.
        reason: String,
        /// Which kind of answer (or non-answer) left the outcome open.
        cause: UnknownCause,
    },

    /// A safe operation got a server error (HTTP 5xx) on its last attempt. Never a decline:
    /// the provider did not say no, it failed to answer.
    #[error("{operation}: server error HTTP {status}{}: {body_excerpt}", provider_code_text(code.as_deref()))]
    Server {
        /// The operation.
        operation: &'static str,
        /// HTTP status code (500..=599).
        status: u16,
        /// The provider's error code, when its error envelope was recognised.
        code: Option<String>,
        /// Redacted start of the body.
        body_excerpt: String,
    },

    /// No access token could be obtained from the provider's token endpoint; the operation's
    /// request was not sent.
    #[error("{operation}: could not obtain an access token, nothing was sent: {reason}")]
    Auth {
        /// The operation.
        operation: &'static str,
        /// Why, in words (the token endpoint's error code at most; never a credential).
        reason: String,
    },

    /// The provider answered with a non-success HTTP status and no recognised error envelope.
    #[error("{operation}: HTTP {status}: {body_excerpt}")]
    Http {
        /// The operation.
        operation: &'static str,
        /// HTTP status code.
        status: u16,
        /// Redacted start of the body.
        body_excerpt: String,
    },

    /// The provider answered with its error envelope (declined, rejected, ...).
    #[error("{operation}: declined by the provider (HTTP {http_status}): {code}: {message}")]
    Declined {
        /// The operation.
        operation: &'static str,
        /// HTTP status code of the answer.
        http_status: u16,
        /// The provider's error code.
        code: String,
        /// The provider's error message (redacted).
        message: String,
    },

    /// The answer could not be read as the spec describes it.
    #[error("{operation}: could not decode the answer: {reason}; body starts: {body_excerpt}")]
    Undecodable {
        /// The operation.
        operation: &'static str,
        /// The decoder's complaint (redacted).
        reason: String,
        /// Redacted start of the body.
        body_excerpt: String,
    },

    /// A signature did not verify (or was missing).
    #[error("{operation}: the {what} signature is missing or does not verify")]
    BadSignature {
        /// The operation (or `"webhook"`).
        operation: &'static str,
        /// `"response"` or `"webhook"`.
        what: &'static str,
    },

    /// The client is misconfigured (missing credential, unknown host, bad URL); nothing was sent.
    #[error("configuration: {0}")]
    Config(String),
}

impl Error {
    /// The request was sent and its outcome is unknown: reconcile, do not retry blindly.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// Nothing reached the provider: the request may be fixed and sent again.
    pub fn nothing_sent(&self) -> bool {
        matches!(
            self,
            Error::InvalidRequest(_)
                | Error::NotConnected { .. }
                | Error::Config(_)
                | Error::Auth { .. }
        )
    }

    /// How to resolve an unknown outcome (only [`Error::OutcomeUnknown`] has one).
    pub fn reconcile(&self) -> Option<&Reconcile> {
        match self {
            Error::OutcomeUnknown { reconcile, .. } => Some(reconcile),
            _ => None,
        }
    }

    /// This error with `with` (which carries the request's key values) in place of an unknown
    /// outcome's key-less advice; other errors are returned unchanged.
    pub fn reconciled(mut self, with: Reconcile) -> Error {
        if let Error::OutcomeUnknown { reconcile, .. } = &mut self {
            if reconcile.lacks_key() || *reconcile == Reconcile::Unspecified {
                *reconcile = with;
            }
        }
        self
    }

    /// The outcome class of this error (what is known about the provider's side).
    pub fn class(&self) -> OutcomeClass {
        match self {
            Error::InvalidRequest(_)
            | Error::NotConnected { .. }
            | Error::Config(_)
            | Error::Auth { .. } => OutcomeClass::NotSent,
            Error::OutcomeUnknown { .. } => OutcomeClass::Unknown,
            Error::Http { .. } => OutcomeClass::Refused,
            Error::Declined { .. } => OutcomeClass::Declined,
            Error::Server { .. } => OutcomeClass::ServerError,
            Error::Undecodable { .. } => OutcomeClass::Undecodable,
            Error::BadSignature { .. } => OutcomeClass::BadSignature,
        }
    }

    /// The operation named in the error, when there is one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::NotConnected { operation, .. }
            | Error::OutcomeUnknown { operation, .. }
            | Error::Http { operation, .. }
            | Error::Declined { operation, .. }
            | Error::Undecodable { operation, .. }
            | Error::BadSignature { operation, .. }
            | Error::Server { operation, .. }
            | Error::Auth { operation, .. } => Some(operation),
            Error::InvalidRequest(_) | Error::Config(_) => None,
        }
    }
}

impl From<ValidationErrors> for Error {
    fn from(errors: ValidationErrors) -> Self {
        Error::InvalidRequest(errors)
    }
}

/// What is known about the provider's side after a call: the class tracing reports and the
/// classifier's tests are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutcomeClass {
    /// The answer proves the outcome (a documented answer, decoded and verified).
    Succeeded,
    /// Nothing reached the provider (invalid request, no connection, configuration, no token).
    NotSent,
    /// The provider refused the request with its error envelope.
    Declined,
    /// The provider refused the request with a 4xx status and no envelope.
    Refused,
    /// A safe operation got a 5xx answer.
    ServerError,
    /// A safe operation's answer could not be decoded.
    Undecodable,
    /// A safe operation's answer carried a bad or missing signature.
    BadSignature,
    /// The request was sent and the answer does not prove what happened.
    Unknown,
}

impl OutcomeClass {
    /// Short snake_case name (the value of the tracing field `outcome`).
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeClass::Succeeded => "succeeded",
            OutcomeClass::NotSent => "not_sent",
            OutcomeClass::Declined => "declined",
            OutcomeClass::Refused => "refused",
            OutcomeClass::ServerError => "server_error",
            OutcomeClass::Undecodable => "undecodable",
            OutcomeClass::BadSignature => "bad_signature",
            OutcomeClass::Unknown => "unknown",
        }
    }
}

impl fmt::Display for OutcomeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an outcome is unknown: what the wire gave instead of a proving answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnknownCause {
    /// No answer (or no complete body) within the timeout.
    Timeout,
    /// The connection was closed or reset before a complete answer arrived.
    Reset,
    /// The body ended before its announced length (or the stream broke mid-body).
    TruncatedBody,
    /// The answer could not be decoded as any documented shape.
    Undecodable,
    /// The answer's signature was missing or did not verify.
    BadSignature,
    /// A server error (HTTP 5xx).
    ServerError(u16),
    /// A status the operation does not document (3xx, 409, 1xx, ...).
    UnexpectedStatus(u16),
    /// A content type the operation does not document (e.g. HTML where JSON is expected).
    UnexpectedContent,
    /// The HTTP client followed a redirect, so the provider's own answer was not seen.
    RedirectFollowed,
}

impl UnknownCause {
    /// Short snake_case name (the value of the tracing field `cause`).
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownCause::Timeout => "timeout",
            UnknownCause::Reset => "reset",
            UnknownCause::TruncatedBody => "truncated_body",
            UnknownCause::Undecodable => "undecodable",
            UnknownCause::BadSignature => "bad_signature",
            UnknownCause::ServerError(_) => "server_error",
            UnknownCause::UnexpectedStatus(_) => "unexpected_status",
            UnknownCause::UnexpectedContent => "unexpected_content",
            UnknownCause::RedirectFollowed => "redirect_followed",
        }
    }
}

fn provider_code_text(code: Option<&str>) -> String {
    code.map(|c| format!(" (provider code {c})"))
        .unwrap_or_default()
}

fn outcome_unknown_text(
    operation: &str,
    money_moving: bool,
    reconcile: &Reconcile,
    reason: &str,
) -> String {
    let what = if money_moving {
        "the request was sent and the provider may have acted on it (money may have moved)"
    } else {
        "the request was sent and the provider may have acted on it"
    };
    let next = reconcile.describe();
    format!(
        "{operation}: outcome unknown: {what}, but no answer proves what happened ({reason}); \
         {next}; do not retry blindly"
    )
}

impl ValidationErrors {
    /// `Ok(())` when empty, else [`Error::InvalidRequest`].
    pub fn into_result(self) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidRequest(self))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_unknown_names_the_status_operation_and_is_not_a_failure() {
        let e = Error::OutcomeUnknown {
            operation: "create_payment",
            money_moving: true,
            reconcile: Reconcile::Lookup {
                operation: "get_payment",
                key: Box::default(),
            },
            reason: "no answer within 300ms".into(),
            cause: UnknownCause::Timeout,
        };
        let text = e.to_string();
        assert!(text.contains("outcome unknown"));
        assert!(text.contains("`get_payment`"));
        assert!(text.contains("do not retry blindly"));
        assert!(text.contains("money may have moved"));
        assert!(!text.to_lowercase().contains("fail"));
        assert!(e.is_outcome_unknown());
        assert!(!e.nothing_sent());
        assert_eq!(e.operation(), Some("create_payment"));
        assert_eq!(e.class(), OutcomeClass::Unknown);
    }

    #[test]
    fn server_error_is_not_a_decline_and_something_was_sent() {
        let e = Error::Server {
            operation: "balances",
            status: 503,
            code: Some("unavailable".into()),
            body_excerpt: "{}".into(),
        };
        assert_eq!(e.class(), OutcomeClass::ServerError);
        assert!(!e.nothing_sent() && !e.is_outcome_unknown());
        assert_eq!(
            e.to_string(),
            "balances: server error HTTP 503 (provider code unavailable): {}"
        );
        let a = Error::Auth {
            operation: "pay",
            reason: "invalid_client".into(),
        };
        assert!(a.nothing_sent());
        assert_eq!(a.class(), OutcomeClass::NotSent);
    }

    #[test]
    fn phases() {
        let nc = Error::NotConnected {
            operation: "x",
            reason: "refused".into(),
        };
        assert!(nc.nothing_sent() && !nc.is_outcome_unknown());
        assert!(Error::Config("x".into()).nothing_sent());
        let mut v = ValidationErrors::default();
        v.push("amount", "range", "must be at least 0");
        let e: Error = v.into();
        assert!(e.nothing_sent());
        assert_eq!(
            e.to_string(),
            "invalid request: 1 problem: amount: must be at least 0"
        );
        let h = Error::Http {
            operation: "x",
            status: 500,
            body_excerpt: "oops".into(),
        };
        assert!(!h.nothing_sent());
        assert_eq!(h.to_string(), "x: HTTP 500: oops");
    }
}
