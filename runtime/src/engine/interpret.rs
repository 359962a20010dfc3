//! Interpreting an answer: response signature, provider error envelope, status class and
//! content kind, then the money-moving rule ([`settle`]): for a [`Repeat::Once`] operation,
//! every answer that does not prove the outcome is [`Error::OutcomeUnknown`].
//!
//! Status classes: 2xx is an answer to decode (a non-JSON body only where the spec declares
//! one); a recognised error envelope on a non-5xx answer is [`Error::Declined`]; 5xx is
//! [`Error::Server`] (never a decline: the provider may have acted); 3xx is an answer only
//! where the spec declares redirects; other non-2xx statuses are [`Error::Http`] unless the
//! spec documents typed shapes for them. 4xx statuses other than 409 are refusals (RFC 9110
//! §15.5: the provider did not act); 409 (a conflict may mean an earlier request went through),
//! 3xx and anything else undocumented leave a money-moving outcome open.

use super::answer::ContentKind;
use super::send::unknown;
use super::{config_err, trace, Engine, OperationMeta, RawResponse, Repeat};
use crate::error::{Error, UnknownCause};
use crate::redact::{excerpt, excerpt_text};
use crate::signing::SigningError;
use crate::wire_parse::AnswerJson;

impl Engine {
    /// The answer half of [`Engine::call`] for an answer received by other means (a replay, a
    /// benchmark): the body parsed, then verification, envelope, status class, content kind
    /// and `decode`, every error settled by the money-moving rule, exactly as a call does.
    pub fn receive<T>(
        &self,
        op: &OperationMeta,
        status: u16,
        headers: http::HeaderMap,
        body: bytes::Bytes,
        decode: impl FnOnce(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let json = AnswerJson::parse(&body);
        let raw = RawResponse {
            status,
            headers,
            body,
            json,
        };
        self.interpret(op, raw)
            .and_then(|raw| decode(&raw))
            .map_err(|e| settle(op, e))
    }

    /// Verification, provider error envelope, status class, content kind, in that order.
    pub(super) fn interpret(
        &self,
        op: &OperationMeta,
        raw: RawResponse,
    ) -> Result<RawResponse, Error> {
        let status = raw.status;
        let success = (200..300).contains(&status);
        if success && op.verify_response {
            self.verify_response(op, &raw).inspect_err(|_| {
                trace::bad_signature(op.name, "response");
            })?;
        }
        let envelope = op.provider_error.and_then(|recognise| recognise(&raw));
        if status >= 500 {
            return Err(Error::Server {
                operation: op.name,
                status,
                code: envelope.map(|pe| excerpt_text(&pe.code)),
                body_excerpt: excerpt(&raw.body),
            });
        }
        if let Some(pe) = envelope {
            return Err(Error::Declined {
                operation: op.name,
                http_status: status,
                code: excerpt_text(&pe.code),
                message: excerpt_text(&pe.message),
            });
        }
        let declared_redirect = (300..400).contains(&status)
            && op.answers.redirect
            && raw.headers.contains_key(http::header::LOCATION);
        let documented = success || declared_redirect || (op.typed_error_statuses && status >= 400);
        if !documented {
            return Err(Error::Http {
                operation: op.name,
                status,
                body_excerpt: excerpt(&raw.body),
            });
        }
        if success {
            check_content(op, &raw)?;
        }
        Ok(raw)
    }

    fn verify_response(&self, op: &OperationMeta, raw: &RawResponse) -> Result<(), Error> {
        let signer = self.inner.response_signer.as_ref().ok_or_else(|| {
            config_err(format!(
                "{}: verifies its answer but the provider has no response recipe",
                op.name
            ))
        })?;
        let clock = self.inner.clock.as_ref();
        crate::webhook::verify_answer(signer, raw, clock).map_err(|e| match e {
            SigningError::InvalidRecipe(_)
            | SigningError::MissingCredential(_)
            | SigningError::BadKey(_) => config_err(e.to_string()),
            _ => Error::BadSignature {
                operation: op.name,
                what: "response",
            },
        })
    }
}

/// A 2xx body the operation cannot have: non-JSON where only JSON is declared.
fn check_content(op: &OperationMeta, raw: &RawResponse) -> Result<(), Error> {
    let kind = ContentKind::of(raw);
    let a = op.answers;
    let fine = match kind {
        ContentKind::Empty => true,
        ContentKind::Json => a.json,
        ContentKind::Html => a.html || a.form,
        ContentKind::Text => a.text,
        ContentKind::Other => false,
    } || (a.json && raw.json.is_some());
    if fine {
        return Ok(());
    }
    Err(Error::Undecodable {
        operation: op.name,
        reason: format!(
            "the answer is {}, which the operation does not declare",
            kind.describe()
        ),
        body_excerpt: excerpt(&raw.body),
    })
}

/// A 4xx status that proves the provider did not act on the request.
fn is_refusal(status: u16) -> bool {
    (400..500).contains(&status) && status != 409
}

/// The money-moving rule, applied to every error a call returns (the engine's and the
/// generated decoder's): for a [`Repeat::Once`] operation, an undecodable or badly signed
/// answer, a server error or an unexpected status becomes [`Error::OutcomeUnknown`], which
/// names how to reconcile. Errors of safe operations, and errors that prove the outcome
/// (nothing sent, declined, refused), pass unchanged.
pub fn settle(op: &OperationMeta, error: Error) -> Error {
    if matches!(op.repeat, Repeat::Safe) {
        return error;
    }
    match error {
        Error::Undecodable {
            reason,
            body_excerpt,
            ..
        } => unknown(
            op,
            UnknownCause::Undecodable,
            format!("the answer could not be decoded: {reason}; body starts: {body_excerpt}"),
        ),
        Error::BadSignature { .. } => unknown(
            op,
            UnknownCause::BadSignature,
            "the answer's signature is missing or does not verify".into(),
        ),
        Error::Server {
            status,
            body_excerpt,
            ..
        } => unknown(
            op,
            UnknownCause::ServerError(status),
            format!(
                "the provider answered HTTP {status} (a server error); body starts: {body_excerpt}"
            ),
        ),
        Error::Declined { http_status, .. } if http_status >= 500 => unknown(
            op,
            UnknownCause::ServerError(http_status),
            format!("the provider answered HTTP {http_status} (a server error)"),
        ),
        Error::Http { status, .. } if !is_refusal(status) => unknown(
            op,
            UnknownCause::UnexpectedStatus(status),
            format!("the provider answered HTTP {status}, which the operation does not document"),
        ),
        other => other,
    }
}
