//! paygen-runtime: everything paygen-generated payment clients call at run time.
//!
//! Users meet the root re-exports (the engine and its settings, errors, secrets, sensitive
//! values, money, validation, request encoding) and the public modules (`engine`, `signing`,
//! `webhook`, `validate`, `money`, ...). Generated code names the items it needs only through a
//! hidden door module, so the runtime's layout can change without regenerating clients.
//!
//! Features: `transport` (default) is the HTTP stack (`Engine`, retries, OAuth2 tokens, hooks,
//! on reqwest and tokio); without it the crate is the transport-free core a `build.rs` needs
//! (recipes and signing, validation, money, request preparation). `json-schema` derives
//! `schemars::JsonSchema` for the types the spec language embeds.

pub mod as_wire;
pub mod auth;
pub mod cassette;
pub mod clock;
mod credentials;
pub mod currency;
mod decode;
mod dedupe;
pub mod engine;
mod error;
mod exchange;
mod field_errors;
pub mod json_direct;
pub mod json_path;
pub mod money;
#[cfg(feature = "transport")]
mod page;
mod reconcile;
pub mod redact;
pub mod requirements;
pub mod schema;
#[cfg(feature = "transport")]
mod scrub;
mod secret;
mod sensitive;
pub mod signing;
mod tls;
// Reason: its generated-code helpers are reached only through `__codegen`, which needs the
// transport; without it they are unused.
mod json_write;
mod pattern;
#[cfg_attr(not(feature = "transport"), allow(dead_code))]
mod towire;
pub mod validate;
pub mod webhook;
pub mod wire;
mod wire_parse;
pub mod wire_tree;

#[cfg(feature = "transport")]
#[doc(hidden)]
#[path = "codegen_door.rs"]
pub mod __codegen;

/// The `http` crate, whose types (`HeaderMap`, `HeaderName`, `HeaderValue`) the runtime's
/// webhook and answer APIs take and give.
pub use http;

pub use clock::{Clock, FixedClock, SystemClock};
pub use credentials::Credentials;
pub use dedupe::{dedupe_key, Deduplicator, Delivery, MemorySeen, SeenStore};
pub use engine::{
    prepare_request, Answer, AuthPlan, AutoPostForm, CallOptions, Operation, Preparer,
};
#[cfg(feature = "transport")]
pub use engine::{Engine, EngineConfig, Hook};
pub use error::{Error, OutcomeClass, UnknownCause};
pub use http::HeaderMap;
pub use json_direct::{encode_json, request_json, WriteJson};
pub use money::{Decimal, MinorUnits};
pub use reconcile::{Reconcile, Resolve};
pub use secret::Secret;
pub use sensitive::{CardNumber, Cvv, Password, Pii, SecretString};
pub use signing::{verify_received, CompiledRecipe, Received, ReceivedHeaders, Signer};
pub use tls::plain_http_off_loopback;
pub use towire::{
    encode, encode_tree, host_url, request_body, request_tree, ToWire, WireContext, WireSource,
};
pub use validate::{FieldError, ValidationErrors};
pub use webhook::{WebhookBody, WebhookVerifier};
pub use wire::{CommonStatus, WireScalar};

/// Includes the client that `paygen_codegen::Builder` generated in your `build.rs` for one
/// provider (the file `$OUT_DIR/<id>.rs`), which declares `pub mod <id>`:
///
/// ```ignore
/// // build.rs: paygen_codegen::Builder::new("specs").compile().unwrap_or_else(|e| panic!("{e}"));
/// paygen_runtime::include_provider!("acme_pay");
/// use acme_pay::{Client, Credentials, Environment};
/// ```
#[macro_export]
macro_rules! include_provider {
    ($id:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $id, ".rs"));
    };
}
