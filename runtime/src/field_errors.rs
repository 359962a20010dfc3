//! Field errors: every broken rule of one request, each with its path, rule and message (a leaf
//! module: validation fills them, `Error::InvalidRequest` carries them).

use std::fmt;

/// One broken rule at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where, e.g. `customer.address.country` or `items[2].sku`.
    pub path: String,
    /// The rule's name: `pattern`, `length`, `range`, `enum`, `required`, `currency`, ...
    pub rule: String,
    /// What the rule wants (never the value itself).
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every broken rule of one request.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ValidationErrors {
    /// The errors, in the order found.
    pub errors: Vec<FieldError>,
}

impl ValidationErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one broken rule.
    pub fn push(
        &mut self,
        path: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.errors.push(FieldError {
            path: path.into(),
            rule: rule.into(),
            message: message.into(),
        });
    }

    /// Puts `prefix` in front of the paths of the errors recorded after the first `mark` (a
    /// nested value checked at the empty path): `prefix.name`, `prefix[i]`, or `prefix` itself.
    /// Nested paths are thus built only for checks that fail.
    pub fn prefix_since(&mut self, mark: usize, prefix: &str) {
        if prefix.is_empty() {
            return;
        }
        for e in self.errors.iter_mut().skip(mark) {
            e.path = if e.path.is_empty() {
                prefix.to_string()
            } else if e.path.starts_with('[') {
                format!("{prefix}{}", e.path)
            } else {
                format!("{prefix}.{}", e.path)
            };
        }
    }

    /// No rule was broken.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many rules were broken.
    pub fn len(&self) -> usize {
        self.errors.len()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        let noun = if n == 1 { "problem" } else { "problems" };
        write!(f, "invalid request: {n} {noun}: ")?;
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}
