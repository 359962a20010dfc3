//! paygen-runtime: everything paygen-generated payment clients call at run time.
//!
//! Generated code names these items only through [`__codegen`], so the runtime can change its
//! dependencies freely. Users meet the root re-exports: errors, secrets, sensitive values, money.

pub mod clock;
pub mod credentials;
pub mod currency;
pub mod engine;
pub mod error;
pub mod json_path;
pub mod money;
pub mod redact;
pub mod schema;
pub mod secret;
pub mod sensitive;
pub mod signing;
pub mod towire;
pub mod validate;
pub mod webhook;
pub mod wire;

#[doc(hidden)]
#[path = "codegen_door.rs"]
pub mod __codegen;

pub use clock::{Clock, FixedClock, SystemClock};
pub use credentials::Credentials;
pub use engine::{prepare_request, AuthPlan, EngineConfig, Operation, Preparer};
pub use error::Error;
pub use http::HeaderMap;
pub use money::{Decimal, MinorUnits};
pub use secret::Secret;
pub use sensitive::{CardNumber, Cvv, Password, Pii, SecretString};
pub use signing::{verify_received, CompiledRecipe, Received, Signer};
pub use towire::ToWire;
pub use validate::{FieldError, ValidationErrors};
pub use webhook::WebhookVerifier;
pub use wire::{CommonStatus, WireScalar};
