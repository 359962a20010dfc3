//! The Pockyt client exactly as documented (issue 10): `accountType` on the bank-account path has
//! one documented value, a constant the client sends itself.

mod support;

use std::sync::Arc;

use paygen_connectors::pockyt::*;
use paygen_runtime::{FixedClock, Secret};
use support::{config, Reply, Server};

fn client(server: &Server) -> Client {
    let credentials = Credentials {
        merchant_no: "202333".to_string(),
        store_no: "301854".to_string(),
        api_token: Secret::new("5cbfb079f15b150122261c8537086d77a"),
    };
    let urls = vec![("default".to_string(), server.url())];
    Client::with_options(
        urls,
        credentials,
        config(),
        Arc::new(FixedClock(1_700_000_000)),
    )
    .expect("client")
}

#[tokio::test]
async fn account_type_is_always_bank_account_whatever_the_caller_says() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"result":{},"ret_msg":"success","ret_code":"000100"}"#,
    )])
    .await;
    // A caller's JSON naming another account type: the request type has no such field.
    let request: AddBankAccountRequest = serde_json::from_value(serde_json::json!({
        "accountCountry": "US", "accountCurrency": "USD", "accountType": "CARD",
        "bankAccountId": "7861053298", "branchId": "101089292",
        "bankAccountPurpose": "CHECKING", "customerNo": "2000305228303182610217"
    }))
    .expect("request");
    let _ = client(&server).add_bank_account(&request).await;
    let body: serde_json::Value = serde_json::from_slice(&server.only().body).expect("json body");
    assert_eq!(body["accountType"], "BANK_ACCOUNT");
}

#[tokio::test]
async fn declines_carry_the_documented_response_code_typed() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"ret_msg":"Account balance is not sufficient","ret_code":"000040"}"#,
    )])
    .await;
    let request: AddBankAccountRequest = serde_json::from_value(serde_json::json!({
        "accountCountry": "US", "accountCurrency": "USD",
        "bankAccountId": "7861053298", "branchId": "101089292",
        "bankAccountPurpose": "CHECKING", "customerNo": "2000305228303182610217"
    }))
    .expect("request");
    let err = client(&server)
        .add_bank_account(&request)
        .await
        .expect_err("declined");
    assert_eq!(decline_code(&err), Some(ResponseCode::InsufficientBalance));
    // An undocumented code stays readable, and other errors have none.
    let unknown = paygen_runtime::Error::Declined {
        operation: "x",
        http_status: 200,
        code: "000999".into(),
        message: String::new(),
    };
    assert!(!decline_code(&unknown).expect("declined").is_known());
    assert_eq!(
        decline_code(&paygen_runtime::Error::Config("x".into())),
        None
    );
}
