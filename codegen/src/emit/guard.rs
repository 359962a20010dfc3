//! The body of every client method: the request encoded and checked, then one send, and every
//! error through `rt::CallGuard` (the reconciliation key attached to an unknown outcome; the
//! call's credentials and the request's sensitive field values scrubbed from every text).

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
                let body = rt::request_body(request, &self.engine, EXPONENTS)?;
                let guard = rt::CallGuard::new(&operations::#meta, self.engine.credentials(), &body, &[#(#paths),*]);
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
