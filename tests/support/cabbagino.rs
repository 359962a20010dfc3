//! Cabbagino setup shared by its client tests: the sandbox test credentials, a client on the
//! recording server, the documentation's test customer and an e-manat payout.

use paygen_connectors::cabbagino::{
    Client, Credentials, Customer, PayoutPaymentData, PayoutRequest, Phone994, Phone994Data,
};
use paygen_runtime::{MinorUnits, Pii, Secret};

use super::{config, Server};

/// The spec's sandbox merchant key.
pub const MERCHANT_KEY: &str = "test_merchant_key";
/// The spec's sandbox salt.
pub const SALT: &str = "test_salt";

/// The sandbox test credentials.
pub fn credentials() -> Credentials {
    Credentials {
        merchant_key: Secret::new(MERCHANT_KEY),
        salt: Secret::new(SALT),
    }
}

/// A client whose every host is the recording server.
pub fn client(server: &Server) -> Client {
    Client::with_base_url(&server.url(), credentials(), config()).expect("client")
}

/// The documentation's test customer.
pub fn customer() -> Customer {
    Customer {
        customer_id: "test".into(),
        country: "LV".into(),
        first_name: Pii::new("Test"),
        last_name: Pii::new("Test"),
        ..Customer::default()
    }
}

/// A 10.00 AZN e-manat payout (`external_id` `po-1`) to `phone` for the test customer.
pub fn emanat_payout(phone: Phone994) -> PayoutRequest {
    PayoutRequest {
        payment_system: "TEST_EMANAT".into(),
        external_id: "po-1".into(),
        customer: customer(),
        payment_data: Some(PayoutPaymentData::Emanat(Phone994Data { phone })),
        amount: MinorUnits(1000),
        currency: "AZN".into(),
    }
}
