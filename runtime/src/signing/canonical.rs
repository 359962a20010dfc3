//! The v1 canonical rendering of body fields (which fields, in what order, the string they
//! render to), with its templates parsed once.

use std::borrow::Cow;

use super::recipe::{AbsentRule, KeyCase, Over, Placement, Recipe, SkipRule, SortOrder};
use super::render::Renderer;
use super::template::Template;
use super::view::tree_field_text;
use super::SigningError;
use crate::wire_tree::{WireObject, WireValue};

/// The canonical rules of one recipe, compiled.
#[derive(Debug, Clone)]
pub(crate) struct CanonicalPlan {
    pair: Template,
    renderer: Renderer,
}

impl CanonicalPlan {
    /// Parses the pair templates of `recipe.canonical`.
    pub(crate) fn new(recipe: &Recipe) -> Result<Self, SigningError> {
        Ok(CanonicalPlan {
            pair: Template::parse(&recipe.canonical.pair, "canonical.pair")?,
            renderer: Renderer::new(&recipe.canonical)?,
        })
    }

    /// prefix + rendered pairs joined + suffix.
    pub(crate) fn render(
        &self,
        recipe: &Recipe,
        map: &WireObject<'_>,
    ) -> Result<String, SigningError> {
        let rules = &recipe.canonical;
        let mut out = String::with_capacity(256);
        out.push_str(&rules.prefix);
        let mut first = true;
        let mut push = |out: &mut String, key: &str, rendered: &str| {
            if !std::mem::take(&mut first) {
                out.push_str(&rules.join);
            }
            match rules.key_case {
                KeyCase::Lower if has_upper_case(key) => {
                    self.pair.render_into(out, &key.to_lowercase(), rendered)
                }
                _ => self.pair.render_into(out, key, rendered),
            }
        };
        if let Over::Fields(listed) = &recipe.over {
            let mut names: Vec<&String> = listed.iter().collect();
            if rules.sort == SortOrder::Keys {
                names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            }
            for name in names {
                if !is_signed_key(recipe, name) {
                    continue;
                }
                let rendered = match map.get(name.as_str()) {
                    Some(v) => self.renderer.top_level(v)?,
                    None if name.contains('.') => tree_field_text(map, name),
                    None => None,
                };
                let rendered = match (rendered, &rules.absent) {
                    (Some(r), _) => r,
                    (None, AbsentRule::Skip) => continue,
                    (None, AbsentRule::Empty) => Cow::Borrowed(""),
                    (None, AbsentRule::Render(t)) => Cow::Borrowed(t.as_str()),
                };
                if !is_skipped(rules.skip, &rendered) {
                    push(&mut out, name, &rendered);
                }
            }
        } else {
            for (key, value) in selected_fields(recipe, map) {
                let Some(rendered) = self.renderer.top_level(value)? else {
                    continue;
                };
                if !is_skipped(rules.skip, &rendered) {
                    push(&mut out, key, &rendered);
                }
            }
        }
        out.push_str(&rules.suffix);
        Ok(out)
    }
}

/// The signed top-level fields in signing order: every field minus `exclude` and the
/// signature's own body field, ordered per `sort` (byte order of the original spelling).
fn selected_fields<'m, 'a>(
    recipe: &Recipe,
    map: &'m WireObject<'a>,
) -> Vec<(&'m str, &'m WireValue<'a>)> {
    let mut fields: Vec<(&str, &WireValue<'a>)> = map
        .iter()
        .filter(|(key, _)| is_signed_key(recipe, key))
        .collect();
    if recipe.canonical.sort == SortOrder::Keys {
        fields.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    }
    fields
}

/// False for excluded keys and for the body field the signature itself travels in.
fn is_signed_key(recipe: &Recipe, key: &str) -> bool {
    let is_signature_field = matches!(&recipe.place, Placement::BodyField(f) if f == key);
    !is_signature_field && !recipe.exclude.iter().any(|e| e == key)
}

/// Whether lower-casing changes `key` (a byte scan for ASCII keys, the usual case).
fn has_upper_case(key: &str) -> bool {
    if key.is_ascii() {
        key.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        key.chars().any(|c| c.to_lowercase().ne([c]))
    }
}

fn is_skipped(rule: SkipRule, rendered: &str) -> bool {
    match rule {
        SkipRule::Never => false,
        SkipRule::Empty => rendered.is_empty(),
        SkipRule::Blank => rendered.trim().is_empty(),
    }
}
