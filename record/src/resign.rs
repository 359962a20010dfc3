//! Re-signing replayed answers: scrubbing changes the bytes a provider signed, so an answer whose
//! signature verified at record time is signed again, over its scrubbed form, with the spec's
//! response recipe and the credentials the replay was given (the client's test credentials).
//! Signed exactly as the sandbox signs answers: recipe fields, then a body-field signature, or
//! recipe headers and a header signature over the body bytes.

use std::sync::Arc;

use paygen_codegen::Spec;
use paygen_runtime::signing::{put_field, take_field, Generated, Placement, RequestView, Signer};
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
    let recipe = signer.plan().recipe();
    let generated = Generated::fresh(&recipe.generate, &SystemClock);
    let mut view = RequestView::default();
    view.method = "POST";
    view.path = "/";
    view.timestamp = generated.timestamp.as_deref();
    view.nonce = generated.nonce.as_deref();
    for (name, value) in signer.recipe_fields(&view) {
        fields.insert(name, Value::String(value));
    }
    let mut out: Vec<(String, String)> = headers.to_vec();
    let mut replace = |added: Vec<(String, String)>| {
        for (k, v) in added {
            out.retain(|(o, _)| !o.eq_ignore_ascii_case(&k));
            out.push((k, v));
        }
    };
    if let Placement::BodyField(name) = &recipe.place {
        take_field(&mut fields, name);
        let mut v = view;
        v.fields = Some(&fields);
        let sig = signer.sign(&v).ok()?;
        let placed = signer.placed(&v, &sig);
        replace(signer.signature_headers(&v, &sig));
        put_field(&mut fields, name, Value::String(placed));
        return Some((Value::Object(fields).to_string(), out));
    }
    let text = Value::Object(fields.clone()).to_string();
    let fields: Map<String, Value> = fields;
    let mut v = view;
    (v.fields, v.body) = (Some(&fields), text.as_bytes());
    let mut added = signer.recipe_headers(&v);
    v.headers = &added;
    let sig = signer.sign(&v).ok()?;
    let placed = signer.placed(&v, &sig);
    let after = signer.signature_headers(&v, &sig);
    if let Placement::Header(h) = &recipe.place {
        added.push((h.clone(), placed));
    }
    added.extend(after);
    replace(added);
    Some((text, out))
}
