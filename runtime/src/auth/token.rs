//! The token cache: fetches a bearer token, keeps it until shortly before it expires (by the
//! injected clock), and replaces it when the provider refuses it.

use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

use super::{ClientAuth, OAuth2ClientCredentials};
use crate::clock::Clock;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::secret::Secret;
use crate::wire::percent_encode;

/// How long before the announced expiry a token is no longer used (at most half its life).
const EXPIRY_MARGIN_SECS: i64 = 30;

#[derive(Clone)]
struct Token {
    value: Secret,
    /// Unix seconds after which the token is not used; `None` when the provider gave no
    /// lifetime (then it is used until refused).
    use_until: Option<i64>,
}

/// One engine's bearer token, fetched at most once at a time.
#[derive(Debug)]
pub(crate) struct TokenCache {
    spec: OAuth2ClientCredentials,
    state: tokio::sync::Mutex<Option<Token>>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("value", &self.value)
            .field("use_until", &self.use_until)
            .finish()
    }
}

/// What the token fetch needs from the engine.
pub(crate) struct TokenContext<'a> {
    pub client: &'a reqwest::Client,
    pub base_url: &'a str,
    pub credentials: &'a Credentials,
    pub clock: &'a dyn Clock,
    pub timeout: Duration,
    pub operation: &'static str,
}

impl TokenCache {
    pub(crate) fn new(spec: OAuth2ClientCredentials) -> TokenCache {
        TokenCache {
            spec,
            state: tokio::sync::Mutex::new(None),
        }
    }

    pub(crate) fn spec(&self) -> &OAuth2ClientCredentials {
        &self.spec
    }

    /// A token valid now: the cached one, or a fresh one.
    pub(crate) async fn bearer(&self, ctx: &TokenContext<'_>) -> Result<Secret, Error> {
        let mut state = self.state.lock().await;
        let now = ctx.clock.now_unix();
        if let Some(t) = state
            .as_ref()
            .filter(|t| t.use_until.is_none_or(|u| now < u))
        {
            return Ok(t.value.clone());
        }
        let fresh = fetch(&self.spec, ctx).await?;
        let value = fresh.value.clone();
        *state = Some(fresh);
        Ok(value)
    }

    /// After the provider refused `rejected` (401): a fresh token, unless another request
    /// already replaced it.
    pub(crate) async fn refresh(
        &self,
        ctx: &TokenContext<'_>,
        rejected: &Secret,
    ) -> Result<Secret, Error> {
        let mut state = self.state.lock().await;
        if let Some(t) = state.as_ref().filter(|t| t.value != *rejected) {
            return Ok(t.value.clone());
        }
        *state = None;
        let fresh = fetch(&self.spec, ctx).await?;
        let value = fresh.value.clone();
        *state = Some(fresh);
        Ok(value)
    }
}

fn auth_err(ctx: &TokenContext<'_>, reason: impl Into<String>) -> Error {
    Error::Auth {
        operation: ctx.operation,
        reason: reason.into(),
    }
}

fn credential<'c>(ctx: &TokenContext<'c>, name: &str) -> Result<&'c str, Error> {
    ctx.credentials
        .get(name)
        .map(Secret::expose)
        .ok_or_else(|| auth_err(ctx, format!("missing credential `{name}`")))
}

/// The form body and the Basic header (when the client authenticates with Basic).
fn token_request(
    spec: &OAuth2ClientCredentials,
    ctx: &TokenContext<'_>,
) -> Result<(String, Option<String>), Error> {
    let id = credential(ctx, spec.client_id)?;
    let secret = credential(ctx, spec.client_secret)?;
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "client_credentials");
    if let Some(scope) = spec.scope {
        form.append_pair("scope", scope);
    }
    let basic = match spec.client_auth {
        ClientAuth::Basic => {
            // RFC 6749 2.3.1: id and secret are form-encoded before joining them for Basic.
            let pair = format!(
                "{}:{}",
                percent_encode(id, true),
                percent_encode(secret, true)
            );
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            Some(format!("Basic {encoded}"))
        }
        ClientAuth::Body => {
            form.append_pair("client_id", id);
            form.append_pair("client_secret", secret);
            None
        }
    };
    let form = form.finish();
    Ok((form, basic))
}

async fn fetch(spec: &OAuth2ClientCredentials, ctx: &TokenContext<'_>) -> Result<Token, Error> {
    let (form, basic) = token_request(spec, ctx)?;
    let url = format!(
        "{}/{}",
        ctx.base_url.trim_end_matches('/'),
        spec.path.trim_start_matches('/')
    );
    let mut builder = ctx
        .client
        .post(url)
        .timeout(ctx.timeout)
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form);
    if let Some(basic) = basic {
        builder = builder.header("Authorization", basic);
    }
    let response = builder
        .send()
        .await
        .map_err(|e| auth_err(ctx, transport_reason(&e)))?;
    let status = response.status().as_u16();
    let body = response
        .bytes()
        .await
        .map_err(|e| auth_err(ctx, transport_reason(&e)))?;
    let json: Option<Value> = serde_json::from_slice(&body).ok();
    if !(200..300).contains(&status) {
        return Err(auth_err(ctx, refusal_reason(status, json.as_ref())));
    }
    let token = parse_token(json.as_ref(), ctx.clock.now_unix())
        .map_err(|why| auth_err(ctx, format!("the token endpoint's answer {why}")))?;
    tracing::debug!(
        operation = ctx.operation,
        expires_in_known = token.use_until.is_some(),
        "access token obtained"
    );
    Ok(token)
}

fn transport_reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the token endpoint did not answer in time".into()
    } else if e.is_connect() {
        "could not connect to the token endpoint".into()
    } else {
        "the token endpoint's connection failed".into()
    }
}

/// `HTTP 401 (invalid_client)`: the RFC 6749 §5.2 error code at most, never the body.
fn refusal_reason(status: u16, json: Option<&Value>) -> String {
    let code = json
        .and_then(|v| v.get("error"))
        .and_then(Value::as_str)
        .filter(|c| c.len() <= 64 && c.bytes().all(|b| b.is_ascii_graphic()));
    match code {
        Some(c) => format!("the token endpoint answered HTTP {status} ({c})"),
        None => format!("the token endpoint answered HTTP {status}"),
    }
}

fn parse_token(json: Option<&Value>, now: i64) -> Result<Token, &'static str> {
    let json = json.ok_or("is not JSON")?;
    let value = json
        .get("access_token")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .ok_or("has no access_token")?;
    if let Some(kind) = json.get("token_type").and_then(Value::as_str) {
        if !kind.eq_ignore_ascii_case("bearer") {
            return Err("names a token type other than bearer");
        }
    }
    let lifetime = match json.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    let use_until = lifetime
        .filter(|l| *l > 0)
        .map(|l| now.saturating_add(l - EXPIRY_MARGIN_SECS.min(l / 2)));
    Ok(Token {
        value: Secret::new(value),
        use_until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lifetime_keeps_a_margin_and_tolerates_strings_and_absence() {
        let t = parse_token(
            Some(&json!({"access_token": "t", "expires_in": 3600})),
            1000,
        );
        assert_eq!(t.map(|t| t.use_until), Ok(Some(1000 + 3600 - 30)));
        let t = parse_token(Some(&json!({"access_token": "t", "expires_in": "40"})), 0);
        assert_eq!(t.map(|t| t.use_until), Ok(Some(20)));
        let t = parse_token(
            Some(&json!({"access_token": "t", "token_type": "Bearer"})),
            0,
        );
        assert_eq!(t.map(|t| t.use_until), Ok(None));
    }

    #[test]
    fn bad_token_answers_are_refused_without_echoing_them() {
        assert!(parse_token(None, 0).is_err());
        assert!(parse_token(Some(&json!({"token_type": "bearer"})), 0).is_err());
        assert!(parse_token(Some(&json!({"access_token": " "})), 0).is_err());
        let mac = json!({"access_token": "t", "token_type": "mac"});
        assert!(parse_token(Some(&mac), 0).is_err());
        let body = json!({"error": "invalid_client", "error_description": "secret sk_1 wrong"});
        let reason = refusal_reason(401, Some(&body));
        assert_eq!(
            reason,
            "the token endpoint answered HTTP 401 (invalid_client)"
        );
    }

    #[test]
    fn token_debug_hides_the_value() {
        let t = Token {
            value: Secret::new("tok_SECRET_1"),
            use_until: Some(5),
        };
        assert!(!format!("{t:?}").contains("tok_SECRET_1"));
    }
}
