//! The v1 canonical rendering of body fields, compiled once into a flat plan (the pair
//! template's pieces, separators, the signed keys and their order rule, listed fields
//! pre-sorted and pre-filtered) and written per call into one [`TextBuf`] with no template
//! parsing and no per-field `String`; the keys' order remembered between calls ([`OrderCache`]).

use std::borrow::Cow;

use smallvec::SmallVec;

use super::order::OrderCache;
use super::recipe::{AbsentRule, KeyCase, Over, Placement, Recipe, SkipRule, SortOrder};
use super::render::{Renderer, Top};
use super::template::Template;
use super::text_buf::{is_blank, is_blank_bytes, Lit, TextBuf};
use super::view::tree_field_text;
use super::SigningError;
use crate::wire_tree::{WireObject, WireValue};

/// Signed fields kept on the stack while sorting (more spill to the heap).
const INLINE_FIELDS: usize = 24;

/// One field of `over: { fields }`, resolved when the plan is compiled.
#[derive(Debug, Clone)]
struct Listed {
    /// The name looked up (a dotted name reaches into a nested object).
    name: String,
    /// The key as written into the canonical string (lower-cased if the recipe says so).
    key: String,
}

/// The canonical rules of one recipe, compiled.
#[derive(Debug, Clone)]
pub(crate) struct CanonicalPlan {
    pair: Template,
    renderer: Renderer,
    prefix: Lit,
    suffix: Lit,
    join: Lit,
    sort: bool,
    lower_keys: bool,
    skip: SkipRule,
    absent: AbsentRule,
    /// Top-level keys never signed: `exclude` and the signature's own body field.
    excluded: Vec<String>,
    /// `over: { fields }`: the fields in signing order, excluded ones left out.
    listed: Option<Vec<Listed>>,
    /// The top-level keys' order of the last bodies signed.
    order: OrderCache,
}

impl CanonicalPlan {
    /// Compiles `recipe.canonical` (and the field list of `over: { fields }`).
    pub(crate) fn new(recipe: &Recipe) -> Result<Self, SigningError> {
        let rules = &recipe.canonical;
        let mut excluded = recipe.exclude.clone();
        match &recipe.place {
            Placement::BodyField(f) if !excluded.contains(f) => excluded.push(f.clone()),
            _ => {}
        }
        let lower_keys = rules.key_case == KeyCase::Lower;
        let listed = match &recipe.over {
            Over::Fields(names) => {
                let mut names: Vec<&String> = names.iter().collect();
                if rules.sort == SortOrder::Keys {
                    names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
                }
                let listed = names
                    .into_iter()
                    .filter(|n| !excluded.contains(n))
                    .map(|n| Listed {
                        name: n.clone(),
                        key: if lower_keys {
                            n.to_lowercase()
                        } else {
                            n.clone()
                        },
                    })
                    .collect();
                Some(listed)
            }
            _ => None,
        };
        Ok(CanonicalPlan {
            pair: Template::parse(&rules.pair, "canonical.pair")?,
            renderer: Renderer::new(rules)?,
            prefix: Lit::new(&rules.prefix),
            suffix: Lit::new(&rules.suffix),
            join: Lit::new(&rules.join),
            sort: rules.sort == SortOrder::Keys,
            lower_keys,
            skip: rules.skip,
            absent: rules.absent.clone(),
            excluded,
            listed,
            order: OrderCache::default(),
        })
    }

    /// prefix + rendered pairs joined + suffix, as a string (tools, message templates).
    pub(crate) fn render(&self, map: &WireObject<'_>) -> String {
        let mut out = TextBuf::new();
        self.write(map, &mut out);
        out.into_string()
    }

    /// prefix + rendered pairs joined + suffix, written into `out`.
    pub(crate) fn write(&self, map: &WireObject<'_>, out: &mut TextBuf) {
        self.prefix.push_to(out);
        let mut pairs = Pairs::new(self, out);
        match &self.listed {
            Some(listed) => self.write_listed(listed, map, &mut pairs),
            None => self.write_body_fields(map, &mut pairs),
        }
        self.suffix.push_to(out);
    }

    fn write_listed(&self, listed: &[Listed], map: &WireObject<'_>, pairs: &mut Pairs<'_, '_>) {
        for field in listed {
            let mut number = itoa::Buffer::new();
            let found: Option<Cow<'_, str>> = match map.get(field.name.as_str()) {
                Some(v) => match self.renderer.top_level(v, &mut number) {
                    Top::Text(text) => Some(Cow::Borrowed(text)),
                    Top::Container => {
                        pairs.push_container(&field.key, false, v);
                        continue;
                    }
                    Top::Absent => None,
                },
                None if field.name.contains('.') => tree_field_text(map, &field.name),
                None => None,
            };
            let Some(text) = found.or_else(|| self.absent_text().map(Cow::Borrowed)) else {
                continue;
            };
            pairs.push(&field.key, false, &text);
        }
    }

    /// The text of an absent listed field, `None` when it is left out.
    fn absent_text(&self) -> Option<&str> {
        match &self.absent {
            AbsentRule::Skip => None,
            AbsentRule::Empty => Some(""),
            AbsentRule::Render(t) => Some(t),
        }
    }

    fn write_body_fields(&self, map: &WireObject<'_>, pairs: &mut Pairs<'_, '_>) {
        if !self.sort {
            for (key, value) in map.iter() {
                if self.is_signed_key(key) {
                    self.write_field(key, value, pairs);
                }
            }
            return;
        }
        // filled in place: a collected vector would be moved (a copy of its inline array)
        let mut fields: SmallVec<[(&str, &WireValue<'_>); INLINE_FIELDS]> = SmallVec::new();
        fields.extend(map.iter());
        for at in self.order.sorted(&fields, |field| field.0).positions() {
            if let Some(&(key, value)) = fields.get(at) {
                if self.is_signed_key(key) {
                    self.write_field(key, value, pairs);
                }
            }
        }
    }

    // inlined into the loops over fields: one call per field costs more than its body
    #[inline(always)]
    pub(super) fn write_field(&self, key: &str, value: &WireValue<'_>, pairs: &mut Pairs<'_, '_>) {
        self.write_pair(key, self.lower_keys, value, pairs);
    }

    /// [`CanonicalPlan::write_field`] with the key lower-cased when `lower_key` says so.
    #[inline(always)]
    pub(super) fn write_pair(
        &self,
        key: &str,
        lower_key: bool,
        value: &WireValue<'_>,
        pairs: &mut Pairs<'_, '_>,
    ) {
        let mut number = itoa::Buffer::new();
        match self.renderer.top_level(value, &mut number) {
            Top::Text(text) => pairs.push(key, lower_key, text),
            Top::Container => pairs.push_container(key, lower_key, value),
            Top::Absent => {}
        }
    }

    /// False for excluded keys and for the body field the signature itself travels in.
    pub(super) fn is_signed_key(&self, key: &str) -> bool {
        !self.excluded.iter().any(|e| e == key)
    }

    /// Whether the pairs are written in the byte order of their keys, of every top-level key
    /// of the body (`over: body_fields`): the order a generated writer fixes in advance.
    pub(super) fn sorts_body_fields(&self) -> bool {
        self.sort && self.listed.is_none()
    }

    /// Whether top-level keys are written lower-cased.
    pub(super) fn lower_keys(&self) -> bool {
        self.lower_keys
    }

    /// The renderer of values.
    pub(super) fn renderer(&self) -> &Renderer {
        &self.renderer
    }

    /// Writes the prefix (before the pairs).
    pub(super) fn open(&self, out: &mut TextBuf) {
        self.prefix.push_to(out);
    }

    /// Writes the suffix (after the pairs).
    pub(super) fn close(&self, out: &mut TextBuf) {
        self.suffix.push_to(out);
    }
}

/// The pairs written so far: the join goes before every pair but the first.
pub(super) struct Pairs<'p, 'o> {
    pub(super) plan: &'p CanonicalPlan,
    pub(super) out: &'o mut TextBuf,
    first: bool,
}

impl<'p, 'o> Pairs<'p, 'o> {
    /// No pair written yet into `out`.
    pub(super) fn new(plan: &'p CanonicalPlan, out: &'o mut TextBuf) -> Self {
        Pairs {
            plan,
            out,
            first: true,
        }
    }

    /// Writes one pair unless its value is skipped.
    #[inline(always)]
    pub(super) fn push(&mut self, key: &str, lower_key: bool, value: &str) {
        if is_skipped(self.plan.skip, value) {
            return;
        }
        if !std::mem::take(&mut self.first) {
            self.plan.join.push_to(self.out);
        }
        self.plan.pair.write(self.out, key, lower_key, value);
    }

    /// Writes one pair whose value is a container, rendered in place; the pair is taken back
    /// when the rendered value is skipped.
    fn push_container(&mut self, key: &str, lower_key: bool, value: &WireValue<'_>) {
        let renderer = &self.plan.renderer;
        self.push_rendered(key, lower_key, |out| renderer.write_container(value, out));
    }

    /// Writes one pair whose value `render` writes in place (every time the pair template
    /// names `{value}`); the pair is taken back when the rendered value is skipped.
    pub(super) fn push_rendered(
        &mut self,
        key: &str,
        lower_key: bool,
        render: impl FnMut(&mut TextBuf),
    ) {
        let mark = self.out.len();
        if !self.first {
            self.plan.join.push_to(self.out);
        }
        let span = self.plan.pair.write_with(self.out, key, lower_key, render);
        let skipped = match self.plan.skip {
            SkipRule::Never => false,
            SkipRule::Empty => span.is_empty(),
            SkipRule::Blank => is_blank_bytes(self.out.bytes_at(span)),
        };
        if skipped {
            self.out.truncate(mark);
        } else {
            self.first = false;
        }
    }
}

fn is_skipped(rule: SkipRule, rendered: &str) -> bool {
    match rule {
        SkipRule::Never => false,
        SkipRule::Empty => rendered.is_empty(),
        SkipRule::Blank => is_blank(rendered),
    }
}
