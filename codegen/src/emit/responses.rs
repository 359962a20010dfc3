//! Response enums of operations with several documented response shapes.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::client::response_type;
use super::cond::cond_expr;
use super::docs::doc;
use super::moved::moved;
use crate::ir::{Operation, Provider, Response, Variant};
use crate::naming::{ident, screaming};

/// The response enum of one operation (nothing when it has one shape or none).
pub fn emit_response(p: &Provider, o: &Operation) -> TokenStream {
    let Response::Variants(variants) = &o.response else {
        return TokenStream::new();
    };
    let name = response_type(o);
    let meta = format_ident!("{}", screaming(&o.name));
    let title = moved(super::docs::doc_text(&format!(
        "What `{}` can answer.",
        o.name
    )));
    let members = variants.iter().map(|v| {
        let vn = ident(&v.rust);
        let ty = ident(&p.ty(v.ty).rust);
        let d = moved(doc(v.doc.as_deref()));
        moved(quote! { #d #vn(#ty), })
    });
    let (op, raw, value) = (
        format_ident!("op"),
        format_ident!("raw"),
        format_ident!("value"),
    );
    let picks = variants.iter().map(|v| moved(pick(v, &op, &raw, &value)));
    // Variants hold the decoded answers as they are (decoded once, moved to the caller): boxing
    // the larger ones would only add an allocation per call.
    quote! {
        #title
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)] // payloads moved whole, see above
        pub enum #name {
            #(#members)*
        }

        impl #name {
            /// Picks the documented variant the response is (first match wins).
            pub fn from_response(#raw: &rt::RawResponse) -> Result<Self, rt::Error> {
                let #op = operations::#meta.name;
                let #value = rt::response_value(#op, #raw)?;
                #(#picks)*
                Err(rt::unexpected_response(#op, #raw))
            }
        }
    }
}

/// The `if` returning variant `v` when it applies: `op` is the operation's name, `raw` the
/// answer and `value` its parsed JSON (a reference).
fn pick(v: &Variant, op: &Ident, raw: &Ident, value: &Ident) -> TokenStream {
    let vn = ident(&v.rust);
    let cond = moved(match &v.when {
        Some(c) => cond_expr(c, quote! { #value }, quote! { #raw.status }),
        None => quote! { rt::is_success(#raw.status) },
    });
    quote! {
        if #cond {
            return rt::decode_value(#op, #value).map(Self::#vn);
        }
    }
}
