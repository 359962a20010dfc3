//! End to end through the generated Global Solutions client against the in-process sandbox:
//! duplicates, refunds and balances, and every fault kind reported in the right error phase.

// Each e2e binary uses a subset of the shared helpers.
#[allow(dead_code)]
mod e2e_support;

use std::time::Duration;

use e2e_support::{assert_unknown_sent_once, compressed, engine, requests_for};
use paygen_connectors::global_solutions as gs;
use paygen_runtime::{EngineConfig, Error};
use paygen_sandbox::SandboxHandle;
use serde_json::json;

async fn start() -> SandboxHandle {
    e2e_support::start(compressed("specs/global_solutions.yaml")).await
}

fn client(sb: &SandboxHandle, fault: Option<&str>) -> gs::Client {
    let creds = gs::Credentials {
        public_id: "pbid_2kajhh9oqhmpwjqgd529rg".into(),
        api_secret: "1234ABCD".into(),
    };
    let config = EngineConfig {
        retry_backoff: Duration::from_millis(10),
        ..engine(Duration::from_millis(400), fault)
    };
    gs::Client::with_base_url(&sb.base_url("global_solutions"), creds, config).expect("client")
}

fn payout(invoice: &str) -> gs::PayoutCardRequest {
    serde_json::from_value(json!({
        "pan": "4242424242424242", "name": "John Doe", "amount": 1230, "currency": "EUR", "invoiceId": invoice
    }))
    .expect("request")
}

fn charge(pan: &str, invoice: &str) -> gs::ChargeCardRequest {
    serde_json::from_value(json!({
        "amount": 1000, "currency": "EUR", "name": "John Doe", "invoiceId": invoice,
        "description": "t", "accountId": "john@doe.com", "ip": "127.0.0.1",
        "card": { "pan": pan, "cvv": "123", "expiryMonth": 12, "expiryYear": 2030 }
    }))
    .expect("request")
}

#[tokio::test]
async fn timed_out_payout_is_unknown_received_once_and_found_by_status() {
    let sb = start().await;
    let err = client(&sb, Some("timeout"))
        .payout_card(&payout("inv-t1"))
        .await
        .expect_err("times out");
    let reconcile = assert_unknown_sent_once(&sb, "payout_card", &err);
    assert!(
        matches!(
            reconcile,
            paygen_runtime::Reconcile::Lookup { operation: "status_invoice", key }
                if key.get("invoiceId") == Some(&serde_json::json!("inv-t1"))
        ),
        "{reconcile:?}"
    );
    let found = client(&sb, None)
        .status_invoice(&gs::StatusInvoiceRequest {
            invoice_id: "inv-t1".into(),
        })
        .await
        .expect("status");
    let status = found
        .transactions
        .and_then(|t| t.into_iter().next())
        .and_then(|t| t.status);
    assert_eq!(status.as_deref(), Some("PayoutCompleted"));
    sb.stop().await;
}

#[tokio::test]
async fn reset_malformed_and_503_are_reported_by_phase() {
    let sb = start().await;
    let err = client(&sb, Some("reset"))
        .payout_card(&payout("inv-r1"))
        .await
        .expect_err("reset");
    assert!(err.is_outcome_unknown(), "{err}");
    let err = client(&sb, Some("malformed"))
        .charge_card(&charge("4242424242424242", "inv-m1"))
        .await
        .expect_err("garbage");
    // A truncated answer to a money-moving call does not prove its outcome (issue 9).
    assert!(
        matches!(
            err,
            Error::OutcomeUnknown {
                cause: paygen_runtime::UnknownCause::Undecodable,
                reconcile: paygen_runtime::Reconcile::Lookup {
                    operation: "status_invoice",
                    ..
                },
                ..
            }
        ),
        "{err}"
    );
    let err = client(&sb, Some("status=503;retry-after=0"))
        .status(&gs::StatusRequest { transaction_id: 1 })
        .await
        .expect_err("503");
    // A 5xx on a safe operation is a server error, never a decline (issue 9).
    assert!(matches!(err, Error::Server { status: 503, .. }), "{err}");
    let tries = requests_for(&sb, "status").len();
    assert_eq!(tries, 3, "a safe operation is retried (2 retries)");
    let err = client(&sb, Some("delay=600"))
        .status(&gs::StatusRequest { transaction_id: 1 })
        .await
        .expect_err("slow");
    assert!(err.is_outcome_unknown(), "{err}");
    sb.stop().await;
}

#[tokio::test]
async fn duplicate_invoice_declines_and_refund_moves_the_balance() {
    let sb = start().await;
    let c = client(&sb, None);
    let first = c
        .charge_card(&charge("4242424242424242", "inv-d1"))
        .await
        .expect("charge");
    let gs::ChargeCardResponse::Completed(paid) = first else {
        panic!("completed: {first:?}")
    };
    let again = c
        .charge_card(&charge("4242424242424242", "inv-d1"))
        .await
        .expect("answer");
    let gs::ChargeCardResponse::Declined(dup) = again else {
        panic!("declined: {again:?}")
    };
    assert_eq!(
        dup.model.and_then(|m| m.reason).as_deref(),
        Some("Duplicate invoice ID")
    );
    assert_eq!(sb.balance("global_solutions", "EUR"), Some(1_001_000));
    let id = paid.model.and_then(|m| m.transaction_id).expect("id");
    let refund: gs::RefundRequest =
        serde_json::from_value(json!({"transactionId": id, "amount": 450, "currency": "EUR"}))
            .expect("req");
    c.refund(&refund).await.expect("refund accepted");
    for _ in 0..100 {
        if sb.balance("global_solutions", "EUR") == Some(1_000_550) {
            break;
        }
        e2e_support::let_time_pass(&sb).await;
    }
    assert_eq!(sb.balance("global_solutions", "EUR"), Some(1_000_550));
    let redirect = c
        .charge_card(&charge("4200000000000000", "inv-3ds"))
        .await
        .expect("3ds");
    assert!(
        matches!(redirect, gs::ChargeCardResponse::Redirect3ds(_)),
        "{redirect:?}"
    );
    sb.stop().await;
}

#[tokio::test]
async fn list_answers_only_the_requested_day() {
    let sb = start().await;
    let c = client(&sb, None);
    c.charge_card(&charge("4242424242424242", "inv-day"))
        .await
        .expect("charge");
    let day: gs::ListRequest =
        serde_json::from_value(json!({"date": "2020-10-25", "timezone": "Europe/Kyiv"}))
            .expect("request");
    let listed = c.list(&day).await.expect("list");
    assert_eq!(
        listed.transactions.unwrap_or_default(),
        vec![],
        "today's payment is not on 2020-10-25"
    );
    sb.stop().await;
}
