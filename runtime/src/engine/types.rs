//! The engine's data: provider descriptions, auth, transport settings, and the prepared
//! request, with Debug output that never shows secrets or card numbers. The operation's
//! description and the raw answer are plain data in `crate::exchange`.

use std::fmt;
#[cfg(feature = "transport")]
use std::sync::Arc;
use std::time::Duration;

#[cfg(feature = "transport")]
use super::hook::Hook;
use crate::auth::OAuth2ClientCredentials;
use crate::exchange::Method;
use crate::redact::redact_text;
use crate::secret::Secret;
use crate::signing::Recipe;

/// How requests authenticate (besides signatures).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthSpec {
    /// `(header, credential)`: the header carries the credential's value. The credential part
    /// may also be a template such as `"Bearer {api_key}"` (each `{name}` is a credential).
    pub headers: &'static [(&'static str, &'static str)],
    /// HTTP Basic: `(user credential, password credential)`.
    pub basic: Option<(&'static str, &'static str)>,
    /// Bearer tokens from the provider's token endpoint (OAuth2 client credentials).
    pub oauth2: Option<OAuth2ClientCredentials>,
}

/// Per-call settings (`Client::with_call_options`): override what the spec and the engine
/// configuration say for the calls made through that client value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Total time allowed for each attempt of the call (beats the operation's spec timeout and
    /// [`EngineConfig::timeout`]).
    pub timeout: Option<Duration>,
}

impl CallOptions {
    /// These options with a per-attempt timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// Static description of a provider.
#[derive(Debug, Clone)]
pub struct ProviderMeta {
    /// Provider name.
    pub name: &'static str,
    /// Authentication.
    pub auth: AuthSpec,
    /// Recipe signing requests (operations with `sign_request`).
    pub request_recipe: Option<Recipe>,
    /// Recipe verifying answers (operations with `verify_response`).
    pub response_recipe: Option<Recipe>,
    /// Header of the answer carrying the provider's request id (recorded in traces).
    pub request_id_header: Option<&'static str>,
}

#[cfg(feature = "transport")]
/// Transport settings.
#[derive(Clone)]
pub struct EngineConfig {
    /// Time allowed to connect (default 10 s).
    pub connect_timeout: Duration,
    /// Time allowed for the whole exchange (default 60 s).
    pub timeout: Duration,
    /// Retries of [`Repeat::Safe`](crate::engine::Repeat::Safe) operations (default 2).
    pub max_retries: u32,
    /// First retry delay, doubled each time (default 200 ms).
    pub retry_backoff: Duration,
    /// Cap on `Retry-After` and on backoff delays (default 10 s).
    pub max_retry_after: Duration,
    /// Headers added to every request (e.g. sandbox fault injection).
    pub extra_headers: Vec<(String, String)>,
    /// Randomise retry delays ("equal jitter": each delay is drawn from half to all of the
    /// exponential delay), so clients do not retry in lockstep (default true).
    pub retry_jitter: bool,
    /// Your own HTTP client (proxies, TLS roots, connection pools). Build it from
    /// [`super::Engine::http_client_builder`], or at least without following redirects; the
    /// connect timeout and user agent are then yours, the per-attempt timeout stays the
    /// engine's. `None` builds one from the settings above.
    pub http_client: Option<reqwest::Client>,
    /// Observes or adjusts each outgoing request (after signing) and each answer; see
    /// [`Hook`].
    pub hook: Option<Arc<dyn Hook>>,
    /// Allow plain `http://` base URLs to hosts other than loopback (default false: only a
    /// local simulator the spec marks `local_simulator` should need it).
    pub allow_plain_http: bool,
}

#[cfg(feature = "transport")]
impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_retries: 2,
            retry_backoff: Duration::from_millis(200),
            max_retry_after: Duration::from_secs(10),
            extra_headers: Vec::new(),
            retry_jitter: true,
            http_client: None,
            hook: None,
            allow_plain_http: false,
        }
    }
}

#[cfg(feature = "transport")]
impl fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.extra_headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("EngineConfig")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_backoff", &self.retry_backoff)
            .field("max_retry_after", &self.max_retry_after)
            .field("extra_headers", &names)
            .field("retry_jitter", &self.retry_jitter)
            .field("http_client", &self.http_client.is_some())
            .field("hook", &self.hook.is_some())
            .field("allow_plain_http", &self.allow_plain_http)
            .finish()
    }
}

/// A request exactly as it would be sent (after signing).
#[derive(Clone)]
pub struct PreparedRequest {
    /// Method.
    pub method: Method,
    /// Full URL (with query string).
    pub url: String,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// What its Debug output never shows, shared by every request of one preparer.
    pub(crate) masking: std::sync::Arc<Masking>,
}

/// What a prepared request's Debug output never shows: the values of some headers and every
/// credential's value (one shared allocation, so a request takes one reference count).
#[derive(Debug)]
pub(crate) struct Masking {
    /// Names (lower case) of headers whose values are never shown.
    pub(crate) masked_headers: Box<[String]>,
    /// Every credential value.
    pub(crate) secrets: Box<[Secret]>,
}

impl PreparedRequest {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `text` with card numbers, sensitive keys and every credential value masked.
    fn scrub(&self, text: &str) -> String {
        let mut out = redact_text(text);
        for s in self.masking.secrets.iter() {
            if s.expose().len() >= 4 {
                out = out.replace(s.expose(), "***");
            }
        }
        out
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let masked = self
                    .masking
                    .masked_headers
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(k));
                (k.clone(), if masked { "***".into() } else { self.scrub(v) })
            })
            .collect();
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.scrub(&self.url))
            .field("headers", &headers)
            .field("body", &self.scrub(&String::from_utf8_lossy(&self.body)))
            .finish()
    }
}
