//! `paygen sign SPEC RECIPE --credential NAME=VALUE --body FILE`: signature debugging, stage by stage.

use std::path::Path;
use std::process::ExitCode;

use paygen_codegen::spec::diag::render;
use paygen_runtime::signing::{self, Over, Recipe, SignInput};
use paygen_runtime::Credentials;

/// Prints `canonical: ...`, `digested: ...` (secret masked), `signature: ...`.
pub fn run(spec: &Path, recipe: &str, credentials: &[String], body: &Path) -> ExitCode {
    match sign(spec, recipe, credentials, body) {
        Ok(lines) => {
            print!("{lines}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprint!("{message}");
            ExitCode::from(1)
        }
    }
}

fn sign(
    spec: &Path,
    recipe_name: &str,
    credentials: &[String],
    body: &Path,
) -> Result<String, String> {
    let loaded = paygen_codegen::check_file(spec).map_err(|d| render(&d))?;
    let recipe = pick_recipe(&loaded.spec, recipe_name)?;
    let creds = parse_credentials(credentials)?;
    let bytes = std::fs::read(body).map_err(|e| format!("error: {}: {e}\n", body.display()))?;
    let fields;
    let input = if recipe.over == Over::RawBody {
        SignInput::Raw(&bytes)
    } else {
        fields = body_fields(&bytes)?;
        SignInput::Fields(&fields)
    };
    let stages =
        signing::sign_stages(&recipe, &creds, &input).map_err(|e| format!("error: {e}\n"))?;
    Ok(format!(
        "canonical: {}\ndigested: {}\ndigest: {}\nsignature: {}\n",
        stages.canonical, stages.digested_masked, stages.digest_hex, stages.signature
    ))
}

fn pick_recipe(spec: &paygen_codegen::Spec, name: &str) -> Result<Recipe, String> {
    let s = spec
        .signing
        .as_ref()
        .ok_or("error: the spec has no `signing` section\n")?;
    let recipe = match name {
        "request" => &s.request,
        "response" => &s.response,
        "webhook" => &s.webhook,
        other => {
            return Err(format!(
                "error: unknown recipe `{other}` (request, response or webhook)\n"
            ))
        }
    };
    recipe
        .clone()
        .ok_or_else(|| format!("error: the spec has no `signing.{name}` recipe\n"))
}

fn parse_credentials(pairs: &[String]) -> Result<Credentials, String> {
    let mut creds = Credentials::new();
    for pair in pairs {
        let (name, value) = pair.split_once('=').ok_or_else(|| {
            format!(
                "error: --credential `{name}` must be NAME=VALUE\n",
                name = pair.split('=').next().unwrap_or("")
            )
        })?;
        creds.insert(name, value);
    }
    Ok(creds)
}

/// A JSON object, or a form body (`a=1&b=2`) as an object of strings.
fn body_fields(bytes: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(bytes) {
        return Ok(map);
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "error: the body is neither JSON nor a UTF-8 form body\n".to_string())?;
    let pairs = paygen_runtime::__codegen::form_decode(text.trim_end())
        .ok_or("error: the body is neither a JSON object nor a form body\n")?;
    Ok(pairs
        .into_iter()
        .map(|(k, v)| (k, serde_json::Value::String(v)))
        .collect())
}
