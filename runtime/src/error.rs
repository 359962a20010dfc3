//! The runtime's one error type, split by phase: what was (not) sent and what is known.
//!
//! The phase decides what a caller may do next: after [`Error::InvalidRequest`],
//! [`Error::NotConnected`] or [`Error::Config`] nothing reached the provider and a fixed request
//! may be sent again; after [`Error::OutcomeUnknown`] the provider may have acted on the request
//! (money may have moved) and the only safe next step is to ask the named status operation.
//! Errors never contain secrets; body excerpts are short and pass through
//! [`crate::redact::redact_text`].

use crate::reconcile::Reconcile;
use crate::validate::ValidationErrors;

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

    /// The request was sent, then the connection timed out or was reset before a complete
    /// response arrived. The provider may or may not have acted on it.
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
            Error::InvalidRequest(_) | Error::NotConnected { .. } | Error::Config(_)
        )
    }

    /// How to resolve an unknown outcome (only [`Error::OutcomeUnknown`] has one).
    pub fn reconcile(&self) -> Option<&Reconcile> {
        match self {
            Error::OutcomeUnknown { reconcile, .. } => Some(reconcile),
            _ => None,
        }
    }

    /// This error with `reconcile` (which carries the request's key values) in place of an
    /// unknown outcome's key-less advice; other errors are returned unchanged.
    pub fn reconciled(self, with: Reconcile) -> Error {
        match self {
            Error::OutcomeUnknown {
                operation,
                money_moving,
                reconcile,
                reason,
            } => Error::OutcomeUnknown {
                operation,
                money_moving,
                reconcile: if reconcile.lacks_key() || reconcile == Reconcile::Unspecified {
                    with
                } else {
                    reconcile
                },
                reason,
            },
            other => other,
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
            | Error::BadSignature { operation, .. } => Some(operation),
            Error::InvalidRequest(_) | Error::Config(_) => None,
        }
    }
}

impl From<ValidationErrors> for Error {
    fn from(errors: ValidationErrors) -> Self {
        Error::InvalidRequest(errors)
    }
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
        "{operation}: outcome unknown: {what}, but no complete answer arrived ({reason}); \
         {next}; do not retry blindly"
    )
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
                key: serde_json::Map::new(),
            },
            reason: "no answer within 300ms".into(),
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
