//! Signing checks: recipe coherence, credentials, signed fields, and every test vector.

use paygen_runtime::credentials::Credentials;
use paygen_runtime::signing::{self, Over, Recipe, SignInput};

use super::ops::credential;
use super::Ctx;
use crate::spec::model::{RecipeName, Vector};

pub(super) fn check(ctx: &mut Ctx) {
    let Some(s) = &ctx.spec().signing else {
        check_recipe_use(ctx, None, None);
        return;
    };
    for (name, recipe) in [
        ("request", &s.request),
        ("response", &s.response),
        ("webhook", &s.webhook),
    ] {
        if let Some(r) = recipe {
            check_recipe(ctx, name, r);
        }
    }
    check_recipe_use(ctx, s.request.as_ref(), s.response.as_ref());
    for (i, v) in s.vectors.iter().enumerate() {
        check_vector(ctx, i, v);
    }
}

fn check_recipe(ctx: &mut Ctx, name: &str, r: &Recipe) {
    let path = format!("signing.{name}");
    for problem in signing::check_recipe(r) {
        ctx.err("E0115", &path, format!("recipe `{name}`: {problem}"));
    }
    credential(
        ctx,
        &format!("{path}.secret.credential"),
        &r.secret.credential,
    );
}

/// Operations that sign or verify need the recipe; listed fields must exist in signed requests.
fn check_recipe_use(ctx: &mut Ctx, request: Option<&Recipe>, response: Option<&Recipe>) {
    for (name, op) in &ctx.spec().operations {
        let path = format!("operations.{name}");
        if op.sign == Some(true) && request.is_none() {
            ctx.err(
                "E0115",
                &format!("{path}.sign"),
                "operation is signed but `signing.request` is missing",
            );
        }
        if op.verify_response && response.is_none() {
            ctx.err(
                "E0115",
                &format!("{path}.verify_response"),
                "response verification needs `signing.response`",
            );
        }
        let signed = op.sign.unwrap_or(request.is_some());
        if let (
            true,
            Some(Recipe {
                over: Over::Fields(fields),
                ..
            }),
            Some(req),
        ) = (signed, request, &op.request)
        {
            check_signed_fields(ctx, &path, req, fields);
        }
    }
}

fn check_signed_fields(ctx: &mut Ctx, path: &str, req: &str, fields: &[String]) {
    let Some(def) = ctx.spec().types.get(req) else {
        return;
    };
    let Some(known) = &def.fields else { return };
    for f in fields {
        if !known.contains_key(f) {
            ctx.err_hint(
                "E0104",
                "signing.request.over",
                format!("recipe `request` signs field `{f}`, which `{req}` ({path}) does not have"),
                "list only fields of every signed request, or sign `body_fields`",
            );
        }
    }
}

fn check_vector(ctx: &mut Ctx, i: usize, v: &Vector) {
    let path = format!("signing.vectors[{i}]");
    let Some(recipe) = recipe_of(ctx, v.recipe) else {
        ctx.err(
            "E0115",
            &format!("{path}.recipe"),
            format!(
                "vector uses recipe `{}`, which is not defined",
                v.recipe.as_str()
            ),
        );
        return;
    };
    let mut creds = Credentials::new();
    for (k, val) in &v.credentials {
        creds.insert(k.clone(), val.as_str());
    }
    let fields: Option<serde_json::Map<String, serde_json::Value>> =
        v.input.as_ref().map(|m| m.clone().into_iter().collect());
    let input = match (&fields, &v.raw) {
        (Some(f), None) => SignInput::Fields(f),
        (None, Some(raw)) => SignInput::Raw(raw.as_bytes()),
        _ => {
            ctx.err(
                "E0105",
                &path,
                "a vector needs exactly one of `input` (fields) or `raw` (body text)",
            );
            return;
        }
    };
    match signing::sign(&recipe, &creds, &input) {
        Err(e) => ctx.err(
            "E0105",
            &path,
            format!("vector {} cannot be signed: {e}", label(v)),
        ),
        Ok(signed) => compare(ctx, &path, v, &signed),
    }
}

fn compare(ctx: &mut Ctx, path: &str, v: &Vector, signed: &signing::Signed) {
    if let Some(expected) = &v.canonical {
        if *expected != signed.canonical {
            ctx.err_hint(
                "E0105",
                &format!("{path}.canonical"),
                format!(
                    "vector {}: canonical string differs\n  expected: {expected}\n  computed: {}",
                    label(v),
                    signed.canonical
                ),
                "run `paygen sign` to see each stage",
            );
            return;
        }
    }
    if v.signature != signed.signature {
        ctx.err_hint(
            "E0105",
            &format!("{path}.signature"),
            format!(
                "vector {}: signature differs\n  expected: {}\n  computed: {}",
                label(v),
                v.signature,
                signed.signature
            ),
            "the canonical string matches, so look at the secret, digest and encoding stages",
        );
    }
}

fn label(v: &Vector) -> String {
    v.name.clone().unwrap_or_else(|| "(unnamed)".into())
}

fn recipe_of(ctx: &Ctx, name: RecipeName) -> Option<Recipe> {
    let s = ctx.spec().signing.as_ref()?;
    match name {
        RecipeName::Request => s.request.clone(),
        RecipeName::Response => s.response.clone(),
        RecipeName::Webhook => s.webhook.clone(),
    }
}
