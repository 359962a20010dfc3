//! Reconciliation in generated clients: each operation's `Resolve` (static data), the
//! money-moving method body that attaches the request's key values to an unknown outcome, and
//! `Client::resolve`, which runs the lookup and returns the typed state.

use proc_macro2::TokenStream;
use quote::quote;

use super::client::response_type;
use crate::ir::Resolution;
use crate::ir::{Operation, Provider};
use crate::naming::{ident, pascal};

/// `rt::Resolve` of an operation.
pub fn resolve_expr(o: &Operation) -> TokenStream {
    let pairs = |key: &[(String, String)]| {
        let items = key.iter().map(|(t, s)| quote! { (#t, #s) });
        quote! { &[#(#items),*] }
    };
    match &o.resolution {
        Resolution::Lookup { operation, key } => {
            let key = pairs(key);
            quote! { rt::Resolve::Lookup { operation: #operation, key: #key } }
        }
        Resolution::AwaitCallback { events, key } => {
            let key = pairs(key);
            quote! { rt::Resolve::AwaitCallback { events: &[#(#events),*], key: #key } }
        }
        Resolution::Unspecified => quote! { rt::Resolve::Unspecified },
    }
}

/// The end of a money-moving method's doc: how an unknown outcome is resolved.
pub fn resolution_doc(o: &Operation) -> String {
    let mut text = match &o.resolution {
        Resolution::Lookup { operation, .. } => format!(
            "; [`Client::resolve`] asks `{operation}` with the request's key before anything else."
        ),
        Resolution::AwaitCallback { events, .. } => format!(
            "; no lookup exists: the final state arrives as a notification ({}).",
            events.join(", ")
        ),
        Resolution::Unspecified => ".".to_string(),
    };
    if let Some(n) = &o.reconcile_note {
        text.push_str(&format!(" {n}"));
    }
    text
}

/// The lookup operations some operation resolves with, in spec order.
fn lookups(p: &Provider) -> Vec<&Operation> {
    p.operations
        .iter()
        .filter(|l| {
            p.operations.iter().any(|o| {
                matches!(&o.resolution, Resolution::Lookup { operation, .. } if operation == &l.name)
            })
        })
        .collect()
}

fn variant(o: &Operation) -> proc_macro2::Ident {
    ident(&pascal(&o.name).unwrap_or_else(|_| o.rust.clone()))
}

/// `Resolution`, `LookupAnswer` (module items).
pub fn resolution_types(p: &Provider) -> TokenStream {
    let variants = lookups(p).into_iter().map(|l| {
        let v = variant(l);
        let ty = response_type(l);
        let d = format!(" The answer of `{}`.", l.name);
        quote! { #[doc = #d] #v(Box<#ty>), }
    });
    quote! {
        /// What [`Client::resolve`] found out about a call whose outcome was unknown.
        #[derive(Debug)]
        pub enum Resolution {
            /// The lookup answered: the transaction's state as the provider reports it now (an
            /// empty or "not found" answer means the provider has no such transaction).
            Answered(LookupAnswer),
            /// No lookup exists: the final state arrives as one of these notifications; `key`
            /// holds the notification fields (dotted paths) and the values that identify it.
            AwaitCallback {
                /// Event kinds that carry the final state.
                events: &'static [&'static str],
                /// Notification path -> value for this transaction.
                key: rt::serde_json::Map<String, rt::serde_json::Value>,
            },
            /// The provider answered the lookup with an error (typically: no such transaction,
            /// i.e. the original request never took effect). Read the error before resending.
            Refused(rt::Error),
            /// The lookup itself failed (no answer, or an answer that proves nothing): the
            /// outcome is still unknown; ask again later, do not resend the original request.
            StillUnknown(rt::Error),
            /// The error is not an unknown outcome, or its operation names no resolution.
            NotApplicable,
        }

        impl Resolution {
            /// Whether the provider answered the lookup (with the state, or with an error).
            pub fn is_answered(&self) -> bool {
                matches!(self, Resolution::Answered(_) | Resolution::Refused(_))
            }
        }

        /// The typed answer of a lookup, by lookup operation (boxed: answers differ in size).
        #[derive(Debug)]
        pub enum LookupAnswer {
            #(#variants)*
        }
    }
}

/// `Client::resolve` and its lookup helper (client methods).
pub fn resolve_methods(p: &Provider) -> TokenStream {
    let found = lookups(p);
    if found.is_empty() {
        return quote! {
            /// Resolves an `Error::OutcomeUnknown` of this client: no operation of this provider
            /// resolves by lookup, so this says which notification to await, if any. Never
            /// resends the original request.
            pub async fn resolve(&self, error: &rt::Error) -> Resolution {
                match error.reconcile() {
                    Some(rt::Reconcile::AwaitCallback { events, key }) => Resolution::AwaitCallback {
                        events,
                        key: (**key).clone(),
                    },
                    _ => Resolution::NotApplicable,
                }
            }
        };
    }
    let arms = found.into_iter().map(|l| {
        let name = &l.name;
        let method = ident(&l.rust);
        let v = variant(l);
        let call = match &l.request {
            Some(r) => {
                let r = ident(r);
                quote! {
                    let request: #r = match rt::decode_value(#name, &rt::serde_json::Value::Object(key.clone())) {
                        Ok(request) => request,
                        Err(e) => return Resolution::StillUnknown(e),
                    };
                    self.#method(&request).await
                }
            }
            None => quote! { self.#method().await },
        };
        quote! {
            #name => {
                let answer = { #call };
                match answer {
                    Ok(a) => Resolution::Answered(LookupAnswer::#v(Box::new(a))),
                    Err(e @ (rt::Error::Declined { .. } | rt::Error::Http { status: 400..=499, .. })) => Resolution::Refused(e),
                    Err(e) => Resolution::StillUnknown(e),
                }
            }
        }
    });
    quote! {
        /// Resolves an `Error::OutcomeUnknown` of this client: runs the lookup the spec
        /// names (with the key values of the request that was sent) and returns the typed state,
        /// or says which notification to await. Never resends the original request.
        pub async fn resolve(&self, error: &rt::Error) -> Resolution {
            match error.reconcile() {
                Some(rt::Reconcile::Lookup { operation, key }) => {
                    self.resolve_by_lookup(operation, key).await
                }
                Some(rt::Reconcile::AwaitCallback { events, key }) => Resolution::AwaitCallback {
                    events,
                    key: (**key).clone(),
                },
                _ => Resolution::NotApplicable,
            }
        }

        async fn resolve_by_lookup(
            &self,
            operation: &str,
            key: &rt::serde_json::Map<String, rt::serde_json::Value>,
        ) -> Resolution {
            match operation {
                #(#arms)*
                _ => Resolution::NotApplicable,
            }
        }
    }
}
