//! A money-moving call that gets no answer, for every seed provider, in one table: the client
//! sends it exactly once (never retried), and the error is `Error::OutcomeUnknown` naming the
//! operation, marked money-moving, carrying the resolution its spec declares (`reconcile_with`
//! -> a lookup with the key taken from the request sent; `await_callback` -> the events and the
//! key values). The resolution carried out against the sandbox is in `tests/e2e_<provider>*.rs`;
//! every phase x answer of the engine in `runtime/tests/outcome_classes.rs`.

mod support;

use std::future::Future;
use std::pin::Pin;

use paygen_connectors::{cabbagino, cactusgino, global_solutions, pockyt};
use paygen_runtime::{Error, MinorUnits, Reconcile};
use serde_json::{json, Value};
use support::{short_timeout, Reply, Server};

/// A call sent to the server at this URL; its answer dropped.
type Sent = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

/// The resolution the spec declares for the operation.
enum Resolution {
    /// `reconcile_with`: this lookup, its key holding this wire field.
    Lookup(&'static str, &'static str),
    /// `await_callback`: these events, recognised by this field and value.
    Callback(&'static [&'static str], &'static str, Value),
}

/// One provider's money-moving call.
struct Case {
    provider: &'static str,
    operation: &'static str,
    path: &'static str,
    /// A piece of the body that shows the request is the one the caller built.
    body_has: &'static str,
    resolution: Resolution,
    call: fn(String) -> Sent,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            provider: "cabbagino",
            operation: "payout",
            path: "/v2/payment/payout/",
            body_has: r#""external_id":"po-1""#,
            resolution: Resolution::Callback(
                &["Success", "Decline", "Error", "StatusUnknown"],
                "external_id",
                json!("po-1"),
            ),
            call: |url| {
                Box::pin(async move {
                    let client = cabbagino::Client::with_base_url(
                        &url,
                        support::cabbagino::credentials(),
                        short_timeout(),
                    )
                    .expect("client");
                    let phone = cabbagino::Phone994::new("994934331504").expect("phone");
                    let payout = support::cabbagino::emanat_payout(phone);
                    client.payout(&payout).await.map(drop)
                })
            },
        },
        Case {
            provider: "cactusgino",
            operation: "payout",
            path: "/api/payout/",
            body_has: r#""request_id":"request_id123""#,
            resolution: Resolution::Callback(
                &["Success", "Failure"],
                "request_id",
                json!("request_id123"),
            ),
            call: |url| {
                Box::pin(async move {
                    let client = cactusgino::Client::with_base_url(
                        &url,
                        support::cactusgino::credentials(),
                        short_timeout(),
                    )
                    .expect("client");
                    let payout = support::cactusgino::card_payout();
                    client.payout(&payout).await.map(drop)
                })
            },
        },
        Case {
            provider: "global_solutions",
            operation: "payout",
            path: "/payments/payout",
            body_has: r#""amount":12.3,"#,
            // A token payout's invoiceId is optional, so no lookup is sure to find it: the
            // payout notification, recognised by accountId, carries the final state.
            resolution: Resolution::Callback(
                &["PayoutSuccess", "PayoutFailure"],
                "accountId",
                json!("john@doe.com"),
            ),
            call: |url| {
                Box::pin(async move {
                    let client = global_solutions::Client::with_base_url(
                        &url,
                        support::global_solutions::credentials(),
                        short_timeout(),
                    )
                    .expect("client");
                    let payout = global_solutions::PayoutTokenRequest {
                        token: global_solutions::CardToken::new("8163-KS17-JV29-KF28")
                            .expect("token"),
                        amount: MinorUnits(1230),
                        account_id: "john@doe.com".into(),
                        currency: "EUR".into(),
                        invoice_id: Some("11928485".into()),
                    };
                    client.payout(&payout).await.map(drop)
                })
            },
        },
        Case {
            provider: "pockyt",
            operation: "transfer",
            path: "/v3/payouts/pay",
            body_has: r#""invoiceId":"9aae4c685d824c5da746f97620c59eb5""#,
            resolution: Resolution::Lookup("payout_inquiry", "invoiceId"),
            call: |url| {
                Box::pin(async move {
                    let client = pockyt::Client::with_base_url(
                        &url,
                        support::pockyt::documented_credentials(),
                        short_timeout(),
                    )
                    .expect("client");
                    let transfer = support::pockyt::documented_transfer();
                    client.transfer(&transfer).await.map(drop)
                })
            },
        },
    ]
}

/// Checks the error against the case; `Err(why)` names what differs.
fn check(case: &Case, result: Result<(), Error>) -> Result<(), String> {
    let Err(Error::OutcomeUnknown {
        operation,
        money_moving,
        reconcile,
        ..
    }) = result
    else {
        return Err(format!("expected OutcomeUnknown, got {result:?}"));
    };
    if (operation, money_moving) != (case.operation, true) {
        return Err(format!("named {operation} (money-moving {money_moving})"));
    }
    let resolved = match (&case.resolution, &reconcile) {
        (Resolution::Lookup(lookup, field), Reconcile::Lookup { operation, key }) => {
            operation == lookup && key.contains_key(*field)
        }
        (
            Resolution::Callback(events, field, value),
            Reconcile::AwaitCallback { events: got, key },
        ) => got == events && key.get(*field) == Some(value),
        _ => false,
    };
    if !resolved {
        return Err(format!("resolution {reconcile:?}"));
    }
    Ok(())
}

#[tokio::test]
async fn a_money_moving_call_without_an_answer_is_sent_once_and_unknown_with_its_resolution() {
    let mut problems = Vec::new();
    for case in cases() {
        // A second script step would catch a resend (it would hang too, and be recorded).
        let server = Server::start(vec![Reply::Hang, Reply::Hang]).await;
        let result = (case.call)(server.url()).await;
        if let Err(why) = check(&case, result) {
            problems.push(format!("{}: {why}", case.provider));
        }
        let seen = server.seen();
        if seen.len() != 1 {
            problems.push(format!("{}: sent {} times", case.provider, seen.len()));
            continue;
        }
        if seen[0].path != case.path || !seen[0].body_text().contains(case.body_has) {
            problems.push(format!(
                "{}: sent {} {}",
                case.provider,
                seen[0].path,
                seen[0].body_text()
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_check_refuses_a_wrong_resolution_or_answer() {
    let case = &cases()[3];
    let wrong = Error::OutcomeUnknown {
        operation: "transfer",
        money_moving: true,
        reconcile: Reconcile::Unspecified,
        reason: "timed out".into(),
        cause: paygen_runtime::UnknownCause::Timeout,
    };
    assert!(check(case, Err(wrong)).is_err());
    assert!(check(case, Ok(())).is_err());
}
