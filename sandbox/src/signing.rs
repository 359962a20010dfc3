//! Every signature the sandbox checks or makes: the request's signature, the answer's and the
//! callback's, and the deliberately wrong signature of the `bad-signature` fault.
//!
//! The rest of the sandbox calls only these functions, and these call the runtime's shared ones:
//! requests are verified by `verify_received` (the counterpart of the clients' request
//! preparation), answers and callbacks signed by a `Signer` compiled once per provider, so the
//! sandbox and the clients cannot disagree.

use paygen_runtime::signing::{
    sign_message, take_field, verify_received, Placement, Received, Signer,
};
use serde_json::{Map, Value};

use crate::http::Request;
use crate::provider::Provider;
use crate::template::text_of;

/// Whether the operation's request carries a signature: a request recipe, and the operation's
/// `sign`, which defaults (as in the clients, `codegen::lower`) to whether it has a request
/// type (an operation without one sends no fields to sign).
pub fn signs_request(p: &Provider, op: &paygen_codegen::spec::model::Operation) -> bool {
    p.spec
        .signing
        .as_ref()
        .and_then(|s| s.request.as_ref())
        .is_some()
        && op.sign.unwrap_or(op.request.is_some())
}

/// `Err(message)` when the request's signature is missing or wrong (only missing when the spec
/// gives no test credentials). `path_fields` are the route's path parameters, `fields` the
/// request's fields (path, query and body): the client signed the body (or query) fields with
/// the path parameters apart, and so does this check.
pub fn verify_request(
    p: &Provider,
    req: &Request,
    path_fields: &Map<String, Value>,
    fields: &Map<String, Value>,
) -> Result<(), String> {
    let Some(recipe) = p.spec.signing.as_ref().and_then(|s| s.request.as_ref()) else {
        return Ok(());
    };
    let present = match &recipe.place {
        Placement::Header(h) => req.header(h).is_some(),
        Placement::BodyField(f) => take_field(&mut fields.clone(), f).is_some(),
    };
    if !present {
        return Err("the signature is missing".into());
    }
    let Some(signer) = &p.signers.request else {
        // no test secret to check it with: present is all the sandbox can ask
        return Ok(());
    };
    let body_fields: Map<String, Value> = fields
        .iter()
        .filter(|(k, _)| !path_fields.contains_key(k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let params: Vec<(String, String)> = path_fields
        .iter()
        .map(|(k, v)| (k.clone(), text_of(v)))
        .collect();
    let headers = header_pairs(req);
    let received = Received {
        method: &req.method,
        path: &req.path,
        query: &req.query,
        host: req.header("host").unwrap_or(""),
        path_params: &params,
        headers: (&headers).into(),
        fields: Some(&body_fields),
        wire_fields: None,
        body: &req.body,
        refuse_ambiguous: false,
    };
    verify_received(signer, &received, p.signers.clock.as_ref())
        .map_err(|_| "the signature does not match".to_string())
}

fn header_pairs(req: &Request) -> Vec<(String, String)> {
    req.headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect()
}

/// The body bytes of an answer and the signature headers to add, signed with the response
/// recipe when the spec has one (`bad`: signed wrongly on purpose).
pub fn sign_answer(
    p: &Provider,
    fields: Map<String, Value>,
    bad: bool,
) -> (Vec<u8>, Vec<(String, String)>) {
    sign_encoded(p, p.signers.response.as_ref(), fields, bad, &|f| {
        Value::Object(f.clone()).to_string().into_bytes()
    })
}

/// The body bytes of a callback (encoded by `encode`) and the signature headers to add, signed
/// with the webhook recipe when the spec has one (`bad`: signed wrongly on purpose).
pub fn sign_callback(
    p: &Provider,
    fields: Map<String, Value>,
    bad: bool,
    encode: &dyn Fn(&Map<String, Value>) -> Vec<u8>,
) -> (Vec<u8>, Vec<(String, String)>) {
    sign_encoded(p, p.signers.webhook.as_ref(), fields, bad, encode)
}

/// Signs `fields` as a client's request preparation does: recipe fields, then a body-field
/// signature (then encoded), or recipe headers and a header signature over the encoded bytes.
fn sign_encoded(
    p: &Provider,
    signer: Option<&Signer>,
    mut fields: Map<String, Value>,
    bad: bool,
    encode: &dyn Fn(&Map<String, Value>) -> Vec<u8>,
) -> (Vec<u8>, Vec<(String, String)>) {
    let Some(signer) = signer else {
        return (encode(&fields), Vec::new());
    };
    let alter = |sig: String| spoil(sig, bad);
    // A signing failure (it needs a credential the sandbox lacks) sends the fields unsigned,
    // which the client then refuses as a bad signature.
    sign_message(
        signer,
        &mut fields,
        p.signers.clock.as_ref(),
        encode,
        &alter,
    )
    .unwrap_or_else(|_| (encode(&fields), Vec::new()))
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
    use std::path::Path;

    use paygen_runtime::engine::{BodyEncoding, Method};
    use paygen_runtime::http::{HeaderMap, HeaderName, HeaderValue};
    use paygen_runtime::webhook::WebhookEncoding;
    use paygen_runtime::{AuthPlan, FixedClock, Operation, Preparer, WebhookVerifier};
    use serde_json::{json, Map, Value};

    use super::{sign_callback, spoil, verify_request};
    use crate::http::Request;
    use crate::provider::Provider;

    fn provider() -> Provider {
        let spec = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/specs/ok/signing_v2.yaml"
        );
        Provider::load(Path::new(spec)).expect("the fixture loads")
    }

    fn header_map(pairs: &[(String, String)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            if let (Ok(k), Ok(v)) = (
                HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(v),
            ) {
                map.append(k, v);
            }
        }
        map
    }

    /// Issue 7's regression: the client's preparation signs the path parameter and leaves it
    /// out of the body; the sandbox verifies the same request with the shared code.
    #[test]
    fn the_client_and_the_sandbox_agree_on_a_signed_path_parameter() {
        let p = provider();
        let recipe = p.spec.signing.as_ref().and_then(|s| s.request.as_ref());
        let preparer = Preparer::new(AuthPlan::default(), recipe, &p.creds).expect("preparer");
        let op = Operation {
            name: "deposit",
            method: Method::Post,
            path: "/deposit/{endpoint_id}/",
            encoding: BodyEncoding::Json,
            signed: true,
            accept: "application/json".into(),
        };
        let body = json!({"endpoint_id": 4711, "client_orderid": "ord-1", "amount": "10.42", "email": "a@b.c"});
        let prepared = preparer
            .prepare(
                &op,
                "http://127.0.0.1:9/signing_v2",
                &FixedClock(0),
                body.as_object().cloned(),
            )
            .expect("prepared");
        let received = |path: &str| Request {
            method: "POST".into(),
            path: format!("/signing_v2{path}"),
            query: String::new(),
            headers: header_map(&prepared.headers),
            body: prepared.body.clone().into(),
        };
        let check = |path: &str| {
            let req = received(path);
            let routed = p.route("POST", "default", path).expect("routed");
            let fields = p.request_fields(&routed, &req).expect("fields");
            verify_request(&p, &req, &routed.path_fields, &fields)
        };
        assert_eq!(check("/deposit/4711/"), Ok(()));
        assert!(
            check("/deposit/4712/").is_err(),
            "the path parameter is signed"
        );
    }

    /// Callbacks the sandbox signs (timestamped header) verify in the client's verifier.
    #[test]
    fn callbacks_signed_by_the_sandbox_verify_in_the_client() {
        let p = provider();
        let fields: Map<String, Value> = json!({"id": "evt_9", "type": "payment.succeeded"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let encode = |f: &Map<String, Value>| Value::Object(f.clone()).to_string().into_bytes();
        let recipe = p
            .spec
            .signing
            .as_ref()
            .and_then(|s| s.webhook.as_ref())
            .expect("recipe");
        let verifier =
            WebhookVerifier::new(recipe, &p.creds, WebhookEncoding::Json).expect("verifier");
        let (body, headers) = sign_callback(&p, fields.clone(), false, &encode);
        assert!(headers
            .iter()
            .any(|(k, v)| k == "Signature-Header" && v.starts_with("t=")));
        assert!(verifier.verify(&header_map(&headers), &body).is_ok());
        let (body, headers) = sign_callback(&p, fields, true, &encode);
        assert!(verifier.verify(&header_map(&headers), &body).is_err());
    }

    #[test]
    fn a_spoiled_signature_differs_and_keeps_its_length() {
        let good = "a0Zq".to_string();
        let bad = spoil(good.clone(), true);
        assert_eq!(bad.len(), good.len());
        assert_ne!(bad, good);
        assert_eq!(spoil(good.clone(), false), good);
    }
}
