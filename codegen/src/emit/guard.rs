//! The body of every client method: the request encoded and checked, then one send, and every
//! error through `rt::CallGuard` (the reconciliation key attached to an unknown outcome; the
//! call's credentials and the request's sensitive field values scrubbed from every text; the
//! guard borrows the request and does that work only when there is an error). Also the body of
//! each operation's dry run (`prepare_<operation>`): the exact request, nothing sent.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Operation, Provider};
use crate::naming::screaming;

/// The statements of a method taking `request` (when the operation has a request type): `decode`
/// is a callable from `&rt::RawResponse` to the answer.
pub fn method_body(
    p: &Provider,
    o: &Operation,
    request: &Ident,
    decode: &TokenStream,
) -> TokenStream {
    let meta = format_ident!("{}", screaming(&o.name));
    match &o.request {
        Some(_) if super::signed::signs_written_pairs(p, o) => {
            let paths = &o.sensitive_paths;
            // the body written as JSON and signed from its pairs straight from `request`
            quote! {
                let guard = rt::CallGuard::new(&operations::#meta, &self.engine, #request, EXPONENTS, &[#(#paths),*]);
                let body = guard.json_body(#request)?;
                self.engine
                    .call_signed_json(&operations::#meta, body, #request, EXPONENTS, &self.call, #decode)
                    .await
                    .map_err(|e| guard.apply(e))
            }
        }
        Some(_) if super::direct::writes_json_directly(o) => {
            let paths = &o.sensitive_paths;
            // the body written as JSON straight from `request`: no request tree
            quote! {
                let guard = rt::CallGuard::new(&operations::#meta, &self.engine, #request, EXPONENTS, &[#(#paths),*]);
                let body = guard.json_body(#request)?;
                self.engine
                    .call_json(&operations::#meta, body, &self.call, #decode)
                    .await
                    .map_err(|e| guard.apply(e))
            }
        }
        Some(_) => {
            let paths = &o.sensitive_paths;
            quote! {
                let guard = rt::CallGuard::new(&operations::#meta, &self.engine, #request, EXPONENTS, &[#(#paths),*]);
                let body = guard.tree()?;
                self.engine
                    .call_tree(&operations::#meta, Some(body), &self.call, #decode)
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

/// The statements of an operation's dry run taking `request`: the request encoded and checked,
/// signed and written exactly as the call would send it, returned instead of sent.
pub fn dry_run_body(p: &Provider, o: &Operation, request: &Ident) -> TokenStream {
    let meta = format_ident!("{}", screaming(&o.name));
    // the request tree borrows from `request`: nothing is copied before signing and writing
    let prepare = match &o.request {
        Some(_) if super::signed::signs_written_pairs(p, o) => quote! {
            prepare_signed_json(&operations::#meta, rt::request_json(#request, &self.engine, EXPONENTS)?, #request, EXPONENTS)
        },
        Some(_) if super::direct::writes_json_directly(o) => quote! {
            prepare_json(&operations::#meta, rt::request_json(#request, &self.engine, EXPONENTS)?)
        },
        Some(_) => quote! {
            prepare_tree(&operations::#meta, Some(rt::request_tree(#request, &self.engine, EXPONENTS)?))
        },
        None => quote! { prepare(&operations::#meta, None) },
    };
    quote! {
        self.engine
            .#prepare
            .map_err(|e| rt::CallGuard::without_body(self.engine.credentials()).apply(e))
    }
}
