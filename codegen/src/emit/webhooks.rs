//! Incoming notifications: the event enum, verification and parsing, and the acknowledgement.

use proc_macro2::TokenStream;
use quote::quote;

use super::cond::body_cond_expr;
use super::docs::{doc, doc_or};
use super::recipe::recipe_expr;
use crate::ir::Provider;
use crate::naming::ident;

/// Webhook items (nothing when the spec has no webhooks).
pub fn emit_webhooks(p: &Provider) -> TokenStream {
    let Some(w) = &p.webhooks else {
        return TokenStream::new();
    };
    let docs = doc_or(w.doc.as_deref(), "A notification from the provider.");
    let members = w.events.iter().map(|e| {
        let vn = ident(&e.rust);
        let ty = ident(&p.ty(e.ty).rust);
        let d = doc(e.doc.as_deref());
        quote! { #d #vn(#ty), }
    });
    let names = w.events.iter().map(|e| {
        let vn = ident(&e.rust);
        let text = &e.rust;
        quote! { Self::#vn(_) => #text, }
    });
    let dispatch = event_dispatch(&w.events);
    let encoding = if w.form {
        quote! { rt::WebhookEncoding::Form }
    } else {
        quote! { rt::WebhookEncoding::Json }
    };
    let entry = entry_point(p, w.verify, &encoding);
    let dedup = &w.dedup_key;
    let probe = probe_paths(w);
    let replies = event_replies(w);
    let (status, content_type, body) = (&w.ack.0, &w.ack.1, &w.ack.2);
    let ack_doc = match &w.ack_doc {
        Some(text) => {
            let text = format!("\n{text}");
            super::docs::doc_text(&text)
        }
        None => TokenStream::new(),
    };
    // Variants hold the decoded payloads as they are: an event is decoded once and moved to the
    // caller, so boxing the larger ones would only add an allocation per notification.
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)] // payloads moved whole, see above
        pub enum WebhookEvent {
            #(#members)*
            /// A notification none of the documented kinds matched (fields kept as received).
            Unrecognised(rt::serde_json::Map<String, rt::serde_json::Value>),
        }

        impl WebhookEvent {
            /// Picks the documented event kind of verified notification fields.
            pub fn from_fields(fields: rt::serde_json::Map<String, rt::serde_json::Value>) -> Result<Self, rt::Error> {
                Self::pick(rt::WebhookBody::from_fields(fields))
            }

            /// Picks the event kind by the probed fields and decodes it from the body.
            fn pick(body: rt::WebhookBody<'_>) -> Result<Self, rt::Error> {
                #dispatch
            }

            /// The event kind's name, as `Resolution::AwaitCallback` lists the events that settle
            /// an unknown outcome (`"Unrecognised"` for an undocumented notification).
            pub fn name(&self) -> &'static str {
                match self {
                    #(#names)*
                    Self::Unrecognised(_) => "Unrecognised",
                }
            }
        }

        /// Dotted paths of the notification fields that identify one delivery (empty when the
        /// spec declares no de-duplication key).
        pub const WEBHOOK_DEDUP_KEY: &[&str] = &[#(#dedup),*];

        /// The paths the event conditions and the de-duplication key read: only the top-level
        /// fields they start from are parsed before the event is decoded.
        const WEBHOOK_PROBE: &[&str] = &[#(#probe),*];

        /// A notification with its de-duplication key.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Notification {
            /// The event.
            pub event: WebhookEvent,
            /// The values at [`WEBHOOK_DEDUP_KEY`] joined by U+001F; `None` when a value is
            /// missing or the spec declares no key. A provider redelivers a notification until
            /// it is acknowledged: store seen keys and acknowledge repeats without acting again.
            pub dedup_key: Option<String>,
        }

        impl Notification {
            fn from_body(body: rt::WebhookBody<'_>) -> Result<Self, rt::Error> {
                let dedup_key = body.dedup_key(WEBHOOK_DEDUP_KEY);
                Ok(Notification { event: WebhookEvent::pick(body)?, dedup_key })
            }
        }

        #entry

        #replies

        /// The answer that acknowledges a notification (anything else makes the provider resend it).
        #ack_doc
        pub const WEBHOOK_ACK: rt::Ack = rt::Ack { status: #status, content_type: #content_type, body: #body };
    }
}

/// The body that picks an event kind: one `if` per conditional event in spec order, ending with
/// the first unconditional event as the final expression (events after it can never match), or,
/// when every event has a condition, with the `Unrecognised` fallback.
fn event_dispatch(events: &[crate::ir::Variant]) -> TokenStream {
    let decode = |e: &crate::ir::Variant| {
        let vn = ident(&e.rust);
        quote! { body.decode().map(Self::#vn) }
    };
    let mut picks = Vec::new();
    for e in events {
        let Some(c) = &e.when else {
            let last = decode(e);
            return quote! { #(#picks)* #last };
        };
        let cond = body_cond_expr(c, quote! { body });
        let pick = decode(e);
        picks.push(quote! {
            if #cond {
                return #pick;
            }
        });
    }
    quote! {
        #(#picks)*
        body.into_fields().map(Self::Unrecognised)
    }
}

/// Every path the event conditions and the de-duplication key read, sorted, once each.
fn probe_paths(w: &crate::ir::Webhooks) -> Vec<String> {
    let mut paths = w.dedup_key.clone();
    for c in w.events.iter().filter_map(|e| e.when.as_ref()) {
        condition_paths(c, &mut paths);
    }
    paths.sort();
    paths.dedup();
    paths
}

fn condition_paths(c: &crate::ir::Condition, out: &mut Vec<String>) {
    out.extend(c.has.iter().cloned());
    out.extend(c.absent.iter().cloned());
    out.extend(c.equals.iter().map(|(path, _)| path.clone()));
    for sub in c.any.iter().chain(&c.none) {
        condition_paths(sub, out);
    }
}

fn entry_point(p: &Provider, verify: bool, encoding: &TokenStream) -> TokenStream {
    match (&p.recipes.webhook, verify) {
        (Some(recipe), true) => {
            let recipe = recipe_expr(recipe);
            quote! {
                /// The recipe notifications are signed with.
                pub fn webhook_recipe() -> rt::Recipe {
                    #recipe
                }

                /// A verifier built once (recipe compiled, keys prepared) for [`receive_webhook`].
                pub fn webhook_verifier(credentials: &Credentials) -> Result<rt::WebhookVerifier, rt::Error> {
                    rt::WebhookVerifier::new(&webhook_recipe(), &credentials.to_runtime(), #encoding)
                }

                /// Verifies a notification's signature and parses it; a bad or missing signature is
                /// `Error::BadSignature` and nothing is parsed; an empty or blank credential is
                /// `Error::Config` (a blank secret would let anyone forge notifications). Builds the
                /// verifier on each call: receivers should call [`Client::receive_webhook`] (the
                /// client's verifier is built once) or keep a [`webhook_verifier`] for
                /// [`receive_webhook`].
                ///
                /// A verified notification may still be a redelivery or a replay: act on each
                /// event once, e.g. with `paygen_runtime::Deduplicator`.
                pub fn verify_webhook(credentials: &Credentials, headers: &rt::http::HeaderMap, body: &[u8]) -> Result<WebhookEvent, rt::Error> {
                    WebhookEvent::pick(webhook_verifier(credentials)?.check(headers, body, WEBHOOK_PROBE)?)
                }

                /// Verifies and parses a notification with a verifier built once; returns the
                /// event with its de-duplication key. The body is parsed once, after the
                /// signature is checked where the signature does not read the fields.
                pub fn receive_webhook(verifier: &rt::WebhookVerifier, headers: &rt::http::HeaderMap, body: &[u8]) -> Result<Notification, rt::Error> {
                    Notification::from_body(verifier.check(headers, body, WEBHOOK_PROBE)?)
                }

                impl Client {
                    /// Verifies and parses a notification with this client's credentials and clock
                    /// (see [`receive_webhook`]); the verifier is built on the first call and kept.
                    pub fn receive_webhook(&self, headers: &rt::http::HeaderMap, body: &[u8]) -> Result<Notification, rt::Error> {
                        let verifier = self.engine.webhook_verifier(webhook_recipe, #encoding)?;
                        receive_webhook(verifier, headers, body)
                    }
                }
            }
        }
        _ => quote! {
            /// Parses a notification (the provider does not sign them).
            pub fn parse_webhook(body: &[u8]) -> Result<WebhookEvent, rt::Error> {
                WebhookEvent::pick(rt::WebhookBody::parse(body, #encoding, WEBHOOK_PROBE)?)
            }

            /// Parses a notification with its de-duplication key (the provider does not sign them).
            pub fn receive_webhook(body: &[u8]) -> Result<Notification, rt::Error> {
                Notification::from_body(rt::WebhookBody::parse(body, #encoding, WEBHOOK_PROBE)?)
            }
        },
    }
}

/// Typed answers of the events that declare `replies`: one `<Event>Reply` enum each, with the
/// status, content type and body the receiver sends back.
fn event_replies(w: &crate::ir::Webhooks) -> TokenStream {
    let items = w.events.iter().filter(|e| !e.replies.is_empty()).map(|e| {
        let name = ident(&format!("{}Reply", e.rust));
        let event_doc = format!(" How to answer a `{}` notification.", e.rust);
        let variants = e.replies.iter().map(|r| {
            let vn = ident(&r.rust);
            let d = doc(r.doc.as_deref());
            if r.params.is_empty() {
                quote! { #d #vn, }
            } else {
                let fields = r.params.iter().map(|(_, f, int)| {
                    let f = ident(f);
                    let ty = if *int {
                        quote! { i64 }
                    } else {
                        quote! { String }
                    };
                    quote! { #f: #ty }
                });
                quote! { #d #vn { #(#fields),* }, }
            }
        });
        let pattern = |r: &crate::ir::Reply| {
            let vn = ident(&r.rust);
            if r.params.is_empty() {
                quote! { Self::#vn }
            } else {
                let fields = r.params.iter().map(|(_, f, _)| ident(f));
                quote! { Self::#vn { #(#fields),* } }
            }
        };
        let statuses = e.replies.iter().map(|r| {
            let (pat, status) = (pattern(r), r.status);
            let pat = if r.params.is_empty() {
                pat
            } else {
                let vn = ident(&r.rust);
                quote! { Self::#vn { .. } }
            };
            quote! { #pat => #status, }
        });
        let types = e.replies.iter().map(|r| {
            let vn = ident(&r.rust);
            let ct = &r.content_type;
            let pat = if r.params.is_empty() {
                quote! { Self::#vn }
            } else {
                quote! { Self::#vn { .. } }
            };
            quote! { #pat => #ct, }
        });
        let bodies = e.replies.iter().map(|r| {
            let (pat, body) = (pattern(r), &r.body);
            let fills = r.params.iter().map(|(k, f, _)| {
                let placeholder = format!("{{{k}}}");
                let f = ident(f);
                quote! { .replace(#placeholder, &#f.to_string()) }
            });
            quote! { #pat => #body.to_string() #(#fills)*, }
        });
        quote! {
            #[doc = #event_doc]
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub enum #name {
                #(#variants)*
            }

            impl #name {
                /// HTTP status of the answer.
                pub fn status(&self) -> u16 {
                    match self { #(#statuses)* }
                }

                /// Content type of the answer.
                pub fn content_type(&self) -> &'static str {
                    match self { #(#types)* }
                }

                /// Body of the answer.
                pub fn body(&self) -> String {
                    match self { #(#bodies)* }
                }
            }
        }
    });
    quote! { #(#items)* }
}
