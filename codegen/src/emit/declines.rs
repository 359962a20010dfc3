//! Typed decline codes: `decline_code()` reads an `Error::Declined`'s code as the spec's enum of
//! documented codes (`errors[].code_type`), so callers match on meanings, not bare strings.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Provider;
use crate::naming::ident;

/// `pub fn decline_code(...)` (nothing when no error rule names a code type).
pub fn emit_decline_code(p: &Provider) -> TokenStream {
    let Some(ty) = p.errors.iter().find_map(|e| e.code_type.as_deref()) else {
        return TokenStream::new();
    };
    let ty = ident(ty);
    quote! {
        /// The documented code of a declined answer (`Error::Declined`), typed with its meaning;
        /// `None` for every other error. Codes the documentation does not list are `Unknown`.
        pub fn decline_code(error: &rt::Error) -> Option<#ty> {
            match error {
                rt::Error::Declined { code, .. } => {
                    Some(#ty::from_wire(rt::WireScalar::Str(code.clone())))
                }
                _ => None,
            }
        }
    }
}
