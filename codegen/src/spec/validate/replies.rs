//! Checks of typed webhook replies (`replies:` on webhook events): only events have them, and
//! their parameters are `integer` or `string` and appear in the body.

use super::Ctx;
use crate::spec::builtin::Builtin;

const CODE: &str = "E0131";

pub(super) fn check(ctx: &mut Ctx) {
    let spec = ctx.spec();
    let mut problems = Vec::new();
    for (t, def) in &spec.types {
        for (v, variant) in def.variants.iter().flatten() {
            if !variant.replies.is_empty() {
                problems.push((
                    format!("types.{t}.variants.{v}.replies"),
                    "`replies` belong to webhook events only".to_string(),
                ));
            }
        }
    }
    for (o, op) in &spec.operations {
        for (v, variant) in op.responses.iter().flatten() {
            if !variant.replies.is_empty() {
                problems.push((
                    format!("operations.{o}.responses.{v}.replies"),
                    "`replies` belong to webhook events only".to_string(),
                ));
            }
        }
    }
    for (e, event) in spec.webhooks.iter().flat_map(|w| w.events.iter()) {
        for (r, reply) in &event.replies {
            for (name, ty) in &reply.params {
                let at = format!("webhooks.events.{e}.replies.{r}.params.{name}");
                if !matches!(Builtin::parse(ty), Some(Builtin::Integer | Builtin::String)) {
                    problems.push((at.clone(), format!("`{ty}` is not `integer` or `string`")));
                }
                if !reply.body.contains(&format!("{{{name}}}")) {
                    problems.push((at, format!("the body has no `{{{name}}}`")));
                }
            }
        }
    }
    for (at, message) in problems {
        ctx.err(CODE, &at, message);
    }
}
