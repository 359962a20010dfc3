//! Naming checks: identifiers that cannot be Rust names or collide after case conversion.

use std::collections::BTreeMap;

use super::Ctx;
use crate::naming::{pascal, snake, NameError};

pub(super) fn check(ctx: &mut Ctx) {
    let spec = ctx.spec();
    if snake(&spec.provider).ok().as_deref() != Some(spec.provider.as_str()) {
        ctx.err_hint(
            "E0118",
            "provider",
            format!("provider id `{}` is not snake_case", spec.provider),
            "use lower-case letters, digits and `_`",
        );
    }
    let ops: Vec<(String, String)> = spec
        .operations
        .keys()
        .map(|k| (format!("operations.{k}"), k.clone()))
        .collect();
    collisions(ctx, &ops, snake, "operation");
    let types: Vec<(String, String)> = spec
        .types
        .keys()
        .map(|k| (format!("types.{k}"), k.clone()))
        .collect();
    collisions(ctx, &types, pascal, "type");
    let creds: Vec<(String, String)> = spec
        .credentials
        .keys()
        .map(|k| (format!("credentials.{k}"), k.clone()))
        .collect();
    collisions(ctx, &creds, snake, "credential");
    let envs: Vec<(String, String)> = spec
        .environments
        .keys()
        .map(|k| (format!("environments.{k}"), k.clone()))
        .collect();
    collisions(ctx, &envs, pascal, "environment");
}

/// Reports names that cannot convert, and pairs that convert to the same identifier.
pub(super) fn collisions(
    ctx: &mut Ctx,
    items: &[(String, String)],
    convert: fn(&str) -> Result<String, NameError>,
    what: &str,
) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (path, name) in items {
        match convert(name) {
            Ok(rust) => {
                if let Some(first) = seen.get(&rust) {
                    ctx.err_hint(
                        "E0106",
                        path,
                        format!("{what} `{name}` collides with `{first}`: both become `{rust}` in Rust"),
                        "give one of them a different name (fields: `rust_name`)",
                    );
                } else {
                    seen.insert(rust, name);
                }
            }
            Err(NameError::Reserved(word)) => ctx.err_hint(
                "E0107",
                path,
                format!("{what} `{name}` becomes the Rust keyword `{word}`, which cannot be an identifier"),
                "set `rust_name` to another name; the wire name stays as it is",
            ),
            Err(NameError::Empty) => ctx.err_hint(
                "E0107",
                path,
                format!("{what} `{name}` has no letters or digits to make a Rust name from"),
                "set `rust_name`",
            ),
        }
    }
}
