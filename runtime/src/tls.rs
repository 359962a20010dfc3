//! Transport security: a base URL is `https://`, or plain `http://` only to loopback (a local
//! simulator or test server) unless the client is explicitly built for a local simulator.

/// Whether `url` is plain `http://` to a host other than loopback (127.0.0.0/8, ::1,
/// `localhost`): card data and signatures would travel unencrypted.
pub fn plain_http_off_loopback(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    !loopback
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_off_loopback_is_flagged() {
        for bad in [
            "http://api.example.com",
            "http://10.0.0.1:8080/x",
            "HTTP://Pay.Example.com",
            "http://127.0.0.1.evil.com",
            "http://user@example.com",
            "http://localhost.example.com",
        ] {
            assert!(plain_http_off_loopback(bad), "{bad}");
        }
        for ok in [
            "https://api.example.com",
            "http://127.0.0.1:9000",
            "http://127.8.0.1",
            "http://[::1]:80/p",
            "http://localhost:3000",
            "http://LOCALHOST",
        ] {
            assert!(!plain_http_off_loopback(ok), "{ok}");
        }
    }
}
