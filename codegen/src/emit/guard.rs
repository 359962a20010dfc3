//! The body of every client method: the request encoded and checked, then one send, and every
//! error through `rt::CallGuard` (the reconciliation key attached to an unknown outcome; the
//! call's credentials and the request's sensitive field values scrubbed from every text).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ir::Operation;
use crate::naming::screaming;

/// The statements of a method taking `request` (when the operation has a request type): `decode`
/// is a callable from `&rt::RawResponse` to the answer.
pub fn method_body(o: &Operation, request: &Ident, decode: &TokenStream) -> TokenStream {
    let meta = format_ident!("{}", screaming(&o.name));
    match &o.request {
        Some(_) => {
            let paths = &o.sensitive_paths;
            quote! {
                let body = rt::request_body(#request, &self.engine, EXPONENTS)?;
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
