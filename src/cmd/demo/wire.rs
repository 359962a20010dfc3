//! `paygen demo --verbose`: the wire exchange of each step, captured by the engine's [`Hook`]
//! (after signing, as sent; the answer as received) and shown only through the runtime's
//! cassette scrubber built from the spec (cards 6+4, CVVs, passwords and secrets removed,
//! personal data faked, credential values and auth headers masked).

use std::collections::HashMap;
use std::sync::Mutex;

use paygen_runtime::cassette::Scrubber;
use paygen_runtime::engine::{Exchanged, Hook, OutgoingRequest};
use paygen_runtime::redact::{escape_controls, truncate_chars};

/// Longest body text shown (a redirect page can be long); a cut ends in `…`.
const BODY_CHARS: usize = 600;

/// The verbose transcript's hook: collects redacted wire lines until the demo prints them.
#[derive(Debug, Default)]
pub struct WireLog {
    scrubbers: HashMap<String, Scrubber>,
    unknown: Scrubber,
    lines: Mutex<Vec<String>>,
}

impl WireLog {
    /// A log with one scrubber per provider (its spec's sensitive fields and its credentials).
    pub fn new(scrubbers: HashMap<String, Scrubber>) -> WireLog {
        WireLog {
            scrubbers,
            ..WireLog::default()
        }
    }

    /// The lines captured since the last call, oldest first.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.lines.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn scrubber(&self, provider: &str) -> &Scrubber {
        self.scrubbers.get(provider).unwrap_or(&self.unknown)
    }

    fn push(&self, line: String) {
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(line);
    }

    fn push_body(&self, arrow: char, scrubber: &Scrubber, body: &[u8]) {
        if !body.is_empty() {
            let text = escape_controls(&scrubber.scrub_body(body));
            self.push(format!("{arrow} {}", truncate_chars(&text, BODY_CHARS)));
        }
    }
}

impl Hook for WireLog {
    fn on_request(&self, request: &mut OutgoingRequest<'_>) {
        let scrubber = self.scrubber(request.provider);
        let target = match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_string(),
        };
        self.push(format!(
            "> {} {} HTTP/1.1 (attempt {})",
            request.method,
            scrubber.scrub_text(&target),
            request.attempt
        ));
        let headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(k, v)| {
                let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (k.as_str().to_string(), value)
            })
            .collect();
        for (name, value) in scrubber.scrub_headers(&headers) {
            self.push(format!("> {name}: {}", escape_controls(&value)));
        }
        self.push_body('>', scrubber, request.body());
    }

    fn on_answer(&self, answer: &Exchanged<'_>) {
        let scrubber = self.scrubber(answer.provider);
        self.push(format!(
            "< HTTP {} ({} ms)",
            answer.status,
            answer.elapsed.as_millis()
        ));
        self.push_body('<', scrubber, answer.body);
    }
}
