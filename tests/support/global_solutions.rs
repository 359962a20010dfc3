//! Global Solutions setup shared by its client tests: the documentation's credentials and a
//! client on the recording server, a card charge.

use paygen_connectors::global_solutions::{Card, ChargeCardRequest, Client, Credentials};
use paygen_runtime::{CardNumber, Cvv, MinorUnits, Pii, Secret};

use super::{config, Server};

/// The documentation's public id (the Basic-auth user).
pub const PUBLIC_ID: &str = "pbid_2kajhh9oqhmpwjqgd529rg";
/// The documentation's API secret (the Basic-auth password and HMAC key).
pub const API_SECRET: &str = "1234ABCD";

/// The documentation's credentials.
pub fn credentials() -> Credentials {
    Credentials {
        public_id: PUBLIC_ID.to_string(),
        api_secret: Secret::new(API_SECRET),
    }
}

/// A client whose every host is the recording server.
pub fn client(server: &Server) -> Client {
    Client::with_base_url(&server.url(), credentials(), config()).expect("client")
}

/// A card charge of `amount` minor units of `currency` with this card number and CVV (expiry
/// 12/2030, no redirects, no browser data).
pub fn charge(pan: &str, cvv: &str, currency: &str, amount: i64) -> ChargeCardRequest {
    ChargeCardRequest {
        amount: MinorUnits(amount),
        currency: currency.into(),
        name: Pii::new("John Doe"),
        invoice_id: "927829".into(),
        description: "Payment for products".into(),
        account_id: "john@doe.com".into(),
        ip: "203.0.113.7".into(),
        card: Card {
            pan: CardNumber::new(pan),
            cvv: Cvv::new(cvv),
            expiry_month: 12,
            expiry_year: 2030,
        },
        success_redirect_url: None,
        failure_redirect_url: None,
        pending_redirect_url: None,
        browser_data: None,
        data: None,
    }
}
