//! Facts emitters need, computed once over the lowered IR: whether a type can derive `Default`,
//! where its sensitive values are, and whether an operation documents non-2xx answer shapes. Cycles are handled with the set
//! of types on the current walk, never with a depth limit.

use std::collections::BTreeSet;

use crate::ir::{Operation, Response, Type, TypeId, TypeKind, TypeRef};

/// How many times a walk for sensitive paths enters a recursive type through itself: the
/// runtime's dotted paths cannot say "at any depth", so recursion is unrolled this far.
const RECURSION_UNROLL: usize = 4;

/// Fills [`Type::defaultable`] and [`Type::sensitive_paths`] of every type.
pub fn fill(types: &mut [Type]) {
    let mut memo = vec![None; types.len()];
    let defaultable: Vec<bool> = (0..types.len())
        .map(|i| Defaults::new(types, &mut memo).of(TypeId(i)))
        .collect();
    let sensitive: Vec<Vec<String>> = (0..types.len())
        .map(|i| sensitive_paths(types, TypeId(i)))
        .collect();
    for ((t, d), s) in types.iter_mut().zip(defaultable).zip(sensitive) {
        t.defaultable = d;
        t.sensitive_paths = s;
    }
}

/// Whether `#[derive(Default)]` compiles: an object whose every member is optional or has a
/// default. A type met again while its own answer is being worked out has none (a required
/// cycle has no finite default).
struct Defaults<'a> {
    types: &'a [Type],
    memo: &'a mut Vec<Option<bool>>,
    walking: BTreeSet<TypeId>,
}

impl<'a> Defaults<'a> {
    fn new(types: &'a [Type], memo: &'a mut Vec<Option<bool>>) -> Self {
        Defaults {
            types,
            memo,
            walking: BTreeSet::new(),
        }
    }

    fn of(&mut self, id: TypeId) -> bool {
        if let Some(known) = self.memo[id.0] {
            return known;
        }
        if !self.walking.insert(id) {
            return false;
        }
        let t = &self.types[id.0];
        let answer = match &t.kind {
            TypeKind::Object { fields } => fields
                .iter()
                .filter(|f| f.source.is_none())
                .all(|f| !(t.in_request && f.required) || self.of_ref(&f.ty)),
            _ => false,
        };
        self.walking.remove(&id);
        self.memo[id.0] = Some(answer);
        answer
    }

    fn of_ref(&mut self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Scalar(crate::ir::Scalar::Decimal) => false,
            TypeRef::Scalar(_)
            | TypeRef::Sensitive(_)
            | TypeRef::List(_)
            | TypeRef::Map(_)
            | TypeRef::Money { .. } => true,
            TypeRef::Named(id) => self.of(*id),
        }
    }
}

/// Dotted wire paths of the sensitive values of a type, sorted and without repeats.
fn sensitive_paths(types: &[Type], id: TypeId) -> Vec<String> {
    let mut walk = Sensitive {
        types,
        on_path: Vec::new(),
        out: BTreeSet::new(),
    };
    walk.named(id, "");
    walk.out.into_iter().collect()
}

struct Sensitive<'a> {
    types: &'a [Type],
    /// Types entered on the way to the current position (a type may repeat when recursive).
    on_path: Vec<TypeId>,
    out: BTreeSet<String>,
}

impl Sensitive<'_> {
    fn named(&mut self, id: TypeId, prefix: &str) {
        if self.on_path.iter().filter(|t| **t == id).count() >= RECURSION_UNROLL {
            return;
        }
        self.on_path.push(id);
        match &self.types[id.0].kind {
            TypeKind::Object { fields } => {
                for f in fields {
                    let path = if prefix.is_empty() {
                        f.wire.clone()
                    } else {
                        format!("{prefix}.{}", f.wire)
                    };
                    self.reference(&f.ty, &path);
                }
            }
            TypeKind::Alias(r) => self.reference(r, prefix),
            TypeKind::OneOf { variants } => {
                for v in variants {
                    self.named(v.ty, prefix);
                }
            }
            // a checked scalar declared sensitive (`CardNumber`, `CardCvv`) is a sensitive value
            TypeKind::Scalar { rules, .. } if rules.sensitive.is_some() && !prefix.is_empty() => {
                self.out.insert(prefix.to_string());
            }
            TypeKind::Scalar { .. } | TypeKind::Enum { .. } => {}
        }
        self.on_path.pop();
    }

    fn reference(&mut self, r: &TypeRef, path: &str) {
        match r {
            TypeRef::Sensitive(_) => {
                self.out.insert(path.to_string());
            }
            TypeRef::Named(id) => self.named(*id, path),
            TypeRef::List(inner) => self.reference(inner, &format!("{path}[]")),
            _ => {}
        }
    }
}

/// Whether a documented response shape comes with a non-2xx status (by its condition, or by a
/// documented example such as a typed decline on HTTP 400).
pub fn typed_error_statuses(o: &Operation) -> bool {
    fn non_2xx(c: &crate::ir::Condition) -> bool {
        c.http_status.is_some_and(|(lo, hi)| lo >= 300 || hi < 200) || c.any.iter().any(non_2xx)
    }
    let Response::Variants(vs) = &o.response else {
        return false;
    };
    let documented = o.examples.iter().any(|e| {
        !(200..300).contains(&e.status)
            && e.expect.as_ref().is_some_and(|x| {
                vs.iter().any(|v| {
                    &v.rust == x || crate::naming::pascal(x).ok().as_ref() == Some(&v.rust)
                })
            })
    });
    documented || vs.iter().any(|v| v.when.as_ref().is_some_and(non_2xx))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Rules, Scalar, Sensitivity};

    fn field(wire: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            wire: wire.into(),
            rust: wire.into(),
            doc: None,
            ty,
            required,
            rules: Rules::default(),
            source: None,
            local: false,
        }
    }

    fn object(name: &str, in_request: bool, fields: Vec<Field>) -> Type {
        Type {
            rust: name.into(),
            doc: None,
            kind: TypeKind::Object { fields },
            in_request,
            requires: Vec::new(),
            defaultable: false,
            sensitive_paths: Vec::new(),
        }
    }

    #[test]
    fn a_recursive_type_is_unrolled_a_bounded_number_of_times() {
        let mut types = vec![
            object(
                "Node",
                true,
                vec![
                    field("secret", TypeRef::Sensitive(Sensitivity::Secret), true),
                    field("child", TypeRef::Named(TypeId(0)), false),
                    field(
                        "items",
                        TypeRef::List(Box::new(TypeRef::Named(TypeId(1)))),
                        false,
                    ),
                ],
            ),
            object(
                "Leaf",
                true,
                vec![field("pan", TypeRef::Sensitive(Sensitivity::Pan), true)],
            ),
        ];
        fill(&mut types);
        let node = &types[0].sensitive_paths;
        assert_eq!(node.len(), 2 * RECURSION_UNROLL, "{node:#?}");
        assert!(node.contains(&"child.child.child.items[].pan".to_string()));
        assert!(node.contains(&"child.child.child.secret".to_string()));
        assert!(!node
            .iter()
            .any(|p| p.starts_with("child.child.child.child")));
        assert_eq!(types[1].sensitive_paths, vec!["pan".to_string()]);
        let mut sorted = node.clone();
        sorted.sort();
        assert_eq!(&sorted, node);
    }

    #[test]
    fn a_field_of_a_sensitive_checked_scalar_is_a_sensitive_path() {
        let pan = Type {
            rust: "CardNumber".into(),
            doc: None,
            kind: TypeKind::Scalar {
                base: Scalar::String,
                rules: Rules {
                    sensitive: Some(Sensitivity::Pan),
                    ..Rules::default()
                },
            },
            in_request: true,
            requires: Vec::new(),
            defaultable: false,
            sensitive_paths: Vec::new(),
        };
        let mut types = vec![
            object(
                "Card",
                true,
                vec![
                    field("number", TypeRef::Named(TypeId(1)), true),
                    field("holder", TypeRef::Scalar(Scalar::String), true),
                ],
            ),
            pan,
        ];
        fill(&mut types);
        assert_eq!(types[0].sensitive_paths, vec!["number".to_string()]);
        assert!(types[1].sensitive_paths.is_empty());
    }

    #[test]
    fn defaults_need_every_required_member_defaultable_and_a_required_cycle_has_none() {
        let text = || TypeRef::Scalar(Scalar::String);
        let decimal = || TypeRef::Scalar(Scalar::Decimal);
        let mut types = vec![
            object("A", true, vec![field("b", TypeRef::Named(TypeId(1)), true)]),
            object("B", true, vec![field("a", TypeRef::Named(TypeId(0)), true)]),
            object("Texts", true, vec![field("x", text(), true)]),
            object("Amount", true, vec![field("d", decimal(), true)]),
            object("Read", false, vec![field("d", decimal(), true)]),
            object(
                "Outer",
                true,
                vec![field("inner", TypeRef::Named(TypeId(2)), true)],
            ),
        ];
        fill(&mut types);
        let got: Vec<bool> = types.iter().map(|t| t.defaultable).collect();
        assert_eq!(got, vec![false, false, true, false, true, true]);
    }
}
