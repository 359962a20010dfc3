//! Re-signing replayed answers: scrubbing changes the bytes a provider signed, so an answer whose
//! signature verified at record time is signed again, over its scrubbed form, with the spec's
//! response recipe and the credentials the replay was given (the client's test credentials).
//! Signed by `paygen_runtime::signing::sign_message`, the path the sandbox signs answers with.

use std::sync::Arc;

use paygen_codegen::Spec;
use paygen_runtime::signing::{sign_message, Signer};
use paygen_runtime::{CompiledRecipe, Credentials, SystemClock};
use serde_json::{Map, Value};

/// The provider's answer signer, built once (absent when the spec signs no answers or the
/// credentials cannot sign them).
pub fn answer_signer(spec: &Spec, credentials: &Credentials) -> Option<Signer> {
    let recipe = spec.signing.as_ref()?.response.as_ref()?;
    let plan = Arc::new(CompiledRecipe::new(recipe).ok()?);
    Signer::for_counterpart(Arc::clone(&plan), credentials)
        .ok()
        .or_else(|| Signer::new(plan, credentials).ok())
}

/// `body` (a JSON object) and `headers` signed again; `None` when the body is no JSON object.
pub fn resign(
    signer: &Signer,
    body: &str,
    headers: &[(String, String)],
) -> Option<(String, Vec<(String, String)>)> {
    let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(body) else {
        return None;
    };
    let encode = |f: &Map<String, Value>| serde_json::to_vec(f).unwrap_or_default();
    let (bytes, added) =
        sign_message(signer, &mut fields, &SystemClock, &encode, &|sig| sig).ok()?;
    let mut out: Vec<(String, String)> = headers.to_vec();
    for (k, v) in added {
        out.retain(|(o, _)| !o.eq_ignore_ascii_case(&k));
        out.push((k, v));
    }
    Some((String::from_utf8(bytes).ok()?, out))
}
