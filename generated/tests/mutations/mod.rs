//! Systematic invalid variants of a valid typed request: each required field dropped or blank,
//! each rule broken (pattern, length, allowed values, format, range), enums and currencies
//! unknown, a wrong JSON type. Derived from the IR, independently of the interpreter under test.

use paygen_codegen::ir::{Field, Format, Provider, Rules, Scalar, TypeKind, TypeRef};
use serde_json::{Map, Value};

/// One step of a path into a JSON value.
#[derive(Debug, Clone)]
pub enum Step {
    /// Object key.
    Key(String),
    /// Array index.
    Index(usize),
}

/// One invalid variant: where it changed the value, what it did, and the changed value.
#[derive(Debug, Clone)]
pub struct Mutation {
    /// The changed field (wire path as the client reports it, `items[0].sku`).
    pub path: String,
    /// What was done (`drop`, `blank`, `pattern`, ...).
    pub what: &'static str,
    /// The whole request with the change.
    pub value: Value,
}

/// Every mutation of `value` (a valid request of type `ty`).
pub fn mutations(p: &Provider, ty: &str, value: &Value) -> Vec<Mutation> {
    let mut out = Vec::new();
    walk(p, ty, value, value, &mut Vec::new(), &mut out, 0);
    out
}

fn walk(
    p: &Provider,
    ty: &str,
    root: &Value,
    here: &Value,
    at: &mut Vec<Step>,
    out: &mut Vec<Mutation>,
    depth: usize,
) {
    let Some(kind) = p.types.iter().find(|t| t.rust == ty).map(|t| &t.kind) else {
        return;
    };
    if depth > 6 {
        return;
    }
    match kind {
        TypeKind::Object { fields } => {
            let Value::Object(map) = here else { return };
            for f in fields.iter().filter(|f| f.source.is_none()) {
                at.push(Step::Key(f.wire.clone()));
                field_mutations(p, f, root, map.get(&f.wire), at, out, depth);
                at.pop();
            }
        }
        TypeKind::OneOf { variants } => {
            // The variants whose fields account for every key present.
            for v in variants {
                if fits(p, &v.ty, here) {
                    walk(p, &v.ty, root, here, at, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn fits(p: &Provider, ty: &str, value: &Value) -> bool {
    match (
        p.types.iter().find(|t| t.rust == ty).map(|t| &t.kind),
        value,
    ) {
        (Some(TypeKind::Object { fields }), Value::Object(map)) => {
            map.keys().all(|k| fields.iter().any(|f| &f.wire == k))
        }
        _ => false,
    }
}

fn field_mutations(
    p: &Provider,
    f: &Field,
    root: &Value,
    current: Option<&Value>,
    at: &mut Vec<Step>,
    out: &mut Vec<Mutation>,
    depth: usize,
) {
    let mut push = |what: &'static str, v: Option<Value>| {
        out.push(Mutation {
            path: path_text(at),
            what,
            value: set_at(root, at, v),
        })
    };
    if f.required && current.is_some() {
        push("drop", None);
        if is_text(p, &f.ty) {
            push("blank", Some(Value::from("")));
        }
    }
    for (what, bad) in rule_breakers(p, &f.ty, &f.rules) {
        push(what, Some(bad));
    }
    if let TypeRef::Money { currency_field, .. } = &f.ty {
        push("money_negative", Some(Value::from(-1)));
        at.pop();
        at.push(Step::Key(currency_field.clone()));
        let path = path_text(at);
        out.push(Mutation {
            path,
            what: "unknown_currency",
            value: set_at(root, at, Some(Value::from("QQQ"))),
        });
        at.pop();
        at.push(Step::Key(f.wire.clone()));
    }
    match (&f.ty, current) {
        (TypeRef::Named(n), Some(v)) => walk(p, n, root, v, at, out, depth + 1),
        (TypeRef::List(inner), Some(Value::Array(items))) if !items.is_empty() => {
            if let TypeRef::Named(n) = inner.as_ref() {
                at.push(Step::Index(0));
                walk(p, n, root, &items[0], at, out, depth + 1);
                at.pop();
            }
        }
        (TypeRef::Scalar(Scalar::Integer), Some(_)) => {
            out.push(Mutation {
                path: path_text(at),
                what: "wrong_type",
                value: set_at(root, at, Some(Value::from("not a number"))),
            });
        }
        _ => {}
    }
}

fn is_text(p: &Provider, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Scalar(Scalar::String) | TypeRef::Sensitive(_) => true,
        TypeRef::Named(n) => matches!(
            p.types.iter().find(|t| &t.rust == n).map(|t| &t.kind),
            Some(TypeKind::Scalar {
                base: Scalar::String,
                ..
            })
        ),
        _ => false,
    }
}

/// Values breaking each rule of a field (or of the checked scalar / enum it names).
fn rule_breakers(p: &Provider, ty: &TypeRef, rules: &Rules) -> Vec<(&'static str, Value)> {
    let named = match ty {
        TypeRef::Named(n) => p.types.iter().find(|t| &t.rust == n).map(|t| &t.kind),
        _ => None,
    };
    match (ty, named) {
        (_, Some(TypeKind::Enum { .. })) => vec![("enum", Value::from("__undocumented__"))],
        (
            _,
            Some(TypeKind::Scalar {
                base: Scalar::String,
                rules,
            }),
        ) => text_breakers(rules),
        (TypeRef::Scalar(Scalar::String) | TypeRef::Sensitive(_), _) => text_breakers(rules),
        (TypeRef::Scalar(Scalar::Integer), _) => {
            let mut out = Vec::new();
            if let Some(min) = rules.minimum {
                out.push(("minimum", Value::from(min - 1)));
            }
            if let Some(max) = rules.maximum {
                out.push(("maximum", Value::from(max + 1)));
            }
            out
        }
        (TypeRef::Money { .. }, _) => rules
            .maximum
            .map(|max| vec![("maximum", Value::from(max + 1))])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn text_breakers(rules: &Rules) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    if let Some(re) = rules
        .pattern
        .as_deref()
        .and_then(|p| regex::Regex::new(p).ok())
    {
        let candidates = ["", "!", "~ ~", "0", "ZZ", "a-b_c.d", &"9".repeat(70)];
        if let Some(bad) = candidates.iter().find(|c| !re.is_match(c)) {
            out.push(("pattern", Value::from(*bad)));
        }
    }
    if let Some(max) = rules.max_length {
        out.push(("max_length", Value::from("a".repeat(max + 1))));
    }
    if let Some(min) = rules.min_length.filter(|m| *m > 1) {
        out.push(("min_length", Value::from("a".repeat(min - 1))));
    }
    if rules.allowed.as_ref().is_some_and(|a| !a.is_empty()) {
        out.push(("allowed", Value::from("__not_allowed__")));
    }
    if let Some(fmt) = rules.format {
        let bad = match fmt {
            Format::Currency => "QQQ",
            Format::CountryAlpha2 => "QQ",
            Format::Email => "not-an-email",
            Format::Date => "2024-13-45",
            Format::DateTime => "yesterday",
            Format::CardNumber => "4111111111111112",
            Format::Url => "not a url",
            Format::Ip => "999.1.1.1",
        };
        out.push(("format", Value::from(bad)));
    }
    out
}

fn path_text(at: &[Step]) -> String {
    let mut out = String::new();
    for s in at {
        match s {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// `root` with the value at `at` replaced (`None`: removed).
fn set_at(root: &Value, at: &[Step], v: Option<Value>) -> Value {
    let mut out = root.clone();
    let mut here = &mut out;
    for (i, step) in at.iter().enumerate() {
        let last = i + 1 == at.len();
        match step {
            Step::Key(k) => {
                if !here.is_object() {
                    *here = Value::Object(Map::new());
                }
                let Value::Object(map) = here else { break };
                if last {
                    match v {
                        Some(v) => {
                            map.insert(k.clone(), v);
                        }
                        None => {
                            map.shift_remove(k);
                        }
                    }
                    break;
                }
                here = map.entry(k.clone()).or_insert(Value::Null);
            }
            Step::Index(idx) => {
                let Value::Array(items) = here else { break };
                let Some(item) = items.get_mut(*idx) else {
                    break;
                };
                if last {
                    if let Some(v) = v {
                        *item = v;
                    }
                    break;
                }
                here = item;
            }
        }
    }
    out
}
