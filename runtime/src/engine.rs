//! The transport: builds, signs and sends one operation's request, then sorts the answer into
//! success or an [`Error`] of the right phase. Retries only operations marked [`Repeat::Safe`].
//!
//! Phases: a connect error is [`Error::NotConnected`] (nothing sent); a timeout or reset after
//! the request may have been written, or a body that could not be read completely, is
//! [`Error::OutcomeUnknown`]. A [`Repeat::Once`] operation is sent exactly once, whatever happens.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::clock::Clock;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::redact::{excerpt, excerpt_text, redact_text};
use crate::signing::{Signer, SigningError};

mod prepare;
mod types;

pub use prepare::{prepare_request, AuthPlan, Operation, Preparer};
pub use types::{
    AuthSpec, BodyEncoding, EngineConfig, Method, OperationMeta, PreparedRequest, ProviderError,
    ProviderMeta, RawResponse, Repeat,
};

struct Inner {
    provider: ProviderMeta,
    /// Auth and the compiled request recipe, built once.
    preparer: Preparer,
    /// The compiled response recipe with its keys, built once.
    response_signer: Option<Signer>,
    base_urls: Vec<(String, String)>,
    credentials: Credentials,
    config: EngineConfig,
    clock: Arc<dyn Clock>,
    client: reqwest::Client,
}

/// One client's transport. Cheap to clone (shared inside).
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

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

fn check_base_urls(base_urls: &[(String, String)]) -> Result<(), Error> {
    for (host, url) in base_urls {
        let ok = reqwest::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !ok {
            return Err(config_err(format!(
                "base URL of host `{host}` is not an http(s) URL"
            )));
        }
    }
    Ok(())
}

/// Every credential the auth and the recipes name.
fn required_credentials(provider: &ProviderMeta) -> Vec<&str> {
    let mut needed: Vec<&str> = Vec::new();
    for (_, spec) in provider.auth.headers {
        needed.extend(credential_names(spec));
    }
    if let Some((user, password)) = provider.auth.basic {
        needed.extend([user, password]);
    }
    let recipes = provider
        .request_recipe
        .iter()
        .chain(provider.response_recipe.iter());
    needed.extend(recipes.map(|r| r.secret.credential.as_str()));
    needed
}

impl Engine {
    /// An engine for one provider account. Checks the base URLs and that every credential the
    /// auth and the recipes name is present; builds the HTTP client with explicit timeouts.
    pub fn new(
        provider: ProviderMeta,
        base_urls: Vec<(String, String)>,
        credentials: Credentials,
        config: EngineConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Engine, Error> {
        check_base_urls(&base_urls)?;
        if let Some(missing) = required_credentials(&provider)
            .into_iter()
            .find(|n| credentials.get(n).is_none())
        {
            return Err(config_err(format!("missing credential `{missing}`")));
        }
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("paygen-runtime/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| config_err(format!("cannot build the HTTP client: {e}")))?;
        let preparer = Preparer::new(
            AuthPlan::from(&provider.auth),
            provider.request_recipe.as_ref(),
            &credentials,
        )?;
        let response_signer = provider
            .response_recipe
            .as_ref()
            .map(|r| Signer::from_recipe(r, &credentials))
            .transpose()
            .map_err(|e| config_err(format!("response recipe: {e}")))?;
        let inner = Inner {
            provider,
            preparer,
            response_signer,
            base_urls,
            credentials,
            config,
            clock,
            client,
        };
        Ok(Engine {
            inner: Arc::new(inner),
        })
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

    fn base_url(&self, host: &str) -> Result<&str, Error> {
        self.inner
            .base_urls
            .iter()
            .find(|(h, _)| h == host)
            .map(|(_, u)| u.as_str())
            .ok_or_else(|| config_err(format!("no base URL for host `{host}`")))
    }

    /// Prepares, signs and sends one operation; see the module docs for the error phases.
    pub async fn execute(
        &self,
        op: &OperationMeta,
        body: Option<Map<String, Value>>,
    ) -> Result<RawResponse, Error> {
        let prepared = self.prepare(op, body)?;
        let raw = self.send_with_retries(op, &prepared).await?;
        self.interpret(op, raw)
    }

    async fn send_with_retries(
        &self,
        op: &OperationMeta,
        p: &PreparedRequest,
    ) -> Result<RawResponse, Error> {
        let config = &self.inner.config;
        let max = match op.repeat {
            Repeat::Safe => config.max_retries,
            Repeat::Once { .. } => 0,
        };
        let mut attempt = 0u32;
        loop {
            let result = self.send_once(op, p).await;
            if attempt >= max {
                return result;
            }
            let delay = match &result {
                Err(Error::NotConnected { .. } | Error::OutcomeUnknown { .. }) => {
                    backoff(config, attempt)
                }
                Ok(raw) if matches!(raw.status, 429 | 502 | 503 | 504) => retry_after(&raw.headers)
                    .map_or_else(
                        || backoff(config, attempt),
                        |d| d.min(config.max_retry_after),
                    ),
                _ => return result,
            };
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn send_once(
        &self,
        op: &OperationMeta,
        p: &PreparedRequest,
    ) -> Result<RawResponse, Error> {
        let mut builder = self.inner.client.request(p.method.to_reqwest(), &p.url);
        for (k, v) in &p.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        if !p.body.is_empty() {
            builder = builder.body(p.body.clone());
        }
        let request = builder.build().map_err(|e| {
            config_err(format!(
                "{}: cannot build the request: {}",
                op.name,
                e.without_url()
            ))
        })?;
        let response = self
            .inner
            .client
            .execute(request)
            .await
            .map_err(|e| self.classify(op, &e, false))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.classify(op, &e, true))?;
        let json = parse_json(&body);
        Ok(RawResponse {
            status,
            headers,
            body,
            json,
        })
    }

    /// Sorts a transport error into its phase.
    fn classify(&self, op: &OperationMeta, e: &reqwest::Error, reading_body: bool) -> Error {
        if e.is_builder() {
            return config_err(format!("{}: cannot build the request", op.name));
        }
        if e.is_connect() && !reading_body {
            return Error::NotConnected {
                operation: op.name,
                reason: error_chain(e),
            };
        }
        let reason = match (e.is_timeout(), reading_body) {
            (true, false) => format!("no answer within {:?}", self.inner.config.timeout),
            (true, true) => format!(
                "the answer's body did not arrive within {:?}",
                self.inner.config.timeout
            ),
            (false, false) => {
                "the connection was closed or reset before an answer arrived".to_string()
            }
            (false, true) => {
                "the connection was closed or reset while the answer's body was read".to_string()
            }
        };
        let reconcile_with = match op.repeat {
            Repeat::Once { reconcile_with } => reconcile_with,
            Repeat::Safe => None,
        };
        Error::OutcomeUnknown {
            operation: op.name,
            money_moving: op.money_moving,
            reconcile_with,
            reason,
        }
    }

    /// Verification, provider error envelope, HTTP status, in that order.
    fn interpret(&self, op: &OperationMeta, raw: RawResponse) -> Result<RawResponse, Error> {
        let success = (200..300).contains(&raw.status);
        if success && op.verify_response {
            self.verify_response(op, &raw)?;
        }
        if let Some(recognise) = op.provider_error {
            if let Some(pe) = recognise(&raw) {
                return Err(Error::Declined {
                    operation: op.name,
                    http_status: raw.status,
                    code: excerpt_text(&pe.code),
                    message: excerpt_text(&pe.message),
                });
            }
        }
        if !success && !op.typed_error_statuses {
            return Err(Error::Http {
                operation: op.name,
                status: raw.status,
                body_excerpt: excerpt(&raw.body),
            });
        }
        Ok(raw)
    }

    fn verify_response(&self, op: &OperationMeta, raw: &RawResponse) -> Result<(), Error> {
        let signer = self.inner.response_signer.as_ref().ok_or_else(|| {
            config_err(format!(
                "{}: verifies its answer but the provider has no response recipe",
                op.name
            ))
        })?;
        crate::webhook::verify_answer(signer, raw, self.inner.clock.as_ref()).map_err(|e| match e {
            SigningError::InvalidRecipe(_)
            | SigningError::MissingCredential(_)
            | SigningError::BadKey(_) => config_err(e.to_string()),
            _ => Error::BadSignature {
                operation: op.name,
                what: "response",
            },
        })
    }
}

/// `Retry-After` in seconds (HTTP dates are ignored: the backoff applies).
fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let v = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

fn backoff(config: &EngineConfig, attempt: u32) -> Duration {
    let factor = 2u32.checked_pow(attempt).unwrap_or(u32::MAX);
    config
        .retry_backoff
        .checked_mul(factor)
        .unwrap_or(config.max_retry_after)
        .min(config.max_retry_after)
}

/// The error and its sources, joined (no URL: it may carry query parameters).
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        "connection error".to_string()
    } else {
        redact_text(&parts.join(": "))
    }
}

fn parse_json(body: &[u8]) -> Option<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    serde_json::from_slice(body).ok()
}

/// Decodes an answer's body into `T` ([`Error::Undecodable`] with a redacted excerpt). An empty
/// body decodes as JSON `null` (so `Option<T>` and `()` work).
pub fn decode<T: DeserializeOwned>(op_name: &'static str, raw: &RawResponse) -> Result<T, Error> {
    let result = if raw.body.iter().all(u8::is_ascii_whitespace) {
        T::deserialize(Value::Null)
    } else {
        serde_json::from_slice(&raw.body)
    };
    result.map_err(|e| Error::Undecodable {
        operation: op_name,
        reason: redact_text(&e.to_string()),
        body_excerpt: excerpt(&raw.body),
    })
}

/// Decodes a JSON value into `T` ([`Error::Undecodable`] with a redacted excerpt).
pub fn decode_value<T: DeserializeOwned>(op_name: &'static str, value: &Value) -> Result<T, Error> {
    T::deserialize(value).map_err(|e| Error::Undecodable {
        operation: op_name,
        reason: redact_text(&e.to_string()),
        body_excerpt: excerpt_text(&value.to_string()),
    })
}
