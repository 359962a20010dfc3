//! The scrubber a spec implies: every field the spec marks sensitive (directly or through its
//! named type), by wire name, plus the credential values in use.

use std::collections::HashMap;

use paygen_codegen::spec::model::{Sensitivity, Spec};
use paygen_runtime::cassette::{Scrub, Scrubber};
use paygen_runtime::Credentials;

fn rule(s: Sensitivity) -> Scrub {
    match s {
        Sensitivity::Pan => Scrub::Card,
        Sensitivity::Pii => Scrub::Fake,
        Sensitivity::Cvv | Sensitivity::Password | Sensitivity::Secret => Scrub::Remove,
    }
}

/// Sensitive wire field names of the spec with how each is scrubbed.
pub fn sensitive_fields(spec: &Spec) -> HashMap<String, Scrub> {
    let mut out = HashMap::new();
    let fields = spec
        .types
        .values()
        .filter_map(|t| t.fields.as_ref())
        .flat_map(|f| f.iter());
    for (wire, f) in fields {
        let named = spec.types.get(&f.ty).and_then(|t| t.sensitive);
        if let Some(s) = f.sensitive.or(named) {
            out.insert(wire.clone(), rule(s));
        }
    }
    out
}

/// A scrubber for the spec's sensitive fields and these credentials' values.
pub fn scrubber(spec: &Spec, credentials: &Credentials) -> Scrubber {
    let secrets = credentials
        .names()
        .filter_map(|n| credentials.get(n))
        .map(|s| s.expose().to_string())
        .collect();
    Scrubber::new(sensitive_fields(spec), secrets)
}
