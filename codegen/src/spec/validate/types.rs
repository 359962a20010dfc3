//! Type checks: shapes, references, rules, money fields, enums and field names.

use std::collections::BTreeSet;

use std::fmt::Display;

use super::names::collisions;
use super::{Ctx, Item, Sub};
use crate::naming::{pascal, snake};
use crate::spec::builtin::Builtin;
use crate::spec::model::{EnumValue, Field, TypeDef, WireLiteral};

/// Whether `name` is `list` or `map`.
fn is_container(name: &str) -> bool {
    matches!(Builtin::parse(name), Some(Builtin::List | Builtin::Map))
}

/// Whether `name` is a builtin or a declared type.
fn known_type(ctx: &Ctx, name: &str) -> bool {
    Builtin::parse(name).is_some() || ctx.spec().types.contains_key(name)
}

pub(super) fn check(ctx: &mut Ctx) {
    for (name, def) in &ctx.spec().types {
        let path = format!("types.{name}");
        check_type(ctx, &path, def);
    }
}

fn check_type(ctx: &mut Ctx, path: &str, def: &TypeDef) {
    let shapes = [
        def.base.is_some(),
        def.values.is_some(),
        def.fields.is_some(),
        def.variants.is_some(),
    ];
    if shapes.iter().filter(|s| **s).count() != 1 {
        ctx.err_hint(
            "E0112",
            path,
            "a type needs exactly one of `type`, `values`, `fields`, `variants`",
            "scalar: `type: string` + rules; enum: `values`; object: `fields`; one-of: `variants`",
        );
        return;
    }
    if let Some(base) = &def.base {
        if is_container(base) {
            check_container(ctx, path, base, def);
        } else {
            check_scalar(ctx, path, base, def);
        }
    }
    if let Some(values) = &def.values {
        check_enum(ctx, path, values);
    }
    if let Some(fields) = &def.fields {
        check_fields(ctx, path, fields);
    }
    super::requirements::check(ctx, path, def);
    if let Some(variants) = &def.variants {
        let names: Vec<(String, String)> = variants
            .keys()
            .map(|k| (format!("{path}.variants.{k}"), k.clone()))
            .collect();
        collisions(ctx, &names, pascal, "variant");
        for (vname, v) in variants {
            let vpath = format!("{path}.variants.{vname}.type");
            check_object_ref(ctx, &vpath, &v.ty);
        }
    }
}

fn check_scalar(ctx: &mut Ctx, path: &str, base: &str, def: &TypeDef) {
    if !Builtin::parse(base).is_some_and(Builtin::is_scalar_base) {
        let bases: Vec<&str> = Builtin::ALL
            .into_iter()
            .filter(|b| b.is_scalar_base())
            .map(Builtin::name)
            .collect();
        let message =
            format!("a type's base must be one of {bases:?}, `map` or `list`, not `{base}`");
        ctx.err("E0113", &format!("{path}.type"), message);
    }
    if def.items.is_some() {
        let message = format!("`items` only applies to map and list types, not `{base}`");
        ctx.err("E0113", &format!("{path}.items"), message);
    }
    check_rules(ctx, &path, base, &def.rules());
}

/// A named `map` / `list` type: a known element type, and only ever read from responses.
fn check_container(ctx: &mut Ctx, path: &str, base: &str, def: &TypeDef) {
    check_type_ref(ctx, &format!("{path}.type"), base, def.items.as_deref());
    let name = path.trim_start_matches("types.");
    if crate::spec::reach::request_types(ctx.spec()).contains(name) {
        let message = format!("`{name}` is a {base} type, which requests cannot use");
        ctx.err_hint(
            "E0125",
            path,
            message,
            "give requests an object type with named fields",
        );
    }
}

/// A response type: an object, or a named map/list of one.
pub(crate) fn check_response_ref(ctx: &mut Ctx, path: &str, name: &str) {
    let container = ctx
        .spec()
        .types
        .get(name)
        .is_some_and(|d| d.base.as_deref().is_some_and(is_container));
    if !container {
        check_object_ref(ctx, path, name);
    }
}

/// A reference that must name an object type (variants, requests, responses, events).
pub(crate) fn check_object_ref(ctx: &mut Ctx, path: &str, name: &str) {
    match ctx.spec().types.get(name) {
        None => unknown_type(ctx, &path, name),
        Some(def) if def.fields.is_none() => {
            ctx.err(
                "E0124",
                path,
                format!("`{name}` must be an object type (with `fields`)"),
            );
        }
        Some(_) => {}
    }
}

fn unknown_type(ctx: &mut Ctx, path: &dyn Display, name: &str) {
    let hint = format!(
        "define `types.{name}` or use a builtin: {}",
        Builtin::names(|_| true)
    );
    ctx.err_hint("E0102", path, format!("unknown type `{name}`"), hint);
}

fn check_enum(ctx: &mut Ctx, path: &str, values: &[EnumValue]) {
    let mut wires = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let mut names = Vec::new();
    let values_path = Sub(&path, "values");
    for (i, v) in values.iter().enumerate() {
        let vpath = Item(&values_path, i);
        let (wire, name) = match v {
            EnumValue::Short(w) => (w.clone(), None),
            EnumValue::Full(d) => (d.wire.clone(), d.name.clone()),
        };
        let text = wire.text();
        let kind = match &wire {
            WireLiteral::Int(_) => Builtin::Integer.name(),
            WireLiteral::Str(_) => Builtin::String.name(),
        };
        kinds.insert(kind);
        if !wires.insert(text.clone()) {
            ctx.err(
                "E0117",
                &vpath,
                format!("enum value `{text}` is listed twice"),
            );
        }
        names.push((vpath, name.unwrap_or(text)));
    }
    if kinds.len() > 1 {
        ctx.err(
            "E0117",
            path,
            "enum values mix integers and strings; use one kind",
        );
    }
    // after the catch-all rename: `unknown` and `provider_unknown` collide
    collisions(ctx, &names, crate::naming::enum_variant, "enum value");
}

fn check_fields(ctx: &mut Ctx, path: &str, fields: &indexmap::IndexMap<String, Field>) {
    let mut names = Vec::new();
    let fields_path = Sub(&path, "fields");
    for (wire, f) in fields {
        let fpath = Sub(&fields_path, wire);
        names.push((fpath, f.rust_name.as_deref().unwrap_or(wire)));
        check_field(ctx, &fpath, f, fields);
    }
    collisions(ctx, &names, snake, "field");
}

/// The currency of a money field is named exactly once: a sibling field or a fixed code.
fn check_money_currency(
    ctx: &mut Ctx,
    path: &dyn Display,
    m: &crate::spec::model::MoneyField,
    siblings: &indexmap::IndexMap<String, Field>,
) {
    match (&m.currency_field, &m.currency) {
        (Some(_), Some(_)) | (None, None) => ctx.err_hint(
            "E0110",
            &format!("{path}.money"),
            "a money field names its currency exactly once",
            "`currency_field: currency` (a sibling, `local: true` when not sent) or `currency: EUR` (fixed)",
        ),
        (Some(f), None) if !siblings.contains_key(f) => ctx.err(
            "E0110",
            &format!("{path}.money.currency_field"),
            format!("currency field `{f}` is not a field of this object"),
        ),
        (None, Some(code)) if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) => {
            ctx.err(
                "E0110",
                &format!("{path}.money.currency"),
                format!("`{code}` is not a three-letter currency code"),
            )
        }
        _ => {}
    }
}

fn check_field(
    ctx: &mut Ctx,
    path: &dyn Display,
    f: &Field,
    siblings: &indexmap::IndexMap<String, Field>,
) {
    check_type_ref(ctx, &Sub(path, "type"), &f.ty, f.items.as_deref());
    check_rules(ctx, path, &f.ty, &f.rules());
    let money = Builtin::parse(&f.ty) == Some(Builtin::Money);
    match (money, &f.money) {
        (true, None) => ctx.err_hint(
            "E0110",
            path,
            "a money field needs `money: { currency_field, wire }`",
            "e.g. `money: { currency_field: currency, wire: integer_minor }`",
        ),
        (true, Some(m)) => check_money_currency(ctx, path, m, siblings),
        (false, Some(_)) => ctx.err(
            "E0110",
            &format!("{path}.money"),
            "`money` settings need `type: money`",
        ),
        _ => {}
    }
    if let Some(crate::spec::model::FieldSource::Credential(c)) = &f.from {
        if !ctx.spec().credentials.contains_key(c) {
            ctx.err(
                "E0108",
                &format!("{path}.from"),
                format!("unknown credential `{c}`"),
            );
        }
    }
    if let Some(crate::spec::model::FieldSource::Clock(fmt)) = &f.from {
        check_clock_format(ctx, &format!("{path}.from"), fmt);
    }
    if let Some(crate::spec::model::FieldSource::Value(v)) = &f.from {
        if v.is_null() || v.is_array() || v.is_object() {
            let message = "a constant field value must be a string, number or boolean";
            ctx.err("E0126", &format!("{path}.from.value"), message);
        }
    }
}

fn check_clock_format(ctx: &mut Ctx, path: &dyn Display, fmt: &str) {
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c == '%' && !matches!(chars.next(), Some('Y' | 'm' | 'd' | 'H' | 'M' | 'S' | '%')) {
            ctx.err_hint(
                "E0123",
                path,
                format!("clock format `{fmt}` uses an unsupported directive"),
                "supported: %Y %m %d %H %M %S %%",
            );
            return;
        }
    }
}

fn check_type_ref(ctx: &mut Ctx, path: &dyn Display, ty: &str, items: Option<&str>) {
    let container = is_container(ty);
    match (container, items) {
        (true, None) => ctx.err_hint(
            "E0113",
            path,
            format!("`{ty}` needs `items`"),
            format!("e.g. `type: {ty}` with `items: string`"),
        ),
        (false, Some(_)) => ctx.err(
            "E0113",
            path,
            format!("`items` only applies to list and map, not `{ty}`"),
        ),
        (true, Some(inner)) => {
            if matches!(
                Builtin::parse(inner),
                Some(Builtin::List | Builtin::Map | Builtin::Money)
            ) {
                ctx.err(
                    "E0113",
                    path,
                    format!("`items: {inner}` is not supported; name an object type instead"),
                );
            } else if !known_type(ctx, inner) {
                unknown_type(ctx, path, inner);
            }
        }
        (false, None) => {
            if !known_type(ctx, ty) {
                unknown_type(ctx, path, ty);
            }
        }
    }
}

fn check_rules(ctx: &mut Ctx, path: &dyn Display, ty: &str, rules: &crate::spec::model::Rules) {
    let stringy = Builtin::parse(ty).is_none_or(Builtin::is_text);
    if let Some(p) = &rules.pattern {
        if let Err(e) = paygen_runtime::validate::compile_pattern(p) {
            let first = e
                .to_string()
                .lines()
                .last()
                .unwrap_or("invalid")
                .trim()
                .to_string();
            ctx.err_hint(
                "E0101",
                &format!("{path}.pattern"),
                format!("invalid regular expression: {first}"),
                "patterns use Rust regex syntax; quote them with single quotes in YAML",
            );
        }
    }
    let string_rule = rules.pattern.is_some()
        || rules.min_length.is_some()
        || rules.max_length.is_some()
        || rules.format.is_some()
        || rules.allowed.is_some();
    if string_rule && !stringy {
        ctx.err(
            "E0121",
            path,
            format!("pattern/length/format/allowed rules apply to strings, not `{ty}`"),
        );
    }
    let int_rule = rules.minimum.is_some() || rules.maximum.is_some();
    if int_rule && !matches!(Builtin::parse(ty), Some(Builtin::Integer | Builtin::Money)) {
        ctx.err(
            "E0121",
            path,
            format!("minimum/maximum apply to integer and money, not `{ty}`"),
        );
    }
    if let (Some(a), Some(b)) = (rules.min_length, rules.max_length) {
        if a > b {
            ctx.err(
                "E0121",
                path,
                format!("min_length {a} is greater than max_length {b}"),
            );
        }
    }
    if let (Some(a), Some(b)) = (rules.minimum, rules.maximum) {
        if a > b {
            ctx.err(
                "E0121",
                path,
                format!("minimum {a} is greater than maximum {b}"),
            );
        }
    }
}
