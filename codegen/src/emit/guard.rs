//! The body of every client method: the request encoded and checked, then one send, and every
//! error through `rt::CallGuard` (the reconciliation key attached to an unknown outcome; the
//! call's credentials and the request's sensitive field values scrubbed from every text; the
//! guard borrows the request and does that work only when there is an error). Also the body of
//! each operation's dry run (`prepare_<operation>`): the exact request, nothing sent.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Operation, Provider, TypeKind, TypeRef};
use crate::naming::screaming;

/// Dotted wire paths of the sensitive fields of a request type (`[]` for list elements).
pub fn sensitive_paths(p: &Provider, request: &str) -> Vec<String> {
    let mut out = Vec::new();
    walk_named(p, request, "", 0, &mut out);
    out.sort();
    out.dedup();
    out
}

/// Nesting followed at most this deep (recursive types stop here).
const MAX_DEPTH: usize = 8;

fn walk_named(p: &Provider, name: &str, prefix: &str, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(t) = p.types.iter().find(|t| t.rust == name) else {
        return;
    };
    match &t.kind {
        TypeKind::Object { fields } => {
            for f in fields {
                let path = if prefix.is_empty() {
                    f.wire.clone()
                } else {
                    format!("{prefix}.{}", f.wire)
                };
                walk_ref(p, &f.ty, &path, depth + 1, out);
            }
        }
        TypeKind::Alias(r) => walk_ref(p, r, prefix, depth + 1, out),
        TypeKind::OneOf { variants } => {
            for v in variants {
                walk_named(p, &v.ty, prefix, depth + 1, out);
            }
        }
        _ => {}
    }
}

fn walk_ref(p: &Provider, r: &TypeRef, path: &str, depth: usize, out: &mut Vec<String>) {
    match r {
        TypeRef::Sensitive(_) => out.push(path.to_string()),
        TypeRef::Named(n) => walk_named(p, n, path, depth, out),
        TypeRef::List(inner) => walk_ref(p, inner, &format!("{path}[]"), depth + 1, out),
        _ => {}
    }
}

/// The statements of a method: `decode` is a callable from `&rt::RawResponse` to the answer.
pub fn method_body(p: &Provider, o: &Operation, decode: &TokenStream) -> TokenStream {
    let meta = format_ident!("{}", screaming(&o.name));
    match &o.request {
        Some(r) => {
            let paths = sensitive_paths(p, r);
            quote! {
                let guard = rt::CallGuard::new(&operations::#meta, &self.engine, request, EXPONENTS, &[#(#paths),*]);
                let body = guard.body()?;
                self.engine
                    .call(&operations::#meta, Some(body), &self.call, #decode)
                    .await
                    .map_err(|e| guard.apply(e))
            }
        }
        None => quote! {
            self.engine
                .call(&operations::#meta, None, &self.call, #decode)
                .await
                .map_err(|e| rt::CallGuard::without_body(self.engine.credentials()).apply(e))
        },
    }
}

/// The statements of an operation's dry run: the request encoded and checked, signed and
/// written exactly as the call would send it, returned instead of sent.
pub fn dry_run_body(o: &Operation) -> TokenStream {
    let meta = format_ident!("{}", screaming(&o.name));
    let body = match &o.request {
        Some(_) => quote! { Some(rt::request_body(request, &self.engine, EXPONENTS)?) },
        None => quote! { None },
    };
    quote! {
        self.engine
            .prepare(&operations::#meta, #body)
            .map_err(|e| rt::CallGuard::without_body(self.engine.credentials()).apply(e))
    }
}
