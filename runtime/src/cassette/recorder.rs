//! Recording as a client transport: a [`Hook`] that appends every answered attempt of a client
//! to a cassette, scrubbed at write time, with the answer's signature checked before scrubbing
//! (the same check the engine makes) and the result stored.
//!
//! ```no_run
//! use std::sync::Arc;
//! use paygen_runtime::cassette::{CassetteRecorder, Scrubber};
//! use paygen_runtime::EngineConfig;
//!
//! // credential values are scrubbed; sensitive wire field names come from the spec
//! // (`paygen_record::client_recorder` builds both from a spec)
//! let scrubber = Scrubber::new(Default::default(), vec!["the-api-secret".into()]);
//! let recorder = Arc::new(CassetteRecorder::new("cassettes/provider.jsonl", scrubber));
//! let config = EngineConfig { hook: Some(recorder.clone()), ..EngineConfig::default() };
//! ```

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::{append, Exchange, ExchangeKind, Recorded, Scrubber, SignatureCheck};
use crate::clock::{Clock, SystemClock};
use crate::engine::{Exchanged, Hook};
use crate::exchange::RawResponse;
use crate::signing::Signer;

/// A hook that records a client's traffic into a cassette file (JSON Lines, appended).
pub struct CassetteRecorder {
    path: PathBuf,
    scrubber: Scrubber,
    answer_signer: Option<Signer>,
    clock: Arc<dyn Clock>,
    writing: Mutex<()>,
    recorded: AtomicUsize,
    failed: AtomicUsize,
}

impl std::fmt::Debug for CassetteRecorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CassetteRecorder")
            .field("path", &self.path)
            .field("verifies_answers", &self.answer_signer.is_some())
            .field("recorded", &self.recorded())
            .field("failed", &self.write_failures())
            .finish()
    }
}

impl CassetteRecorder {
    /// Records into `path` (created on the first answer), scrubbing with `scrubber`. Without
    /// [`CassetteRecorder::verifying_answers`] every answer is stored as `not_signed`.
    pub fn new(path: impl Into<PathBuf>, scrubber: Scrubber) -> CassetteRecorder {
        CassetteRecorder {
            path: path.into(),
            scrubber,
            answer_signer: None,
            clock: Arc::new(SystemClock),
            writing: Mutex::new(()),
            recorded: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
        }
    }

    /// Checks the signature of the answers of operations the spec verifies with `signer` (the
    /// provider's response recipe with the client's credentials) before scrubbing, and stores
    /// the result; `clock` judges signed timestamps.
    pub fn verifying_answers(mut self, signer: Signer, clock: Arc<dyn Clock>) -> CassetteRecorder {
        self.answer_signer = Some(signer);
        self.clock = clock;
        self
    }

    /// The cassette file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many exchanges were written.
    pub fn recorded(&self) -> usize {
        self.recorded.load(Ordering::Relaxed)
    }

    /// How many exchanges could not be written (a hook cannot fail the call; check this).
    pub fn write_failures(&self) -> usize {
        self.failed.load(Ordering::Relaxed)
    }

    fn signature(&self, ex: &Exchanged<'_>) -> SignatureCheck {
        let Some(signer) = &self.answer_signer else {
            return SignatureCheck::NotSigned;
        };
        if !ex.verify_response || !(200..300).contains(&ex.status) {
            return SignatureCheck::NotSigned;
        }
        let raw = RawResponse {
            status: ex.status,
            headers: ex.headers.clone(),
            body: bytes::Bytes::copy_from_slice(ex.body),
            json: crate::engine::AnswerJson::parse_tree(ex.body),
        };
        match crate::webhook::verify_answer(signer, &raw, self.clock.as_ref()) {
            Ok(()) => SignatureCheck::Verified,
            Err(_) => SignatureCheck::Mismatch,
        }
    }

    /// The exchange as it is written: scrubbed, with the signature check.
    pub fn exchange(&self, ex: &Exchanged<'_>) -> Exchange {
        let s = &self.scrubber;
        Exchange {
            kind: ExchangeKind::Call,
            operation: Some(ex.operation.to_string()),
            request: Recorded {
                method: Some(ex.method.as_str().to_string()),
                path: Some(ex.url.path().to_string()),
                query: ex.url.query().map(|q| s.scrub_text(q)),
                status: None,
                headers: s.scrub_headers(&pairs(ex.request_headers)),
                body: s.scrub_body(ex.request_body),
            },
            response: Recorded {
                method: None,
                path: None,
                query: None,
                status: Some(ex.status),
                headers: s.scrub_headers(&pairs(ex.headers)),
                body: s.scrub_body(ex.body),
            },
            signature: self.signature(ex),
        }
    }
}

fn pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

impl Hook for CassetteRecorder {
    fn on_answer(&self, exchange: &Exchanged<'_>) {
        let recorded = self.exchange(exchange);
        let _one_writer = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        match append(&self.path, &recorded) {
            Ok(()) => self.recorded.fetch_add(1, Ordering::Relaxed),
            Err(e) => {
                tracing::warn!(
                    operation = exchange.operation,
                    error = %e,
                    "paygen: cannot write the cassette"
                );
                self.failed.fetch_add(1, Ordering::Relaxed)
            }
        };
    }
}
