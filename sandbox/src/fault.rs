//! Fault injection: the `X-Paygen-Fault` header or a configured rule says what goes wrong with
//! one request (delay, time out, reset, 5xx, malformed body, wrong signature).

use std::time::Duration;

/// The request header a client sends to ask for a fault.
pub const FAULT_HEADER: &str = "X-Paygen-Fault";

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer normally after this delay.
    Delay(Duration),
    /// Process the request, then never answer (the client times out).
    Timeout,
    /// Process the request, then reset the connection.
    Reset,
    /// Answer this status without processing (optionally with `Retry-After` seconds).
    Status {
        /// HTTP status.
        status: u16,
        /// `Retry-After` seconds.
        retry_after: Option<u64>,
    },
    /// Process the request, then answer 200 with a truncated body.
    Malformed,
    /// Process the request, then sign the answer (and the first callback) wrongly.
    BadSignature,
}

impl Fault {
    /// Parses `delay=MS | timeout | reset | status=503[;retry-after=1] | malformed | bad-signature`.
    pub fn parse(text: &str) -> Result<Fault, String> {
        let text = text.trim();
        let mut parts = text.split(';').map(str::trim);
        let head = parts.next().unwrap_or("");
        let (name, arg) = head.split_once('=').unwrap_or((head, ""));
        match name {
            "delay" => arg
                .parse::<u64>()
                .map(|ms| Fault::Delay(Duration::from_millis(ms.min(60_000))))
                .map_err(|_| format!("delay wants milliseconds, got `{arg}`")),
            "timeout" => Ok(Fault::Timeout),
            "reset" => Ok(Fault::Reset),
            "malformed" => Ok(Fault::Malformed),
            "bad-signature" => Ok(Fault::BadSignature),
            "status" => {
                let status = arg
                    .parse::<u16>()
                    .ok()
                    .filter(|s| (400..600).contains(s))
                    .ok_or_else(|| format!("status wants 400..599, got `{arg}`"))?;
                let retry_after = parts
                    .find_map(|p| p.strip_prefix("retry-after="))
                    .and_then(|v| v.parse().ok());
                Ok(Fault::Status {
                    status,
                    retry_after,
                })
            }
            _ => Err(format!(
                "unknown fault `{text}` (delay=MS, timeout, reset, status=503[;retry-after=1], malformed, bad-signature)"
            )),
        }
    }

    /// Whether the request is still processed (state changes) under this fault.
    pub fn processes(&self) -> bool {
        !matches!(self, Fault::Status { .. })
    }
}

/// A configured fault: applies to matching requests, `times` times (unbounded when absent).
#[derive(Debug, Clone)]
pub struct FaultRule {
    /// Provider (any when absent).
    pub provider: Option<String>,
    /// Operation (any when absent).
    pub operation: Option<String>,
    /// The fault.
    pub fault: Fault,
    /// How many requests it applies to.
    pub times: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind() {
        assert_eq!(Fault::parse("timeout"), Ok(Fault::Timeout));
        assert_eq!(
            Fault::parse("status=503; retry-after=1"),
            Ok(Fault::Status {
                status: 503,
                retry_after: Some(1)
            })
        );
        assert_eq!(
            Fault::parse("delay=20"),
            Ok(Fault::Delay(Duration::from_millis(20)))
        );
        assert!(Fault::parse("explode").is_err());
        assert!(Fault::parse("status=200").is_err());
    }
}
