//! The transport: builds, signs and sends one operation's request, then sorts the answer into
//! success or an [`Error`] of the right phase. Retries only operations marked [`Repeat::Safe`].
//!
//! Phases: a connect error is [`Error::NotConnected`] (nothing sent); a timeout or reset after
//! the request may have been written, or a body that could not be read completely, is
//! [`Error::OutcomeUnknown`]. A [`Repeat::Once`] operation is sent exactly once, whatever
//! happens (the one exception: a 401 refusing an OAuth2 bearer token is followed by one resend
//! with a fresh token, see [`crate::auth`]), and every answer that does not prove its outcome
//! is [`Error::OutcomeUnknown`] (see [`settle`]).
//!
//! Layout: `send` (attempts, retries, transport errors), `deadline` (the attempts' deadlines
//! on reused timers), `interpret` (statuses, envelopes, signatures, the money-moving rule),
//! `answer` (typing the body; plain JSON decoding is the leaf `crate::decode`), `hook` (the
//! user's wire hook), `trace` (spans and events), `prepare` (exact request bytes), `url_cache`
//! (request URLs parsed once per distinct text), `proxy_env` (the engine's own client asks
//! for proxies only when the environment names one).

#[cfg(feature = "transport")]
use std::fmt;
#[cfg(feature = "transport")]
use std::sync::Arc;

#[cfg(feature = "transport")]
use serde_json::{Map, Value};
#[cfg(feature = "transport")]
use tracing::Instrument;

#[cfg(feature = "transport")]
use crate::auth::TokenCache;
#[cfg(feature = "transport")]
use crate::clock::Clock;
#[cfg(feature = "transport")]
use crate::credentials::Credentials;
use crate::error::Error;

mod answer;
#[cfg(feature = "transport")]
mod deadline;
#[cfg(feature = "transport")]
mod header_table;
#[cfg(feature = "transport")]
mod hook;
#[cfg(feature = "transport")]
mod interpret;
mod prepare;
mod prepare_direct;
#[cfg(feature = "transport")]
mod proxy_env;
#[cfg(feature = "transport")]
mod send;
#[cfg(feature = "transport")]
pub mod trace;
mod types;
#[cfg(feature = "transport")]
mod url_cache;

pub use crate::decode::{decode, decode_value, DecodeSource};
pub use crate::exchange::{
    Answers, BodyEncoding, Method, OperationMeta, ProviderError, RawResponse, Repeat,
};
pub use crate::wire_parse::{AnswerJson, AnswerNode};
pub use answer::{auto_post_form, decode_answer, Answer, AutoPostForm};
#[cfg(feature = "transport")]
pub use hook::{Exchanged, Hook, IncomingResponse, OutgoingRequest};
#[cfg(feature = "transport")]
pub use interpret::settle;
pub use prepare::{prepare_request, AuthPlan, Operation, Preparer};
pub use prepare_direct::sends_body_as_written;
#[cfg(feature = "transport")]
pub use types::EngineConfig;
pub use types::{AuthSpec, CallOptions, PreparedRequest, ProviderMeta};

#[cfg(feature = "transport")]
struct Inner {
    provider: ProviderMeta,
    /// Auth and the compiled request recipe, built once.
    preparer: Preparer,
    /// The compiled response recipe with its keys, built once.
    response_signer: Option<crate::signing::Signer>,
    base_urls: Vec<(String, String)>,
    /// Every base URL as written and parsed (checked in [`Engine::new`]), so a request's URL
    /// is built without parsing the scheme and host again.
    parsed_bases: Vec<(String, reqwest::Url)>,
    credentials: Credentials,
    config: EngineConfig,
    clock: Arc<dyn Clock>,
    client: reqwest::Client,
    tokens: Option<TokenCache>,
    /// The webhook verifier, built on first use (a client that never receives one needs no
    /// webhook secret).
    webhook: std::sync::OnceLock<crate::webhook::WebhookVerifier>,
    /// Timers for the attempts' deadlines, reused (see `deadline`).
    deadlines: deadline::DeadlineTimers,
    /// The request URLs built last, reused (see `url_cache`).
    urls: url_cache::UrlCache,
    /// The headers every request carries, ready to send (see `header_table`).
    headers: header_table::HeaderTable,
}

#[cfg(feature = "transport")]
/// One client's transport. Cheap to clone (shared inside).
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

#[cfg(feature = "transport")]
impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Engine")
            .field("provider", &i.provider.name)
            .field("base_urls", &i.base_urls)
            .field("credentials", &i.credentials)
            .field("config", &i.config)
            .field("clock", &i.clock)
            .finish()
    }
}

fn config_err(text: impl Into<String>) -> Error {
    Error::Config(text.into())
}

#[cfg(feature = "transport")]
/// Credential names a template (`"Bearer {api_key}"`) or plain name refers to.
fn credential_names(spec: &str) -> Vec<&str> {
    if !spec.contains('{') {
        return vec![spec];
    }
    spec.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

#[cfg(feature = "transport")]
fn check_base_urls(base_urls: &[(String, String)], allow_plain_http: bool) -> Result<(), Error> {
    for (host, url) in base_urls {
        if !allow_plain_http && crate::tls::plain_http_off_loopback(url) {
            return Err(config_err(format!(
                "base URL of host `{host}` is plain http:// to a non-loopback host: refused \
                 (use https://; a local simulator sets `EngineConfig::allow_plain_http`)"
            )));
        }
        let ok = reqwest::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !ok {
            return Err(config_err(format!(
                "base URL of host `{host}` is not an http(s) URL"
            )));
        }
    }
    Ok(())
}

#[cfg(feature = "transport")]
/// Every credential the auth and the recipes name.
fn required_credentials(provider: &ProviderMeta) -> Vec<&str> {
    let mut needed: Vec<&str> = Vec::new();
    for (_, spec) in provider.auth.headers {
        needed.extend(credential_names(spec));
    }
    if let Some((user, password)) = provider.auth.basic {
        needed.extend([user, password]);
    }
    if let Some(o) = &provider.auth.oauth2 {
        needed.extend([o.client_id, o.client_secret]);
    }
    let recipes = provider
        .request_recipe
        .iter()
        .chain(provider.response_recipe.iter());
    needed.extend(recipes.map(|r| r.secret.credential.as_str()));
    needed
}

#[cfg(feature = "transport")]
impl Engine {
    /// An engine for one provider account. Checks the base URLs and that every credential the
    /// auth and the recipes name is present; uses `config.http_client` or builds an HTTP
    /// client with the connect timeout (each attempt's total deadline, `config.timeout` or the
    /// operation's or call's, is enforced by the engine whichever client sends).
    pub fn new(
        provider: ProviderMeta,
        base_urls: Vec<(String, String)>,
        credentials: Credentials,
        config: EngineConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Engine, Error> {
        check_base_urls(&base_urls, config.allow_plain_http)?;
        credentials.require(required_credentials(&provider))?;
        if let Some(o) = &provider.auth.oauth2 {
            if !base_urls.iter().any(|(h, _)| h == o.host) {
                return Err(config_err(format!(
                    "no base URL for the token endpoint's host `{}`",
                    o.host
                )));
            }
        }
        let client = match &config.http_client {
            Some(client) => client.clone(),
            // the total deadline of each attempt is the engine's own (`send_once`)
            None => proxy_env::proxies_from_environment(Engine::http_client_builder())
                .connect_timeout(config.connect_timeout)
                .build()
                .map_err(|e| config_err(format!("cannot build the HTTP client: {e}")))?,
        };
        let tokens = provider.auth.oauth2.map(TokenCache::new);
        let preparer = Preparer::new(
            AuthPlan::from(&provider.auth),
            provider.request_recipe.as_ref(),
            &credentials,
        )?;
        let response_signer = provider
            .response_recipe
            .as_ref()
            .map(|r| crate::signing::Signer::from_recipe(r, &credentials))
            .transpose()
            .map_err(|e| config_err(format!("response recipe: {e}")))?;
        let parsed_bases = base_urls
            .iter()
            .filter_map(|(_, u)| Some((u.clone(), reqwest::Url::parse(u).ok()?)))
            .collect();
        let headers = header_table::HeaderTable::new(
            preparer.auth_headers().chain(
                config
                    .extra_headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            ),
        );
        let inner = Inner {
            provider,
            preparer,
            response_signer,
            base_urls,
            parsed_bases,
            credentials,
            config,
            clock,
            client,
            tokens,
            webhook: std::sync::OnceLock::new(),
            deadlines: deadline::DeadlineTimers::default(),
            urls: url_cache::UrlCache::default(),
            headers,
        };
        Ok(Engine {
            inner: Arc::new(inner),
        })
    }

    /// The settings an HTTP client of yours must keep (no redirects followed: a redirect is
    /// an answer the engine types; the paygen user agent). Add proxies, TLS roots, pools, then
    /// `build()` and pass it as `EngineConfig::http_client`.
    pub fn http_client_builder() -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("paygen-runtime/", env!("CARGO_PKG_VERSION")))
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// The clock.
    pub fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }

    /// The provider description.
    pub fn provider(&self) -> &ProviderMeta {
        &self.inner.provider
    }

    /// The transport settings.
    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// One credential's value; [`Error::Config`] if it is missing.
    pub fn credential(&self, name: &str) -> Result<String, Error> {
        self.inner
            .credentials
            .get(name)
            .map(|s| s.expose().to_string())
            .ok_or_else(|| config_err(format!("missing credential `{name}`")))
    }

    /// The base URL of a host name; [`Error::Config`] when the client has none.
    pub fn base_url(&self, host: &str) -> Result<&str, Error> {
        self.inner
            .base_urls
            .iter()
            .find(|(h, _)| h == host)
            .map(|(_, u)| u.as_str())
            .ok_or_else(|| config_err(format!("no base URL for host `{host}`")))
    }

    /// This client's webhook verifier: built from `recipe`, the engine's credentials and clock
    /// on the first call, then kept (one provider has one webhook recipe). A missing or blank
    /// webhook credential is [`Error::Config`] on every call until the client is rebuilt.
    pub fn webhook_verifier(
        &self,
        recipe: fn() -> crate::signing::Recipe,
        encoding: crate::webhook::WebhookEncoding,
    ) -> Result<&crate::webhook::WebhookVerifier, Error> {
        if let Some(verifier) = self.inner.webhook.get() {
            return Ok(verifier);
        }
        let built =
            crate::webhook::WebhookVerifier::new(&recipe(), &self.inner.credentials, encoding)?
                .with_clock(self.inner.clock.clone());
        // a concurrent first call may have stored its own: either is the same verifier
        Ok(self.inner.webhook.get_or_init(|| built))
    }

    /// Prepares, signs and sends one operation, and interprets the answer's status, envelope
    /// and signature; see the module docs for the error phases.
    pub async fn execute(
        &self,
        op: &OperationMeta,
        body: Option<Map<String, Value>>,
    ) -> Result<RawResponse, Error> {
        self.execute_with(op, body, &CallOptions::default()).await
    }

    /// [`Engine::execute`] with per-call options.
    pub async fn execute_with(
        &self,
        op: &OperationMeta,
        body: Option<Map<String, Value>>,
        call: &CallOptions,
    ) -> Result<RawResponse, Error> {
        self.call(op, body, call, |raw| Ok(raw.clone())).await
    }

    /// One whole call, in one `paygen.call` span: prepare, send (with retries for safe
    /// operations), interpret, then `decode` the answer. Any error of a money-moving operation
    /// that leaves its outcome open, decoding included, comes back as
    /// [`Error::OutcomeUnknown`].
    pub async fn call<T>(
        &self,
        op: &OperationMeta,
        body: Option<Map<String, Value>>,
        call: &CallOptions,
        decode: impl FnOnce(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.call_with(op, || self.prepare(op, body), call, decode)
            .await
    }

    /// [`Engine::call`] with the body as the request tree generated encoding builds (borrowing
    /// from the request: nothing is copied before signing and writing).
    pub async fn call_tree<T>(
        &self,
        op: &OperationMeta,
        body: Option<crate::wire_tree::WireObject<'_>>,
        call: &CallOptions,
        decode: impl FnOnce(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.call_with(op, || self.prepare_tree(op, body), call, decode)
            .await
    }

    /// One whole call with the request prepared by `prepare`, in the call's span.
    async fn call_with<T>(
        &self,
        op: &OperationMeta,
        prepare: impl FnOnce() -> Result<PreparedRequest, Error>,
        call: &CallOptions,
        decode: impl FnOnce(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let span = trace::call_span(self.inner.provider.name, op);
        let started = trace::started(&span);
        async move {
            let result = self
                .run(op, prepare, call)
                .await
                .and_then(|raw| decode(&raw))
                .map_err(|e| settle(op, e));
            trace::finish(&result, started);
            result
        }
        .instrument(span)
        .await
    }

    async fn run(
        &self,
        op: &OperationMeta,
        prepare: impl FnOnce() -> Result<PreparedRequest, Error>,
        call: &CallOptions,
    ) -> Result<RawResponse, Error> {
        let mut prepared = prepare()?;
        // the body's bytes, shared by every attempt without a copy
        let bytes = bytes::Bytes::from(std::mem::take(&mut prepared.body));
        let raw = self.send_with_retries(op, &prepared, &bytes, call).await?;
        self.interpret(op, raw)
    }
}

#[cfg(feature = "transport")]
impl crate::towire::WireSource for Engine {
    fn credentials(&self) -> &Credentials {
        Engine::credentials(self)
    }

    fn clock(&self) -> &dyn Clock {
        Engine::clock(self)
    }
}
