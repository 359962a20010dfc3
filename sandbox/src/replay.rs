//! Answers from cassettes (`paygen sandbox --replay DIR`): a request the sandbox has routed and
//! checked (auth, signature, body rules) is answered with a recorded answer of the same provider and
//! operation when one matches, and by the rules otherwise.
//!
//! Matching: with key fields declared (`--replay-key invoiceId`), the recorded call whose request
//! carries the same values in those top-level fields (as recorded, i.e. after scrubbing: choose
//! keys that are not sensitive); without keys, the operation's recorded calls in their recorded
//! order, each once. A request no recorded call matches (or once they are used up) falls back to
//! the rules, which know nothing of replayed transactions. An answer whose signature verified
//! at record time is signed again, over its scrubbed form, with the spec's test credentials.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use paygen_runtime::cassette::{self, Exchange, ExchangeKind, SignatureCheck};
use paygen_runtime::json_path::text_of;
use serde_json::{Map, Value};

use crate::http::Response;
use crate::provider::Provider;

/// Recorded calls by provider and operation, and how requests pick them.
pub struct Replay {
    calls: HashMap<(String, String), Vec<Exchange>>,
    keys: Vec<String>,
    used: Mutex<HashMap<(String, String), usize>>,
}

impl std::fmt::Debug for Replay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replay")
            .field("operations", &self.calls.len())
            .field("keys", &self.keys)
            .finish()
    }
}

impl Replay {
    /// Replays `cassettes` (provider id, its recorded exchanges), matching by `keys`.
    pub fn new(cassettes: Vec<(String, Vec<Exchange>)>, keys: Vec<String>) -> Replay {
        let mut calls: HashMap<(String, String), Vec<Exchange>> = HashMap::new();
        for (provider, exchanges) in cassettes {
            for ex in exchanges
                .into_iter()
                .filter(|e| e.kind == ExchangeKind::Call)
            {
                if let Some(op) = ex.operation.clone() {
                    calls.entry((provider.clone(), op)).or_default().push(ex);
                }
            }
        }
        Replay {
            calls,
            keys,
            used: Mutex::new(HashMap::new()),
        }
    }

    /// Every `<provider>.jsonl` of `dir` (the provider id is the file's stem).
    pub fn from_dir(dir: &Path, keys: Vec<String>) -> Result<Replay, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut files: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!("{}: no cassette (*.jsonl)", dir.display()));
        }
        let mut cassettes = Vec::new();
        for file in files {
            let provider = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            cassettes.push((provider, cassette::read(&file)?));
        }
        Ok(Replay::new(cassettes, keys))
    }

    /// How many recorded calls are loaded.
    pub fn len(&self) -> usize {
        self.calls.values().map(Vec::len).sum()
    }

    /// Whether no recorded call is loaded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn pick(&self, provider: &str, op: &str, fields: &Map<String, Value>) -> Option<&Exchange> {
        let at = (provider.to_string(), op.to_string());
        let recorded = self.calls.get(&at)?;
        if !self.keys.is_empty() {
            let want = key_of(&self.keys, fields);
            return recorded
                .iter()
                .find(|ex| key_of(&self.keys, &recorded_fields(&ex.request.body)) == want);
        }
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let next = used.entry(at).or_default();
        let chosen = recorded.get(*next)?;
        *next += 1;
        Some(chosen)
    }

    /// The recorded answer to this request of `op`, if one matches.
    pub fn answer(&self, p: &Provider, op: &str, fields: &Map<String, Value>) -> Option<Response> {
        let ex = self.pick(&p.name, op, fields)?;
        Some(recorded_answer(p, ex))
    }
}

fn key_of(keys: &[String], fields: &Map<String, Value>) -> Vec<Option<String>> {
    keys.iter()
        .map(|k| fields.get(k).and_then(text_of))
        .collect()
}

/// The top-level fields of a recorded request body (JSON or form-encoded).
fn recorded_fields(body: &str) -> Map<String, Value> {
    if let Ok(Value::Object(map)) = serde_json::from_str(body) {
        return map;
    }
    paygen_runtime::wire::form_decode(body)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect()
}

fn recorded_answer(p: &Provider, ex: &Exchange) -> Response {
    let keep = |k: &str| {
        !matches!(
            k.to_ascii_lowercase().as_str(),
            "content-length" | "transfer-encoding" | "connection" | "date"
        )
    };
    let mut headers: Vec<(String, String)> = ex
        .response
        .headers
        .iter()
        .filter(|(k, _)| keep(k))
        .cloned()
        .collect();
    let mut body = ex.response.body.clone().into_bytes();
    let parsed = serde_json::from_str::<Value>(&ex.response.body);
    if let (SignatureCheck::Verified, Ok(Value::Object(fields))) = (ex.signature, parsed) {
        let (signed, added) = crate::signing::sign_answer(p, fields, false);
        for (k, v) in added {
            headers.retain(|(o, _)| !o.eq_ignore_ascii_case(&k));
            headers.push((k, v));
        }
        body = signed;
    }
    Response {
        status: ex.response.status.unwrap_or(200),
        headers,
        body,
    }
}
