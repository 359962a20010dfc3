//! Cactusgino setup shared by its client tests: the sandbox test credentials and a client on the
//! recording server.

use paygen_connectors::cactusgino::{Client, Credentials};
use paygen_runtime::Secret;

use super::{config, Server};

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
