//! paygen-runtime: everything paygen-generated payment clients call at run time.
//!
//! Generated code names these items only through [`__codegen`], so the runtime can change its
//! dependencies freely. Users meet the root re-exports: errors, secrets, sensitive values, money.

pub mod credentials;
pub mod secret;
pub mod signing;
