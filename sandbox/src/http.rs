//! The sandbox's HTTP: requests and answers of the shared server ([`paygen_http_server`]) and the
//! callback client (reqwest, loopback only).

use std::sync::OnceLock;
use std::time::Duration;

pub use paygen_http_server::{Handler, Limits, Reply, Request, Response, Server, StatsSnapshot};

/// The answer to a callback: status and body.
#[derive(Debug, Clone)]
pub struct ClientAnswer {
    /// HTTP status.
    pub status: u16,
    /// Body text.
    pub body: String,
}

/// A client for loopback callbacks (no proxies, kept connections reused).
pub fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .no_proxy()
        .pool_idle_timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| format!("cannot build the callback client: {e}"))
}

/// POSTs to a loopback URL with a shared client that keeps no connections (so it serves any
/// async runtime); refuses anything else.
pub async fn post(
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    limit: Duration,
) -> Result<ClientAnswer, String> {
    static ONE_SHOT: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    let client = ONE_SHOT.get_or_init(|| {
        reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))
    });
    post_with(client.as_ref()?, url, headers, body, limit).await
}

/// POSTs to a loopback URL with `client`; refuses anything else. The sandbox has no TLS: an
/// `https://` loopback URL (providers that insist on https callback URLs) is called over plain
/// HTTP.
pub async fn post_with(
    client: &reqwest::Client,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    limit: Duration,
) -> Result<ClientAnswer, String> {
    let url = loopback_url(url)?;
    let mut request = client.post(url).timeout(limit).body(body.to_vec());
    for (k, v) in headers {
        if k.eq_ignore_ascii_case("content-length") || k.eq_ignore_ascii_case("host") {
            continue;
        }
        request = request.header(k.as_str(), v.as_str());
    }
    let answer = request.send().await.map_err(describe)?;
    let status = answer.status().as_u16();
    let body = answer.text().await.map_err(describe)?;
    Ok(ClientAnswer { status, body })
}

fn describe(e: reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".to_string()
    } else {
        e.to_string()
    }
}

/// `http://127.0.0.1...` for a loopback `http(s)://` URL; an error for any other host.
fn loopback_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| "callback URLs must be http(s)://127.0.0.1:PORT/...".to_string())?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if host != "127.0.0.1" && host != "localhost" {
        return Err(format!("callbacks go to loopback only, not `{host}`"));
    }
    let authority = authority.replacen("localhost", "127.0.0.1", 1);
    Ok(format!("http://{authority}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_plain_http_on_loopback() {
        assert_eq!(
            loopback_url("http://127.0.0.1:80/cb?x=1"),
            Ok("http://127.0.0.1:80/cb?x=1".into())
        );
        assert_eq!(
            loopback_url("https://localhost:9"),
            Ok("http://127.0.0.1:9/".into())
        );
        assert!(loopback_url("ftp://127.0.0.1/").is_err());
    }

    #[tokio::test]
    async fn refuses_non_loopback_hosts() {
        let err = post(
            "https://example.com/ipn",
            &[],
            b"",
            Duration::from_millis(50),
        )
        .await;
        assert!(err.is_err_and(|e| e.contains("loopback")));
    }
}
