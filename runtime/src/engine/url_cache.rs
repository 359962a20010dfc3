//! Request URLs parsed once per distinct text: the engine keeps the last few URLs it built
//! (most operations send to the same URL on every call), so an attempt clones a parsed URL
//! instead of building it again (setting a path on a `Url` re-parses and re-serializes it:
//! about 3.5k instructions and two allocations per request).
//!
//! A kept URL is the one the same text built before (building is deterministic), so a hit is
//! the same URL a miss would build. The hook may change the attempt's URL: it gets a clone,
//! never the kept one.

use std::sync::Mutex;

/// How many distinct URLs an engine keeps (beyond that, the oldest kept is replaced).
const KEPT: usize = 16;

/// The URLs kept and the slot the next new one replaces once all are taken.
#[derive(Default)]
struct Kept {
    urls: Vec<(Box<str>, reqwest::Url)>,
    next: usize,
}

/// The engine's recently built request URLs (see the module docs).
#[derive(Default)]
pub(crate) struct UrlCache {
    kept: Mutex<Kept>,
}

impl std::fmt::Debug for UrlCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UrlCache").finish_non_exhaustive()
    }
}

impl UrlCache {
    /// The URL `text` builds: a clone of the kept one, else `build()`'s (kept when it built
    /// one). `None` when `build` fails (nothing is kept then).
    pub(crate) fn url(
        &self,
        text: &str,
        build: impl FnOnce() -> Option<reqwest::Url>,
    ) -> Option<reqwest::Url> {
        if let Some(url) = self.kept_url(text) {
            return Some(url);
        }
        let url = build()?;
        self.keep(text, &url);
        Some(url)
    }

    fn kept_url(&self, text: &str) -> Option<reqwest::Url> {
        let kept = self.kept.lock().ok()?;
        kept.urls
            .iter()
            .find(|(t, _)| &**t == text)
            .map(|(_, url)| url.clone())
    }

    fn keep(&self, text: &str, url: &reqwest::Url) {
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        // a concurrent miss on the same text may have kept it already
        if kept.urls.iter().any(|(t, _)| &**t == text) {
            return;
        }
        let entry = (Box::from(text), url.clone());
        if kept.urls.len() < KEPT {
            kept.urls.push(entry);
            return;
        }
        let slot = kept.next;
        kept.urls[slot] = entry;
        kept.next = (slot + 1) % KEPT;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<reqwest::Url> {
        reqwest::Url::parse(text).ok()
    }

    #[test]
    fn a_kept_url_is_returned_without_building_again() {
        let cache = UrlCache::default();
        let text = "https://api.example.test/v1/pay?x=1";
        assert_eq!(cache.url(text, || parse(text)), parse(text));
        let again = cache.url(text, || panic!("built again"));
        assert_eq!(again, parse(text));
    }

    #[test]
    fn a_failed_build_is_not_kept_and_other_texts_build_their_own() {
        let cache = UrlCache::default();
        assert_eq!(cache.url("not a url", || parse("not a url")), None);
        assert_eq!(cache.url("not a url", || parse("not a url")), None);
        let (a, b) = ("https://a.test/x", "https://a.test/y");
        assert_eq!(cache.url(a, || parse(a)), parse(a));
        assert_eq!(cache.url(b, || parse(b)), parse(b));
        assert_eq!(cache.url(a, || panic!("kept")), parse(a));
    }

    #[test]
    fn past_the_limit_the_oldest_is_replaced_and_every_answer_stays_right() {
        let cache = UrlCache::default();
        let texts: Vec<String> = (0..KEPT + 5)
            .map(|i| format!("https://a.test/p/{i}"))
            .collect();
        for t in &texts {
            assert_eq!(cache.url(t, || parse(t)), parse(t));
        }
        let kept = cache.kept.lock().map(|k| k.urls.len()).unwrap_or(0);
        assert_eq!(kept, KEPT);
        // the first five were replaced: built again, and still right
        for t in &texts {
            assert_eq!(cache.url(t, || parse(t)), parse(t));
        }
        let fresh = "https://a.test/fresh";
        assert_eq!(cache.url(fresh, || parse(fresh)), parse(fresh));
        assert_eq!(cache.url(fresh, || panic!("kept")), parse(fresh));
    }
}
