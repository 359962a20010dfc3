//! End to end through the generated Global Solutions client against the in-process sandbox, one
//! test per group of operations: test, charge_card (every test card), post3ds, refund, payout,
//! payout_card, status, status_invoice, list, link, balance, apm_payout and apm_refund; final
//! states are notified to a local receiver that verifies them with `verify_webhook`, answers
//! `WEBHOOK_ACK`, and sees them retried when not acknowledged or signed wrongly.

// Each e2e binary uses a subset of the shared helpers.
#[allow(dead_code)]
mod e2e_support;

use std::sync::Arc;
use std::time::Duration;

use e2e_support::{compressed, engine, wait_for_acked_callback, Answer, Receiver};
use paygen_connectors::global_solutions as gs;
use paygen_runtime::{EngineConfig, Error, MinorUnits};
use paygen_sandbox::{SandboxConfig, SandboxHandle};
use serde_json::json;

const PROVIDER: &str = "global_solutions";

fn creds() -> gs::Credentials {
    gs::Credentials {
        public_id: "pbid_2kajhh9oqhmpwjqgd529rg".into(),
        api_secret: "1234ABCD".into(),
    }
}

/// One notification as the receiver saw it.
#[derive(Debug, Clone, PartialEq)]
struct Got {
    /// `verify_webhook` accepted the Content-HMAC.
    verified: bool,
    /// Event kind (`PaymentSuccess`, ...), empty when not verified.
    kind: &'static str,
    /// The notification's transactionId.
    tx: Option<i64>,
    /// paymentTransactionId (refunds).
    parent: Option<i64>,
    /// reasonCode (failures).
    reason: Option<gs::ReasonCode>,
    /// Answered with `WEBHOOK_ACK`.
    acked: bool,
}

/// What a verified notification says (not yet acknowledged).
fn summary(e: &gs::WebhookEvent) -> Got {
    use gs::WebhookEvent as E;
    let (kind, tx, parent, reason) = match e {
        E::PaymentCheck(n) => ("PaymentCheck", n.transaction_id, None, None),
        E::PaymentSuccess(n) => ("PaymentSuccess", n.transaction_id, None, None),
        E::PaymentFailure(n) => (
            "PaymentFailure",
            n.transaction_id,
            None,
            n.reason_code.clone(),
        ),
        E::RefundSuccess(n) => (
            "RefundSuccess",
            n.transaction_id,
            n.payment_transaction_id,
            None,
        ),
        E::RefundFailure(n) => {
            let reason = n.reason_code.clone();
            (
                "RefundFailure",
                n.transaction_id,
                n.payment_transaction_id,
                reason,
            )
        }
        E::PayoutSuccess(n) => ("PayoutSuccess", n.transaction_id, None, None),
        E::PayoutFailure(n) => (
            "PayoutFailure",
            n.transaction_id,
            None,
            n.reason_code.clone(),
        ),
        E::Other(n) => ("Other", n.transaction_id, n.payment_transaction_id, None),
        E::Unrecognised(_) => ("Unrecognised", None, None, None),
    };
    Got {
        verified: true,
        kind,
        tx,
        parent,
        reason,
        acked: false,
    }
}

/// The sandbox clock of these tests (2023-11-14T22:13:20Z).
const NOW: i64 = 1_700_000_000;

/// A notification receiver on 127.0.0.1 plus the sandbox that notifies it.
struct Rig {
    sb: SandboxHandle,
    rx: Receiver<Got>,
}

impl Rig {
    /// Starts a receiver that answers the first `nack_first` verified notifications with HTTP
    /// 500 (not the acknowledgement), then a sandbox sending every notification to it.
    async fn start(nack_first: usize) -> Rig {
        let mut nack = nack_first;
        let rx = Receiver::start(gs::WEBHOOK_ACK, move |call| {
            let event = gs::verify_webhook(&creds(), &call.headers, &call.body);
            let refused = matches!(event, Err(Error::BadSignature { .. }));
            let mut got = event.as_ref().map(summary).unwrap_or(Got {
                verified: false,
                kind: "",
                tx: None,
                parent: None,
                reason: None,
                acked: false,
            });
            let nacked = event.is_ok() && nack > 0;
            if nacked {
                nack -= 1;
            }
            got.acked = event.is_ok() && !nacked;
            let answer = match (got.acked, refused) {
                (true, _) => Answer::Ack,
                (false, true) => Answer::Refuse(401, r#"{"code":401}"#),
                (false, false) => Answer::Refuse(500, r#"{"code":1}"#),
            };
            (got, answer)
        })
        .await;
        let config = SandboxConfig {
            notify_override: Some(rx.url("/gs-notify")),
            hold_limit: Duration::from_secs(1),
            // A fixed clock: "today" does not move under the list test at midnight.
            clock: Arc::new(paygen_runtime::FixedClock(NOW)),
            ..compressed("specs/global_solutions.yaml")
        };
        let sb = e2e_support::start(config).await;
        Rig { sb, rx }
    }

    fn client(&self) -> gs::Client {
        self.client_with(None)
    }

    fn client_with(&self, fault: Option<&str>) -> gs::Client {
        let config = EngineConfig {
            retry_backoff: Duration::from_millis(10),
            ..engine(Duration::from_millis(500), fault)
        };
        gs::Client::with_base_url(&self.sb.base_url(PROVIDER), creds(), config).expect("client")
    }

    fn got(&self) -> Vec<Got> {
        self.rx.seen()
    }

    /// Waits (bounded) until an acknowledged notification of this kind about `tx` arrived.
    async fn notified(&self, kind: &str, tx: i64) -> Got {
        let found = self
            .rx
            .wait_for_one(|g| g.acked && g.kind == kind && g.tx == Some(tx))
            .await;
        found.unwrap_or_else(|| panic!("no acked {kind} for {tx}: {:?}", self.got()))
    }

    /// The balance of a currency as the `balance` operation reports it, in minor units.
    async fn balance(&self, currency: &str) -> i64 {
        let answer = self.client().balance().await.expect("balance");
        assert_eq!(answer.success, Some(true));
        answer
            .balances
            .into_iter()
            .flatten()
            .flat_map(|b| b.currencies.unwrap_or_default())
            .find(|c| c.currency.as_deref() == Some(currency))
            .and_then(|c| c.total)
            .and_then(|t| t.to_minor(2))
            .map(|m| m.0)
            .unwrap_or_else(|| panic!("no {currency} balance"))
    }

    /// Polls `status` (bounded) until the transaction reaches `want`.
    async fn settles(&self, id: i64, want: gs::TransactionStatus) -> gs::Transaction {
        let c = self.client();
        let mut last = None;
        for _ in 0..100 {
            let answer = c
                .status(&gs::StatusRequest { transaction_id: id })
                .await
                .expect("status");
            let model = answer.model.expect("model");
            if model.status_code.as_ref() == Some(&want) {
                return model;
            }
            last = Some(model);
            e2e_support::let_time_pass(&self.sb).await;
        }
        panic!("{id} never reached {want:?}: {last:?}")
    }
}

fn charge(pan: &str, cvv: &str, invoice: &str, amount: i64) -> gs::ChargeCardRequest {
    serde_json::from_value(json!({
        "amount": amount, "currency": "EUR", "name": "John Doe", "invoiceId": invoice,
        "description": "e2e", "accountId": "john@doe.com",
        "card": { "pan": pan, "cvv": cvv, "expiryMonth": 12, "expiryYear": 2030 }
    }))
    .expect("request")
}

fn payout_card(pan: &str, invoice: &str) -> gs::PayoutCardRequest {
    serde_json::from_value(json!({
        "pan": pan, "name": "John Doe", "amount": 1230, "currency": "EUR", "invoiceId": invoice
    }))
    .expect("request")
}

fn id_of(t: &gs::TransactionResponse) -> i64 {
    t.model
        .as_ref()
        .and_then(|m| m.transaction_id)
        .expect("transactionId")
}

/// A completed 4242 (or 4111 after post3ds) payment's transaction id.
async fn paid(rig: &Rig, pan: &str, invoice: &str, amount: i64) -> i64 {
    let c = rig.client();
    match c.charge_card(&charge(pan, "123", invoice, amount)).await {
        Ok(gs::ChargeCardResponse::Completed(t)) => id_of(&t),
        Ok(gs::ChargeCardResponse::Advanced3ds(a)) => {
            let id = a.three_ds_model.and_then(|m| m.transaction_id).expect("id");
            let done = c
                .post3ds(&gs::Post3dsRequest {
                    transaction_id: id,
                    pa_res: "4".into(),
                })
                .await
                .expect("post3ds");
            assert!(
                matches!(done, gs::Post3dsResponse::Completed(_)),
                "{done:?}"
            );
            id
        }
        Ok(gs::ChargeCardResponse::Redirect3ds(r)) => {
            let id = r.three_ds_redirect_model.and_then(|m| m.transaction_id);
            let id = id.expect("id");
            rig.settles(id, gs::TransactionStatus::Completed).await;
            id
        }
        other => panic!("payment did not complete: {other:?}"),
    }
}

#[tokio::test]
async fn test_and_every_test_card_through_charge_and_post3ds() {
    let rig = Rig::start(0).await;
    let c = rig.client();
    let t = c.test().await.expect("test");
    assert_eq!(t.success, Some(true));
    assert_eq!(t.message.as_deref(), Some("Test message success"));

    // 4242, CVV 123: completed with a token; CVV 333: declined 5051.
    let ok = c
        .charge_card(&charge("4242424242424242", "123", "c-1", 1000))
        .await;
    let gs::ChargeCardResponse::Completed(ok) = ok.expect("charge") else {
        panic!("4242 completes")
    };
    let model = ok.model.clone().expect("model");
    assert_eq!(model.status.as_deref(), Some("Completed"));
    assert_eq!(model.invoice_id.as_deref(), Some("c-1"));
    assert_eq!(
        model.amount.and_then(|a| a.to_minor(2)),
        Some(MinorUnits(1000))
    );
    assert!(model.token.is_some(), "a card payment returns a token");
    let bad = c
        .charge_card(&charge("4242424242424242", "333", "c-2", 1000))
        .await;
    let gs::ChargeCardResponse::Declined(bad) = bad.expect("charge") else {
        panic!("CVV 333 declines")
    };
    assert_eq!(bad.success, Some(false));
    let model = bad.model.clone().expect("model");
    assert_eq!(model.status_code, Some(gs::TransactionStatus::Declined));
    assert_eq!(model.reason_code, Some(gs::ReasonCode::InsufficientFunds));

    // 4111: Advanced 3-DS, finished with post3ds (success), or failing with CVV 333.
    let adv = c
        .charge_card(&charge("4111111111111111", "123", "c-3", 1000))
        .await;
    let gs::ChargeCardResponse::Advanced3ds(adv) = adv.expect("charge") else {
        panic!("4111 asks for Advanced 3-DS")
    };
    let challenge = adv.three_ds_model.expect("threeDsModel");
    let adv_id = challenge.transaction_id.expect("id");
    assert!(challenge.acs_url.is_some() && challenge.pa_req.is_some());
    assert_eq!(
        challenge.status_code,
        Some(gs::TransactionStatus::AwaitingAuthentication)
    );
    let waiting = c
        .status(&gs::StatusRequest {
            transaction_id: adv_id,
        })
        .await;
    let waiting = waiting.expect("status").model.expect("model");
    assert_eq!(
        waiting.status_code,
        Some(gs::TransactionStatus::AwaitingAuthentication)
    );
    let pares = |id| gs::Post3dsRequest {
        transaction_id: id,
        pa_res: "4".into(),
    };
    let done = c.post3ds(&pares(adv_id)).await.expect("post3ds");
    assert!(
        matches!(done, gs::Post3dsResponse::Completed(_)),
        "{done:?}"
    );
    let again = c.post3ds(&pares(adv_id)).await.expect_err("already done");
    assert!(
        matches!(&again, Error::Declined { http_status: 400, message, .. } if message.contains("not waiting")),
        "{again}"
    );
    let adv_bad = c
        .charge_card(&charge("4111111111111111", "333", "c-4", 1000))
        .await;
    let gs::ChargeCardResponse::Advanced3ds(adv_bad) = adv_bad.expect("charge") else {
        panic!("4111 asks for Advanced 3-DS")
    };
    let adv_bad_id = adv_bad
        .three_ds_model
        .and_then(|m| m.transaction_id)
        .expect("id");
    let failed = c.post3ds(&pares(adv_bad_id)).await.expect("post3ds");
    let gs::Post3dsResponse::Declined(failed) = failed else {
        panic!("3-DS with CVV 333 fails: {failed:?}")
    };
    assert_eq!(
        failed.model.and_then(|m| m.status_code),
        Some(gs::TransactionStatus::Declined)
    );

    // 4200: Redirect 3-DS, completed after the settle delay.
    let redirect = c
        .charge_card(&charge("4200000000000000", "123", "c-5", 1000))
        .await;
    let gs::ChargeCardResponse::Redirect3ds(redirect) = redirect.expect("charge") else {
        panic!("4200 asks for Redirect 3-DS")
    };
    let model = redirect
        .three_ds_redirect_model
        .expect("threeDsRedirectModel");
    assert!(model.url.as_deref().is_some_and(|u| u.contains("/acs/")));
    let redirect_id = model.transaction_id.expect("id");
    rig.settles(redirect_id, gs::TransactionStatus::Completed)
        .await;

    // Every final state was notified, verified and acknowledged once.
    for (kind, id) in [
        ("PaymentSuccess", id_of(&ok)),
        ("PaymentFailure", id_of(&bad)),
        ("PaymentSuccess", adv_id),
        ("PaymentFailure", adv_bad_id),
        ("PaymentSuccess", redirect_id),
    ] {
        rig.notified(kind, id).await;
    }
    assert!(
        rig.got().iter().all(|g| g.verified && g.acked),
        "{:?}",
        rig.got()
    );
    assert_eq!(rig.got().len(), 5, "one notification per final state");
    assert_eq!(rig.balance("EUR").await, 1_000_000 + 3 * 1000);
    rig.sb.stop().await;
}

#[tokio::test]
async fn refunds_follow_the_card_of_the_original_payment() {
    let rig = Rig::start(0).await;
    let c = rig.client();
    let p4242 = paid(&rig, "4242424242424242", "r-1", 1000).await;
    let p4242_full = paid(&rig, "4242424242424242", "r-2", 2000).await;
    let p4111 = paid(&rig, "4111111111111111", "r-3", 1000).await;
    let p4200 = paid(&rig, "4200000000000000", "r-4", 1000).await;
    assert_eq!(rig.balance("EUR").await, 1_005_000);
    let refund = |id: i64, amount: Option<&str>| {
        let mut body = json!({ "transactionId": id });
        if let Some(a) = amount {
            body["amount"] = serde_json::from_str(a).expect("number");
        }
        serde_json::from_value::<gs::RefundRequest>(body).expect("request")
    };
    let accepted = |r: Result<gs::RefundResponse, Error>| match r {
        Ok(gs::RefundResponse::Accepted(t)) => id_of(&t),
        other => panic!("refund accepted: {other:?}"),
    };
    let partial = accepted(c.refund(&refund(p4242, Some("4.5"))).await);
    let full = accepted(c.refund(&refund(p4242_full, None)).await);
    let declined = accepted(c.refund(&refund(p4111, None)).await);
    let created = accepted(c.refund(&refund(p4200, Some("1"))).await);

    let done = rig
        .settles(partial, gs::TransactionStatus::RefundCompleted)
        .await;
    assert_eq!(
        done.amount.and_then(|a| a.to_minor(2)),
        Some(MinorUnits(450))
    );
    let done = rig
        .settles(full, gs::TransactionStatus::RefundCompleted)
        .await;
    assert_eq!(
        done.amount.and_then(|a| a.to_minor(2)),
        Some(MinorUnits(2000)),
        "no amount refunds the whole payment"
    );
    assert_eq!(done.operation_type_code, Some(gs::OperationType::Refund));
    rig.settles(declined, gs::TransactionStatus::Declined).await;
    let g = rig.notified("RefundSuccess", partial).await;
    assert_eq!(g.parent, Some(p4242));
    assert_eq!(
        rig.notified("RefundSuccess", full).await.parent,
        Some(p4242_full)
    );
    let g = rig.notified("RefundFailure", declined).await;
    assert_eq!(g.parent, Some(p4111));
    assert_eq!(g.reason, Some(gs::ReasonCode::InsufficientFunds));
    // 4200: the refund stays Created (no notification, no balance change).
    let still = c
        .status(&gs::StatusRequest {
            transaction_id: created,
        })
        .await;
    let still = still.expect("status").model.expect("model");
    assert_eq!(still.status_code, Some(gs::TransactionStatus::Created));
    assert!(!rig.got().iter().any(|g| g.tx == Some(created)));

    let zero = c
        .refund(&refund(p4242, Some("0")))
        .await
        .expect_err("refused");
    assert!(
        matches!(&zero, Error::Declined { message, .. } if message == "Invalid Amount value"),
        "{zero}"
    );
    assert_eq!(rig.balance("EUR").await, 1_005_000 - 450 - 2000);
    rig.sb.stop().await;
}

#[tokio::test]
async fn payouts_by_token_and_by_card_with_duplicates_and_status_invoice() {
    let rig = Rig::start(0).await;
    let c = rig.client();
    let first = c
        .charge_card(&charge("4242424242424242", "123", "p-0", 5000))
        .await;
    let gs::ChargeCardResponse::Completed(first) = first.expect("charge") else {
        panic!("completed")
    };
    let token = first.model.and_then(|m| m.token).expect("token");
    let by_token = gs::PayoutTokenRequest {
        token,
        amount: MinorUnits(1230),
        account_id: "john@doe.com".into(),
        currency: "EUR".into(),
        invoice_id: Some("p-tok".into()),
    };
    let tok = c.payout(&by_token).await.expect("payout");
    let gs::PayoutResponse::Completed(tok) = tok else {
        panic!("token payout completes: {tok:?}")
    };
    let tok_id = id_of(&tok);
    assert_eq!(
        tok.model.and_then(|m| m.status).as_deref(),
        Some("PayoutCompleted")
    );

    let card = c.payout_card(&payout_card("4242424242424242", "p-1")).await;
    let gs::PayoutCardResponse::Completed(card) = card.expect("payout") else {
        panic!("4242 payout completes")
    };
    let card_id = id_of(&card);
    let no = c.payout_card(&payout_card("4111111111111111", "p-2")).await;
    let gs::PayoutCardResponse::Declined(no) = no.expect("payout") else {
        panic!("4111 payout declines")
    };
    let no_id = id_of(&no);
    let model = no.model.expect("model");
    assert_eq!(model.reason_code, Some(gs::ReasonCode::InsufficientFunds));
    let pending = c.payout_card(&payout_card("4200000000000000", "p-3")).await;
    assert!(
        matches!(pending, Ok(gs::PayoutCardResponse::Created(_))),
        "4200 payout stays Created: {pending:?}"
    );

    // A repeated invoiceId is declined with 6002; status_invoice shows both, as documented.
    let dup = c.payout_card(&payout_card("4242424242424242", "p-1")).await;
    let gs::PayoutCardResponse::Declined(dup) = dup.expect("answer") else {
        panic!("duplicate declines")
    };
    assert_eq!(
        dup.model.and_then(|m| m.reason_code),
        Some(gs::ReasonCode::DuplicateInvoiceId)
    );
    let both = c
        .status_invoice(&gs::StatusInvoiceRequest {
            invoice_id: "p-1".into(),
        })
        .await;
    let both = both.expect("status_invoice").transactions.expect("list");
    let codes: Vec<_> = both.iter().map(|t| t.status_code.clone()).collect();
    assert_eq!(
        codes,
        vec![
            Some(gs::TransactionStatus::PayoutCompleted),
            Some(gs::TransactionStatus::Declined)
        ]
    );
    assert_eq!(
        both[0].operation_type_code,
        Some(gs::OperationType::CardPayout)
    );

    rig.notified("PayoutSuccess", tok_id).await;
    rig.notified("PayoutSuccess", card_id).await;
    let g = rig.notified("PayoutFailure", no_id).await;
    assert_eq!(g.reason, Some(gs::ReasonCode::InsufficientFunds));
    assert_eq!(rig.balance("EUR").await, 1_000_000 + 5000 - 1230 - 1230);
    rig.sb.stop().await;
}

#[tokio::test]
async fn status_and_list_show_the_days_transactions_with_list_field_names() {
    let rig = Rig::start(0).await;
    let c = rig.client();
    let ok = paid(&rig, "4242424242424242", "l-1", 6577).await;
    let no = c
        .charge_card(&charge("4242424242424242", "333", "l-2", 100))
        .await;
    let no = match no.expect("charge") {
        gs::ChargeCardResponse::Declined(t) => id_of(&t),
        other => panic!("declined: {other:?}"),
    };
    let status = c.status(&gs::StatusRequest { transaction_id: ok }).await;
    let model = status.expect("status").model.expect("model");
    assert_eq!(model.invoice_id.as_deref(), Some("l-1"));
    assert_eq!(model.operation_type_code, Some(gs::OperationType::Payment));
    let unknown = c.status(&gs::StatusRequest { transaction_id: 1 });
    let unknown = unknown.await.expect_err("unknown id");
    assert!(
        matches!(&unknown, Error::Declined { http_status: 404, message, .. } if message.contains("not found")),
        "{unknown}"
    );

    // NOW is 2023-11-14T22:13:20Z: already the 15th in Kyiv (+03:00), whose day the list asks for.
    let today = paygen_runtime::clock::rfc3339(NOW + 3 * 3600)[..10].to_string();
    assert_eq!(today, "2023-11-15");
    let day: gs::ListRequest =
        serde_json::from_value(json!({ "date": today, "timezone": "Europe/Kyiv" })).expect("req");
    let listed = c.list(&day).await.expect("list");
    assert_eq!(listed.success, Some(true));
    let items = listed.transactions.expect("transactions");
    let ids: Vec<_> = items.iter().map(|t| t.id).collect();
    assert_eq!(ids, vec![Some(ok), Some(no)]);
    let first = &items[0];
    assert_eq!(first.status_id, Some(gs::TransactionStatus::Completed));
    assert_eq!(first.operation_type_id, Some(gs::OperationType::Payment));
    assert_eq!(first.reason_id, Some(gs::ReasonCode::Approved));
    assert_eq!(first.invoice_id.as_deref(), Some("l-1"));
    assert_eq!(first.amount.as_ref().map(|a| a.as_str()), Some("65.77"));
    assert_eq!(items[1].status_id, Some(gs::TransactionStatus::Declined));
    assert_eq!(items[1].reason_id, Some(gs::ReasonCode::InsufficientFunds));
    rig.sb.stop().await;
}

fn link(person: &str, invoice: &str) -> gs::LinkRequest {
    serde_json::from_value(json!({
        "amount": 70000, "accountId": "john@deer.com", "currency": "EUR",
        "description": "Payment for products", "invoiceId": invoice,
        "successUrl": "https://example.com/success", "failureUrl": "https://example.com/failure",
        "data": { "personId": person, "firstName": "John", "lastName": "Deer", "paymentTypeId": 1 }
    }))
    .expect("request")
}

fn apm_payout(person: &str, invoice: &str) -> gs::ApmPayoutRequest {
    serde_json::from_value(json!({
        "amount": 1000, "accountId": "john@deer.com", "currency": "EUR",
        "description": "Payout", "invoiceId": invoice, "name": "John Deer",
        "data": { "personId": person, "phone": "9555777666", "paymentTypeId": 2 }
    }))
    .expect("request")
}

#[tokio::test]
async fn apm_link_payout_and_refund_reach_final_states_by_notification() {
    let rig = Rig::start(0).await;
    let c = rig.client();
    let good = c.link(&link("success@bank", "a-1")).await.expect("link");
    assert_eq!(good.success, Some(true));
    let page = good.link.expect("link");
    assert_eq!(page.method.as_deref(), Some("get"));
    assert!(page.action.is_some());
    let model = good.model.expect("model");
    assert_eq!(model.status_code, Some(gs::TransactionStatus::Created));
    let good_id = model.transaction_id.expect("id");
    let bad = c.link(&link("failure@bank", "a-2")).await.expect("link");
    let bad_id = bad.model.and_then(|m| m.transaction_id).expect("id");
    rig.notified("PaymentSuccess", good_id).await;
    rig.notified("PaymentFailure", bad_id).await;
    rig.settles(good_id, gs::TransactionStatus::Completed).await;
    rig.settles(bad_id, gs::TransactionStatus::Declined).await;

    let out = c.apm_payout(&apm_payout("success@bank", "a-3")).await;
    let gs::ApmPayoutResponse::Created(out) = out.expect("apm_payout") else {
        panic!("created")
    };
    let out_id = id_of(&out);
    assert_eq!(
        out.model.and_then(|m| m.status_code),
        Some(gs::TransactionStatus::Created)
    );
    let out_bad = c.apm_payout(&apm_payout("failure@bank", "a-4")).await;
    let gs::ApmPayoutResponse::Created(out_bad) = out_bad.expect("apm_payout") else {
        panic!("created, failing later")
    };
    let out_bad_id = id_of(&out_bad);
    rig.notified("PayoutSuccess", out_id).await;
    let g = rig.notified("PayoutFailure", out_bad_id).await;
    assert_eq!(g.reason, Some(gs::ReasonCode::InsufficientFunds));

    let back = gs::ApmRefundRequest {
        transaction_id: good_id,
        amount: Some("2".parse().expect("decimal")),
    };
    let back = c.apm_refund(&back).await.expect("apm_refund");
    let gs::ApmRefundResponse::Created(back) = back else {
        panic!("created: {back:?}")
    };
    let back_id = id_of(&back);
    assert_eq!(
        rig.notified("RefundSuccess", back_id).await.parent,
        Some(good_id)
    );
    rig.settles(back_id, gs::TransactionStatus::RefundCompleted)
        .await;
    assert_eq!(rig.balance("EUR").await, 1_000_000 + 70_000 - 1000 - 200);
    rig.sb.stop().await;
}

#[tokio::test]
async fn unacknowledged_notification_is_retried_until_acknowledged() {
    let rig = Rig::start(1).await;
    let id = paid(&rig, "4242424242424242", "n-1", 1000).await;
    let acked = rig.notified("PaymentSuccess", id).await;
    assert!(acked.verified);
    let got = rig.got();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].verified && !got[0].acked, "first answered 500");
    wait_for_acked_callback(&rig.sb).await;
    let attempts: Vec<_> = rig
        .sb
        .callbacks()
        .iter()
        .map(|c| (c.attempt, c.answer.clone(), c.acked))
        .collect();
    assert_eq!(attempts, vec![(1, Ok(500), false), (2, Ok(200), true)]);
    rig.sb.stop().await;
}

#[tokio::test]
async fn notification_with_a_bad_signature_is_refused_then_retried() {
    let rig = Rig::start(0).await;
    let c = rig.client_with(Some("bad-signature"));
    let answer = c
        .charge_card(&charge("4242424242424242", "123", "b-1", 1000))
        .await;
    let gs::ChargeCardResponse::Completed(t) = answer.expect("charge") else {
        panic!("completed")
    };
    rig.notified("PaymentSuccess", id_of(&t)).await;
    let got = rig.got();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        !got[0].verified && !got[0].acked,
        "refused by verify_webhook"
    );
    assert!(got[1].verified && got[1].acked);
    wait_for_acked_callback(&rig.sb).await;
    let answers: Vec<_> = rig
        .sb
        .callbacks()
        .iter()
        .map(|c| c.answer.clone())
        .collect();
    assert_eq!(answers, vec![Ok(401), Ok(200)]);
    rig.sb.stop().await;
}

#[tokio::test]
async fn refund_of_a_payment_that_did_not_complete_moves_no_money() {
    let rig = Rig::start(0).await;
    let c = rig.client();
    let declined = c
        .charge_card(&charge("4242424242424242", "333", "x-1", 1000))
        .await
        .expect("charge");
    let gs::ChargeCardResponse::Declined(declined) = declined else {
        panic!("declined: {declined:?}")
    };
    let waiting = c
        .charge_card(&charge("4111111111111111", "123", "x-2", 1000))
        .await
        .expect("charge");
    let gs::ChargeCardResponse::Advanced3ds(waiting) = waiting else {
        panic!("3-DS: {waiting:?}")
    };
    let waiting = waiting.three_ds_model.and_then(|m| m.transaction_id);
    for parent in [id_of(&declined), waiting.expect("id")] {
        let refund = gs::RefundRequest {
            transaction_id: parent,
            amount: None,
        };
        let answer = c.refund(&refund).await.expect("answer");
        let gs::RefundResponse::Declined(no) = answer else {
            panic!("a refund of {parent} (not completed) is declined: {answer:?}")
        };
        assert_eq!(no.success, Some(false));
        let refund_id = id_of(&no);
        assert_eq!(
            rig.notified("RefundFailure", refund_id).await.parent,
            Some(parent)
        );
    }
    assert_eq!(
        rig.balance("EUR").await,
        1_000_000,
        "nothing was charged or refunded"
    );
    rig.sb.stop().await;
}
