//! OAuth2 client-credentials auth against the recording server on 127.0.0.1: the token is
//! fetched, cached until shortly before it expires (injected clock), sent as a bearer token,
//! refreshed once after a 401 (a refused request: one resend is safe even for money-moving
//! operations), and never shown in Debug output or errors.

mod support;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use paygen_runtime::OutcomeClass;
use paygen_runtime::{
    auth::ClientAuth, auth::OAuth2ClientCredentials, engine::Answers, engine::AuthSpec,
    engine::BodyEncoding, engine::Method, engine::OperationMeta, engine::ProviderMeta,
    engine::Repeat, Clock, Credentials, Engine, EngineConfig, Error,
};
use support::{start, Reply};

const CLIENT_SECRET: &str = "cs_TOPSECRET_99";
const TOKEN_1: &str = "tok_FIRST_abcdef";
const TOKEN_2: &str = "tok_SECOND_ghijkl";

#[derive(Debug)]
struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now_unix(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

fn oauth(client_auth: ClientAuth) -> OAuth2ClientCredentials {
    OAuth2ClientCredentials {
        host: "default",
        path: "/oauth/token",
        client_id: "client_id",
        client_secret: "client_secret",
        scope: Some("payments refunds"),
        client_auth,
    }
}

fn pay() -> OperationMeta {
    OperationMeta {
        name: "pay",
        method: Method::Post,
        host: "default",
        path: "/v1/pay",
        encoding: BodyEncoding::Json,
        repeat: Repeat::Once {
            resolve: paygen_runtime::Resolve::Lookup {
                operation: "get_payment",
                key: &[("id", "id")],
            },
        },
        money_moving: true,
        sign_request: false,
        verify_response: false,
        provider_error: None,
        typed_error_statuses: false,
        accept: "application/json",
        answers: Answers::JSON,
        timeout: None,
    }
}

fn engine(url: String, client_auth: ClientAuth, clock: Arc<TestClock>) -> Engine {
    let provider = ProviderMeta {
        name: "tokenpay",
        auth: AuthSpec {
            oauth2: Some(oauth(client_auth)),
            ..AuthSpec::default()
        },
        request_recipe: None,
        response_recipe: None,
        request_id_header: None,
    };
    let config = EngineConfig {
        timeout: Duration::from_millis(500),
        ..EngineConfig::default()
    };
    let creds = Credentials::new()
        .with("client_id", "merchant 1")
        .with("client_secret", CLIENT_SECRET);
    Engine::new(
        provider,
        vec![("default".into(), url)],
        creds,
        config,
        clock,
    )
    .expect("engine")
}

fn token(value: &str, expires_in: u64) -> Reply {
    Reply::json(
        200,
        &format!(r#"{{"access_token":"{value}","token_type":"Bearer","expires_in":{expires_in}}}"#),
    )
}

fn body(v: serde_json::Value) -> Option<serde_json::Map<String, serde_json::Value>> {
    v.as_object().cloned()
}

#[tokio::test]
async fn token_is_fetched_cached_until_expiry_and_sent_as_bearer() {
    let server = start(vec![
        token(TOKEN_1, 3600),
        Reply::json(200, "{}"),
        Reply::json(200, "{}"),
        token(TOKEN_2, 3600),
        Reply::json(200, "{}"),
    ])
    .await;
    let clock = Arc::new(TestClock(AtomicI64::new(1_000)));
    let e = engine(server.url(), ClientAuth::Basic, clock.clone());
    e.execute(&pay(), body(serde_json::json!({"amount": 1})))
        .await
        .expect("first");
    clock.0.store(1_000 + 3600 - 31, Ordering::SeqCst); // still inside the margin
    e.execute(&pay(), None).await.expect("cached");
    clock.0.store(1_000 + 3600 - 30, Ordering::SeqCst); // within 30 s of expiry: renewed
    e.execute(&pay(), None).await.expect("renewed");

    let seen = server.seen();
    let paths: Vec<&str> = seen.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/oauth/token",
            "/v1/pay",
            "/v1/pay",
            "/oauth/token",
            "/v1/pay"
        ]
    );
    let token_request = &seen[0];
    assert_eq!(token_request.method, "POST");
    assert_eq!(
        token_request.body_text(),
        "grant_type=client_credentials&scope=payments+refunds"
    );
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("merchant+1:{CLIENT_SECRET}"));
    assert_eq!(
        token_request.header("authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(
        token_request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let bearer = |i: usize| seen[i].header("authorization").map(str::to_string);
    assert_eq!(bearer(1), Some(format!("Bearer {TOKEN_1}")));
    assert_eq!(bearer(2), Some(format!("Bearer {TOKEN_1}")));
    assert_eq!(bearer(4), Some(format!("Bearer {TOKEN_2}")));
    assert_eq!(seen[1].body_text(), r#"{"amount":1}"#);
    assert!(!format!("{e:?}").contains(TOKEN_1) && !format!("{e:?}").contains(CLIENT_SECRET));
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_resends_once() {
    let server = start(vec![
        token(TOKEN_1, 3600),
        Reply::json(401, r#"{"error":"invalid_token"}"#),
        token(TOKEN_2, 3600),
        Reply::json(200, r#"{"id":"p1"}"#),
        // a second call refused twice: no loop
        Reply::json(401, "{}"),
        token(TOKEN_1, 3600),
        Reply::json(401, "{}"),
    ])
    .await;
    let clock = Arc::new(TestClock(AtomicI64::new(0)));
    let e = engine(server.url(), ClientAuth::Body, clock);
    let raw = e
        .execute(&pay(), body(serde_json::json!({"amount": 5})))
        .await
        .expect("after refresh");
    assert_eq!(raw.status, 200);
    let err = e.execute(&pay(), None).await.expect_err("refused twice");
    assert!(matches!(err, Error::Http { status: 401, .. }), "{err:?}");
    assert_eq!(err.class(), OutcomeClass::Refused);

    let seen = server.seen();
    let paths: Vec<&str> = seen.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/oauth/token",
            "/v1/pay",
            "/oauth/token",
            "/v1/pay",
            "/v1/pay",
            "/oauth/token",
            "/v1/pay"
        ]
    );
    assert_eq!(seen[1].body, seen[3].body, "the resend is the same request");
    assert_eq!(
        seen[3].header("authorization"),
        Some(format!("Bearer {TOKEN_2}").as_str())
    );
    assert_eq!(
        seen[0].body_text(),
        "grant_type=client_credentials&scope=payments+refunds&client_id=merchant+1&client_secret=cs_TOPSECRET_99"
    );
    assert_eq!(seen[0].header("authorization"), None);
}

#[tokio::test]
async fn a_token_endpoint_refusal_sends_nothing_and_leaks_nothing() {
    let refusal =
        format!(r#"{{"error":"invalid_client","error_description":"bad secret {CLIENT_SECRET}"}}"#);
    let server = start(vec![
        Reply::json(401, &refusal),
        Reply::json(200, r#"{"access_token":"t","token_type":"mac"}"#),
        Reply::typed(200, "text/html", "<html>login</html>"),
    ])
    .await;
    let e = engine(
        server.url(),
        ClientAuth::Basic,
        Arc::new(TestClock(AtomicI64::new(0))),
    );
    let mut reasons = Vec::new();
    for _ in 0..3 {
        let err = e.execute(&pay(), None).await.expect_err("no token");
        assert!(err.nothing_sent(), "{err:?}");
        assert!(
            matches!(
                err,
                Error::Auth {
                    operation: "pay",
                    ..
                }
            ),
            "{err:?}"
        );
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(CLIENT_SECRET), "{shown}");
        reasons.push(err.to_string());
    }
    assert!(
        reasons[0].contains("HTTP 401 (invalid_client)"),
        "{}",
        reasons[0]
    );
    assert!(reasons[1].contains("other than bearer"), "{}", reasons[1]);
    assert!(reasons[2].contains("not JSON"), "{}", reasons[2]);
    assert!(server.seen().iter().all(|r| r.path == "/oauth/token"));
}

#[test]
fn the_token_endpoint_credentials_are_required() {
    let provider = ProviderMeta {
        name: "tokenpay",
        auth: AuthSpec {
            oauth2: Some(oauth(ClientAuth::Basic)),
            ..AuthSpec::default()
        },
        request_recipe: None,
        response_recipe: None,
        request_id_header: None,
    };
    let err = Engine::new(
        provider,
        vec![("default".into(), "http://127.0.0.1:9".into())],
        Credentials::new().with("client_id", "x"),
        EngineConfig::default(),
        Arc::new(TestClock(AtomicI64::new(0))),
    )
    .expect_err("missing secret");
    assert!(err.to_string().contains("client_secret"), "{err}");
}
