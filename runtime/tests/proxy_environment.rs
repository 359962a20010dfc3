//! The engine's own HTTP client and the proxy environment: a proxy named by `HTTP_PROXY` is
//! used, and without one the request goes straight to the provider. One test in its own
//! binary (its own process), since it sets environment variables the client reads when built.

mod support;

use std::sync::Arc;

use paygen_runtime::engine::{
    Answers, AuthSpec, BodyEncoding, Method, OperationMeta, ProviderMeta, Repeat,
};
use paygen_runtime::{Credentials, Engine, EngineConfig, Error, FixedClock};
use support::{refused_addr, start};

const LOOKUP: OperationMeta = OperationMeta {
    name: "get_payment",
    method: Method::Get,
    host: "default",
    path: "/payments/1",
    encoding: BodyEncoding::Json,
    repeat: Repeat::Safe,
    money_moving: false,
    sign_request: false,
    verify_response: false,
    provider_error: None,
    typed_error_statuses: false,
    accept: "application/json",
    answers: Answers::JSON,
    timeout: None,
};

fn engine(base: &str) -> Engine {
    let provider = ProviderMeta {
        name: "wirepay",
        auth: AuthSpec::default(),
        request_recipe: None,
        response_recipe: None,
        request_id_header: None,
    };
    let config = EngineConfig {
        max_retries: 0,
        ..EngineConfig::default()
    };
    Engine::new(
        provider,
        vec![("default".into(), base.to_string())],
        Credentials::new(),
        config,
        Arc::new(FixedClock(0)),
    )
    .expect("engine")
}

#[tokio::test]
async fn a_proxy_in_the_environment_is_used_and_none_means_direct() {
    for name in [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "http_proxy",
    ] {
        std::env::remove_var(name);
    }
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    // nothing listens at the provider's address: only a proxy can answer
    let provider = format!("http://{}", refused_addr().await);

    let proxy = start(vec![]).await;
    std::env::set_var("HTTP_PROXY", proxy.url());
    let through_proxy = engine(&provider).execute(&LOOKUP, None).await;
    assert!(through_proxy.is_ok(), "{through_proxy:?}");
    let seen = proxy.only();
    assert_eq!(seen.path, "/payments/1");
    let host = provider.trim_start_matches("http://");
    assert_eq!(seen.header("host"), Some(host), "{seen:?}");

    std::env::remove_var("HTTP_PROXY");
    let direct = engine(&provider).execute(&LOOKUP, None).await;
    assert!(
        matches!(direct, Err(Error::NotConnected { .. })),
        "{direct:?}"
    );
    assert_eq!(
        proxy.seen().len(),
        1,
        "the proxy saw a request it was not named for"
    );
}
