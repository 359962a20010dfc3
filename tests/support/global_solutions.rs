//! Global Solutions setup shared by its client tests: the documentation's credentials and a
//! client on the recording server.

use paygen_connectors::global_solutions::{Client, Credentials};
use paygen_runtime::Secret;

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
