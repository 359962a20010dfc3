//! Hidden support for the tests that replay a spec's documented examples through the client.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::response_type;
use crate::ir::{Operation, Provider, Response};
use crate::naming::ident;

/// `pub mod __examples { ... }`: request re-encoding, response variant and event names by operation.
pub fn emit_examples(p: &Provider) -> TokenStream {
    let requests = p.operations.iter().filter_map(request_arm);
    let metas = p.operations.iter().map(|o| {
        let name = &o.name;
        let c = format_ident!("{}", crate::naming::screaming(&o.name));
        quote! { #name => Some(&super::operations::#c), }
    });
    let responses = p.operations.iter().map(response_arm);
    // With no operation decoding its answer, `raw` would be unused (a warning in user code).
    let keep_raw = if p
        .operations
        .iter()
        .all(|o| matches!(o.response, Response::None))
    {
        quote! { let _ = raw; }
    } else {
        TokenStream::new()
    };
    let declined = if p.errors.is_empty() {
        quote! { let _ = raw; false }
    } else {
        quote! { super::provider_error(raw).is_some() }
    };
    let events = event_fn(p);
    quote! {
        /// Support for the tests that replay the spec's documented examples (not a stable API).
        #[doc(hidden)]
        pub mod __examples {
            use super::rt;

            /// Decodes a documented request body into the operation's typed request and encodes it again.
            pub fn request_body(
                operation: &str,
                body: &rt::serde_json::Value,
                ctx: &rt::WireContext<'_>,
            ) -> Option<Result<rt::serde_json::Map<String, rt::serde_json::Value>, rt::Error>> {
                match operation {
                    #(#requests)*
                    _ => None,
                }
            }

            /// The name of the documented variant a response decodes into.
            pub fn response_variant(operation: &str, raw: &rt::RawResponse) -> Option<Result<&'static str, rt::Error>> {
                #keep_raw
                match operation {
                    #(#responses)*
                    _ => None,
                }
            }

            /// The static description of an operation by name.
            pub fn operation(name: &str) -> Option<&'static rt::OperationMeta> {
                match name {
                    #(#metas)*
                    _ => None,
                }
            }

            /// Whether a response is one of the provider's error envelopes.
            pub fn is_declined(raw: &rt::RawResponse) -> bool {
                #declined
            }
            #events
        }
    }
}

fn request_arm(o: &Operation) -> Option<TokenStream> {
    let ty = ident(o.request.as_ref()?);
    let name = &o.name;
    Some(quote! {
        #name => Some(rt::decode_value::<super::#ty>(#name, body).and_then(|r| rt::encode(&r, ctx))),
    })
}

fn response_arm(o: &Operation) -> TokenStream {
    let name = &o.name;
    match &o.response {
        Response::None => quote! { #name => Some(Ok("")), },
        Response::Single(t) => {
            let ty = ident(t);
            quote! { #name => Some(rt::decode::<super::#ty>(#name, raw).map(|_| #t)), }
        }
        Response::Variants(vs) => {
            let ty = response_type(o);
            let arms = vs.iter().map(|v| {
                let vn = ident(&v.rust);
                let text = &v.rust;
                quote! { super::#ty::#vn(_) => #text, }
            });
            quote! {
                #name => Some(super::#ty::from_response(raw).map(|r| match r { #(#arms)* })),
            }
        }
    }
}

fn event_fn(p: &Provider) -> TokenStream {
    let Some(w) = &p.webhooks else {
        return TokenStream::new();
    };
    let arms = w.events.iter().map(|e| {
        let vn = ident(&e.rust);
        let text = &e.rust;
        quote! { super::WebhookEvent::#vn(_) => #text, }
    });
    quote! {
        /// The name of the event kind notification fields parse into.
        pub fn event_name(fields: rt::serde_json::Map<String, rt::serde_json::Value>) -> Result<&'static str, rt::Error> {
            super::WebhookEvent::from_fields(fields).map(|e| match e {
                #(#arms)*
                super::WebhookEvent::Unrecognised(_) => "Unrecognised",
            })
        }
    }
}
