//! Request headers ready to send, built once per engine: the auth headers, the configured
//! extra headers and the usual `Accept` and `Content-Type` values, each as an HTTP header name
//! and value, so an attempt clones them (a reference count, or nothing for a static value)
//! instead of checking and copying the same text into new ones on every request.
//!
//! A kept header is the one the same text builds (`HeaderName::from_bytes`,
//! `HeaderValue::from_str`, not marked sensitive), so a hit sends what a miss would; a
//! header not kept is built as before.

use http::header::{HeaderName, HeaderValue};

/// `Accept` and `Content-Type` values most operations send (static: cloned for free).
const USUAL: &[(&str, &str)] = &[
    ("Accept", "application/json"),
    ("Content-Type", "application/json"),
    ("Content-Type", "application/x-www-form-urlencoded"),
];

/// The engine's ready headers (see the module docs): each with its name as written.
#[derive(Default)]
pub(crate) struct HeaderTable {
    kept: Vec<(Box<str>, HeaderName, HeaderValue)>,
}

impl std::fmt::Debug for HeaderTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // values may be credentials: never shown
        f.debug_struct("HeaderTable")
            .field("kept", &self.kept.len())
            .finish_non_exhaustive()
    }
}

impl HeaderTable {
    /// The table of the usual headers and `sent` (name, value), the headers every request of
    /// the engine carries; a pair that is not a valid header is left out (a request carrying
    /// it reports it when it is built).
    pub(crate) fn new<'a>(sent: impl IntoIterator<Item = (&'a str, &'a str)>) -> HeaderTable {
        let usual = USUAL.iter().filter_map(|&(name, value)| {
            Some((
                Box::from(name),
                HeaderName::from_bytes(name.as_bytes()).ok()?,
                HeaderValue::from_static(value),
            ))
        });
        let sent = sent.into_iter().filter_map(|(name, value)| {
            Some((
                Box::from(name),
                HeaderName::from_bytes(name.as_bytes()).ok()?,
                HeaderValue::from_str(value).ok()?,
            ))
        });
        HeaderTable {
            kept: usual.chain(sent).collect(),
        }
    }

    /// The header `name: value` as built from this text, when kept under this name as
    /// written (a name written otherwise is built as before).
    pub(crate) fn get(&self, name: &str, value: &str) -> Option<(HeaderName, HeaderValue)> {
        self.kept
            .iter()
            .find(|(n, _, v)| **n == *name && v.as_bytes() == value.as_bytes())
            .map(|(_, n, v)| (n.clone(), v.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_header_is_the_one_its_text_builds() {
        let table = HeaderTable::new([("Authorization", "Basic dXNlcjpwYXNz"), ("X-Extra", "1")]);
        for (name, value) in [
            ("Accept", "application/json"),
            ("Content-Type", "application/json"),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Authorization", "Basic dXNlcjpwYXNz"),
            ("X-Extra", "1"),
        ] {
            let (n, v) = table.get(name, value).expect(name);
            assert_eq!(n, HeaderName::from_bytes(name.as_bytes()).expect("name"));
            assert_eq!(v, HeaderValue::from_str(value).expect("value"));
            assert!(!v.is_sensitive());
        }
        assert!(table.get("Accept", "text/plain").is_none());
        assert!(table.get("Authorization", "Basic other").is_none());
        assert!(table.get("X-Other", "1").is_none());
        // another spelling of a kept name is built as before
        assert!(table.get("x-extra", "1").is_none());
    }

    #[test]
    fn invalid_pairs_are_left_out_and_values_never_shown() {
        let table = HeaderTable::new([("Bad Name", "x"), ("X-Bad", "a\nb"), ("X-Key", "s3cret")]);
        assert!(table.get("Bad Name", "x").is_none());
        assert!(table.get("X-Bad", "a\nb").is_none());
        assert!(!format!("{table:?}").contains("s3cret"));
    }
}
