//! Checks of typed decline codes (`errors[].code_type`): an enum of string values, on a rule
//! that reads a code.

use super::Ctx;
use crate::spec::model::{EnumValue, WireLiteral};

const CODE: &str = "E0133";

pub(super) fn check(ctx: &mut Ctx) {
    let spec = ctx.spec();
    let mut problems = Vec::new();
    for (i, rule) in spec.errors.iter().enumerate() {
        let Some(ty) = &rule.code_type else { continue };
        let at = format!("errors[{i}].code_type");
        if rule.code.is_none() {
            problems.push((
                at.clone(),
                "`code_type` needs `code` (the code's path)".to_string(),
            ));
        }
        match spec.types.get(ty).and_then(|t| t.values.as_ref()) {
            None => problems.push((at, format!("`{ty}` is not an enum type of this spec"))),
            Some(values) => {
                let ints = values.iter().any(|v| match v {
                    EnumValue::Short(w) => matches!(w, WireLiteral::Int(_)),
                    EnumValue::Full(d) => matches!(d.wire, WireLiteral::Int(_)),
                });
                if ints {
                    problems.push((at, format!("`{ty}` must list string codes (quote them)")));
                }
            }
        }
    }
    for (at, message) in problems {
        ctx.err(CODE, &at, message);
    }
}
