//! Test vectors: each is signed (or, for public-key recipes, verified) with the compiled recipe
//! exactly as clients run it, over the request parts the vector fixes (method, path, path
//! parameters, query, host, headers, body, generated values).

use paygen_runtime::signing::{Over, Recipe, RequestView, SecretPlacement, Signer};
use paygen_runtime::wire_tree::WireObject;
use paygen_runtime::Credentials;
use serde_json::{Map, Value};

use super::Ctx;
use crate::spec::model::{RecipeName, Vector};

/// The owned parts a vector's request view borrows.
struct Parts {
    fields: Option<Map<String, Value>>,
    body: Vec<u8>,
    path_params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

fn parts(v: &Vector) -> Parts {
    let fields: Option<Map<String, Value>> =
        v.input.as_ref().map(|m| m.clone().into_iter().collect());
    let body = match (&v.raw, &fields) {
        (Some(raw), _) => raw.as_bytes().to_vec(),
        (None, Some(f)) => serde_json::to_vec(f).unwrap_or_default(),
        (None, None) => Vec::new(),
    };
    Parts {
        fields,
        body,
        path_params: v.path_params.clone().into_iter().collect(),
        headers: v.headers.clone().into_iter().collect(),
    }
}

fn view<'a>(v: &'a Vector, p: &'a Parts, fields: Option<&'a WireObject<'a>>) -> RequestView<'a> {
    let mut view = RequestView::default();
    view.method = v.method.as_deref().unwrap_or("POST");
    view.path = v.path.as_deref().unwrap_or("/");
    view.query = v.query.as_deref().unwrap_or("");
    view.host = v.host.as_deref().unwrap_or("localhost");
    view.path_params = &p.path_params;
    view.headers = &p.headers;
    view.fields = fields;
    view.body = &p.body;
    view.timestamp = v.timestamp.as_deref();
    view.nonce = v.nonce.as_deref();
    view
}

pub(super) fn check_vector(ctx: &mut Ctx, i: usize, v: &Vector) {
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
    let shape_ok = match (&v.input, &v.raw) {
        (Some(_), None) => recipe.over != Over::RawBody,
        (None, Some(_)) => !matches!(recipe.over, Over::BodyFields | Over::Fields(_)),
        _ => false,
    };
    if !shape_ok {
        ctx.err(
            "E0105",
            &path,
            "a vector needs exactly one of `input` (fields, for field recipes) or `raw` (body text, for raw-body and message recipes)",
        );
        return;
    }
    let mut creds = Credentials::new();
    for (k, val) in &v.credentials {
        creds.insert(k.clone(), val.as_str());
        if ctx.spec().credentials.get(k).is_some_and(|c| !c.secret) {
            creds.mark_public(k.clone());
        }
    }
    let signer = match Signer::from_recipe(&recipe, &creds) {
        Ok(s) => s,
        Err(e) => {
            ctx.err(
                "E0105",
                &path,
                format!("vector {} cannot be signed: {e}", label(v)),
            );
            return;
        }
    };
    let mut p = parts(v);
    let body_fields = p.fields.take();
    let tree = body_fields.as_ref().map(WireObject::from_json);
    let preset = view(v, &p, tree.as_ref());
    let missing: Vec<(String, String)> = signer
        .recipe_headers(&preset)
        .into_iter()
        .filter(|(k, _)| !p.headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(k)))
        .collect();
    p.headers.extend(missing);
    let view = view(v, &p, tree.as_ref());
    match signer.message_text(&view) {
        Ok(text) => {
            if !compare_canonical(ctx, &path, v, &text) {
                return;
            }
        }
        Err(e) => {
            ctx.err(
                "E0105",
                &path,
                format!("vector {} cannot be signed: {e}", label(v)),
            );
            return;
        }
    }
    if recipe.digest.is_asymmetric() {
        check_asymmetric(ctx, &path, v, &recipe, &signer, &view);
    } else {
        match signer.sign(&view) {
            Ok(sig) => {
                compare_signature(ctx, &path, v, &sig);
                compare_placed(ctx, &path, v, &signer.placed(&view, &sig));
            }
            Err(e) => ctx.err(
                "E0105",
                &path,
                format!("vector {} cannot be signed: {e}", label(v)),
            ),
        }
    }
}

/// Public-key vectors: the published signature must verify; deterministic schemes signed with
/// a private key must also reproduce it byte for byte.
fn check_asymmetric(
    ctx: &mut Ctx,
    path: &str,
    v: &Vector,
    recipe: &Recipe,
    signer: &Signer,
    view: &RequestView<'_>,
) {
    if signer.verify(view, &v.signature).is_err() {
        ctx.err_hint(
            "E0105",
            &format!("{path}.signature"),
            format!(
                "vector {}: the published signature does not verify with the key",
                label(v)
            ),
            "check the message with `paygen sign`, the key credential (PEM) and the encoding",
        );
        return;
    }
    let private = recipe.secret.use_as == SecretPlacement::PrivateKey;
    if private && recipe.digest.is_deterministic() {
        if let Ok(sig) = signer.sign(view) {
            compare_signature(ctx, path, v, &sig);
        }
    }
    compare_placed(ctx, path, v, &signer.placed(view, &v.signature));
}

fn compare_canonical(ctx: &mut Ctx, path: &str, v: &Vector, computed: &str) -> bool {
    let Some(expected) = &v.canonical else {
        return true;
    };
    if expected == computed {
        return true;
    }
    ctx.err_hint(
        "E0105",
        &format!("{path}.canonical"),
        format!(
            "vector {}: canonical string differs\n  expected: {expected}\n  computed: {computed}",
            label(v)
        ),
        "run `paygen sign` to see each stage",
    );
    false
}

fn compare_signature(ctx: &mut Ctx, path: &str, v: &Vector, computed: &str) {
    if v.signature != computed {
        ctx.err_hint(
            "E0105",
            &format!("{path}.signature"),
            format!(
                "vector {}: signature differs\n  expected: {}\n  computed: {computed}",
                label(v),
                v.signature
            ),
            "the canonical string matches, so look at the secret, digest and encoding stages",
        );
    }
}

fn compare_placed(ctx: &mut Ctx, path: &str, v: &Vector, computed: &str) {
    if let Some(expected) = &v.placed {
        if expected != computed {
            ctx.err_hint(
                "E0105",
                &format!("{path}.placed"),
                format!(
                    "vector {}: placed value differs\n  expected: {expected}\n  computed: {computed}",
                    label(v)
                ),
                "compare the recipe's `value` template with the documented header",
            );
        }
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
