//! Cactusgino setup shared by its client tests: the sandbox test credentials and a client on the
//! recording server, payouts, and a payout refused before sending.

use paygen_connectors::cactusgino::{
    CardPayoutFields, Client, Credentials, Currency, PayoutAdditionalFields, PayoutMethod,
    PayoutRequest,
};
use paygen_runtime::{CardNumber, MinorUnits, Pii, Secret};

use super::{config, field_errors, Server};

/// The spec's sandbox salt (also the merchant id).
pub const SALT: &str = "test_api_v2";

/// The sandbox test credentials.
pub fn credentials() -> Credentials {
    Credentials {
        merchant_id: SALT.to_string(),
        salt: Secret::new(SALT),
    }
}

/// A client whose every host is the recording server.
pub fn client(server: &Server) -> Client {
    Client::with_base_url(&server.url(), credentials(), config()).expect("client")
}

/// A 9,000.00 KZT payout (`request_id123`) by `method` with these additional fields.
pub fn payout(method: PayoutMethod, fields: PayoutAdditionalFields) -> PayoutRequest {
    PayoutRequest {
        site_login: "user_login".into(),
        site_id: 21,
        request_id: "request_id123".into(),
        amount: MinorUnits(900_000),
        currency: Currency::Kzt,
        method,
        additional_fields: fields,
    }
}

/// [`payout`] to the test card.
pub fn card_payout() -> PayoutRequest {
    payout(
        PayoutMethod::Card,
        PayoutAdditionalFields::Card(CardPayoutFields {
            bank_name: Some("Morgan".into()),
            card_holder: Some(Pii::new(" John Wick")),
            card_number: CardNumber::new("4242424242424242"),
            bank_option: None,
            expiry_date: Some("07/23".into()),
        }),
    )
}

/// Runs a payout against a fresh server; asserts nothing was sent and returns the
/// `(path, rule)` errors.
pub async fn rejected(request: PayoutRequest) -> Vec<(String, String)> {
    let server = Server::start(vec![]).await;
    let errors = field_errors(client(&server).payout(&request).await);
    assert!(server.seen().is_empty(), "sent: {:?}", server.seen());
    errors
}
