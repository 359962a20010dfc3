//! Support for the scheme corpus' loopback tests: the generated fixture clients, the recording
//! server on 127.0.0.1, and the independent references of `tests/schemes/reference.rs`.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

pub use paygen_runtime::{EngineConfig, FixedClock};
// Not every test binary names `Recorded`.
#[allow(unused_imports)]
pub use paygen_testkit::{Recorded, Reply, Server};

#[path = "../../../tests/schemes/reference.rs"]
pub mod reference;

/// Engine settings for tests: short timeouts, no retries.
pub fn config() -> EngineConfig {
    EngineConfig {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        max_retries: 0,
        ..EngineConfig::default()
    }
}

/// The base URLs every host of a fixture client uses: the recording server.
pub fn urls(server: &Server, hosts: &[&str]) -> Vec<(String, String)> {
    hosts
        .iter()
        .map(|h| {
            (
                h.to_string(),
                paygen_runtime::__codegen::host_url(&server.url(), h),
            )
        })
        .collect()
}

/// A fixed clock at `secs`.
pub fn clock(secs: i64) -> Arc<FixedClock> {
    Arc::new(FixedClock(secs))
}

/// A server answering one JSON reply.
pub async fn answering(body: &str) -> Server {
    Server::start(vec![Reply::json(200, body)]).await
}

/// The `k="v"` parameters of an HTTP-signature or WeChat-style header value, in order.
pub fn quoted_params(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in value.split(',') {
        if let Some((k, v)) = part.trim().split_once('=') {
            out.push((k.trim().to_string(), v.trim().trim_matches('"').to_string()));
        }
    }
    out
}

/// One parameter of [`quoted_params`].
pub fn param(value: &str, name: &str) -> String {
    quoted_params(value)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no `{name}` in {value}"))
}

/// Header map from pairs, for `verify_webhook`.
pub fn header_map(pairs: &[(&str, &str)]) -> paygen_runtime::__codegen::http::HeaderMap {
    let mut map = paygen_runtime::__codegen::http::HeaderMap::new();
    for (k, v) in pairs {
        let name = paygen_runtime::__codegen::http::HeaderName::from_bytes(k.as_bytes())
            .expect("header name");
        map.append(name, v.parse().expect("header value"));
    }
    map
}

/// Verifies a recorded request as a receiver (the simulator) does, with the runtime's
/// `verify_received` and the same recipe the client signed with; `tamper` changes the body first.
pub fn verify_recorded(
    recipe: &paygen_runtime::__codegen::Recipe,
    creds: &paygen_runtime::__codegen::Credentials,
    seen: &Recorded,
    now: i64,
    tamper: bool,
) -> bool {
    let signer = paygen_runtime::Signer::from_recipe(recipe, creds).expect("signer");
    let (path, query) = seen
        .path
        .split_once('?')
        .unwrap_or((seen.path.as_str(), ""));
    let mut body = seen.body.clone();
    if tamper {
        body.push(b' ');
    }
    let fields = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.as_object().cloned());
    let received = paygen_runtime::Received {
        method: &seen.method,
        path,
        query,
        host: seen.header("Host").unwrap_or_default(),
        path_params: &[],
        headers: &seen.headers,
        fields: fields.as_ref(),
        body: &body,
        // A receiver of requests anyone can send refuses ambiguous field sets, as for webhooks.
        refuse_ambiguous: true,
    };
    paygen_runtime::verify_received(&signer, &received, &FixedClock(now)).is_ok()
}
