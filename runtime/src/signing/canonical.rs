//! The canonical stage: which fields are signed, in what order, and the string they render to.

use serde_json::{Map, Value};

use super::recipe::{KeyCase, Over, Placement, Recipe, SkipRule, SortOrder};
use super::render::Renderer;
use super::template::Template;
use super::{SignInput, SigningError};

/// The canonical bytes to digest plus their display text (identical unless a raw body is not
/// UTF-8, in which case the text is a lossy rendering and the bytes stay exact).
pub(crate) struct CanonicalForm {
    pub(crate) text: String,
    pub(crate) bytes: Vec<u8>,
}

/// Builds the canonical form of `input` under `recipe` (the recipe is assumed checked).
pub(crate) fn canonical_form(
    recipe: &Recipe,
    input: &SignInput,
) -> Result<CanonicalForm, SigningError> {
    match (&recipe.over, input) {
        (Over::RawBody, SignInput::Raw(bytes)) => Ok(CanonicalForm {
            text: String::from_utf8_lossy(bytes).into_owned(),
            bytes: bytes.to_vec(),
        }),
        (Over::RawBody, SignInput::Fields(_)) => Err(SigningError::WrongInput(
            "recipe signs raw_body but fields were given",
        )),
        (_, SignInput::Raw(_)) => Err(SigningError::WrongInput(
            "recipe signs fields but a raw body was given",
        )),
        (_, SignInput::Fields(map)) => {
            let text = canonical_fields(recipe, map)?;
            Ok(CanonicalForm {
                bytes: text.clone().into_bytes(),
                text,
            })
        }
    }
}

/// prefix + rendered pairs joined + suffix.
fn canonical_fields(recipe: &Recipe, map: &Map<String, Value>) -> Result<String, SigningError> {
    let rules = &recipe.canonical;
    let pair = Template::parse(&rules.pair, "canonical.pair")?;
    let renderer = Renderer::new(rules)?;
    let mut parts = Vec::new();
    for (key, value) in selected_fields(recipe, map) {
        let Some(rendered) = renderer.top_level(value)? else {
            continue;
        };
        if is_skipped(rules.skip, &rendered) {
            continue;
        }
        let key = match rules.key_case {
            KeyCase::AsIs => key.to_string(),
            KeyCase::Lower => key.to_lowercase(),
        };
        parts.push(pair.render(&key, &rendered));
    }
    Ok(format!(
        "{}{}{}",
        rules.prefix,
        parts.join(&rules.join),
        rules.suffix
    ))
}

/// The signed top-level fields in signing order: `over` selection, minus `exclude` and the
/// signature's own body field, ordered per `sort` (byte order of the original spelling).
fn selected_fields<'m>(recipe: &Recipe, map: &'m Map<String, Value>) -> Vec<(&'m str, &'m Value)> {
    let mut fields: Vec<(&str, &Value)> = match &recipe.over {
        Over::Fields(names) => names
            .iter()
            .filter_map(|n| map.get_key_value(n.as_str()))
            .map(|(k, v)| (k.as_str(), v))
            .collect(),
        _ => map.iter().map(|(k, v)| (k.as_str(), v)).collect(),
    };
    fields.retain(|(key, _)| is_signed_key(recipe, key));
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

fn is_skipped(rule: SkipRule, rendered: &str) -> bool {
    match rule {
        SkipRule::Never => false,
        SkipRule::Empty => rendered.is_empty(),
        SkipRule::Blank => rendered.trim().is_empty(),
    }
}
