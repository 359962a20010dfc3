//! A provider's signing recipes compiled once with its test credentials ([`Signers`]): the data
//! a [`crate::provider::Provider`] holds and `crate::signing` signs and verifies with. A leaf
//! module (it names no other module of the sandbox).

use std::sync::Arc;

use paygen_codegen::Spec;
use paygen_runtime::signing::Signer;
use paygen_runtime::{Clock, Credentials, SystemClock};

/// A provider's recipes compiled once with its test credentials (absent when the spec gives
/// no test credentials for a recipe: then a signature is only checked for presence).
#[derive(Clone)]
pub struct Signers {
    pub(crate) request: Option<Signer>,
    pub(crate) response: Option<Signer>,
    pub(crate) webhook: Option<Signer>,
    pub(crate) clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Signers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signers")
            .field("request", &self.request.is_some())
            .field("response", &self.response.is_some())
            .field("webhook", &self.webhook.is_some())
            .finish()
    }
}

impl Signers {
    /// Compiles the spec's recipes. The request recipe verifies as the receiving provider; the
    /// answer and callback recipes sign as the provider (with `secret.signer` for public-key
    /// recipes). Generated values and tolerances use the system clock until [`Signers::set_clock`].
    pub fn new(spec: &Spec, creds: &Credentials) -> Signers {
        let s = spec.signing.as_ref();
        let build = |r: Option<&paygen_runtime::signing::Recipe>, counterpart: bool| {
            let r = r?;
            let signer = Signer::from_recipe(r, creds).ok();
            if counterpart {
                let plan = Arc::new(paygen_runtime::CompiledRecipe::new(r).ok()?);
                Signer::for_counterpart(plan, creds).ok().or(signer)
            } else {
                signer
            }
        };
        Signers {
            request: build(s.and_then(|s| s.request.as_ref()), false),
            response: build(s.and_then(|s| s.response.as_ref()), true),
            webhook: build(s.and_then(|s| s.webhook.as_ref()), true),
            clock: Arc::new(SystemClock),
        }
    }

    /// Reads time from `clock` (the sandbox's timeline) instead of the system clock.
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }
}
