//! Sending: one attempt on the wire (bearer token, the user's hook, a body a money-moving
//! request cannot be replayed with), retries of safe operations with jittered, capped backoff,
//! one resend after a refused bearer token, and the sorting of transport errors into phases.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION};

use super::hook::{Exchanged, IncomingResponse, OutgoingRequest};
use super::{
    config_err, trace, CallOptions, Engine, OperationMeta, PreparedRequest, RawResponse, Repeat,
};
use crate::auth::token::TokenContext;
use crate::error::{Error, UnknownCause};
use crate::redact::redact_text;
use crate::secret::Secret;
use crate::wire_parse::AnswerJson;

/// One attempt: the operation, the prepared request with its body bytes, the call's
/// options, the attempt's number (1-based) and the bearer token, if any.
#[derive(Clone, Copy)]
struct Attempt<'a> {
    op: &'a OperationMeta,
    p: &'a PreparedRequest,
    body: &'a Bytes,
    call: &'a CallOptions,
    attempt: u32,
    token: Option<&'a Secret>,
}

/// Where a transport error struck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Before an answer's head arrived (connecting, writing, waiting).
    AwaitingAnswer,
    /// While the answer's body was read.
    ReadingBody,
}

impl Engine {
    fn token_context(&self, op: &OperationMeta, host: &str) -> Result<TokenContext<'_>, Error> {
        Ok(TokenContext {
            client: &self.inner.client,
            base_url: self.base_url(host)?,
            credentials: &self.inner.credentials,
            clock: self.inner.clock.as_ref(),
            timeout: self.inner.config.timeout,
            operation: op.name,
        })
    }

    async fn bearer(&self, op: &OperationMeta) -> Result<Option<Secret>, Error> {
        let Some(tokens) = &self.inner.tokens else {
            return Ok(None);
        };
        let ctx = self.token_context(op, tokens.spec().host)?;
        tokens.bearer(&ctx).await.map(Some)
    }

    async fn refreshed(&self, op: &OperationMeta, rejected: &Secret) -> Result<Secret, Error> {
        let Some(tokens) = &self.inner.tokens else {
            return Err(config_err("no token endpoint to refresh from"));
        };
        let ctx = self.token_context(op, tokens.spec().host)?;
        tokens.refresh(&ctx, rejected).await
    }

    /// Sends until an answer that is not retried: [`Repeat::Once`] operations exactly once
    /// (plus one resend with a fresh token after a 401 refusing the token). `body` is the
    /// prepared request's body (taken out of `p` once, shared by the attempts).
    pub(super) async fn send_with_retries(
        &self,
        op: &OperationMeta,
        p: &PreparedRequest,
        body: &Bytes,
        call: &CallOptions,
    ) -> Result<RawResponse, Error> {
        let config = &self.inner.config;
        let max = match op.repeat {
            Repeat::Safe => config.max_retries,
            Repeat::Once { .. } => 0,
        };
        let mut token = self.bearer(op).await?;
        let (mut attempt, mut retries, mut refreshed) = (1u32, 0u32, false);
        loop {
            trace::attempt(attempt);
            let sent = Attempt {
                op,
                p,
                body,
                call,
                attempt,
                token: token.as_ref(),
            };
            let result = self.send_once(&sent).await;
            if let (Ok(raw), Some(rejected)) = (&result, &token) {
                if raw.status == 401 && !refreshed {
                    trace::token_refused(op.name);
                    token = Some(self.refreshed(op, rejected).await?);
                    refreshed = true;
                    attempt += 1;
                    continue;
                }
            }
            if retries >= max {
                return result;
            }
            let (delay, reason) = match &result {
                Err(Error::NotConnected { .. }) => (self.backoff(retries), "not connected"),
                Err(Error::OutcomeUnknown { .. }) => (self.backoff(retries), "no complete answer"),
                Ok(raw) if matches!(raw.status, 429 | 502 | 503 | 504) => {
                    let delay = retry_after(&raw.headers)
                        .map_or_else(|| self.backoff(retries), |d| d.min(config.max_retry_after));
                    (delay, "busy or unavailable")
                }
                _ => return result,
            };
            let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
            trace::retry(attempt + 1, delay_ms, reason);
            tokio::time::sleep(delay).await;
            retries += 1;
            attempt += 1;
        }
    }

    /// The delay before retry number `retries + 1`: exponential from `retry_backoff`, capped
    /// at `max_retry_after`, drawn from its upper half when jitter is on.
    fn backoff(&self, retries: u32) -> Duration {
        let config = &self.inner.config;
        let full = backoff_cap(config.retry_backoff, retries, config.max_retry_after);
        if config.retry_jitter {
            jittered(full, fastrand::f64())
        } else {
            full
        }
    }

    /// The request of one attempt as the HTTP client gets it (after the hook).
    fn build_request(&self, a: &Attempt<'_>) -> Result<reqwest::Request, Error> {
        let Attempt {
            op,
            p,
            body,
            call: _,
            attempt,
            token,
        } = *a;
        let build = || {
            url_from_base(&self.inner.parsed_bases, &p.url)
                .or_else(|| reqwest::Url::parse(&p.url).ok())
        };
        // a URL with a per-call part (a path parameter, a query) is built, not kept: it would
        // only push the operations' fixed URLs out of the cache
        let fixed = !op.path.contains('{') && !p.url.contains('?');
        let url = if fixed {
            self.inner.urls.url(&p.url, build)
        } else {
            build()
        };
        let Some(mut url) = url else {
            return Err(cannot_build(op, "bad URL"));
        };
        debug_assert_eq!(Some(&url), reqwest::Url::parse(&p.url).ok().as_ref());
        // room for the prepared headers and a bearer token (capped: `with_capacity` panics past
        // the map's limit; more headers grow it)
        let mut headers = http::HeaderMap::with_capacity((p.headers.len() + 1).min(64));
        for (k, v) in &p.headers {
            let (name, value) = match self.inner.headers.get(k, v) {
                Some(kept) => kept,
                None => header_of(op, k, v)?,
            };
            headers.append(name, value);
        }
        if let Some(token) = token {
            headers.insert(AUTHORIZATION, bearer_value(op, token)?);
        }
        if let Some(hook) = &self.inner.config.hook {
            hook.on_request(&mut OutgoingRequest {
                provider: self.inner.provider.name,
                operation: op.name,
                attempt,
                method: p.method,
                url: &mut url,
                headers: &mut headers,
                body: &body[..],
            });
        }
        let mut request = reqwest::Request::new(p.method.to_reqwest(), url);
        *request.headers_mut() = headers;
        // no per-request reqwest timeout: `send_once` enforces the attempt's deadline itself
        // (one timer on the stack instead of a boxed one and a wrapped body per request)
        // a reference count, not a copy of the bytes
        let bytes = body.clone();
        *request.body_mut() = match op.repeat {
            // A streaming body cannot be cloned, so neither the client's retry layer nor a
            // 307/308 redirect can send a money-moving request a second time.
            Repeat::Once { .. } => Some(reqwest::Body::wrap(http_body_util::Full::new(bytes))),
            Repeat::Safe if body.is_empty() => None,
            Repeat::Safe => Some(reqwest::Body::from(bytes)),
        };
        Ok(request)
    }

    /// The per-attempt timeout: the call's, else the operation's, else the engine's.
    pub(crate) fn timeout_of(&self, op: &OperationMeta, call: &CallOptions) -> Duration {
        call.timeout
            .or(op.timeout)
            .unwrap_or(self.inner.config.timeout)
    }

    async fn send_once(&self, a: &Attempt<'_>) -> Result<RawResponse, Error> {
        let (op, p, call, attempt) = (a.op, a.p, a.call, a.attempt);
        let request = self.build_request(a)?;
        let config = &self.inner.config;
        // kept to see a followed redirect only when the client may follow one (the user's:
        // the engine's own follows none, see `Engine::http_client_builder`), and for the
        // hook's `on_answer`; the same in debug and release builds
        let sent_url =
            (config.http_client.is_some() || config.hook.is_some()).then(|| request.url().clone());
        // kept for the hook's `on_answer` only when there is a hook
        let sent_headers = config.hook.as_ref().map(|_| request.headers().clone());
        let timeout = self.timeout_of(op, call);
        let started = Instant::now();
        // the whole exchange (head and body) within `timeout` of the send, on a reused timer
        let mut deadline = self.inner.deadlines.arm(deadline_after(started, timeout));
        let execute = self.inner.client.execute(request);
        let mut response = match deadline.within(execute).await {
            Some(sent) => sent.map_err(|e| classify(op, &e, Phase::AwaitingAnswer, timeout))?,
            None => return Err(timed_out(op, Phase::AwaitingAnswer, timeout)),
        };
        if sent_url.as_ref().is_some_and(|sent| response.url() != sent) {
            return Err(redirect_followed(op));
        }
        let status = response.status().as_u16();
        // taken, not copied: reading the body needs only the response's stream
        let headers = std::mem::take(response.headers_mut());
        trace::answer(status, &headers, self.inner.provider.request_id_header);
        if let Some(hook) = &self.inner.config.hook {
            hook.on_response(&IncomingResponse {
                provider: self.inner.provider.name,
                operation: op.name,
                attempt,
                status,
                headers: &headers,
                elapsed: started.elapsed(),
            });
        }
        let body = match deadline.within(response.bytes()).await {
            Some(read) => read.map_err(|e| classify(op, &e, Phase::ReadingBody, timeout))?,
            None => return Err(timed_out(op, Phase::ReadingBody, timeout)),
        };
        deadline.finish();
        if let (Some(hook), Some(sent_headers), Some(sent_url)) =
            (&self.inner.config.hook, &sent_headers, &sent_url)
        {
            hook.on_answer(&Exchanged {
                provider: self.inner.provider.name,
                operation: op.name,
                attempt,
                verify_response: op.verify_response,
                method: p.method,
                url: sent_url,
                request_headers: sent_headers,
                request_body: &a.body[..],
                status,
                headers: &headers,
                body: &body,
                elapsed: started.elapsed(),
            });
        }
        let json = AnswerJson::parse(&body);
        Ok(RawResponse {
            status,
            headers,
            body,
            json,
        })
    }
}

/// The header `name: value` built from its text; an error naming the operation and the
/// header when it is not a valid one.
fn header_of(
    op: &OperationMeta,
    name: &str,
    value: &str,
) -> Result<(HeaderName, HeaderValue), Error> {
    let Ok(name_ok) = HeaderName::from_bytes(name.as_bytes()) else {
        return Err(cannot_build(op, "bad header name"));
    };
    let Ok(value_ok) = HeaderValue::from_str(value) else {
        return Err(cannot_build(op, &format!("bad value of header `{name}`")));
    };
    Ok((name_ok, value_ok))
}

/// `Authorization: Bearer <token>`, marked sensitive.
fn bearer_value(op: &OperationMeta, token: &Secret) -> Result<HeaderValue, Error> {
    let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {}", token.expose())) else {
        return Err(cannot_build(
            op,
            "the access token is not a valid header value",
        ));
    };
    value.set_sensitive(true);
    Ok(value)
}

/// The request of `op` could not be built: `what` was wrong (the cold path of building one).
#[cold]
#[inline(never)]
fn cannot_build(op: &OperationMeta, what: &str) -> Error {
    config_err(format!("{}: cannot build the request: {what}", op.name))
}

/// `started + timeout`, or about thirty years on when that overflows (a timeout meant as no
/// limit, such as `Duration::MAX`, must not panic).
fn deadline_after(started: Instant, timeout: Duration) -> tokio::time::Instant {
    const FAR: Duration = Duration::from_secs(86_400 * 365 * 30);
    let at = started
        .checked_add(timeout)
        .or_else(|| started.checked_add(FAR))
        .unwrap_or(started);
    tokio::time::Instant::from_std(at)
}

/// The request URL `full` built from the client's parsed base URL it starts with, by setting
/// the path and query, when the rest is a plain path and query (no dot segments, escapes,
/// fragment or characters a parser would encode); `None` otherwise (then the whole URL is
/// parsed). The same URL as `Url::parse(full)`, without parsing the scheme and host again on
/// every attempt.
fn url_from_base(bases: &[(String, reqwest::Url)], full: &str) -> Option<reqwest::Url> {
    for (text, base) in bases {
        let Some(rest) = full.strip_prefix(text.trim_end_matches('/')) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')) {
            continue;
        }
        let plain_base = base.query().is_none() && base.fragment().is_none();
        if !plain_base || !is_plain_path_and_query(rest) {
            return None;
        }
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        };
        let mut url = base.clone();
        if !path.is_empty() {
            let joined = format!("{}{}", base.path().trim_end_matches('/'), path);
            url.set_path(&joined);
        }
        url.set_query(query);
        return Some(url);
    }
    None
}

/// ASCII letters, digits and the delimiters a URL parser keeps as they are, with no dot
/// segment or empty segment to normalise.
fn is_plain_path_and_query(rest: &str) -> bool {
    let plain = rest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/?=&+,:@!$*;".contains(&b));
    plain && !rest.contains("/.") && !rest.contains("//")
}

/// The HTTP client followed a redirect: the provider's own answer to the request was not seen.
fn redirect_followed(op: &OperationMeta) -> Error {
    let reason = "the HTTP client followed a redirect, so the provider's answer was not seen \
                  (build the client from Engine::http_client_builder)";
    match op.repeat {
        Repeat::Once { .. } => unknown(op, UnknownCause::RedirectFollowed, reason.into()),
        Repeat::Safe => config_err(format!("{}: {reason}", op.name)),
    }
}

/// An [`Error::OutcomeUnknown`] for `op`.
pub(crate) fn unknown(op: &OperationMeta, cause: UnknownCause, reason: String) -> Error {
    let reconcile = match &op.repeat {
        Repeat::Once { resolve } => crate::reconcile::Reconcile::advice(resolve),
        Repeat::Safe => crate::reconcile::Reconcile::Unspecified,
    };
    Error::OutcomeUnknown {
        operation: op.name,
        money_moving: op.money_moving,
        reconcile,
        reason,
        cause,
    }
}

/// Sorts a transport error into its phase.
pub(crate) fn classify(
    op: &OperationMeta,
    e: &reqwest::Error,
    phase: Phase,
    timeout: Duration,
) -> Error {
    if e.is_builder() {
        return config_err(format!("{}: cannot build the request", op.name));
    }
    if e.is_connect() && phase == Phase::AwaitingAnswer {
        return Error::NotConnected {
            operation: op.name,
            reason: error_chain(e),
        };
    }
    if e.is_timeout() {
        return timed_out(op, phase, timeout);
    }
    let (cause, reason) = match phase {
        Phase::AwaitingAnswer => (
            UnknownCause::Reset,
            "the connection was closed or reset before an answer arrived".to_string(),
        ),
        Phase::ReadingBody => (
            UnknownCause::TruncatedBody,
            "the connection was closed or reset while the answer's body was read".to_string(),
        ),
    };
    unknown(op, cause, reason)
}

/// The attempt's deadline passed in `phase` (the engine's own deadline, or a timeout of a
/// caller's HTTP client): an unknown outcome.
fn timed_out(op: &OperationMeta, phase: Phase, timeout: Duration) -> Error {
    let reason = match phase {
        Phase::AwaitingAnswer => format!("no answer within {timeout:?}"),
        Phase::ReadingBody => format!("the answer's body did not arrive within {timeout:?}"),
    };
    unknown(op, UnknownCause::Timeout, reason)
}

/// `Retry-After` in seconds (HTTP dates are ignored: the backoff applies).
fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let v = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// `base * 2^retries`, capped at `cap`.
fn backoff_cap(base: Duration, retries: u32, cap: Duration) -> Duration {
    let factor = 2u32.checked_pow(retries).unwrap_or(u32::MAX);
    base.checked_mul(factor).unwrap_or(cap).min(cap)
}

/// "Equal jitter": half the delay fixed, the other half scaled by `random` in `[0, 1)`.
fn jittered(full: Duration, random: f64) -> Duration {
    let half = full / 2;
    half + half.mul_f64(random.clamp(0.0, 1.0))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passed_deadline_is_an_unknown_outcome_naming_the_phase_and_the_time() {
        let op = OperationMeta {
            name: "payout",
            method: crate::exchange::Method::Post,
            host: "default",
            path: "/payout",
            encoding: crate::exchange::BodyEncoding::Json,
            repeat: Repeat::Once {
                resolve: crate::exchange::Resolve::Unspecified,
            },
            money_moving: true,
            sign_request: false,
            verify_response: false,
            provider_error: None,
            typed_error_statuses: false,
            accept: "application/json",
            answers: crate::exchange::Answers::JSON,
            timeout: None,
        };
        let limit = Duration::from_millis(300);
        for (phase, expected) in [
            (Phase::AwaitingAnswer, "no answer within 300ms"),
            (
                Phase::ReadingBody,
                "the answer's body did not arrive within 300ms",
            ),
        ] {
            match timed_out(&op, phase, limit) {
                Error::OutcomeUnknown {
                    operation,
                    money_moving,
                    reason,
                    cause,
                    ..
                } => {
                    assert_eq!(operation, "payout");
                    assert!(money_moving);
                    assert_eq!(reason, expected);
                    assert_eq!(cause, UnknownCause::Timeout);
                }
                other => panic!("not an unknown outcome: {other:?}"),
            }
        }
    }

    #[test]
    fn a_deadline_is_the_send_plus_the_timeout_and_an_endless_timeout_does_not_overflow() {
        let now = Instant::now();
        let second = Duration::from_secs(1);
        assert_eq!(deadline_after(now, second).into_std(), now + second);
        let endless = deadline_after(now, Duration::MAX).into_std();
        assert!(endless > now + Duration::from_secs(86_400 * 365));
    }

    #[test]
    fn urls_from_a_parsed_base_equal_parsed_urls() {
        let bases: Vec<(String, reqwest::Url)> = [
            "http://127.0.0.1:8080",
            "https://api.example.com/v2/",
            "https://pay.example.com/gateway",
        ]
        .iter()
        .map(|b| (b.to_string(), reqwest::Url::parse(b).expect("base")))
        .collect();
        let cases = [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "http://127.0.0.1:8080/api/payout/",
            "http://127.0.0.1:8080/api/status?id=42&x=a+b",
            "http://127.0.0.1:8080?only=query",
            "https://api.example.com/v2/",
            "https://api.example.com/v2/payments/p_1/capture",
            "https://api.example.com/v2/?a=1",
            "https://pay.example.com/gateway",
            "https://pay.example.com/gateway/charge?x=1:2@3;4",
        ];
        for full in cases {
            let fast = url_from_base(&bases, full).expect(full);
            assert_eq!(fast, reqwest::Url::parse(full).expect(full), "{full}");
        }
        // anything a parser would normalise or encode is parsed whole
        let whole = [
            "http://127.0.0.1:8080/a/../b",
            "http://127.0.0.1:8080/a//b",
            "http://127.0.0.1:8080/caf%C3%A9",
            "http://127.0.0.1:8080/a b",
            "http://127.0.0.1:8080/a#frag",
            "http://127.0.0.1:8080/é",
        ];
        for full in whole {
            assert_eq!(url_from_base(&bases, full), None, "{full}");
        }
        // another port or host is not this base
        assert_eq!(url_from_base(&bases, "http://127.0.0.1:80801/x"), None);
        assert_eq!(
            url_from_base(&bases, "https://pay.example.com/gatewayx"),
            None
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_millis(200);
        let cap = Duration::from_secs(1);
        let delays: Vec<u128> = (0..5)
            .map(|r| backoff_cap(base, r, cap).as_millis())
            .collect();
        assert_eq!(delays, vec![200, 400, 800, 1000, 1000]);
        assert_eq!(backoff_cap(base, 40, cap), cap);
    }

    #[test]
    fn jitter_stays_within_the_upper_half_and_under_the_cap() {
        let full = Duration::from_millis(800);
        assert_eq!(jittered(full, 0.0), Duration::from_millis(400));
        assert!(jittered(full, 0.999_999) <= full);
        for _ in 0..1000 {
            let d = jittered(full, fastrand::f64());
            assert!(d >= full / 2 && d <= full, "{d:?}");
        }
    }
}
