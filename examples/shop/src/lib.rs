//! An example merchant crate: its own provider spec (`specs/acme_pay.yaml`), generated at build
//! time by `paygen_codegen::Builder` in `build.rs`, included with `include_provider!`, and used
//! through a small function of the shop's own.

paygen_runtime::include_provider!("acme_pay");

use acme_pay::{Client, PayRequest, Payment};
use paygen_runtime::{Error, MinorUnits};

/// Charges an order; a money-moving call: an unknown outcome is returned as is, never retried.
pub async fn charge_order(client: &Client, order_id: &str, cents: i64) -> Result<Payment, Error> {
    let request = PayRequest {
        order_id: order_id.into(),
        amount: MinorUnits(cents),
        currency: "EUR".into(),
    };
    client.pay(&request).await
}
