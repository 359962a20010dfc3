//! paygen-runtime: everything paygen-generated payment clients call at run time.
//!
//! Generated code names these items only through [`__codegen`], so the runtime can change its
//! dependencies freely. Users meet the root re-exports: errors, secrets, sensitive values, money.

pub mod auth;
pub mod cassette;
pub mod clock;
pub mod credentials;
pub mod currency;
pub mod dedupe;
pub mod engine;
pub mod error;
pub mod json_path;
pub mod money;
#[cfg(feature = "transport")]
pub mod page;
pub mod reconcile;
pub mod redact;
pub mod requirements;
pub mod schema;
pub mod scrub;
pub mod secret;
pub mod sensitive;
pub mod signing;
pub mod tls;
pub mod towire;
pub mod validate;
pub mod webhook;
pub mod wire;

#[cfg(feature = "transport")]
#[doc(hidden)]
#[path = "codegen_door.rs"]
pub mod __codegen;

pub use clock::{Clock, FixedClock, SystemClock};
pub use credentials::Credentials;
pub use dedupe::{dedupe_key, Deduplicator, Delivery, MemorySeen, SeenStore};
pub use engine::{
    prepare_request, Answer, AuthPlan, AutoPostForm, CallOptions, Operation, Preparer,
};
#[cfg(feature = "transport")]
pub use engine::{EngineConfig, Hook};
pub use error::{Error, OutcomeClass, UnknownCause};
pub use http::HeaderMap;
pub use money::{Decimal, MinorUnits};
pub use reconcile::{Reconcile, Resolve};
pub use secret::Secret;
pub use sensitive::{CardNumber, Cvv, Password, Pii, SecretString};
pub use signing::{verify_received, CompiledRecipe, Received, Signer};
pub use towire::ToWire;
pub use validate::{FieldError, ValidationErrors};
pub use webhook::WebhookVerifier;
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
