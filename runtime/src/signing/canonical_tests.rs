//! The compiled canonical writer (pair shapes written directly, remembered key orders, keys
//! lower-cased only when they need it, lists on the stack) against a plain reference written
//! from the documented rules over `serde_json` values, on many generated trees and recipes; and
//! the compiled signer's signature against a SHA-1 of the reference text.

use serde_json::{Map, Value};
use sha1::{Digest as _, Sha1};

use super::canonical::CanonicalPlan;
use super::python_repr::python_repr;
use super::recipe::*;
use super::tests::base;
use super::{RequestView, Signer};
use crate::credentials::Credentials;
use crate::wire_tree::{WireObject, WireValue};

/// A small deterministic generator (xorshift64*).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &[
    "amount",
    "Amount",
    "AMOUNT_TOTAL",
    "currency",
    "merchant_id",
    "site_login",
    "site_id",
    "a",
    "B",
    "additional_fields",
    "expiry date",
    "card_holder_name_as_printed",
    "Ключ",
    "clé",
    "ÉTAT",
    "x_Y_z",
    "signature",
    "k1",
    "k10",
    "k2",
];

const TEXTS: &[&str] = &[
    "",
    " ",
    "\t\n",
    "\u{a0}",
    "USD",
    "card",
    "John Doe",
    "4111111111111111",
    "a;b:c",
    "é à",
    "  padded  ",
    "Ünïcödé",
    "{key}",
];

const NUMBERS: &[&str] = &[
    "0",
    "-7",
    "2000",
    "12.30",
    "1e5",
    "-0.5",
    "9223372036854775807",
];

fn scalar(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => "null".into(),
        1 => if rng.below(2) == 0 { "true" } else { "false" }.into(),
        2 => rng.pick(NUMBERS).into(),
        _ => Value::String(rng.pick(TEXTS).into()).to_string(),
    }
}

fn value(rng: &mut Rng, depth: usize) -> String {
    match (depth, rng.below(8)) {
        (0..=1, 0) => object(rng, depth + 1, 4),
        (0..=1, 1) => list(rng, depth + 1),
        _ => scalar(rng),
    }
}

fn list(rng: &mut Rng, depth: usize) -> String {
    let items: Vec<String> = (0..rng.below(5)).map(|_| value(rng, depth)).collect();
    format!("[{}]", items.join(","))
}

fn object(rng: &mut Rng, depth: usize, max: usize) -> String {
    let mut keys: Vec<&str> = Vec::new();
    for _ in 0..rng.below(max + 1) {
        let k = rng.pick(KEYS);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let pairs: Vec<String> = keys
        .iter()
        .map(|k| format!("{}:{}", Value::String((*k).into()), value(rng, depth)))
        .collect();
    format!("{{{}}}", pairs.join(","))
}

/// A body of up to `max` top-level fields, parsed as the wire parses it (numbers keep their
/// text).
pub(super) fn body(rng: &mut Rng, max: usize) -> Map<String, Value> {
    match serde_json::from_str::<Value>(&object(rng, 0, max)) {
        Ok(Value::Object(m)) => m,
        other => panic!("generated body does not parse: {other:?}"),
    }
}

// ---- the reference ----------------------------------------------------------------------------

/// `template` with `{key}` and `{value}` filled in one left-to-right pass.
fn fill(template: &str, key: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("{key}") {
            out.push_str(key);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("{value}") {
            out.push_str(value);
            rest = r;
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn scalar_text(c: &Canonical, v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => match &c.null {
            NullRule::Skip => String::new(),
            NullRule::Render(t) => t.clone(),
        },
        Value::Bool(true) => c.bools.true_text.clone(),
        Value::Bool(false) => c.bools.false_text.clone(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(_) | Value::Object(_) => return None,
    })
}

fn inner_text(c: &Canonical, v: &Value) -> String {
    scalar_text(c, v).unwrap_or_else(|| match c.deep {
        DeepRule::Json => v.to_string(),
        DeepRule::PythonRepr => python_repr(&WireValue::from_json(v)),
    })
}

fn sorted_by_key(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    entries
}

/// A top-level value's text; `None` when its pair is left out (a null under `null: skip`).
fn top_text(c: &Canonical, v: &Value) -> Option<String> {
    match v {
        Value::Null if c.null == NullRule::Skip => None,
        Value::Object(map) => Some(match &c.nested {
            NestedRule::Json => v.to_string(),
            NestedRule::FlattenOneLevel { pair, join } => sorted_by_key(map)
                .into_iter()
                .map(|(k, v)| fill(pair, k, &inner_text(c, v)))
                .collect::<Vec<_>>()
                .join(join),
        }),
        Value::Array(items) => Some(match &c.lists {
            ListRule::Json => v.to_string(),
            ListRule::Join(sep) => items
                .iter()
                .map(|i| inner_text(c, i))
                .collect::<Vec<_>>()
                .join(sep),
            ListRule::SortedJoin(sep) => {
                let mut texts: Vec<String> = items.iter().map(|i| inner_text(c, i)).collect();
                texts.sort();
                texts.join(sep)
            }
        }),
        scalar => scalar_text(c, scalar),
    }
}

/// The canonical string of `over: body_fields` by the documented rules.
fn reference(r: &Recipe, map: &Map<String, Value>) -> String {
    let c = &r.canonical;
    let mut excluded = r.exclude.clone();
    if let Placement::BodyField(f) = &r.place {
        excluded.push(f.clone());
    }
    let entries: Vec<(&String, &Value)> = match c.sort {
        SortOrder::Keys => sorted_by_key(map),
        SortOrder::None => map.iter().collect(),
    };
    let mut pairs = Vec::new();
    for (key, v) in entries {
        if excluded.contains(key) {
            continue;
        }
        let Some(text) = top_text(c, v) else { continue };
        let skipped = match c.skip {
            SkipRule::Never => false,
            SkipRule::Empty => text.is_empty(),
            SkipRule::Blank => text.trim().is_empty(),
        };
        if skipped {
            continue;
        }
        let key = match c.key_case {
            KeyCase::Lower => key.to_lowercase(),
            KeyCase::AsIs => key.clone(),
        };
        pairs.push(fill(&c.pair, &key, &text));
    }
    format!("{}{}{}", c.prefix, pairs.join(&c.join), c.suffix)
}

// ---- the recipes ------------------------------------------------------------------------------

pub(super) fn recipes() -> Vec<Recipe> {
    let flatten = |pair: &str, join: &str| NestedRule::FlattenOneLevel {
        pair: pair.into(),
        join: join.into(),
    };
    let python = Canonical {
        sort: SortOrder::Keys,
        key_case: KeyCase::Lower,
        pair: "{key}:{value}".into(),
        join: ";".into(),
        suffix: ";".into(),
        skip: SkipRule::Blank,
        null: NullRule::Render("None".into()),
        bools: BoolRender {
            true_text: "True".into(),
            false_text: "False".into(),
        },
        nested: flatten("{key}:{value}", ";"),
        lists: ListRule::SortedJoin(";".into()),
        deep: DeepRule::PythonRepr,
        ..Canonical::default()
    };
    let canonicals = [
        Canonical::default(),
        python.clone(),
        Canonical {
            sort: SortOrder::None,
            pair: "<{key}|{value}>".into(),
            prefix: "[".into(),
            lists: ListRule::Join(",".into()),
            nested: flatten("{value}={key}", "&"),
            skip: SkipRule::Empty,
            ..python.clone()
        },
        Canonical {
            pair: "{value}".into(),
            join: "|".into(),
            key_case: KeyCase::AsIs,
            null: NullRule::Skip,
            deep: DeepRule::Json,
            ..python.clone()
        },
        Canonical {
            pair: "{key}={value}&{key}".into(),
            skip: SkipRule::Never,
            nested: flatten("{key}{value}", ""),
            lists: ListRule::Json,
            ..python.clone()
        },
        Canonical {
            key_case: KeyCase::Lower,
            nested: NestedRule::Json,
            ..Canonical::default()
        },
    ];
    let mut out = Vec::new();
    for canonical in canonicals {
        out.push(Recipe {
            canonical: canonical.clone(),
            ..base()
        });
        out.push(Recipe {
            canonical,
            exclude: vec!["Amount".into()],
            place: Placement::BodyField("signature".into()),
            ..base()
        });
    }
    out
}

#[test]
fn the_compiled_writer_writes_what_the_rules_say_on_many_trees() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let bodies: Vec<Map<String, Value>> = (0..300)
        .map(|i| body(&mut rng, if i % 3 == 0 { 20 } else { 9 }))
        .collect();
    for recipe in recipes() {
        let plan = match CanonicalPlan::new(&recipe) {
            Ok(plan) => plan,
            Err(e) => panic!("{e}"),
        };
        // each body twice in a row, then all again: orders remembered, then other shapes
        for pass in 0..2 {
            for map in &bodies {
                let tree = WireObject::from_json(map);
                let expected = reference(&recipe, map);
                for _ in 0..=pass {
                    assert_eq!(
                        plan.render(&tree),
                        expected,
                        "{:?} {}",
                        recipe.canonical,
                        Value::Object(map.clone())
                    );
                }
            }
        }
    }
}

#[test]
fn a_canonical_string_past_the_stack_buffer_matches_the_reference() {
    let long = "é".repeat(300);
    let map = match serde_json::json!({"b": long, "A": {"z": long, "y": [3, 1, 2]}, "c": [long, "x"]})
    {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    for recipe in recipes() {
        let plan = CanonicalPlan::new(&recipe).map_err(|e| e.to_string());
        let rendered = plan.map(|p| p.render(&WireObject::from_json(&map)));
        assert_eq!(rendered, Ok(reference(&recipe, &map)));
    }
}

#[test]
fn compiled_signatures_are_sha1_of_the_reference_text_and_key() {
    let mut rng = Rng(42);
    let creds = Credentials::new().with("key", "s3cret");
    for recipe in recipes() {
        let signer = match Signer::from_recipe(&recipe, &creds) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        for _ in 0..60 {
            let map = body(&mut rng, 12);
            let tree = WireObject::from_json(&map);
            let view = RequestView {
                fields: Some(&tree),
                ..RequestView::default()
            };
            let mut h = Sha1::new();
            h.update(reference(&recipe, &map).as_bytes());
            h.update(b"s3cret");
            let expected = hex::encode(h.finalize());
            assert_eq!(signer.sign(&view).ok(), Some(expected.clone()));
            assert!(signer.verify(&view, &expected).is_ok());
        }
    }
}
