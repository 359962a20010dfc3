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
        email: Some("payer@example.com".into()),
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

fn pay(currency: &str, phone: Option<&str>, email: Option<&str>) -> minimal::PayRequest {
    minimal::PayRequest {
        order_id: "1".into(),
        amount: MinorUnits(100),
        currency: currency.into(),
        phone: phone.map(|p| minimal::Phone994::new(p).expect("phone")),
        email: email.map(Into::into),
    }
}

fn refused(request: &minimal::PayRequest) -> Vec<(String, String)> {
    match paygen_runtime::__codegen::request_body(request, client().engine(), minimal::EXPONENTS) {
        Err(Error::InvalidRequest(errs)) => errs
            .errors
            .iter()
            .map(|e| (e.path.clone(), e.rule.clone()))
            .collect(),
        Err(other) => panic!("expected InvalidRequest, got {other:?}"),
        Ok(_) => Vec::new(),
    }
}

#[test]
fn conditional_requirements_name_every_field() {
    let owned = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        refused(&pay("AZN", None, Some("a@b.co"))),
        owned(&[("phone", "required")])
    );
    assert_eq!(
        refused(&pay("USD", Some("994934331504"), None)),
        owned(&[("phone", "forbidden")])
    );
    assert_eq!(
        refused(&pay("GBP", None, None)),
        owned(&[("phone", "at_least_one_of"), ("email", "at_least_one_of")])
    );
    assert!(refused(&pay("AZN", Some("994934331504"), None)).is_empty());
    assert!(refused(&pay("USD", None, Some("a@b.co"))).is_empty());
}
