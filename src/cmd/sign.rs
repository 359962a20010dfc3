//! `paygen sign SPEC RECIPE --credential NAME=VALUE (--body FILE|- | --body-text TEXT)`: signature
//! debugging, stage by stage (secrets masked), for v1 and v2 recipes; the request parts a v2
//! message reads (method, path, headers, generated values) can be fixed on the command line.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paygen_codegen::spec::diag::render;
use paygen_runtime::signing::{Over, Recipe, RequestView, Signer};
use paygen_runtime::wire_tree::WireObject;
use paygen_runtime::Credentials;

/// Arguments of `paygen sign`.
#[derive(Debug, clap::Args)]
pub struct SignArgs {
    /// The spec file.
    pub spec: PathBuf,
    /// Recipe: request, response or webhook.
    pub recipe: String,
    /// A credential, NAME=VALUE (repeat for each).
    #[arg(long = "credential", value_name = "NAME=VALUE")]
    pub credentials: Vec<String>,
    /// The body to sign from a file, or `-` for standard input (JSON object, form body for
    /// form recipes, or raw bytes).
    #[arg(long, conflicts_with = "body_text")]
    pub body: Option<PathBuf>,
    /// The body to sign, given inline.
    #[arg(long)]
    pub body_text: Option<String>,
    /// Request method for `{method}` (default POST).
    #[arg(long, default_value = "POST")]
    pub method: String,
    /// Path as sent for `{path}` (default /).
    #[arg(long, default_value = "/")]
    pub path: String,
    /// Query string for `{query}` (without `?`).
    #[arg(long, default_value = "")]
    pub query: String,
    /// Host for `{host}`.
    #[arg(long, default_value = "localhost")]
    pub host: String,
    /// A request header, NAME:VALUE (repeat for each).
    #[arg(long = "header", value_name = "NAME:VALUE")]
    pub headers: Vec<String>,
    /// A path parameter, NAME=VALUE (repeat for each).
    #[arg(long = "path-param", value_name = "NAME=VALUE")]
    pub path_params: Vec<String>,
    /// The `{timestamp}` text to sign (as written on the wire).
    #[arg(long)]
    pub timestamp: Option<String>,
    /// The `{nonce}` text to sign.
    #[arg(long)]
    pub nonce: Option<String>,
    /// A received signature to check (public-key recipes can only verify).
    #[arg(long)]
    pub verify: Option<String>,
}

/// Prints `canonical: ...`, `digested: ...` (secret masked), `digest: ...`, `signature: ...`
/// (and `placed:` / `header:` lines for v2 outputs, `verified:` with `--verify`).
pub fn run(args: &SignArgs) -> ExitCode {
    match sign(args) {
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

fn sign(args: &SignArgs) -> Result<String, String> {
    let loaded = paygen_codegen::check_file(&args.spec).map_err(|d| render(&d))?;
    let recipe = pick_recipe(&loaded.spec, &args.recipe)?;
    let mut creds = parse_credentials(&args.credentials)?;
    for (name, c) in &loaded.spec.credentials {
        if !c.secret {
            creds.mark_public(name.clone());
        }
    }
    let bytes = read_body(args)?;
    let fields = match recipe.over {
        Over::RawBody => None,
        Over::Message(_) => body_fields(&bytes).ok(),
        Over::BodyFields | Over::Fields(_) => Some(body_fields(&bytes)?),
    };
    let mut headers = pairs(&args.headers, ':', "--header")?;
    let path_params = pairs(&args.path_params, '=', "--path-param")?;
    let signer = Signer::from_recipe(&recipe, &creds).map_err(|e| format!("error: {e}\n"))?;
    let mut view = RequestView::default();
    (view.method, view.path, view.query, view.host) =
        (&args.method, &args.path, &args.query, &args.host);
    let tree = fields.as_ref().map(WireObject::from_json);
    (view.fields, view.body, view.path_params) = (tree.as_ref(), &bytes, &path_params);
    (view.timestamp, view.nonce) = (args.timestamp.as_deref(), args.nonce.as_deref());
    let added = signer.recipe_headers(&view);
    headers.extend(added.iter().cloned());
    view.headers = &headers;
    let mut out = String::new();
    for (name, value) in &added {
        out.push_str(&format!("header: {name}: {value}\n"));
    }
    if recipe.digest.is_asymmetric() && signer.sign(&view).is_err() {
        let canonical = signer
            .message_text(&view)
            .map_err(|e| format!("error: {e}\n"))?;
        out.push_str(&format!(
            "canonical: {canonical}\nsignature: (a public key cannot sign; use --verify)\n"
        ));
    } else {
        let stages = signer.stages(&view).map_err(|e| format!("error: {e}\n"))?;
        out.push_str(&format!(
            "canonical: {}\ndigested: {}\ndigest: {}\nsignature: {}\n",
            stages.canonical, stages.digested_masked, stages.digest_hex, stages.signature
        ));
        if recipe.value.is_some() {
            out.push_str(&format!(
                "placed: {}\n",
                signer.placed(&view, &stages.signature)
            ));
        }
    }
    if let Some(received) = &args.verify {
        let ok = signer.verify(&view, received).is_ok();
        out.push_str(if ok {
            "verified: yes\n"
        } else {
            "verified: no\n"
        });
    }
    Ok(out)
}

fn read_body(args: &SignArgs) -> Result<Vec<u8>, String> {
    match (&args.body, &args.body_text) {
        (_, Some(text)) => Ok(text.clone().into_bytes()),
        (Some(path), None) if path == Path::new("-") => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("error: standard input: {e}\n"))?;
            Ok(bytes)
        }
        (Some(path), None) => {
            std::fs::read(path).map_err(|e| format!("error: {}: {e}\n", path.display()))
        }
        (None, None) => {
            Err("error: give the body with --body FILE, --body - or --body-text TEXT\n".into())
        }
    }
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

/// `NAME<sep>VALUE` pairs (the name trimmed; the value as given, one leading space dropped
/// after `:`).
fn pairs(items: &[String], sep: char, flag: &str) -> Result<Vec<(String, String)>, String> {
    items
        .iter()
        .map(|item| {
            let (name, value) = item.split_once(sep).ok_or_else(|| {
                format!(
                    "error: {flag} `{}` must be NAME{sep}VALUE\n",
                    item.split(sep).next().unwrap_or("")
                )
            })?;
            let value = if sep == ':' {
                value.strip_prefix(' ').unwrap_or(value)
            } else {
                value
            };
            Ok((name.trim().to_string(), value.to_string()))
        })
        .collect()
}

fn parse_credentials(items: &[String]) -> Result<Credentials, String> {
    let mut creds = Credentials::new();
    for (name, value) in pairs(items, '=', "--credential")? {
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
    let pairs = paygen_runtime::wire::form_decode(text.trim_end())
        .ok_or("error: the body is neither a JSON object nor a form body\n")?;
    Ok(pairs
        .into_iter()
        .map(|(k, v)| (k, serde_json::Value::String(v)))
        .collect())
}
