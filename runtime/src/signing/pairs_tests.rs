//! Canonical pairs written in a fixed order by a writer (what generated `rt::WriteSigned`
//! impls do) sign exactly what the tree path signs: on many generated bodies (upper-case,
//! non-ASCII and excluded keys; nulls, booleans, numbers, blank texts, empty and nested
//! objects, lists) under every recipe the canonical tests use, wherever the recipe lets pairs
//! be written ([`CompiledRecipe::signs_written_pairs`]).

use serde_json::{Map, Value};

use super::canonical_tests::{body, recipes, Rng};
use super::pairs::{CanonicalPairs, FlatPairs, WriteFlatPairs, WriteSigned};
use super::recipe::{NestedRule, Placement, Recipe};
use super::tests::base;
use super::{CompiledRecipe, RequestView, Signer};
use crate::credentials::Credentials;
use crate::json_direct::WriteJson;
use crate::towire::{ToWire, WireContext};
use crate::validate::ValidationErrors;
use crate::wire_tree::{take_at, WireObject, WireValue};
use crate::FixedClock;

/// A body whose pairs are written in the byte order of its keys, as a generated writer fixes
/// them: strings as texts, objects flattened (`FLAT`) or as values, the rest as values.
struct Written<const FLAT: bool> {
    map: Map<String, Value>,
    lower_case: bool,
}

impl<const FLAT: bool> Written<FLAT> {
    fn new(map: &Map<String, Value>) -> Self {
        let lower_case = map
            .keys()
            .all(|k| !k.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()));
        Written {
            map: map.clone(),
            lower_case,
        }
    }
}

/// An object's entries in the byte order of their keys.
fn sorted<'o, 'a>(object: &'o WireObject<'a>) -> Vec<(&'o str, &'o WireValue<'a>)> {
    let mut entries: Vec<_> = object.iter().collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    entries
}

impl<const FLAT: bool> ToWire for Written<FLAT> {
    fn validate(&self, _path: &str, _errs: &mut ValidationErrors) {}

    fn to_wire(
        &self,
        _ctx: &WireContext<'_>,
        _path: &str,
        _errs: &mut ValidationErrors,
    ) -> WireValue<'_> {
        WireValue::Object(WireObject::from_json(&self.map))
    }
}

impl<const FLAT: bool> WriteJson for Written<FLAT> {}

/// A nested object's entries, flattened.
struct Nested<'o, 'a>(&'o WireObject<'a>);

impl WriteFlatPairs for Nested<'_, '_> {
    fn write_flat_pairs(&self, _ctx: &WireContext<'_>, pairs: &mut FlatPairs<'_>) {
        for (key, value) in sorted(self.0) {
            match value {
                WireValue::Str(s) => pairs.text(key, s),
                other => pairs.value(key, other),
            }
        }
    }
}

impl<const FLAT: bool> WriteSigned for Written<FLAT> {
    const FLATTENS: bool = FLAT;
    // checked per body below: a writer declares what its keys are
    const KEYS_ARE_LOWER_CASE: bool = false;

    fn write_pairs(&self, ctx: &WireContext<'_>, pairs: &mut CanonicalPairs<'_, '_>) {
        let tree = WireObject::from_json(&self.map);
        for (key, value) in sorted(&tree) {
            match value {
                WireValue::Str(s) => pairs.text(key, s),
                WireValue::Object(o) if FLAT => pairs.object(key, &Nested(o), ctx),
                other => pairs.value(key, other),
            }
        }
    }
}

/// The same writer declaring its keys lower-case (only used on bodies whose keys are).
struct LowerCase(Written<false>);

impl ToWire for LowerCase {
    fn validate(&self, path: &str, errs: &mut ValidationErrors) {
        self.0.validate(path, errs);
    }

    fn to_wire(
        &self,
        ctx: &WireContext<'_>,
        path: &str,
        errs: &mut ValidationErrors,
    ) -> WireValue<'_> {
        self.0.to_wire(ctx, path, errs)
    }
}

impl WriteJson for LowerCase {}

impl WriteSigned for LowerCase {
    const FLATTENS: bool = false;
    const KEYS_ARE_LOWER_CASE: bool = true;

    fn write_pairs(&self, ctx: &WireContext<'_>, pairs: &mut CanonicalPairs<'_, '_>) {
        self.0.write_pairs(ctx, pairs);
    }
}

/// What the tree path signs: the body's tree without the signature's own field.
fn tree_signature(signer: &Signer, map: &Map<String, Value>) -> Option<String> {
    let mut fields = WireObject::from_json(map);
    if let Placement::BodyField(name) = &signer.plan().recipe().place {
        take_at(&mut fields, name);
    }
    let view = RequestView {
        fields: Some(&fields),
        ..RequestView::default()
    };
    signer.sign(&view).ok()
}

#[test]
fn pairs_written_in_key_order_sign_what_the_tree_signs() {
    let mut rng = Rng(0x51_6e_14);
    let creds = Credentials::new().with("key", "s3cret");
    let clock = FixedClock(0);
    let ctx = WireContext {
        credentials: &creds,
        clock: &clock,
        exponents: &[],
    };
    let bodies: Vec<Map<String, Value>> = (0..200).map(|_| body(&mut rng, 12)).collect();
    let (mut flat, mut plain, mut lower) = (0, 0, 0);
    for recipe in recipes() {
        let Ok(signer) = Signer::from_recipe(&recipe, &creds) else {
            panic!("recipe compiles");
        };
        let plan = signer.plan();
        for map in &bodies {
            let expected = tree_signature(&signer, map);
            if plan.signs_written_pairs(true).is_some() {
                let written = Written::<true>::new(map);
                assert_eq!(signer.sign_written(&written, &ctx).ok(), expected);
                flat += 1;
            }
            if plan.signs_written_pairs(false).is_some() {
                let written = Written::<false>::new(map);
                assert_eq!(signer.sign_written(&written, &ctx).ok(), expected);
                plain += 1;
                if written.lower_case {
                    let written = LowerCase(written);
                    assert_eq!(signer.sign_written(&written, &ctx).ok(), expected);
                    lower += 1;
                }
            }
        }
    }
    // not vacuous: every writer signed many bodies
    assert!(
        flat >= 600 && plain >= 1000 && lower >= 100,
        "{flat} {plain} {lower}"
    );
}

#[test]
fn only_recipes_over_the_sorted_body_fields_sign_written_pairs() {
    let compiled = |r: &Recipe| CompiledRecipe::new(r).map_err(|e| e.to_string());
    let plain = Recipe {
        place: Placement::BodyField("signature".into()),
        ..base()
    };
    let accepted = compiled(&plain).map(|c| c.signs_written_pairs(false).map(String::from));
    assert_eq!(accepted, Ok(Some("signature".into())));
    let json_nested = compiled(&plain).map(|c| c.signs_written_pairs(true).is_some());
    assert_eq!(
        json_nested,
        Ok(matches!(
            plain.canonical.nested,
            NestedRule::FlattenOneLevel { .. }
        ))
    );
    let mut header = plain.clone();
    header.headers.insert("X-Sig".into(), "{signature}".into());
    let mut dotted = plain.clone();
    dotted.place = Placement::BodyField("a.signature".into());
    let mut in_header = plain.clone();
    in_header.place = Placement::Header("X-Signature".into());
    let mut unsorted = plain.clone();
    unsorted.canonical.sort = super::recipe::SortOrder::None;
    let mut valued = plain.clone();
    valued.value = Some("v1={signature}".into());
    for refused in [header, dotted, in_header, unsorted, valued] {
        let signs = compiled(&refused).map(|c| c.signs_written_pairs(false).is_some());
        assert_eq!(signs, Ok(false), "{refused:?}");
    }
}
