//! The `tests/specs/ok/transport.yaml` fixture generated, compiled (under clippy) and run
//! against the recording server on 127.0.0.1: bearer tokens from the token host, non-JSON
//! answers typed as `Answer`, the spec's per-operation timeout and a per-call override.

include!(concat!(env!("OUT_DIR"), "/fixtures/transport.rs"));

use std::sync::Arc;
use std::time::{Duration, Instant};

use paygen_runtime::{
    Answer, CallOptions, EngineConfig, Error, FixedClock, MinorUnits, Secret, UnknownCause,
};
use paygen_testkit::{Reply, Server};

const SECRET: &str = "cs_FIXTURE_SECRET";

fn client(server: &Server) -> transport::Client {
    let creds = transport::Credentials {
        client_id: "shop-1".into(),
        client_secret: Secret::new(SECRET),
    };
    let urls = vec![
        ("default".to_string(), format!("{}/api", server.url())),
        ("auth".to_string(), format!("{}/auth", server.url())),
    ];
    transport::Client::with_options(
        urls,
        creds,
        EngineConfig::default(),
        Arc::new(FixedClock(0)),
    )
    .expect("client")
}

fn payment() -> transport::PaymentRequest {
    transport::PaymentRequest {
        reference: "order-7".into(),
        amount: MinorUnits(4011),
        currency: "EUR".into(),
    }
}

const TOKEN: &str = r#"{"access_token":"tok_FIXTURE","token_type":"bearer","expires_in":600}"#;
const ACS: &str = r#"<html><body onload="document.forms[0].submit()"><form method="post" action="https://acs.example/challenge"><input type="hidden" name="creq" value="eyJ0"><input type="hidden" name="threeDSSessionData" value="order-7"></form></body></html>"#;

#[tokio::test]
async fn a_3ds_form_answer_and_a_json_answer_through_bearer_auth() {
    let server = Server::start(vec![
        Reply::json(200, TOKEN),
        Reply::typed(200, "text/html", ACS),
        Reply::json(200, r#"{"reference":"order-7","status":"authorised"}"#),
        Reply::json(200, r#"{"reference":"order-7","status":"authorised"}"#),
    ])
    .await;
    let c = client(&server);
    let Answer::Form(form) = c.create_payment(&payment()).await.expect("form") else {
        panic!("expected a form to post");
    };
    assert_eq!(form.action, "https://acs.example/challenge");
    assert_eq!(form.method, "POST");
    assert_eq!(form.field("threeDSSessionData"), Some("order-7"));
    let Answer::Data(p) = c.create_payment(&payment()).await.expect("json") else {
        panic!("expected the payment");
    };
    assert_eq!(p.status.as_deref(), Some("authorised"));
    let status = c
        .payment_status(&transport::StatusRequest {
            reference: "order-7".into(),
        })
        .await
        .expect("status");
    assert_eq!(status.reference.as_deref(), Some("order-7"));

    let seen = server.seen();
    let paths: Vec<&str> = seen.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/auth/oauth2/token",
            "/api/v1/payments",
            "/api/v1/payments",
            "/api/v1/payments/status"
        ]
    );
    assert_eq!(
        seen[1].header("accept"),
        Some("application/json, text/html")
    );
    assert_eq!(seen[3].header("accept"), Some("application/json"));
    assert!(seen[1..]
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer tok_FIXTURE")));
    assert!(!format!("{c:?}").contains(SECRET) && !format!("{c:?}").contains("tok_FIXTURE"));
}

#[tokio::test]
async fn an_undeclared_answer_of_a_money_moving_call_is_unknown_and_timeouts_apply() {
    let server = Server::start(vec![
        Reply::json(200, TOKEN),
        Reply::typed(200, "text/plain", "OK"),
        Reply::Hang,
    ])
    .await;
    let c = client(&server);
    let err = c.create_payment(&payment()).await.expect_err("plain text");
    assert!(
        matches!(
            err,
            Error::OutcomeUnknown {
                cause: UnknownCause::Undecodable,
                reconcile: paygen_runtime::Reconcile::Lookup {
                    operation: "payment_status",
                    ..
                },
                ..
            }
        ),
        "{err:?}"
    );
    let quick =
        c.with_call_options(CallOptions::default().with_timeout(Duration::from_millis(150)));
    let started = Instant::now();
    let err = quick.create_payment(&payment()).await.expect_err("hang");
    assert!(
        err.is_outcome_unknown() && err.to_string().contains("150ms"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        transport::operations::CREATE_PAYMENT.timeout,
        Some(Duration::from_millis(45_000))
    );
}
