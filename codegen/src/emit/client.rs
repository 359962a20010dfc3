//! The client: environments, credentials, provider metadata, operation descriptions and methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::cond::cond_expr;
use super::docs::{doc_or, doc_text};
use super::moved::moved;
use super::recipe::recipe_expr;
use crate::ir::{AnswerKind, BodyEncoding, ClientAuth, HttpMethod, Operation, Provider, Response};
use crate::naming::{ident, pascal, screaming};

/// Everything but the types and webhooks.
pub fn emit_client(p: &Provider) -> TokenStream {
    // each part moved into the module's tokens (an interpolated stream is copied otherwise)
    let env = moved(environment(p));
    let creds = moved(credentials(p));
    let meta = moved(provider_meta(p));
    let ops = moved(operations(p));
    let client = moved(client(p));
    let resolution = moved(super::resolve::resolution_types(p));
    quote! { #env #creds #meta #ops #client #resolution }
}

fn environment(p: &Provider) -> TokenStream {
    let variants = p.environments.iter().map(|e| {
        let v = ident(&e.rust);
        let d = moved(doc_text(&format!(
            "`{}`: `{}`",
            e.name,
            e.hosts.first().map(|h| h.1.as_str()).unwrap_or("")
        )));
        moved(quote! { #d #v, })
    });
    let arms = p.environments.iter().map(|e| {
        let v = ident(&e.rust);
        let pairs = e
            .hosts
            .iter()
            .map(|(h, u)| quote! { (#h.to_string(), #u.to_string()) });
        moved(quote! { Self::#v => vec![#(#pairs),*], })
    });
    let simulators: Vec<proc_macro2::Ident> = p
        .environments
        .iter()
        .filter(|e| e.local_simulator)
        .map(|e| ident(&e.rust))
        .collect();
    let local = moved(if simulators.is_empty() {
        quote! { false }
    } else {
        quote! { matches!(self, #(Self::#simulators)|*) }
    });
    let hosts: Vec<&String> = p
        .environments
        .first()
        .map(|e| e.hosts.iter().map(|(h, _)| h).collect())
        .unwrap_or_default();
    quote! {
        /// The provider's environments.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Environment {
            #(#variants)*
        }

        impl Environment {
            /// Base URLs by host name (`default` first).
            pub fn base_urls(self) -> Vec<(String, String)> {
                match self {
                    #(#arms)*
                }
            }

            /// Whether the spec marks this environment as a local simulator (plain `http://`
            /// allowed).
            pub fn is_local_simulator(self) -> bool {
                #local
            }
        }

        /// Host names the operations use.
        pub const HOSTS: &[&str] = &[#(#hosts),*];
    }
}

fn credentials(p: &Provider) -> TokenStream {
    let fields = p.credentials.iter().map(|c| {
        let n = ident(&c.rust);
        let ty = moved(if c.secret {
            quote! { rt::Secret }
        } else {
            quote! { String }
        });
        let d = moved(doc_or(
            c.doc.as_deref(),
            &format!("Credential `{}`.", c.name),
        ));
        moved(quote! { #d pub #n: #ty, })
    });
    let inserts = p.credentials.iter().map(|c| {
        let n = ident(&c.rust);
        let name = &c.name;
        moved(if c.secret {
            quote! { creds.insert(#name, self.#n.clone()); }
        } else {
            quote! { creds.insert(#name, self.#n.as_str()); }
        })
    });
    let mutability = if p.credentials.is_empty() {
        quote! {}
    } else {
        quote! { mut }
    };
    quote! {
        /// The merchant account's credentials. Secret ones never show in `Debug`.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Credentials {
            #(#fields)*
        }

        impl Credentials {
            /// The credentials by their spec names, as the runtime takes them.
            pub fn to_runtime(&self) -> rt::Credentials {
                let #mutability creds = rt::Credentials::new();
                #(#inserts)*
                creds
            }
        }
    }
}

fn opt_recipe(r: Option<&paygen_runtime::signing::Recipe>) -> TokenStream {
    match r {
        Some(r) => {
            let e = moved(recipe_expr(r));
            quote! { Some(#e) }
        }
        None => quote! { None },
    }
}

fn provider_meta(p: &Provider) -> TokenStream {
    let id = &p.id;
    let headers = p.auth_headers.iter().map(|(h, c)| quote! { (#h, #c) });
    let basic = moved(match &p.auth_basic {
        Some((u, pw)) => quote! { Some((#u, #pw)) },
        None => quote! { None },
    });
    let request = moved(opt_recipe(p.recipes.request.as_ref()));
    let response = moved(opt_recipe(p.recipes.response.as_ref()));
    let oauth2 = moved(oauth2_expr(p));
    let request_id = moved(opt_str(p.request_id_header.as_deref()));
    let exponents = p.exponents.iter().map(|(c, e)| {
        let e = proc_macro2::Literal::u8_unsuffixed(*e);
        quote! { (#c, #e) }
    });
    let error_fn = moved(provider_error_fn(p));
    quote! {
        /// Currency exponents that differ from ISO 4217 for this provider.
        pub const EXPONENTS: &[(&str, u8)] = &[#(#exponents),*];

        /// How the runtime talks to this provider: auth and signing recipes.
        pub fn provider_meta() -> rt::ProviderMeta {
            rt::ProviderMeta {
                name: #id,
                auth: rt::AuthSpec { headers: &[#(#headers),*], basic: #basic, oauth2: #oauth2 },
                request_recipe: #request,
                response_recipe: #response,
                request_id_header: #request_id,
            }
        }
        #error_fn
    }
}

fn opt_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) => quote! { Some(#t) },
        None => quote! { None },
    }
}

fn oauth2_expr(p: &Provider) -> TokenStream {
    let Some(o) = &p.oauth2 else {
        return quote! { None };
    };
    let (host, path, id, secret) = (&o.host, &o.path, &o.client_id, &o.client_secret);
    let scope = opt_str(o.scope.as_deref());
    let client_auth = match o.client_auth {
        ClientAuth::Basic => quote! { rt::ClientAuth::Basic },
        ClientAuth::Body => quote! { rt::ClientAuth::Body },
    };
    quote! {
        Some(rt::OAuth2ClientCredentials {
            host: #host,
            path: #path,
            client_id: #id,
            client_secret: #secret,
            scope: #scope,
            client_auth: #client_auth,
        })
    }
}

fn answers_expr(o: &Operation) -> TokenStream {
    if !o.has_non_json_answers() {
        return quote! { rt::Answers::JSON };
    }
    let has = |k: AnswerKind| o.answers.contains(&k);
    let (json, redirect, html, text, form) = (
        has(AnswerKind::Json),
        has(AnswerKind::Redirect),
        has(AnswerKind::Html),
        has(AnswerKind::Text),
        has(AnswerKind::AutoPostForm),
    );
    quote! {
        rt::Answers { json: #json, redirect: #redirect, html: #html, text: #text, form: #form }
    }
}

fn timeout_expr(o: &Operation) -> TokenStream {
    match o.timeout_ms {
        Some(ms) => {
            let ms = proc_macro2::Literal::u64_unsuffixed(ms);
            quote! { Some(::std::time::Duration::from_millis(#ms)) }
        }
        None => quote! { None },
    }
}

fn provider_error_fn(p: &Provider) -> TokenStream {
    if p.errors.is_empty() {
        return TokenStream::new();
    }
    let rules = p.errors.iter().map(|r| {
        let cond = moved(cond_expr(&r.when, quote! { value }, quote! { raw.status }));
        let code = moved(text_or_empty(r.code.as_deref()));
        let message = moved(text_or_empty(r.message.as_deref()));
        moved(quote! {
            if #cond {
                return Some(rt::ProviderError { code: #code, message: #message });
            }
        })
    });
    quote! {
        /// Recognises the provider's error envelopes (they become `Error::Declined`).
        pub fn provider_error(raw: &rt::RawResponse) -> Option<rt::ProviderError> {
            let value = raw.json.as_ref()?;
            #(#rules)*
            None
        }
    }
}

fn text_or_empty(path: Option<&str>) -> TokenStream {
    match path {
        Some(p) => quote! { rt::text_at(value, #p).unwrap_or_default() },
        None => quote! { String::new() },
    }
}

fn operations(p: &Provider) -> TokenStream {
    let consts = p.operations.iter().map(|o| moved(operation_const(p, o)));
    quote! {
        /// Static descriptions of every operation (method, path, repeat safety, signing).
        pub mod operations {
            use super::rt;
            #(#consts)*
        }
    }
}

fn operation_const(p: &Provider, o: &Operation) -> TokenStream {
    let name_const = format_ident!("{}", screaming(&o.name));
    let (name, host, path) = (&o.name, &o.host, &o.path);
    let method = moved(match o.method {
        HttpMethod::Get => quote! { rt::Method::Get },
        HttpMethod::Post => quote! { rt::Method::Post },
        HttpMethod::Put => quote! { rt::Method::Put },
        HttpMethod::Delete => quote! { rt::Method::Delete },
        HttpMethod::Patch => quote! { rt::Method::Patch },
    });
    let encoding = moved(match o.encoding {
        BodyEncoding::Json => quote! { rt::BodyEncoding::Json },
        BodyEncoding::Form => quote! { rt::BodyEncoding::Form },
        BodyEncoding::None => quote! { rt::BodyEncoding::None },
    });
    let repeat = moved(if o.safe {
        quote! { rt::Repeat::Safe }
    } else {
        let r = moved(super::resolve::resolve_expr(o));
        quote! { rt::Repeat::Once { resolve: #r } }
    });
    let (money, sign, verify) = (o.money_moving, o.sign, o.verify_response);
    let error_fn = moved(if p.errors.is_empty() {
        quote! { None }
    } else {
        quote! { Some(super::provider_error) }
    });
    let typed = o.typed_error_statuses;
    let accept = o.accept();
    let answers = moved(answers_expr(o));
    let timeout = moved(timeout_expr(o));
    let d = moved(doc_text(&format!(
        "`{} {}` ({}).",
        o.method.text(),
        o.path,
        o.name
    )));
    quote! {
        #d
        pub const #name_const: rt::OperationMeta = rt::OperationMeta {
            name: #name,
            method: #method,
            host: #host,
            path: #path,
            encoding: #encoding,
            repeat: #repeat,
            money_moving: #money,
            sign_request: #sign,
            verify_response: #verify,
            provider_error: #error_fn,
            typed_error_statuses: #typed,
            accept: #accept,
            answers: #answers,
            timeout: #timeout,
        };
    }
}

fn client(p: &Provider) -> TokenStream {
    let methods = p.operations.iter().map(|o| moved(method(p, o)));
    let resolve = moved(super::resolve::resolve_methods(p));
    let title = moved(doc_text(&format!("A typed client of the {} API.", p.title)));
    quote! {
        #title
        #[derive(Debug, Clone)]
        pub struct Client {
            engine: rt::Engine,
            call: rt::CallOptions,
        }

        impl Client {
            /// A client of one of the provider's environments, with default timeouts and the system clock.
            pub fn new(environment: Environment, credentials: Credentials) -> Result<Self, rt::Error> {
                let config = rt::EngineConfig { allow_plain_http: environment.is_local_simulator(), ..rt::EngineConfig::default() };
                Self::with_options(environment.base_urls(), credentials, config, ::std::sync::Arc::new(rt::SystemClock))
            }

            /// A client of another base URL (a simulator, a proxy): host `default` is `base_url`,
            /// any other host `h` is `base_url/~h`.
            pub fn with_base_url(base_url: &str, credentials: Credentials, config: rt::EngineConfig) -> Result<Self, rt::Error> {
                let urls = HOSTS.iter().map(|h| (h.to_string(), rt::host_url(base_url, h))).collect();
                Self::with_options(urls, credentials, config, ::std::sync::Arc::new(rt::SystemClock))
            }

            /// A client with every option: base URLs by host, transport settings (timeouts,
            /// retries, your own `reqwest::Client`, a wire hook) and the clock.
            pub fn with_options(
                base_urls: Vec<(String, String)>,
                credentials: Credentials,
                config: rt::EngineConfig,
                clock: ::std::sync::Arc<dyn rt::Clock>,
            ) -> Result<Self, rt::Error> {
                let engine = rt::Engine::new(provider_meta(), base_urls, credentials.to_runtime(), config, clock)?;
                Ok(Self { engine, call: rt::CallOptions::default() })
            }

            /// This client with per-call options (e.g. a timeout for the calls made through the
            /// returned value); the transport and its token cache are shared.
            pub fn with_call_options(&self, options: rt::CallOptions) -> Self {
                Self { engine: self.engine.clone(), call: options }
            }

            /// The transport this client uses.
            pub fn engine(&self) -> &rt::Engine {
                &self.engine
            }

            #(#methods)*

            #resolve
        }
    }
}

/// The response type of an operation.
pub fn response_type(o: &Operation) -> TokenStream {
    match &o.response {
        Response::None => quote! { rt::serde_json::Value },
        Response::Single(t) => {
            let t = ident(t);
            quote! { #t }
        }
        Response::Variants(_) => {
            let t = format_ident!(
                "{}Response",
                pascal(&o.name).unwrap_or_else(|_| o.name.clone())
            );
            quote! { #t }
        }
    }
}

/// What the operation's method returns: the response type, or `rt::Answer` of it when the
/// spec declares non-JSON answers.
fn method_return_type(o: &Operation) -> TokenStream {
    let t = response_type(o);
    if o.has_non_json_answers() {
        let t = moved(t);
        quote! { rt::Answer<#t> }
    } else {
        t
    }
}

fn method_doc(o: &Operation) -> TokenStream {
    let mut text = o
        .doc
        .clone()
        .unwrap_or_else(|| format!("Calls `{}`.", o.name));
    text.push_str(&format!("\n\n`{} {}`.", o.method.text(), o.path));
    if o.money_moving {
        text.push_str("\n\nMoves money: sent exactly once. If the outcome is unknown (timeout, reset, a server error, an answer that does not decode or verify) the error says so");
        text.push_str(&super::resolve::resolution_doc(o));
    } else if o.safe {
        text.push_str("\n\nSafe to repeat: transient failures are retried.");
    }
    if o.has_non_json_answers() {
        let kinds: Vec<&str> = o.answers.iter().map(|a| answer_name(*a)).collect();
        text.push_str(&format!("\n\nAnswers: {}.", kinds.join(", ")));
    }
    if let Some(ms) = o.timeout_ms {
        text.push_str(&format!(
            "\n\nEach attempt times out after {ms} ms unless the call options say otherwise."
        ));
    }
    doc_text(&text)
}

fn answer_name(a: AnswerKind) -> &'static str {
    match a {
        AnswerKind::Json => "JSON data",
        AnswerKind::Redirect => "a redirect",
        AnswerKind::Html => "an HTML page",
        AnswerKind::Text => "plain text",
        AnswerKind::AutoPostForm => "a form to post",
    }
}

fn method(p: &Provider, o: &Operation) -> TokenStream {
    let name = ident(&o.rust);
    let meta = format_ident!("{}", screaming(&o.name));
    let docs = moved(method_doc(o));
    let ty = response_type(o);
    let ret = moved(method_return_type(o));
    let request = format_ident!("request");
    let arg = match &o.request {
        Some(r) => {
            let r = ident(r);
            quote! { #request: &#r }
        }
        None => quote! {},
    };
    // A callable from `&rt::RawResponse` to the typed answer.
    let decode = match &o.response {
        Response::None => {
            quote! { |raw| rt::decode::<rt::serde_json::Value>(operations::#meta.name, raw) }
        }
        Response::Single(_) => quote! { |raw| rt::decode(operations::#meta.name, raw) },
        Response::Variants(_) => quote! { #ty::from_response },
    };
    let decode = if o.has_non_json_answers() {
        let decode = moved(decode);
        quote! { |raw| rt::decode_answer(&operations::#meta, raw, #decode) }
    } else {
        decode
    };
    let statements = moved(super::guard::method_body(p, o, &request, &decode));
    let dry_run = format_ident!("prepare_{}", o.rust);
    let dry_run_doc = moved(doc_text(&format!(
        "The exact request [`Self::{}`] would send (method, URL, headers, body; signed), built \
         and checked the same way, without sending anything: for logging and tests. Values the \
         signing recipe generates (a timestamp, a nonce) are made anew for each request.",
        o.rust
    )));
    let dry_run_body = moved(super::guard::dry_run_body(p, o, &request));
    quote! {
        #docs
        pub async fn #name(&self, #arg) -> Result<#ret, rt::Error> {
            #statements
        }

        #dry_run_doc
        pub fn #dry_run(&self, #arg) -> Result<rt::PreparedRequest, rt::Error> {
            #dry_run_body
        }
    }
}
