//! `sandbox.rules` checks: every state, operation and template a rule names exists, outcome
//! rows are coherent (a status path follows a `then`), time-zone offsets are offsets.

use super::Ctx;
use crate::spec::sandbox::{Duplicate, OutcomeRule, SandboxRules};

/// An unknown state.
const UNKNOWN_STATE: &str = "E0150";
/// An operation the spec does not have.
const UNKNOWN_OPERATION: &str = "E0151";
/// A time zone that is not a `+HH:MM` offset.
const BAD_OFFSET: &str = "E0152";
/// An outcome row whose timing or path has nothing to follow.
const INCOHERENT_OUTCOME: &str = "E0153";
/// A named template that does not exist.
const UNKNOWN_TEMPLATE: &str = "E0154";

pub(super) fn check(ctx: &mut Ctx) {
    let Some(rules) = ctx.spec().sandbox.as_ref().and_then(|s| s.rules.as_ref()) else {
        return;
    };
    let base = "sandbox.rules";
    for (name, offset) in &rules.timezones {
        if !is_offset(offset) {
            ctx.err(
                BAD_OFFSET,
                &format!("{base}.timezones.{name}"),
                format!("`{offset}` is not a UTC offset like +03:00"),
            );
        }
    }
    for (op, rule) in &rules.operations {
        let path = format!("{base}.operations.{op}");
        if !ctx.spec().operations.contains_key(op) {
            ctx.err_hint(
                UNKNOWN_OPERATION,
                &path,
                format!("the spec has no operation `{op}`"),
                "rules are keyed by the names under `operations`",
            );
        }
        if let Some(s) = &rule.move_to {
            state(ctx, rules, &format!("{path}.move_to"), s);
        }
        let items = [
            rule.list.as_ref().map(|l| ("list", &l.item)),
            rule.balance.as_ref().map(|b| ("balance", &b.item)),
        ];
        for (key, item) in items.into_iter().flatten() {
            if !rules.templates.contains_key(item) {
                ctx.err(
                    UNKNOWN_TEMPLATE,
                    &format!("{path}.{key}.item"),
                    format!("no template `{item}` under `sandbox.rules.templates`"),
                );
            }
        }
        let Some(create) = &rule.create else { continue };
        if let Some(d) = &create.duplicate {
            duplicate(ctx, rules, &format!("{path}.create.duplicate"), d);
        }
        for (i, o) in create.outcomes.iter().enumerate() {
            outcome(ctx, rules, &format!("{path}.create.outcomes[{i}]"), o);
        }
    }
}

fn outcome(ctx: &mut Ctx, rules: &SandboxRules, path: &str, o: &OutcomeRule) {
    state(ctx, rules, &format!("{path}.state"), &o.state);
    if let Some(t) = &o.then {
        state(ctx, rules, &format!("{path}.then"), t);
    }
    for (j, step) in o.path.iter().enumerate() {
        state(ctx, rules, &format!("{path}.path[{j}].state"), &step.state);
    }
    if o.then.is_none() && (o.after_ms.is_some() || !o.path.is_empty() || o.manual) {
        ctx.err_hint(
            INCOHERENT_OUTCOME,
            path,
            "`after_ms`, `path` and `manual` time the move to `then`, which is missing",
            "add `then: <state>` (the first state after the initial one)",
        );
    }
}

fn duplicate(ctx: &mut Ctx, rules: &SandboxRules, path: &str, d: &Duplicate) {
    match d {
        Duplicate::State(s) => state(ctx, rules, &format!("{path}.state"), s),
        Duplicate::ByBody { same, different } => {
            duplicate(ctx, rules, &format!("{path}.by_body.same"), same);
            duplicate(ctx, rules, &format!("{path}.by_body.different"), different);
        }
        Duplicate::Existing | Duplicate::Error(_) | Duplicate::Reply(_) => {}
    }
}

fn state(ctx: &mut Ctx, rules: &SandboxRules, path: &str, name: &str) {
    if !rules.states.contains_key(name) {
        ctx.err_hint(
            UNKNOWN_STATE,
            path,
            format!("unknown state `{name}`"),
            "declare it under `sandbox.rules.states`",
        );
    }
}

/// `Z`, or `+HH:MM` / `-HH:MM` / `+HHMM` with hours up to 23 and minutes up to 59 (what the
/// sandbox's calendar reads).
pub(crate) fn is_offset(text: &str) -> bool {
    if text == "Z" {
        return true;
    }
    let Some(rest) = text.strip_prefix(['+', '-']) else {
        return false;
    };
    let (h, m) = rest
        .split_once(':')
        .unwrap_or((rest.get(..2).unwrap_or(""), rest.get(2..).unwrap_or("")));
    let two = |s: &str| {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    matches!((two(h), two(m)), (Some(h), Some(m)) if h <= 23 && m <= 59)
}

#[cfg(test)]
mod tests {
    use super::is_offset;

    #[test]
    fn offsets() {
        assert!(is_offset("+03:00") && is_offset("-11:30"));
        assert!(is_offset("Z") && is_offset("+0530"));
        assert!(!is_offset("03:00") && !is_offset("+3:00") && !is_offset("+24:00"));
    }
}
