//! Test support for the client end-to-end tests: the shared recording server of `paygen-testkit`
//! plus small assertion helpers shared by the provider files.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod cabbagino;
pub mod cactusgino;
pub mod global_solutions;
pub mod pockyt;

use std::time::Duration;

use paygen_runtime::{EngineConfig, Error};
// Not every test binary names `Recorded`.
#[allow(unused_imports)]
pub use paygen_testkit::{Recorded, Reply, Server};

/// Engine settings for tests: short timeouts, no retries.
pub fn config() -> EngineConfig {
    EngineConfig {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        max_retries: 0,
        ..EngineConfig::default()
    }
}

/// Engine settings whose total timeout is short (for hang tests).
pub fn short_timeout() -> EngineConfig {
    EngineConfig {
        timeout: Duration::from_millis(300),
        ..config()
    }
}

/// The `(path, rule)` pairs of an `InvalidRequest`; panics on any other result.
pub fn field_errors<T: std::fmt::Debug>(result: Result<T, Error>) -> Vec<(String, String)> {
    match result {
        Err(Error::InvalidRequest(errs)) => {
            errs.errors.into_iter().map(|e| (e.path, e.rule)).collect()
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

/// Asserts `(path, rule)` is among `errors`.
pub fn assert_names(errors: &[(String, String)], path: &str, rule: &str) {
    assert!(
        errors.iter().any(|(p, r)| p == path && r == rule),
        "expected {path} / {rule} among {errors:?}"
    );
}

/// `Basic base64(user:password)`, computed here independently of the runtime.
pub fn basic_auth(user: &str, password: &str) -> String {
    format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
}

/// Standard base64 with padding (small, for the auth header only).
pub fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A signing recipe written in the spec's own shape (JSON instead of YAML), so tests sign with
/// a recipe they state themselves rather than the one codegen emitted.
pub fn recipe(json: &str) -> paygen_runtime::signing::Recipe {
    serde_json::from_str(json).expect("recipe JSON")
}

/// The signature of a JSON body's top-level fields under `recipe` (the recipe excludes the
/// signature field itself).
pub fn sign_body(
    recipe: &paygen_runtime::signing::Recipe,
    credentials: &paygen_runtime::Credentials,
    body: &[u8],
) -> String {
    let value: serde_json::Value = serde_json::from_slice(body).expect("JSON body");
    let fields = value.as_object().expect("JSON object body");
    let input = paygen_runtime::signing::SignInput::Fields(fields);
    paygen_runtime::signing::sign(recipe, credentials, &input)
        .expect("sign")
        .signature
}

/// `body` (a JSON object) with `"<field>":"<signature>"` appended as its last member.
pub fn with_signature(body: &str, field: &str, signature: &str) -> String {
    let open = body.strip_suffix('}').expect("JSON object");
    format!(r#"{open},"{field}":"{signature}"}}"#)
}

/// The salted SHA-1 over sorted body fields that Cabbagino and Cactusgino sign requests,
/// responses and callbacks with, stated here independently of codegen and of the specs.
pub const SALTED_SHA1_FIELDS: &str = r#"{
  "over": "body_fields", "exclude": ["signature"],
  "canonical": {"sort": "keys", "key_case": "lower", "pair": "{key}:{value}", "join": ";",
    "suffix": ";", "skip": "blank", "nulls": {"render": "None"},
    "bools": {"true": "True", "false": "False"},
    "nested": {"flatten_one_level": {"pair": "{key}:{value}", "join": ";"}},
    "lists": {"sorted_join": ";"}, "deep": "python_repr"},
  "digest": "sha1", "secret": {"credential": "salt", "use": "append"},
  "encoding": "hex", "place": {"body_field": "signature"}
}"#;
