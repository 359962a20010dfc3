//! What each seed provider's generated client does in `tests/record_drift_sandbox.rs`: a few
//! calls (money-moving and safe, with card data, PII and credentials on the wire), each outcome
//! summarised by non-sensitive fields so that the run against the provider (through the recording
//! proxy) and the run against the replayed cassette can be compared.

use std::sync::Arc;
use std::time::Duration;

use paygen_connectors::{cabbagino as cb, cactusgino as ct, global_solutions as gs, pockyt as pk};
use paygen_runtime::{EngineConfig, Error, Hook};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// The card number every scenario that sends a card uses (a canary: never in a cassette).
pub const CARD: &str = "4242424242424242";
/// The CVV sent with it (a canary).
pub const CVV: &str = "739";
/// The payer's e-mail (a canary: personal data, also sent in fields the spec does not mark).
pub const EMAIL: &str = "jane.payer@example.com";
/// A bank account number sent to Pockyt (kept to its last 4 digits by the provider).
pub const BANK_ACCOUNT: &str = "7861053298";

fn engine(hook: &Option<Arc<dyn Hook>>) -> EngineConfig {
    EngineConfig {
        timeout: Duration::from_secs(5),
        max_retries: 0,
        hook: hook.clone(),
        ..EngineConfig::default()
    }
}

fn typed<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("request fits its type")
}

/// The value at a dotted path (`balances.0.currencies`: a number indexes a list).
fn value_at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(v, |v, k| match (v, k.parse::<usize>()) {
            (Value::Array(items), Ok(i)) => items.get(i),
            _ => v.get(k),
        })
}

/// `Ok path=value ...` for these wire paths of the decoded answer, or the error's class.
fn outcome<T: Serialize>(what: &str, r: &Result<T, Error>, paths: &[&str]) -> String {
    match r {
        Ok(answer) => {
            let v = serde_json::to_value(answer).expect("answers serialize");
            let picked: Vec<String> = paths
                .iter()
                .map(|p| format!("{p}={}", value_at(&v, p).unwrap_or(&Value::Null)))
                .collect();
            format!("{what}: ok {}", picked.join(" "))
        }
        Err(e) => format!("{what}: {:?}", e.class()),
    }
}

fn text_at<T: Serialize>(r: &Result<T, Error>, path: &str) -> Option<String> {
    let v = serde_json::to_value(r.as_ref().ok()?).ok()?;
    paygen_runtime::json_path::text_of(value_at(&v, path)?)
}

/// A response-variant answer as `{"Variant": answer}` (variant enums are not serializable).
fn cabbagino_variant(r: Result<cb::DepositResponse, Error>) -> Result<Value, Error> {
    r.map(|a| match a {
        cb::DepositResponse::Declined(x) => json!({ "Declined": x }),
        cb::DepositResponse::Redirect(x) => json!({ "Redirect": x }),
        cb::DepositResponse::HostToHost(x) => json!({ "HostToHost": x }),
        cb::DepositResponse::Accepted(x) => json!({ "Accepted": x }),
    })
}

/// Same for a Global Solutions charge.
fn charge_variant(r: Result<gs::ChargeCardResponse, Error>) -> Result<Value, Error> {
    r.map(|a| match a {
        gs::ChargeCardResponse::Redirect3ds(x) => json!({ "Redirect3ds": x }),
        gs::ChargeCardResponse::Advanced3ds(x) => json!({ "Advanced3ds": x }),
        gs::ChargeCardResponse::Completed(x) => json!({ "Completed": x }),
        gs::ChargeCardResponse::Declined(x) => json!({ "Declined": x }),
    })
}

/// Runs the scenario of `provider` against `base` (with this wire hook on the client) and
/// returns its outcomes in order.
pub async fn run(provider: &str, base: &str, hook: Option<Arc<dyn Hook>>) -> Vec<String> {
    match provider {
        "pockyt" => pockyt(base, &hook).await,
        "cabbagino" => cabbagino(base, &hook).await,
        "cactusgino" => cactusgino(base, &hook).await,
        "global_solutions" => global_solutions(base, &hook).await,
        other => panic!("no scenario for {other}"),
    }
}

async fn pockyt(base: &str, hook: &Option<Arc<dyn Hook>>) -> Vec<String> {
    let creds = pk::Credentials {
        merchant_no: "200043".into(),
        store_no: "300014".into(),
        api_token: "5cbfb079f15b150122261c8537086d77a".into(),
    };
    let c = pk::Client::with_base_url(base, creds, engine(hook)).expect("client");
    let reg = c
        .register_payee(&typed(json!({
            "city": "hometown", "country": "USA", "countryCode": "US", "customerCode": "c-1",
            "dateOfBirth": "1999-01-01", "email": EMAIL, "firstName": "Jane",
            "lastName": "Payee", "profileType": "INDIVIDUAL", "state": "NY",
            "street": "123 main St", "zip": "10005"
        })))
        .await;
    let customer = text_at(&reg, "customer.customerNo").unwrap_or_default();
    let acc = c
        .add_bank_account(&typed(json!({
            "accountCountry": "US", "accountCurrency": "USD", "accountTag": "tag-1",
            "accountType": "BANK_ACCOUNT", "bankAccountId": BANK_ACCOUNT, "branchId": "101089292",
            "bankAccountPurpose": "CHECKING", "customerNo": customer
        })))
        .await;
    let token = text_at(&acc, "result.accountToken").unwrap_or_default();
    let transfer = c
        .transfer(&typed(json!({
            "accountToken": token, "amount": 5000, "currency": "USD", "customerNo": customer,
            "invoiceId": "drift-po-1", "description": "thank you"
        })))
        .await;
    let balance = c.payor_balance(&typed(json!({ "currency": "USD" }))).await;
    vec![
        outcome("register_payee", &reg, &["ret_code", "customer.customerNo"]),
        outcome(
            "add_bank_account",
            &acc,
            &["ret_code", "result.accountStatus"],
        ),
        outcome(
            "transfer",
            &transfer,
            &["result.status", "result.transactionNo", "result.amount"],
        ),
        outcome("payor_balance", &balance, &["ret_code", "balance"]),
    ]
}

fn cabbagino_deposit(external_id: &str, extra: Value) -> cb::DepositRequest {
    let mut body = json!({
        "payment_system": "TEST_PS", "external_id": external_id, "amount": 2000, "currency": "USD",
        "customer": { "customer_id": "c1", "country": "LV", "first_name": "Jane", "last_name": "Payer" }
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    typed(body)
}

/// One Cabbagino deposit of 20.00 USD with this external id: its status and order id.
pub async fn one_cabbagino_deposit(base: &str, external_id: &str) -> String {
    let creds = cb::Credentials {
        merchant_key: "test_merchant_key".into(),
        salt: "test_salt".into(),
    };
    let c = cb::Client::with_base_url(base, creds, engine(&None)).expect("client");
    let answer = cabbagino_variant(c.deposit(&cabbagino_deposit(external_id, json!({}))).await);
    outcome(
        "deposit",
        &answer,
        &["Accepted.status", "Accepted.order_id"],
    )
}

async fn cabbagino(base: &str, hook: &Option<Arc<dyn Hook>>) -> Vec<String> {
    let creds = cb::Credentials {
        merchant_key: "test_merchant_key".into(),
        salt: "test_salt".into(),
    };
    let c = cb::Client::with_base_url(base, creds, engine(hook)).expect("client");
    let plain = cabbagino_variant(c.deposit(&cabbagino_deposit("drift-d-1", json!({}))).await);
    let card = json!({ "payment_data": {
        "card_number": CARD, "card_holder": "Jane Payer", "exp_year": "2030", "exp_month": "06",
        "cvv": CVV
    }});
    let carded = cabbagino_variant(c.deposit(&cabbagino_deposit("drift-d-2", card)).await);
    let order = text_at(&plain, "Accepted.order_id").unwrap_or_default();
    let status = c
        .transaction_status(&cb::StatusRequest { order_id: order })
        .await;
    let balances = c.balances().await;
    vec![
        outcome("deposit", &plain, &["Accepted.status", "Accepted.order_id"]),
        outcome(
            "deposit card",
            &carded,
            &["Redirect.status", "Redirect.order_id"],
        ),
        outcome("transaction_status", &status, &["status", "external_id"]),
        outcome("balances", &balances, &["USD.total"]),
    ]
}

async fn cactusgino(base: &str, hook: &Option<Arc<dyn Hook>>) -> Vec<String> {
    let creds = ct::Credentials {
        merchant_id: "test_api_v2".into(),
        salt: "test_api_v2".into(),
    };
    let c = ct::Client::with_base_url(base, creds, engine(hook)).expect("client");
    let invoice = c
        .create_invoice(&typed(json!({
            "site_login": "user_4", "site_id": 101, "request_id": "drift-inv-1",
            "amount": 7000, "currency": "USD", "method": "card"
        })))
        .await;
    let payout = c
        .payout(&typed(json!({
            "site_login": "user_4", "site_id": 101, "request_id": "drift-po-1",
            "amount": 2500, "currency": "USD", "method": "card",
            "additional_fields": { "card_number": CARD, "card_holder": "Jane Payer" }
        })))
        .await;
    let balance = c
        .balance(&ct::BalanceRequest {
            site_id: 101,
            currency: Some(ct::Currency::Usd),
        })
        .await;
    vec![
        outcome("create_invoice", &invoice, &["status", "invoice_id"]),
        outcome("payout", &payout, &["status", "invoice_id", "amount"]),
        outcome("balance", &balance, &["site_id", "balances.0.amount"]),
    ]
}

async fn global_solutions(base: &str, hook: &Option<Arc<dyn Hook>>) -> Vec<String> {
    let creds = gs::Credentials {
        public_id: "pbid_2kajhh9oqhmpwjqgd529rg".into(),
        api_secret: "1234ABCD".into(),
    };
    let c = gs::Client::with_base_url(base, creds, engine(hook)).expect("client");
    let charge = charge_variant(
        c.charge_card(&typed(json!({
            "amount": 1000, "currency": "EUR", "name": "Jane Payer", "invoiceId": "drift-inv-1",
            "description": "t", "accountId": EMAIL, "ip": "127.0.0.1",
            "card": { "pan": CARD, "cvv": CVV, "expiryMonth": 12, "expiryYear": 2030 }
        })))
        .await,
    );
    let id = text_at(&charge, "Completed.model.transactionId")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let status = c.status(&gs::StatusRequest { transaction_id: id }).await;
    let balance = c.balance().await;
    vec![
        outcome("charge_card", &charge, &["Completed.model.statusCode"]),
        outcome("status", &status, &["model.statusCode", "model.amount"]),
        outcome("balance", &balance, &["balances.0.currencies"]),
    ]
}
