//! Semantic validation of a loaded spec: every problem of the stage, each located.

mod declines;
mod names;
mod ops;
mod pages;
mod replies;
mod requirements;
mod sandbox;
mod signing;
mod transport;
mod types;
mod vectors;

use std::fmt;

use super::diag::Diagnostic;
use super::load::Loaded;
use super::model::Spec;

/// Collects diagnostics while walking a spec.
pub(crate) struct Ctx<'a> {
    pub loaded: &'a Loaded,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn spec(&self) -> &'a Spec {
        &self.loaded.spec
    }

    /// An error at `path` (a [`Sub`] or [`Item`] path is written out only here).
    pub fn err(
        &mut self,
        code: &'static str,
        path: &(impl fmt::Display + ?Sized),
        message: impl Into<String>,
    ) {
        let path = path.to_string();
        self.diags
            .push(self.loaded.diag(code, &path, message.into()));
    }

    pub fn err_hint(
        &mut self,
        code: &'static str,
        path: &(impl fmt::Display + ?Sized),
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let path = path.to_string();
        let mut d = self.loaded.diag(code, &path, message.into());
        d.hint = Some(hint.into());
        self.diags.push(d);
    }
}

/// The spec path `parent.name`, written only when a diagnostic needs it (the checks walk every
/// field and enum value of a spec, and nearly all of them have no error).
#[derive(Clone, Copy)]
pub(crate) struct Sub<'a>(pub &'a dyn fmt::Display, pub &'a str);

impl fmt::Display for Sub<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// The spec path `parent[index]`, written only when a diagnostic needs it.
#[derive(Clone, Copy)]
pub(crate) struct Item<'a>(pub &'a dyn fmt::Display, pub usize);

impl fmt::Display for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

/// Warnings (`W` codes) of a loaded spec: usable, yet probably not what the author meant.
pub fn warnings(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut ctx = Ctx {
        loaded,
        diags: Vec::new(),
    };
    signing::warn(&mut ctx);
    ctx.diags
}

/// Runs every semantic check; returns all problems (empty = valid).
pub fn validate(loaded: &Loaded) -> Vec<Diagnostic> {
    let dups = super::load::duplicate_keys(&loaded.file, &loaded.source);
    let mut ctx = Ctx {
        loaded,
        diags: dups,
    };
    names::check(&mut ctx);
    types::check(&mut ctx);
    ops::check(&mut ctx);
    signing::check(&mut ctx);
    transport::check(&mut ctx);
    sandbox::check(&mut ctx);
    replies::check(&mut ctx);
    pages::check(&mut ctx);
    declines::check(&mut ctx);
    ctx.diags
        .sort_by(|a, b| (a.line, a.col, a.code).cmp(&(b.line, b.col, b.code)));
    ctx.diags
}

#[cfg(test)]
mod tests {
    use super::{Item, Sub};

    #[test]
    fn lazy_paths_write_the_dotted_and_indexed_path() {
        let base = "types.Card";
        let values = Sub(&base, "values");
        assert_eq!(Item(&values, 3).to_string(), "types.Card.values[3]");
        let fields = Sub(&base, "fields");
        let field = Sub(&fields, "expiry date");
        assert_eq!(
            Sub(&field, "type").to_string(),
            "types.Card.fields.expiry date.type"
        );
    }
}
