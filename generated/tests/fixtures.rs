//! The clean spec fixtures of `tests/specs/ok`, generated and compiled (under clippy) like the
//! providers, and exercised: a named map response, validation, signing.

include!(concat!(env!("OUT_DIR"), "/fixtures/minimal.rs"));

use std::sync::Arc;

use paygen_runtime::__codegen::{Credentials as RtCredentials, RawResponse};
use paygen_runtime::{EngineConfig, Error, FixedClock, MinorUnits, Secret};

#[test]
fn a_named_map_response_keeps_every_key() {
    let body = r#"{"EUR":{"total":1000,"currency":"EUR"},"XAF":{"total":7,"currency":"XAF"}}"#;
    let raw = RawResponse {
        status: 200,
        headers: Default::default(),
        body: body.as_bytes().to_vec().into(),
        json: serde_json::from_str(body).ok(),
    };
    let balances: minimal::Balances =
        paygen_runtime::__codegen::decode("balances", &raw).expect("decodes");
    assert_eq!(balances.len(), 2);
    assert_eq!(balances["XAF"].total, Some(MinorUnits(7)));
}

fn client() -> minimal::Client {
    let creds = minimal::Credentials {
        merchant_key: Secret::new("mk"),
        salt: Secret::new("s"),
    };
    minimal::Client::with_options(
        vec![("default".into(), "http://127.0.0.1:9".into())],
        creds,
        EngineConfig::default(),
        Arc::new(FixedClock(0)),
    )
    .expect("client")
}

#[test]
fn requests_are_validated_then_signed() {
    let bad = minimal::PayRequest {
        order_id: " ".into(),
        amount: MinorUnits(-5),
        currency: "EURO".into(),
        phone: minimal::Phone994::new("12").ok(),
    };
    match paygen_runtime::__codegen::request_body(&bad, client().engine(), minimal::EXPONENTS) {
        Err(Error::InvalidRequest(errs)) => {
            let paths: Vec<&str> = errs.errors.iter().map(|e| e.path.as_str()).collect();
            assert_eq!(paths, ["order_id", "amount", "currency", "amount"]);
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    let ok = minimal::StatusRequest {
        order_id: "1".into(),
    };
    let body = paygen_runtime::__codegen::request_body(&ok, client().engine(), minimal::EXPONENTS)
        .expect("valid");
    let prepared = client()
        .engine()
        .prepare(&minimal::operations::STATUS, Some(body))
        .expect("prepared");
    // V1 of the fixture: sha1("order_id:1;" + "s").
    assert_eq!(
        String::from_utf8_lossy(&prepared.body),
        r#"{"order_id":"1","signature":"985b5e2a4c64bf3b8411fd13c3c0a98cd68949c0"}"#
    );
    assert!(RtCredentials::new().get("salt").is_none());
}

pub mod v2 {
    //! The signing-v2 fixture: a signature over a path parameter, and timestamped webhooks.

    include!(concat!(env!("OUT_DIR"), "/fixtures/signing_v2.rs"));

    use std::sync::Arc;

    use paygen_runtime::__codegen::http::{HeaderMap, HeaderValue};
    use paygen_runtime::{EngineConfig, Error, FixedClock, Secret};

    fn creds() -> signing_v2::Credentials {
        signing_v2::Credentials {
            merchant_control: Secret::new("CONTROL-KEY"),
            whsec: Secret::new("whsec_test"),
            whsec_old: Secret::new("whsec_previous"),
        }
    }

    #[test]
    fn the_path_parameter_is_signed_and_not_sent_in_the_body() {
        let client = signing_v2::Client::with_options(
            vec![("default".into(), "https://api.example.com/v2".into())],
            creds(),
            EngineConfig::default(),
            Arc::new(FixedClock(0)),
        )
        .expect("client");
        let request = signing_v2::DepositRequest {
            endpoint_id: 4711,
            client_orderid: "ord-1".into(),
            amount: "10.42".into(),
            email: "a@b.c".into(),
        };
        let body = paygen_runtime::__codegen::request_body(
            &request,
            client.engine(),
            signing_v2::EXPONENTS,
        )
        .expect("valid");
        let prepared = client
            .engine()
            .prepare(&signing_v2::operations::DEPOSIT, Some(body))
            .expect("prepared");
        assert_eq!(prepared.url, "https://api.example.com/v2/deposit/4711/");
        // vector D1 of the fixture (Python hashlib): sha1("4711ord-110.42a@b.cCONTROL-KEY")
        assert_eq!(
            String::from_utf8_lossy(&prepared.body),
            r#"{"client_orderid":"ord-1","amount":"10.42","email":"a@b.c","control":"95f264c08940d518d125725002ed7dc31a9d8162"}"#
        );
    }

    #[test]
    fn webhooks_verify_with_tolerance_and_carry_their_dedup_key() {
        let body = br#"{"id":"evt_1","type":"payment.succeeded","order":"ord-1"}"#;
        let mut headers = HeaderMap::new();
        headers.insert(
            "Signature-Header",
            HeaderValue::from_static(
                "t=1700000000,v1=b88eb9aa26eb10459c13415710cf1f182be788cd4bb141f5d761d58c0d210039",
            ),
        );
        let verifier = |now| {
            signing_v2::webhook_verifier(&creds())
                .expect("verifier")
                .with_clock(Arc::new(FixedClock(now)))
        };
        let n = signing_v2::receive_webhook(&verifier(1_700_000_100), &headers, body)
            .expect("verified");
        assert_eq!(n.dedup_key.as_deref(), Some("evt_1"));
        assert!(matches!(n.event, signing_v2::WebhookEvent::Payment(_)));
        let stale = signing_v2::receive_webhook(&verifier(1_700_000_301), &headers, body);
        assert!(matches!(stale, Err(Error::BadSignature { .. })));
        let future = signing_v2::receive_webhook(&verifier(1_699_999_699), &headers, body);
        assert!(matches!(future, Err(Error::BadSignature { .. })));
    }
}
