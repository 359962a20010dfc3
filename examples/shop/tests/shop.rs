//! The example shop's generated client: validation before sending, and a charge answered by
//! the spec-driven sandbox (which serves the shop's own spec from its documented examples).

use std::sync::Arc;

use paygen_example_shop::acme_pay::{Client, Credentials, StatusRequest};
use paygen_example_shop::charge_order;
use paygen_runtime::{EngineConfig, Error, Secret, SystemClock};

fn client(base: &str) -> Client {
    let creds = Credentials {
        api_key: Secret::new("test-key"),
        salt: Secret::new("test-salt"),
    };
    Client::with_options(
        vec![("default".into(), base.into())],
        creds,
        EngineConfig::default(),
        Arc::new(SystemClock),
    )
    .expect("client")
}

#[tokio::test]
async fn an_invalid_order_is_refused_before_anything_is_sent() {
    // Port 9 on loopback: nothing listens, and nothing is sent anyway.
    let c = client("http://127.0.0.1:9");
    let too_long = "X".repeat(40);
    match charge_order(&c, &too_long, -1).await {
        Err(Error::InvalidRequest(problems)) => {
            let paths: Vec<&str> = problems.errors.iter().map(|e| e.path.as_str()).collect();
            assert!(
                paths.contains(&"order_id") && paths.contains(&"amount"),
                "{paths:?}"
            );
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    let status = StatusRequest {
        order_id: String::new(),
    };
    assert!(matches!(
        c.status(&status).await,
        Err(Error::InvalidRequest(_))
    ));
}
