//! Fault injection: the `X-Paygen-Fault` header or a configured rule says what goes wrong with
//! one request, and where: before the provider logic (the request never arrives), after the
//! provider committed (the answer is lost or spoiled), or after answering (the callback is lost,
//! sent twice, or held back so later callbacks overtake it).

use std::time::Duration;

/// Every fault the header understands, as its text.
pub const KINDS: &str = "delay=MS, timeout-before, reset-before, timeout, reset, status=503[;retry-after=1], malformed, bad-signature, callback-lost, callback-duplicate, callback-delay=MS";

/// The request header a client sends to ask for a fault.
pub const FAULT_HEADER: &str = "X-Paygen-Fault";

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer normally after this delay.
    Delay(Duration),
    /// Before the provider logic: never answer and process nothing (the client times out).
    TimeoutBefore,
    /// Before the provider logic: reset the connection, nothing processed.
    ResetBefore,
    /// After the provider committed: never answer (the client times out; the answer is lost).
    Timeout,
    /// After the provider committed: reset the connection (the answer is lost).
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
    /// After answering: the transaction's callback goes wrong.
    Callback(CallbackFault),
}

/// What goes wrong with a transaction's callback (the answer was fine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackFault {
    /// Never sent: the client learns the outcome only by asking.
    Lost,
    /// Sent twice (each acknowledged delivery is repeated once).
    Duplicate,
    /// Held back this long, so callbacks of later transactions arrive first.
    Delay(Duration),
}

impl Fault {
    /// Parses `delay=MS | timeout-before | reset-before | timeout | reset |
    /// status=503[;retry-after=1] | malformed | bad-signature | callback-lost |
    /// callback-duplicate | callback-delay=MS`.
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
            "timeout-before" => Ok(Fault::TimeoutBefore),
            "reset-before" => Ok(Fault::ResetBefore),
            "timeout" => Ok(Fault::Timeout),
            "reset" => Ok(Fault::Reset),
            "malformed" => Ok(Fault::Malformed),
            "bad-signature" => Ok(Fault::BadSignature),
            "callback-lost" => Ok(Fault::Callback(CallbackFault::Lost)),
            "callback-duplicate" => Ok(Fault::Callback(CallbackFault::Duplicate)),
            "callback-delay" => arg
                .parse::<u64>()
                .map(|ms| {
                    Fault::Callback(CallbackFault::Delay(Duration::from_millis(
                        ms.min(3_600_000),
                    )))
                })
                .map_err(|_| format!("callback-delay wants milliseconds, got `{arg}`")),
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
            _ => Err(format!("unknown fault `{text}` ({KINDS})")),
        }
    }

    /// Whether the request is still processed (state changes) under this fault.
    pub fn processes(&self) -> bool {
        !matches!(
            self,
            Fault::Status { .. } | Fault::TimeoutBefore | Fault::ResetBefore
        )
    }

    /// The callback fault it carries, if any.
    pub fn callback(&self) -> Option<CallbackFault> {
        match self {
            Fault::Callback(c) => Some(*c),
            _ => None,
        }
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
        assert_eq!(Fault::parse("reset-before"), Ok(Fault::ResetBefore));
        assert_eq!(
            Fault::parse("callback-delay=50"),
            Ok(Fault::Callback(CallbackFault::Delay(
                Duration::from_millis(50)
            )))
        );
        assert!(!Fault::TimeoutBefore.processes());
        assert!(Fault::Timeout.processes());
        assert!(Fault::parse("explode").is_err());
        assert!(Fault::parse("status=200").is_err());
    }
}
