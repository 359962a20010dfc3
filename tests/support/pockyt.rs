//! Pockyt setup shared by the flows that run through its sandbox (end to end, the webhook
//! matrix, the fault storm, recorded callbacks): the spec's sandbox credentials, typed requests
//! from the documentation's JSON, and a payee with one bank account; and the documentation's
//! merchant and transfer example, for the client tests on the recording server.

use paygen_connectors::pockyt::{
    AddBankAccountRequest, Client, Credentials, RegisterPayeeRequest, TransferRequest,
};
use paygen_runtime::{MinorUnits, Secret};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// The spec's sandbox API token.
pub const API_TOKEN: &str = "5cbfb079f15b150122261c8537086d77a";
/// The documentation's test bank account number.
pub const BANK_ACCOUNT: &str = "7861053298";

/// The sandbox credentials with `token` as the API token.
pub fn credentials_with_token(token: &str) -> Credentials {
    Credentials {
        merchant_no: "200043".into(),
        store_no: "300014".into(),
        api_token: Secret::new(token),
    }
}

/// The sandbox credentials.
pub fn credentials() -> Credentials {
    credentials_with_token(API_TOKEN)
}

/// A request type from its documented JSON.
pub fn typed<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("request fits its type")
}

/// The documentation's individual payee, with `email`.
pub fn payee(email: &str) -> RegisterPayeeRequest {
    typed(json!({
        "city": "hometown", "country": "USA", "countryCode": "US", "customerCode": "c-1",
        "dateOfBirth": "1999-01-01", "email": email, "firstName": "John", "lastName": "Doe",
        "profileType": "INDIVIDUAL", "state": "NY", "street": "123 main St", "zip": "10005"
    }))
}

/// The test bank account of `customer_no` (status changes notified at `ipn` when given).
pub fn bank_account(customer_no: &str, ipn: Option<&str>) -> AddBankAccountRequest {
    typed(json!({
        "accountCountry": "US", "accountCurrency": "USD", "accountTag": "tag-1",
        "accountType": "BANK_ACCOUNT", "bankAccountId": BANK_ACCOUNT, "branchId": "101089292",
        "bankAccountPurpose": "CHECKING", "customerNo": customer_no, "ipnUrl": ipn
    }))
}

/// A USD payout of `minor` cents to the account `token`, notified at `ipn`.
pub fn transfer(
    customer: &str,
    token: &str,
    invoice: &str,
    minor: i64,
    ipn: &str,
) -> TransferRequest {
    typed(json!({
        "accountToken": token, "amount": minor, "currency": "USD", "customerNo": customer,
        "invoiceId": invoice, "ipnUrl": ipn, "description": "thank you"
    }))
}

/// A payee with one bank account: (customerNo, accountToken).
pub async fn payee_with_account(c: &Client, email: &str) -> (String, String) {
    let reg = c.register_payee(&payee(email)).await.expect("register");
    let customer = reg
        .customer
        .and_then(|c| c.customer_no)
        .expect("customerNo");
    let acc = c
        .add_bank_account(&bank_account(&customer, None))
        .await
        .expect("bank account");
    let token = acc.result.and_then(|r| r.account_token).expect("token");
    (customer, token)
}

/// The documentation's merchant, whose examples the client tests replay (the sandbox's is
/// [`credentials`]).
pub fn documented_credentials() -> Credentials {
    Credentials {
        merchant_no: "202333".to_string(),
        store_no: "301854".to_string(),
        api_token: Secret::new(API_TOKEN),
    }
}

/// The documentation's 500.00 USD transfer example.
pub fn documented_transfer() -> TransferRequest {
    TransferRequest {
        account_token: "2010305228303182765718".into(),
        amount: MinorUnits(50_000),
        currency: "USD".into(),
        customer_no: "2000305228292319592008".into(),
        description: Some("thank you".into()),
        invoice_id: "9aae4c685d824c5da746f97620c59eb5".into(),
        ipn_url: Some("https://example.com/webhooks".into()),
        note: Some("Payouts, Thanks".into()),
        processing_channel: None,
        subject: Some("Payouts".into()),
    }
}
