//! Naming checks: identifiers that cannot be Rust names or collide after case conversion.

use std::collections::BTreeMap;

use super::Ctx;
use crate::naming::{pascal, snake, NameError};

/// Type names the generated module defines itself, or uses unqualified from the prelude: a
/// spec type (or a one-of variant's type) with one of these names would shadow or collide.
pub(crate) const RESERVED_TYPES: &[&str] = &[
    // items of every generated module
    "Client",
    "Credentials",
    "Environment",
    "Resolution",
    "LookupAnswer",
    "WebhookEvent",
    "Notification",
    // the prelude and std items generated code names without a path
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "TryFrom",
    "TryInto",
    "From",
    "Into",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "Extend",
];

/// Method names every generated `Client` has: an operation must not take them.
pub(crate) const RESERVED_METHODS: &[&str] = &[
    "new",
    "with_base_url",
    "with_options",
    "with_call_options",
    "engine",
    "resolve",
    "resolve_by_lookup",
];

/// Longest provider id: it becomes a file, module and feature name.
pub(crate) const MAX_PROVIDER_ID: usize = 64;

pub(super) fn check(ctx: &mut Ctx) {
    let spec = ctx.spec();
    if spec.provider.len() > MAX_PROVIDER_ID {
        ctx.err_hint(
            "E0118",
            "provider",
            format!(
                "provider id is {} characters long; at most {MAX_PROVIDER_ID}",
                spec.provider.len()
            ),
            "it becomes a file, module and cargo feature name",
        );
    } else if snake(&spec.provider).ok().as_deref() != Some(spec.provider.as_str()) {
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
    reserved(ctx);
}

/// Names the generated code already uses: spec types, `<Op>Response` enums, client methods,
/// the fallback variants of enums and events.
fn reserved(ctx: &mut Ctx) {
    let spec = ctx.spec();
    let responses: Vec<String> = spec
        .operations
        .iter()
        .filter(|(_, o)| o.responses.is_some())
        .filter_map(|(n, _)| pascal(n).ok().map(|p| format!("{p}Response")))
        .collect();
    for name in spec.types.keys() {
        let Ok(rust) = pascal(name) else { continue };
        let path = format!("types.{name}");
        if RESERVED_TYPES.contains(&rust.as_str()) {
            ctx.err_hint(
                "E0107",
                &path,
                format!("type `{name}` becomes `{rust}`, a name the generated module already uses"),
                "rename the type (types are named in the spec only; the wire does not see them)",
            );
        } else if responses.contains(&rust) {
            ctx.err_hint(
                "E0107",
                &path,
                format!("type `{name}` becomes `{rust}`, the enum generated for that operation's `responses`"),
                "rename the type",
            );
        }
    }
    for name in spec.operations.keys() {
        let Ok(rust) = snake(name) else { continue };
        if RESERVED_METHODS.contains(&rust.as_str()) {
            ctx.err_hint(
                "E0107",
                &format!("operations.{name}"),
                format!("operation `{name}` becomes `Client::{rust}`, a method every client already has"),
                "rename the operation (the path is what the provider sees)",
            );
        }
    }
    dry_runs(ctx);
    pages(ctx);
    if let Some(w) = &spec.webhooks {
        for (name, event) in &w.events {
            let Ok(rust) = pascal(name) else { continue };
            let reply = format!("{rust}Reply");
            let taken = spec
                .types
                .keys()
                .any(|t| pascal(t).ok().as_deref() == Some(&reply));
            if !event.replies.is_empty() && taken {
                ctx.err_hint(
                    "E0107",
                    &format!("webhooks.events.{name}"),
                    format!("event `{name}` declares `replies`, which generate `{reply}`; a spec type has that name"),
                    "rename the event or the type",
                );
            }
            if rust == "Unrecognised" {
                ctx.err_hint(
                    "E0107",
                    &format!("webhooks.events.{name}"),
                    format!("event `{name}` becomes `Unrecognised`, the variant for notifications no event matches"),
                    "rename the event",
                );
            }
        }
    }
}

/// Every operation also becomes `Client::prepare_<operation>` (its dry run): no other
/// operation's or page's method may take that name.
fn dry_runs(ctx: &mut Ctx) {
    let spec = ctx.spec();
    let methods: Vec<(String, String)> = spec
        .operations
        .keys()
        .filter_map(|o| Some((snake(o).ok()?, format!("operations.{o}"))))
        .chain(
            spec.pages
                .keys()
                .filter_map(|p| Some((format!("{}_url", snake(p).ok()?), format!("pages.{p}")))),
        )
        .collect();
    for name in spec.operations.keys() {
        let Ok(rust) = snake(name) else { continue };
        let dry_run = format!("prepare_{rust}");
        for (method, path) in methods.iter().filter(|(m, _)| *m == dry_run) {
            ctx.err_hint(
                "E0107",
                path,
                format!("`{path}` becomes `Client::{method}`, the dry run of operation `{name}`"),
                "rename it (the path is what the provider sees)",
            );
        }
    }
}

/// Pages become `Client::<page>_url` methods: neither an operation's method nor one every
/// client already has.
fn pages(ctx: &mut Ctx) {
    let spec = ctx.spec();
    for name in spec.pages.keys() {
        let Ok(rust) = snake(name) else { continue };
        let method = format!("{rust}_url");
        let operation = spec
            .operations
            .keys()
            .find(|o| snake(o).ok().as_deref() == Some(method.as_str()));
        let message = match operation {
            Some(o) => {
                format!("page `{name}` becomes `Client::{method}`, the method of operation `{o}`")
            }
            None if RESERVED_METHODS.contains(&method.as_str()) => {
                format!(
                    "page `{name}` becomes `Client::{method}`, a method every client already has"
                )
            }
            None => continue,
        };
        ctx.err_hint(
            "E0107",
            &format!("pages.{name}"),
            message,
            "rename the page or the operation",
        );
    }
}

/// Reports names that cannot convert, and pairs that convert to the same identifier.
pub(super) fn collisions<P: std::fmt::Display, N: AsRef<str>>(
    ctx: &mut Ctx,
    items: &[(P, N)],
    convert: fn(&str) -> Result<String, NameError>,
    what: &str,
) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (path, name) in items {
        let name = name.as_ref();
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
