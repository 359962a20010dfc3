//! Conditions: whether a rule's `when` (has, equals, ends_with, one_of, none_of) holds on a
//! template context.

use serde_json::Value;

use crate::rules::When;
use crate::template::{lookup, text_of};

/// Whether every condition holds on the context.
pub fn holds(when: &When, ctx: &Value) -> bool {
    let text = |path: &str| lookup(ctx, path).map(text_of);
    when.has.iter().all(|path| lookup(ctx, path).is_some())
        && when
            .equals
            .iter()
            .all(|(path, want)| text(path).as_deref() == Some(text_of(want).as_str()))
        && when
            .ends_with
            .iter()
            .all(|(path, suffix)| text(path).is_some_and(|t| t.ends_with(suffix.as_str())))
        && when.one_of.iter().all(|(path, options)| {
            text(path).is_some_and(|t| options.iter().any(|o| text_of(o) == t))
        })
        && when.none_of.iter().all(|(path, options)| {
            text(path).is_none_or(|t| options.iter().all(|o| text_of(o) != t))
        })
}
