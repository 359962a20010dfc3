//! Which named types a spec's requests reach (they are validated strictly and encoded by the client).

use std::collections::BTreeSet;

use super::model::Spec;

/// Names of the types reachable from any operation's request type.
pub fn request_types(spec: &Spec) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for op in spec.operations.values() {
        if let Some(r) = &op.request {
            visit(spec, r, &mut seen);
        }
    }
    for page in spec.pages.values() {
        visit(spec, &page.request, &mut seen);
    }
    seen
}

fn visit(spec: &Spec, name: &str, seen: &mut BTreeSet<String>) {
    if !seen.insert(name.to_string()) {
        return;
    }
    let Some(def) = spec.types.get(name) else {
        return;
    };
    for f in def.fields.iter().flat_map(|f| f.values()) {
        visit(spec, &f.ty, seen);
        if let Some(items) = &f.items {
            visit(spec, items, seen);
        }
    }
    for v in def.variants.iter().flat_map(|v| v.values()) {
        visit(spec, &v.ty, seen);
    }
    if let Some(items) = &def.items {
        visit(spec, items, seen);
    }
}
