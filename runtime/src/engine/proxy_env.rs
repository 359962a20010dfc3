//! The engine's own HTTP client and the proxy environment: the client asks for proxies only
//! when a proxy variable is set, so a process without one skips the per-request proxy match.

/// The variables the HTTP client reads its system proxies from (`hyper-util`'s proxy
/// matcher, which reqwest uses; without reqwest's `system-proxy` feature, as here, nothing
/// else). `NO_PROXY` is left out: it only narrows a proxy set by one of these.
const PROXY_VARIABLES: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
];

/// Whether any proxy variable is present, as `present` reports them.
fn proxy_configured(present: impl Fn(&str) -> bool) -> bool {
    PROXY_VARIABLES.iter().any(|name| present(name))
}

/// `builder` without system proxies when the environment names none. The client would read
/// the same variables when built and find nothing to match; dropping the empty matcher
/// saves matching every request's host against it. When a variable is present, even empty,
/// the builder is left as it is.
pub(super) fn proxies_from_environment(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    if proxy_configured(|name| std::env::var_os(name).is_some()) {
        builder
    } else {
        builder.no_proxy()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_proxy_variable_keeps_the_system_proxies() {
        for set in PROXY_VARIABLES {
            assert!(proxy_configured(|name| name == set), "{set}");
        }
    }

    #[test]
    fn no_proxy_alone_or_nothing_drops_them() {
        assert!(!proxy_configured(|_| false));
        assert!(!proxy_configured(
            |name| name == "NO_PROXY" || name == "no_proxy"
        ));
    }
}
