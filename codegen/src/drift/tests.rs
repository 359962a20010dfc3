//! Drift of notifications against the Pockyt seed spec, whose IPN is declared form-encoded:
//! recorded bodies are decoded as the webhook receiver decodes them before their fields are
//! compared.

use std::path::PathBuf;

use paygen_runtime::cassette::{Exchange, ExchangeKind, Recorded, SignatureCheck};

use super::drift;
use crate::spec::Loaded;

fn pockyt() -> Loaded {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/pockyt.yaml");
    crate::check_file(&spec).expect("the seed spec is clean")
}

/// A verified notification with this body and, when given, this recorded content type.
fn ipn(body: &str, content_type: Option<&str>) -> Exchange {
    let headers = content_type
        .map(|t| vec![("content-type".to_string(), t.to_string())])
        .unwrap_or_default();
    Exchange {
        kind: ExchangeKind::Callback,
        operation: Some("webhook".into()),
        request: Recorded {
            method: Some("POST".into()),
            path: Some("/ipn".into()),
            query: None,
            status: None,
            headers,
            body: body.into(),
        },
        response: Recorded {
            method: None,
            path: None,
            query: None,
            status: Some(200),
            headers: vec![],
            body: "success".into(),
        },
        signature: SignatureCheck::Verified,
    }
}

const FORM: &str = "application/x-www-form-urlencoded";

/// The spec's documented `payout_success_ipn`, form-encoded (keys sorted, as Pockyt signs them).
const DOCUMENTED: &str = "accountToken=2010300192540133960288&amount=60.00&currency=USD\
&invoiceId=9aae4c685d824c5da746f97620c59ec7&paymentTime=2023-02-15T22%3A59%3A11Z\
&status=success&transactionNo=318453016214317262&vendor=BANK_ACCOUNT&verifySign=abc";

fn found(body: &str, content_type: Option<&str>) -> Vec<(&'static str, String, String)> {
    drift(&pockyt(), &[ipn(body, content_type)], false)
        .into_iter()
        .map(|d| (d.code, d.path, d.message))
        .collect()
}

#[test]
fn a_documented_form_ipn_drifts_nothing_with_or_without_its_content_type() {
    assert_eq!(found(DOCUMENTED, Some(FORM)), vec![]);
    assert_eq!(
        found(
            DOCUMENTED,
            Some("application/x-www-form-urlencoded; charset=UTF-8")
        ),
        vec![]
    );
    assert_eq!(
        found(DOCUMENTED, None),
        vec![],
        "the spec's encoding decides"
    );
}

#[test]
fn form_ipn_differences_are_named_without_false_type_mismatches() {
    let body = DOCUMENTED.replace("status=success", "status=settled") + "&feeAmount=0.50";
    let got = found(&body, Some(FORM));
    let codes: Vec<(&str, &str)> = got.iter().map(|(c, p, _)| (*c, p.as_str())).collect();
    assert_eq!(
        codes,
        vec![
            ("D0004", "types.PayoutNotification.fields"),
            ("D0005", "types.PayoutStatus.values"),
        ],
        "{got:#?}"
    );
    assert!(got[0].2.contains("`feeAmount`"), "{got:#?}");
    assert!(got[1].2.contains("\"settled\""), "{got:#?}");
}

#[test]
fn a_form_value_the_receiver_cannot_read_is_a_type_mismatch() {
    // `amount` is a decimal: the typed decoding refuses this text, so drift names it.
    let body = DOCUMENTED.replace("amount=60.00", "amount=60%2C00");
    let got = found(&body, Some(FORM));
    let codes: Vec<(&str, &str)> = got.iter().map(|(c, p, _)| (*c, p.as_str())).collect();
    assert_eq!(
        codes,
        vec![("D0006", "types.PayoutNotification.fields.amount")],
        "{got:#?}"
    );
}

#[test]
fn a_json_ipn_where_the_spec_says_form_is_reported_then_compared_as_json() {
    let body = r#"{"accountToken":"2010300192540133960288","amount":"60.00","currency":"USD","status":"success","verifySign":"abc"}"#;
    let got = found(body, Some("application/json"));
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(
        (got[0].0, got[0].1.as_str()),
        ("D0006", "webhooks.encoding")
    );
    assert!(got[0].2.contains("not form-encoded"), "{got:#?}");
}

#[test]
fn an_undecodable_form_ipn_is_reported_not_walked() {
    let got = found("status=%FF", Some(FORM));
    let codes: Vec<(&str, &str)> = got.iter().map(|(c, p, _)| (*c, p.as_str())).collect();
    assert_eq!(codes, vec![("D0003", "webhooks.encoding")], "{got:#?}");
}

#[test]
fn every_diagnostic_is_located_in_the_spec() {
    let body = DOCUMENTED.replace("status=success", "status=settled") + "&feeAmount=0.50";
    let loaded = pockyt();
    for d in drift(&loaded, &[ipn(&body, Some(FORM))], false) {
        assert!(d.line > 0 && d.col > 0, "{d:?}");
    }
}
