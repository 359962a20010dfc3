//! Recording from a client without the proxy: the runtime's [`CassetteRecorder`] hook set up
//! from the spec (its sensitive fields and answer recipe) and the client's credentials. Put it in
//! `EngineConfig::hook` of a generated client.

use std::path::Path;
use std::sync::Arc;

use paygen_codegen::Spec;
use paygen_runtime::cassette::CassetteRecorder;
use paygen_runtime::signing::Signer;
use paygen_runtime::{Clock, Credentials, SystemClock};

/// A recorder appending to `<out>/<provider>.jsonl` (the folder is created), scrubbing the
/// spec's sensitive fields and these credentials' values, checking the signature of answers the
/// spec verifies before scrubbing.
pub fn client_recorder(
    spec: &Spec,
    credentials: &Credentials,
    out: &Path,
) -> Result<CassetteRecorder, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let path = out.join(format!("{}.jsonl", spec.provider));
    let recorder = CassetteRecorder::new(path, crate::scrub::scrubber(spec, credentials));
    let recipe = spec.signing.as_ref().and_then(|s| s.response.as_ref());
    let Some(recipe) = recipe else {
        return Ok(recorder);
    };
    let signer = Signer::from_recipe(recipe, credentials)
        .map_err(|e| format!("the answer recipe cannot verify with these credentials: {e}"))?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    Ok(recorder.verifying_answers(signer, clock))
}
