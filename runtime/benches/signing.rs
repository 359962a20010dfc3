//! Benchmark: the recipe engine's signing cost as a ratio to a hand-written baseline (SHA-1 of
//! the same canonical string plus salt) measured in the same run, both through the one-call
//! `signing::sign` (recipe compiled per call) and through a `Signer` compiled once, as clients
//! run it; and verification of that signature by the compiled `Signer` against the same hash,
//! hex and constant-time comparison written by hand. Run: `cargo bench -p paygen-runtime`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use paygen_runtime::signing::{self, Recipe, SignInput};
use paygen_runtime::Credentials;
use sha1::{Digest, Sha1};

fn cabbagino_recipe() -> Recipe {
    serde_json::from_value(serde_json::json!({
        "over": "body_fields", "exclude": ["signature"],
        "canonical": {"sort": "keys", "key_case": "lower", "pair": "{key}:{value}", "join": ";", "suffix": ";",
            "skip": "blank", "null": {"render": "None"}, "bools": {"true": "True", "false": "False"},
            "nested": {"flatten_one_level": {"pair": "{key}:{value}", "join": ";"}}, "lists": {"sorted_join": ";"}, "deep": "python_repr"},
        "digest": "sha1", "secret": {"credential": "salt", "use": "append"}, "encoding": "hex", "place": {"body_field": "signature"}
    }))
    .expect("recipe")
}

/// Median nanoseconds per call over several batches.
fn per_call(mut f: impl FnMut()) -> f64 {
    let mut samples = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_millis(40) {
            f();
            n += 1;
        }
        samples.push(start.elapsed().as_nanos() as f64 / f64::from(n.max(1)));
    }
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let body = serde_json::json!({"payment_system":"TEST_PS","external_id":"ext-0001",
        "customer":{"customer_id":"test","country":"LV","first_name":"Test","last_name":"Test"},
        "payment_data":{"card_number":"4111111111111111","card_holder":"John Doe","exp_year":"2028","exp_month":"06","cvv":"123"},
        "amount":2000,"currency":"USD"});
    let fields = body.as_object().cloned().unwrap_or_default();
    let recipe = cabbagino_recipe();
    let creds = Credentials::new().with("salt", "test_salt");
    let canonical = signing::canonicalize(&recipe, &SignInput::Fields(&fields)).unwrap_or_default();
    let engine = per_call(|| {
        black_box(signing::sign(&recipe, &creds, &SignInput::Fields(black_box(&fields))).ok());
    });
    let signer = signing::Signer::from_recipe(&recipe, &creds).expect("signer");
    let tree = paygen_runtime::wire_tree::WireObject::from_json(&fields);
    let compiled = per_call(|| {
        black_box(
            signer
                .sign(&SignInput::Fields(&fields).view(Some(black_box(&tree))))
                .ok(),
        );
    });
    let baseline = per_call(|| {
        let mut h = Sha1::new();
        h.update(black_box(canonical.as_bytes()));
        h.update(b"test_salt");
        black_box(hex::encode(h.finalize()));
    });
    let signature = signer
        .sign(&SignInput::Fields(&fields).view(Some(&tree)))
        .expect("signature");
    let verified = per_call(|| {
        let view = SignInput::Fields(&fields).view(Some(black_box(&tree)));
        assert!(signer.verify(&view, black_box(&signature)).is_ok());
    });
    let verify_baseline = per_call(|| {
        let mut h = Sha1::new();
        h.update(black_box(canonical.as_bytes()));
        h.update(b"test_salt");
        let expected = hex::encode(h.finalize());
        let same = expected.len() == signature.len()
            && expected
                .bytes()
                .zip(black_box(&signature).bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        assert!(same);
    });
    println!("signing (Cabbagino C2 body): engine {engine:.0} ns/call, baseline {baseline:.0} ns/call, ratio {:.1}x", engine / baseline);
    println!("signing (Cabbagino C2 body), compiled once (what clients run): {compiled:.0} ns/call, ratio {:.1}x", compiled / baseline);
    println!("verifying (Cabbagino C2 body), compiled once: {verified:.0} ns/call, baseline {verify_baseline:.0} ns/call, ratio {:.1}x", verified / verify_baseline);
}
