//! paygen-connectors: typed payment-provider clients generated from `specs/*.yaml` at build time.
//!
//! One module and one cargo feature per provider (all on by default). Each module has a
//! `Client`, its `Credentials`, an `Environment`, typed request and response types, response
//! enums for operations with several documented answers, and webhook verification.

include!(concat!(env!("OUT_DIR"), "/providers.rs"));

/// The README's examples compile as doctests of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
