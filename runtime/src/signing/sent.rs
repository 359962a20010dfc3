//! Signing a message as its sender does (a provider's answer or notification, as the sandbox
//! sends it and as replay re-signs a scrubbed recording): the recipe's fields, then either a
//! body-field signature before encoding, or the recipe's headers and a header signature over the
//! encoded bytes. One path, so the sandbox and replay cannot sign differently.

use serde_json::{Map, Value};

use super::compiled::Signer;
use super::engine::SigningError;
use super::generate::Generated;
use super::recipe::Placement;
use super::view::{put_field, take_field, RequestView};
use crate::clock::Clock;
use crate::wire_tree::WireObject;

/// A signed message: the encoded body and the signature headers to send with it.
pub type SignedMessage = (Vec<u8>, Vec<(String, String)>);

/// Signs `fields` with `signer` and encodes them with `encode`; `alter` sees the signature before
/// it is placed (identity, or a deliberate corruption for fault injection). On an error `fields`
/// may already hold the recipe's generated fields.
pub fn sign_message(
    signer: &Signer,
    fields: &mut Map<String, Value>,
    clock: &dyn Clock,
    encode: &dyn Fn(&Map<String, Value>) -> Vec<u8>,
    alter: &dyn Fn(String) -> String,
) -> Result<SignedMessage, SigningError> {
    let recipe = signer.plan().recipe();
    let generated = Generated::fresh(&recipe.generate, clock);
    let view = RequestView {
        method: "POST",
        path: "/",
        timestamp: generated.timestamp.as_deref(),
        nonce: generated.nonce.as_deref(),
        ..RequestView::default()
    };
    for (name, value) in signer.recipe_fields(&view) {
        fields.insert(name, Value::String(value));
    }
    if let Placement::BodyField(name) = &recipe.place {
        take_field(fields, name);
        let tree = WireObject::from_json(fields);
        let mut v = view;
        v.fields = Some(&tree);
        let sig = alter(signer.sign(&v)?);
        let placed = signer.placed(&v, &sig);
        let headers = signer.signature_headers(&v, &sig);
        put_field(fields, name, Value::String(placed));
        return Ok((encode(fields), headers));
    }
    let bytes = encode(fields);
    let tree = WireObject::from_json(fields);
    let mut v = view;
    (v.fields, v.body) = (Some(&tree), &bytes);
    let mut headers = signer.recipe_headers(&v);
    v.headers = &headers;
    let sig = alter(signer.sign(&v)?);
    let placed = signer.placed(&v, &sig);
    let after = signer.signature_headers(&v, &sig);
    if let Placement::Header(h) = &recipe.place {
        headers.push((h.clone(), placed));
    }
    headers.extend(after);
    Ok((bytes, headers))
}
