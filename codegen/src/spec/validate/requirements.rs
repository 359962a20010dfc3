//! Checks of conditional requirements (`requires:` on object types): the rule says something,
//! `when` names fields of the object with values they can take, and every path resolves.

use super::Ctx;
use crate::spec::model::{EnumValue, Requirement, Spec, TypeDef};

const CODE: &str = "E0130";

/// Checks `def.requires` of the type at `path`.
pub(super) fn check(ctx: &mut Ctx, path: &str, def: &TypeDef) {
    if def.requires.is_empty() {
        return;
    }
    if def.fields.is_none() {
        ctx.err_hint(
            CODE,
            &format!("{path}.requires"),
            "`requires` needs an object type (`fields`)",
            "conditional requirements relate fields of one object",
        );
        return;
    }
    for (i, r) in def.requires.iter().enumerate() {
        check_one(ctx, &format!("{path}.requires.{i}"), def, r);
    }
}

fn check_one(ctx: &mut Ctx, path: &str, def: &TypeDef, r: &Requirement) {
    if r.required.is_empty() && r.forbidden.is_empty() && r.at_least_one_of.is_empty() {
        ctx.err_hint(
            CODE,
            path,
            "a requirement needs `required`, `forbidden` or `at_least_one_of`",
            "e.g. `- { when: { method: [card] }, required: [card_number] }`",
        );
    }
    let spec = ctx.spec();
    let mut problems = Vec::new();
    for (field, values) in &r.when {
        let Some(f) = def.fields.as_ref().and_then(|fs| fs.get(field)) else {
            problems.push((
                format!("{path}.when.{field}"),
                format!("`{field}` is not a field of this object"),
            ));
            continue;
        };
        if values.is_empty() {
            problems.push((
                format!("{path}.when.{field}"),
                "`when` lists at least one value".to_string(),
            ));
        }
        if let Some(known) = enum_values(spec, &f.ty) {
            for v in values.iter().map(|v| v.text()) {
                if !known.contains(&v) {
                    problems.push((
                        format!("{path}.when.{field}"),
                        format!("`{v}` is not a value of `{}`", f.ty),
                    ));
                }
            }
        }
    }
    let lists = [
        ("required", &r.required),
        ("forbidden", &r.forbidden),
        ("at_least_one_of", &r.at_least_one_of),
    ];
    for (key, paths) in lists {
        for p in paths {
            if !resolves(spec, def, p) {
                problems.push((
                    format!("{path}.{key}"),
                    format!("`{p}` is not a field path of this object"),
                ));
            }
        }
    }
    for (at, message) in problems {
        ctx.err(CODE, &at, message);
    }
}

/// The wire texts of an enum type, or `None` when `ty` is not an enum.
fn enum_values(spec: &Spec, ty: &str) -> Option<Vec<String>> {
    let values = spec.types.get(ty)?.values.as_ref()?;
    Some(
        values
            .iter()
            .map(|v| match v {
                EnumValue::Short(w) => w.text(),
                EnumValue::Full(d) => d.wire.text(),
            })
            .collect(),
    )
}

/// Whether a dotted path names a field, walking named object types and any variant of a one-of.
fn resolves(spec: &Spec, def: &TypeDef, path: &str) -> bool {
    let mut current = vec![def];
    for step in path.split('.') {
        let mut next = Vec::new();
        for d in objects(spec, &current) {
            if let Some(f) = d.fields.as_ref().and_then(|fs| fs.get(step)) {
                if let Some(t) = spec.types.get(&f.ty) {
                    next.push(t);
                } else {
                    next.push(&LEAF);
                }
            }
        }
        if next.is_empty() {
            return false;
        }
        current = next;
    }
    true
}

static LEAF: TypeDef = TypeDef {
    doc: None,
    assumed: None,
    base: None,
    items: None,
    pattern: None,
    min_length: None,
    max_length: None,
    minimum: None,
    maximum: None,
    allowed: None,
    format: None,
    sensitive: None,
    values: None,
    fields: None,
    variants: None,
    requires: Vec::new(),
    example: None,
};

/// Object types among `defs`, one-ofs expanded into their variants' types.
fn objects<'s>(spec: &'s Spec, defs: &[&'s TypeDef]) -> Vec<&'s TypeDef> {
    let mut out = Vec::new();
    for d in defs {
        if d.fields.is_some() {
            out.push(*d);
        }
        for v in d.variants.iter().flat_map(|vs| vs.values()) {
            if let Some(t) = spec.types.get(&v.ty) {
                out.push(t);
            }
        }
    }
    out
}
