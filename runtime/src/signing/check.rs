//! Recipe coherence checks (`check_recipe`), used by spec validation and when a recipe is
//! compiled. Version 2 keys are checked in `check_v2` (each problem with its key and a hint).

use std::collections::HashSet;

use super::check_v2::check_v2;
use super::recipe::{Canonical, Digest, NestedRule, Over, Placement, Recipe, SecretPlacement};
use super::template::Template;
use super::SigningError;

/// Every coherence problem of `recipe`, as human-readable sentences (empty when coherent).
pub fn check_recipe(recipe: &Recipe) -> Vec<String> {
    let mut problems = check_recipe_v1(recipe);
    problems.extend(check_v2(recipe).into_iter().map(|p| p.message));
    problems
}

/// The problems of the version 1 keys only (the version 2 ones: [`check_v2`]).
pub fn check_recipe_v1(recipe: &Recipe) -> Vec<String> {
    let mut problems = Vec::new();
    check_secret(recipe, &mut problems);
    check_over(recipe, &mut problems);
    check_placement(recipe, &mut problems);
    if !matches!(recipe.over, Over::RawBody) {
        check_templates(&recipe.canonical, &mut problems);
    }
    problems
}

fn is_hmac(digest: Digest) -> bool {
    digest.is_hmac()
}

fn check_secret(recipe: &Recipe, problems: &mut Vec<String>) {
    let secret = &recipe.secret;
    let hmac_key = secret.use_as == SecretPlacement::HmacKey;
    if is_hmac(recipe.digest) && !hmac_key {
        problems.push(format!(
            "digest {:?} is an HMAC: the secret must be `use: hmac_key`",
            recipe.digest
        ));
    }
    if hmac_key && !is_hmac(recipe.digest) {
        problems.push(format!(
            "secret `use: hmac_key` needs an hmac digest (hmac_sha256 | hmac_sha512), not {:?}",
            recipe.digest
        ));
    }
    if hmac_key && !secret.separator.is_empty() {
        problems.push("secret separator is meaningless with `use: hmac_key`".into());
    }
    if secret.credential.trim().is_empty() {
        problems.push("secret credential name is empty".into());
    }
}

fn check_over(recipe: &Recipe, problems: &mut Vec<String>) {
    match &recipe.over {
        Over::RawBody => {
            if !recipe.exclude.is_empty() {
                problems
                    .push("over: raw_body signs the exact bytes; `exclude` cannot apply".into());
            }
            if recipe.canonical != Canonical::default() {
                // v1: canonical rules cannot apply to raw bytes
                problems.push(
                    "over: raw_body signs the exact bytes; `canonical` rules cannot apply".into(),
                );
            }
        }
        Over::Fields(names) => check_field_list(recipe, names, problems),
        Over::BodyFields | Over::Message(_) => {}
    }
}

fn check_field_list(recipe: &Recipe, names: &[String], problems: &mut Vec<String>) {
    if names.is_empty() {
        problems.push("over: fields lists no field".into());
    }
    let mut seen = HashSet::new();
    for name in names {
        if !seen.insert(name.as_str()) {
            problems.push(format!("over: fields lists `{name}` twice"));
        }
        if recipe.exclude.contains(name) {
            problems.push(format!(
                "over: fields lists `{name}`, which `exclude` removes"
            ));
        }
        if matches!(&recipe.place, Placement::BodyField(f) if f == name) {
            problems.push(format!(
                "over: fields lists `{name}`, the signature's own field"
            ));
        }
    }
}

fn check_placement(recipe: &Recipe, problems: &mut Vec<String>) {
    match &recipe.place {
        Placement::BodyField(field) => {
            if field.is_empty() {
                problems.push("place: body_field names no field".into());
            }
            if recipe.over == Over::RawBody {
                problems.push(
                    "over: raw_body cannot place the signature in a body field (it would change the signed bytes)"
                        .into(),
                );
            }
        }
        Placement::Header(name) => {
            if !is_header_name(name) {
                problems.push(format!(
                    "place: header {name:?} is not a valid HTTP header name"
                ));
            }
        }
    }
}

/// RFC 9110 token characters.
pub(crate) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn check_templates(rules: &Canonical, problems: &mut Vec<String>) {
    if let Err(e) = Template::parse(&rules.pair, "canonical.pair") {
        problems.push(problem_text(e));
    }
    if let NestedRule::FlattenOneLevel { pair, .. } = &rules.nested {
        if let Err(e) = Template::parse(pair, "canonical.nested.pair") {
            problems.push(problem_text(e));
        }
    }
}

fn problem_text(error: SigningError) -> String {
    match error {
        SigningError::InvalidRecipe(text) => text,
        other => other.to_string(),
    }
}
