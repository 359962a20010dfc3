//! Outcome tables as documentation: each operation's outcome rows (what a request matches, the
//! status path it walks with its timings, the row's note) rendered as Markdown, so the tables
//! in `sandbox/README.md` come from the specs themselves.

use std::fmt::Write as _;

use paygen_codegen::spec::model::Spec;
use serde_json::Value;

use crate::rules::{OutcomeRule, Rules, When};
use crate::template::text_of;

/// The outcome tables of a spec's operations (empty when it has no outcome rows).
pub fn outcome_tables(spec: &Spec) -> String {
    let Some(rules) = spec.sandbox.as_ref().and_then(|s| s.rules.as_ref()) else {
        return String::new();
    };
    let mut out = String::new();
    for (op, rule) in &rules.operations {
        let Some(create) = &rule.create else { continue };
        if create.outcomes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "`{}` / `{op}`:\n", spec.provider);
        out.push_str("| request | status path | note |\n|---|---|---|\n");
        for row in &create.outcomes {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&matching(row.when.as_ref())),
                cell(&status_path(row, rules)),
                cell(row.doc.as_deref().unwrap_or("")),
            );
        }
        out.push('\n');
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `req.amount ends with 99; has req.card` (`any other request` without conditions).
fn matching(when: Option<&When>) -> String {
    let Some(w) = when else {
        return "any other request".into();
    };
    let mut parts: Vec<String> = w.has.iter().map(|p| format!("has `{p}`")).collect();
    let list = |vs: &[Value]| vs.iter().map(text_of).collect::<Vec<_>>().join(", ");
    parts.extend(
        w.equals
            .iter()
            .map(|(p, v)| format!("`{p}` = `{}`", text_of(v))),
    );
    parts.extend(
        w.ends_with
            .iter()
            .map(|(p, s)| format!("`{p}` ends with `{s}`")),
    );
    parts.extend(
        w.one_of
            .iter()
            .map(|(p, v)| format!("`{p}` one of `{}`", list(v))),
    );
    parts.extend(
        w.none_of
            .iter()
            .map(|(p, v)| format!("`{p}` none of `{}`", list(v))),
    );
    if parts.is_empty() {
        return "any other request".into();
    }
    parts.join("; ")
}

/// `processing → succeeded (0.5 s) → refunded (10 s)`.
fn status_path(row: &OutcomeRule, rules: &Rules) -> String {
    let settle = || format!("{} ms", rules.settle_ms);
    let after = |ms: Option<u64>| ms.map_or_else(settle, |ms| format!("{ms} ms"));
    let mut text = format!("`{}`", row.state);
    if let Some(then) = &row.then {
        let when = if row.manual {
            "on `complete`".to_string()
        } else {
            after(row.after_ms)
        };
        let _ = write!(text, " → `{then}` ({when})");
    }
    for step in &row.path {
        let _ = write!(text, " → `{}` ({})", step.state, after(step.after_ms));
    }
    text
}
