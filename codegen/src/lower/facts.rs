//! Facts about named types that emitters need, computed once over the lowered types: whether a
//! type can derive `Default`, and where its sensitive values are. Cycles are handled with the set
//! of types on the current walk, never with a depth limit.

use std::collections::BTreeSet;

use crate::ir::{Type, TypeId, TypeKind, TypeRef};

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
