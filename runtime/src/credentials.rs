//! Named credentials of one provider account (merchant key, salt, API secret, ...).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::error::Error;
use crate::secret::Secret;

/// Credentials by the names a spec gives them. Every value is held as a [`Secret`]; a
/// credential the spec declares `secret: false` (a public id) may be marked public, so the
/// masked texts of tools (`paygen check`/`sign` canonical strings) show its value.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    values: BTreeMap<String, Secret>,
    public: BTreeSet<String>,
}

impl Credentials {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces one credential.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Secret>) -> &mut Self {
        self.values.insert(name.into(), value.into());
        self
    }

    /// Builder-style [`Credentials::insert`].
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        self.insert(name, value);
        self
    }

    /// Marks a credential public (declared `secret: false`): masked texts show its value.
    pub fn mark_public(&mut self, name: impl Into<String>) -> &mut Self {
        self.public.insert(name.into());
        self
    }

    /// Whether a credential was marked public (see [`Credentials::mark_public`]).
    pub fn is_public(&self, name: &str) -> bool {
        self.public.contains(name)
    }

    /// One credential, if present.
    #[inline]
    pub fn get(&self, name: &str) -> Option<&Secret> {
        self.values.get(name)
    }

    /// Checks that each named credential is present and not empty or blank: a blank secret
    /// would let anyone forge a signature (or sign with none). [`Error::Config`] otherwise.
    pub fn require<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Result<(), Error> {
        for name in names {
            match self.values.get(name) {
                None => return Err(Error::Config(format!("missing credential `{name}`"))),
                Some(v) if v.expose().trim().is_empty() => {
                    return Err(Error::Config(format!(
                        "credential `{name}` is empty or blank: refused (a blank secret lets \
                         anyone forge or skip signatures)"
                    )))
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// [`Credentials::require`] over every credential present (a verifier's whole set).
    pub fn require_all(&self) -> Result<(), Error> {
        self.require(self.values.keys().map(String::as_str))
    }

    /// The values of every credential present (for scrubbing error texts; never shown).
    #[cfg(feature = "transport")]
    pub(crate) fn values(&self) -> impl Iterator<Item = &Secret> {
        self.values.values()
    }

    /// Names of the credentials present, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.values.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_lists_names_but_not_values() {
        let c = Credentials::new()
            .with("salt", "s3cr3t")
            .with("merchant_key", "mk-1");
        let shown = format!("{c:?}");
        assert!(shown.contains("salt") && shown.contains("merchant_key"));
        assert!(!shown.contains("s3cr3t") && !shown.contains("mk-1"));
    }

    #[test]
    fn blank_and_missing_credentials_are_refused() {
        let c = Credentials::new()
            .with("salt", "s3cr3t")
            .with("empty", "")
            .with("blank", " \t\n");
        assert!(c.require(["salt"]).is_ok());
        for name in ["empty", "blank", "absent"] {
            let e = c.require(["salt", name]).expect_err(name);
            assert!(e.nothing_sent() && e.to_string().contains(name), "{e}");
        }
        assert!(c.require_all().is_err());
        assert!(Credentials::new().with("k", "v").require_all().is_ok());
    }
}
