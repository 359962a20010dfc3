//! Every signature the sandbox checks or makes: the request's signature, the answer's and the
//! callback's, and the deliberately wrong signature of the `bad-signature` fault.
//!
//! The rest of the sandbox calls only these functions, so the signing recipe engine is reached
//! from this one module.

use paygen_runtime::signing::{self, Over, Placement, Recipe, SignInput};
use serde_json::{Map, Value};

use crate::http::Request;
use crate::provider::Provider;
use crate::template::text_of;

/// Whether the operation's request carries a signature (a request recipe, and the operation
/// does not opt out with `sign: false`).
pub fn signs_request(p: &Provider, op_sign: Option<bool>) -> bool {
    request_recipe(p).is_some() && op_sign.unwrap_or(true)
}

fn request_recipe(p: &Provider) -> Option<&Recipe> {
    p.spec.signing.as_ref().and_then(|s| s.request.as_ref())
}

/// `Err(message)` when the request's signature is missing or wrong (only missing when the spec
/// gives no test credentials). `fields` are the request's
/// fields (path, query and body); a signature carried in a body field is left out of its input.
pub fn verify_request(
    p: &Provider,
    req: &Request,
    fields: &Map<String, Value>,
) -> Result<(), String> {
    let Some(recipe) = request_recipe(p) else {
        return Ok(());
    };
    let (provided, others) = match &recipe.place {
        Placement::Header(h) => (req.header(h).map(str::to_string), None),
        Placement::BodyField(f) => {
            let mut others = fields.clone();
            let v = others.shift_remove(f);
            (v.as_ref().map(text_of), Some(others))
        }
    };
    let provided = provided.ok_or("the signature is missing")?;
    if !p.has_credentials() {
        // no test secret to check it with: present is all the sandbox can ask
        return Ok(());
    }
    let others = others.as_ref().unwrap_or(fields);
    let input = match recipe.over {
        Over::RawBody => SignInput::Raw(&req.body),
        _ => SignInput::Fields(others),
    };
    signing::verify(recipe, &p.creds, &input, &provided)
        .map_err(|_| "the signature does not match".to_string())
}

/// The body bytes of an answer and the signature header to add, signed with the response recipe
/// when the spec has one (`bad`: signed wrongly on purpose).
pub fn sign_answer(
    p: &Provider,
    fields: Map<String, Value>,
    bad: bool,
) -> (Vec<u8>, Option<(String, String)>) {
    let recipe = p.spec.signing.as_ref().and_then(|s| s.response.as_ref());
    sign_encoded(p, recipe, fields, bad, &|f| {
        Value::Object(f.clone()).to_string().into_bytes()
    })
}

/// The body bytes of a callback (encoded by `encode`) and the signature header to add, signed
/// with the webhook recipe when the spec has one (`bad`: signed wrongly on purpose).
pub fn sign_callback(
    p: &Provider,
    fields: Map<String, Value>,
    bad: bool,
    encode: &dyn Fn(&Map<String, Value>) -> Vec<u8>,
) -> (Vec<u8>, Option<(String, String)>) {
    let recipe = p.spec.signing.as_ref().and_then(|s| s.webhook.as_ref());
    sign_encoded(p, recipe, fields, bad, encode)
}

/// Signs `fields` with `recipe`: into a body field (then encoded) or over the encoded bytes /
/// the fields into a header.
fn sign_encoded(
    p: &Provider,
    recipe: Option<&Recipe>,
    mut fields: Map<String, Value>,
    bad: bool,
    encode: &dyn Fn(&Map<String, Value>) -> Vec<u8>,
) -> (Vec<u8>, Option<(String, String)>) {
    let Some(recipe) = recipe else {
        return (encode(&fields), None);
    };
    match &recipe.place {
        Placement::BodyField(name) => {
            fields.shift_remove(name);
            let sig = signature(recipe, p, &SignInput::Fields(&fields), bad);
            fields.insert(name.clone(), Value::String(sig));
            (encode(&fields), None)
        }
        Placement::Header(h) => {
            let bytes = encode(&fields);
            let input = match recipe.over {
                Over::RawBody => SignInput::Raw(&bytes),
                _ => SignInput::Fields(&fields),
            };
            let sig = signature(recipe, p, &input, bad);
            (bytes, Some((h.clone(), sig)))
        }
    }
}

fn signature(recipe: &Recipe, p: &Provider, input: &SignInput, bad: bool) -> String {
    let sig = signing::sign(recipe, &p.creds, input)
        .map(|s| s.signature)
        .unwrap_or_default();
    spoil(sig, bad)
}

/// A wrong signature of the same length (fault injection).
fn spoil(sig: String, bad: bool) -> String {
    if !bad {
        return sig;
    }
    sig.chars()
        .map(|c| match c {
            '0' => '1',
            'A' => 'B',
            'a' => 'b',
            _ => '0',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::spoil;

    #[test]
    fn a_spoiled_signature_differs_and_keeps_its_length() {
        let good = "a0Zq".to_string();
        let bad = spoil(good.clone(), true);
        assert_eq!(bad.len(), good.len());
        assert_ne!(bad, good);
        assert_eq!(spoil(good.clone(), false), good);
    }
}
