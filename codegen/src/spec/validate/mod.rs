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

    pub fn err(&mut self, code: &'static str, path: &str, message: impl Into<String>) {
        self.diags
            .push(self.loaded.diag(code, path, message.into()));
    }

    pub fn err_hint(
        &mut self,
        code: &'static str,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let mut d = self.loaded.diag(code, path, message.into());
        d.hint = Some(hint.into());
        self.diags.push(d);
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
