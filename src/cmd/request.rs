//! `paygen request SPEC OPERATION --body FILE`: a dry run printing the exact HTTP request the
//! generated client would send for a request body (validated exactly as the client validates
//! it, encoded by the runtime's request-types interpreter, prepared by the runtime's engine).

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paygen_codegen::ir::{self, Provider, Source, TypeKind, TypeRef};
use paygen_codegen::spec::diag::render;
use paygen_codegen::table;
use paygen_runtime::engine::{PreparedRequest, Preparer};
use paygen_runtime::redact::redact_text;
use paygen_runtime::schema::encode_request;
use paygen_runtime::signing::{Generated, Placement};
use paygen_runtime::WireContext;
use paygen_runtime::{Clock, Credentials, Error, FixedClock, SystemClock};
use serde_json::{Map, Value};

/// The environment whose base URLs the spec's `sandbox.credentials` test values belong to.
const SANDBOX_ENV: &str = "sandbox";

/// Arguments of `paygen request`.
#[derive(Debug, clap::Args)]
pub struct RequestArgs {
    /// The spec file.
    pub spec: PathBuf,
    /// Operation name.
    pub operation: String,
    /// The body: a JSON file, or `-` for standard input.
    #[arg(long, conflicts_with = "body_text")]
    pub body: Option<PathBuf>,
    /// The body as JSON text.
    #[arg(long, value_name = "JSON")]
    pub body_text: Option<String>,
    /// A credential, NAME=VALUE (repeat for each).
    #[arg(long = "credential", value_name = "NAME=VALUE")]
    pub credentials: Vec<String>,
    /// Environment (default: `sandbox` when the spec has one, else its first).
    #[arg(long)]
    pub env: Option<String>,
    /// Show credential values, card numbers and CVVs (the exact bytes).
    #[arg(long)]
    pub reveal: bool,
    /// Unix time for clock-filled fields and generated timestamps (default: now).
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub now: Option<i64>,
    /// The generated nonce (default: a fresh random one), to reproduce a request.
    #[arg(long)]
    pub nonce: Option<String>,
}

/// Prints the request, or every problem (exit 1: nothing printed on stdout).
pub fn run(args: &RequestArgs) -> ExitCode {
    match request(args) {
        Ok((notes, text)) => {
            eprint!("{notes}");
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprint!("{message}");
            ExitCode::from(1)
        }
    }
}

fn request(args: &RequestArgs) -> Result<(String, String), String> {
    let loaded = paygen_codegen::check_file(&args.spec).map_err(|d| render(&d))?;
    let p = paygen_codegen::lower::lower(&loaded.spec, &args.spec.display().to_string());
    let op = find_operation(&p, &args.operation)?;
    let env = pick_env(&p, args.env.as_deref())?;
    let sandbox_values: std::collections::BTreeMap<String, String> = loaded
        .spec
        .sandbox
        .as_ref()
        .map(|s| s.credentials.clone().into_iter().collect())
        .unwrap_or_default();
    let creds = credentials(&p, op, &args.credentials, &env, &sandbox_values)?;
    let mut notes = String::new();
    let body = read_body(args.body.as_deref(), args.body_text.as_deref())?;
    let fields = encode(&p, op, body, &creds, args.now, &mut notes)?;
    let clock = FixedClock(args.now.unwrap_or_else(|| SystemClock.now_unix()));
    let prepared = prepare(&p, op, &env, &creds, &clock, args.nonce.as_deref(), fields)?;
    Ok((notes, show(&p, &prepared, &creds, args.reveal)))
}

/// The exact request, from the same preparation code the client sends with.
fn prepare(
    p: &Provider,
    op: &ir::Operation,
    env: &str,
    creds: &Credentials,
    clock: &FixedClock,
    nonce: Option<&str>,
    fields: Option<Map<String, Value>>,
) -> Result<PreparedRequest, String> {
    let base_urls = table::base_urls(p, env).unwrap_or_default();
    let base = base_urls
        .iter()
        .find(|(h, _)| *h == op.host)
        .map(|(_, url)| url.as_str())
        .ok_or_else(|| {
            format!(
                "error: environment `{env}` has no base URL for host `{}`\n",
                op.host
            )
        })?;
    let preparer = Preparer::new(table::auth_plan(p), p.recipes.request.as_ref(), creds)
        .map_err(error_text)?;
    let signer = preparer.signer().filter(|_| op.sign);
    let mut generated = match signer {
        Some(s) => Generated::fresh(&s.plan().recipe().generate, clock),
        None => Generated::default(),
    };
    if let Some(n) = nonce {
        if generated.nonce.is_none() {
            return Err(format!(
                "error: `{}` sends no generated nonce (--nonce applies to recipes with `generate: {{ nonce }}`)\n",
                op.name
            ));
        }
        generated.nonce = Some(n.to_string());
    }
    preparer
        .prepare_with(&table::operation(op), base, &generated, fields)
        .map_err(error_text)
}

fn find_operation<'p>(p: &'p Provider, name: &str) -> Result<&'p ir::Operation, String> {
    p.operations.iter().find(|o| o.name == name).ok_or_else(|| {
        let names: Vec<&str> = p.operations.iter().map(|o| o.name.as_str()).collect();
        format!(
            "error: `{}` has no operation `{name}` (operations: {})\n",
            p.id,
            names.join(", ")
        )
    })
}

fn pick_env(p: &Provider, asked: Option<&str>) -> Result<String, String> {
    let names: Vec<&str> = p.environments.iter().map(|e| e.name.as_str()).collect();
    match asked {
        Some(name) if names.contains(&name) => Ok(name.to_string()),
        Some(name) => Err(format!(
            "error: `{}` has no environment `{name}` (environments: {})\n",
            p.id,
            names.join(", ")
        )),
        None if names.contains(&SANDBOX_ENV) => Ok(SANDBOX_ENV.to_string()),
        None => names
            .first()
            .map(|n| n.to_string())
            .ok_or_else(|| format!("error: `{}` has no environments\n", p.id)),
    }
}

/// The command line's credentials; the spec's test values fill the others in the sandbox's
/// environment. Every credential the request needs must end up given.
fn credentials(
    p: &Provider,
    op: &ir::Operation,
    pairs: &[String],
    env: &str,
    sandbox_values: &std::collections::BTreeMap<String, String>,
) -> Result<Credentials, String> {
    let mut creds = Credentials::new();
    for pair in pairs {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| "error: --credential must be NAME=VALUE\n".to_string())?;
        if !p.credentials.iter().any(|c| c.name == name) {
            return Err(format!("error: `{}` has no credential `{name}`\n", p.id));
        }
        creds.insert(name, value);
    }
    let mut missing = Vec::new();
    for name in needed_credentials(p, op) {
        if creds.get(&name).is_some() {
            continue;
        }
        match sandbox_values.get(&name).filter(|_| env == SANDBOX_ENV) {
            Some(value) => {
                creds.insert(name, value.as_str());
            }
            None => missing.push(name),
        }
    }
    if missing.is_empty() {
        return Ok(creds);
    }
    let flags: Vec<String> = missing
        .iter()
        .map(|n| format!("--credential {n}=VALUE"))
        .collect();
    Err(format!(
        "error: missing credential{} {} (give {}; the spec's test values apply only to the `{SANDBOX_ENV}` environment)\n",
        if missing.len() == 1 { "" } else { "s" },
        missing.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
        flags.join(" ")
    ))
}

/// Credentials of the auth, the request recipe (compiled whether or not this operation signs)
/// and the request's credential-filled fields.
fn needed_credentials(p: &Provider, op: &ir::Operation) -> BTreeSet<String> {
    let mut needed = BTreeSet::new();
    for (_, spec) in &p.auth_headers {
        needed.extend(template_names(spec));
    }
    if let Some((user, password)) = &p.auth_basic {
        needed.extend([user.clone(), password.clone()]);
    }
    let recipes = [&p.recipes.request, &p.recipes.response];
    needed.extend(
        recipes
            .into_iter()
            .flatten()
            .map(|r| r.secret.credential.clone()),
    );
    let mut seen = BTreeSet::new();
    if let Some(ty) = &op.request {
        credential_fields(p, ty, &mut seen, &mut needed);
    }
    needed
}

/// `"Bearer {api_key}"` names `api_key`; a plain name names itself.
fn template_names(spec: &str) -> Vec<String> {
    if !spec.contains('{') {
        return vec![spec.to_string()];
    }
    spec.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

fn credential_fields(
    p: &Provider,
    ty: &str,
    seen: &mut BTreeSet<String>,
    out: &mut BTreeSet<String>,
) {
    if !seen.insert(ty.to_string()) {
        return;
    }
    let Some(t) = p.types.iter().find(|t| t.rust == ty) else {
        return;
    };
    let mut inner: Vec<String> = Vec::new();
    match &t.kind {
        TypeKind::Object { fields } => {
            for f in fields {
                if let Some(Source::Credential(c)) = &f.source {
                    out.insert(c.clone());
                }
                inner.extend(named(p, &f.ty));
            }
        }
        TypeKind::OneOf { variants } => {
            inner.extend(variants.iter().map(|v| p.ty(v.ty).rust.clone()))
        }
        TypeKind::Alias(r) => inner.extend(named(p, r)),
        TypeKind::Scalar { .. } | TypeKind::Enum { .. } => {}
    }
    for name in inner {
        credential_fields(p, &name, seen, out);
    }
}

/// The named type a reference leads to (through lists and maps).
fn named(p: &Provider, r: &TypeRef) -> Option<String> {
    match r {
        TypeRef::Named(id) => Some(p.ty(*id).rust.clone()),
        TypeRef::List(i) | TypeRef::Map(i) => named(p, i),
        _ => None,
    }
}

fn read_body(file: Option<&Path>, inline: Option<&str>) -> Result<Option<Value>, String> {
    let text = match (file, inline) {
        (None, None) => return Ok(None),
        (None, Some(t)) => t.to_string(),
        (Some(path), _) if path == Path::new("-") => {
            let mut t = String::new();
            std::io::stdin()
                .read_to_string(&mut t)
                .map_err(|e| format!("error: cannot read the body from standard input: {e}\n"))?;
            t
        }
        (Some(path), _) => std::fs::read_to_string(path)
            .map_err(|e| format!("error: {}: {e}\n", path.display()))?,
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| format!("error: the body is not JSON: {e}\n"))
}

/// The wire fields of the body (validated and encoded as the client does), or every problem.
fn encode(
    p: &Provider,
    op: &ir::Operation,
    body: Option<Value>,
    creds: &Credentials,
    now: Option<i64>,
    notes: &mut String,
) -> Result<Option<Map<String, Value>>, String> {
    let Some(ty) = &op.request else {
        return match body {
            None => Ok(None),
            Some(Value::Object(m)) if m.is_empty() => Ok(None),
            Some(_) => Err(format!("error: `{}` takes no request body\n", op.name)),
        };
    };
    let Some(mut body) = body else {
        return Err(format!(
            "error: `{}` takes a `{ty}` body: give --body FILE, --body - or --body-text JSON\n",
            op.name
        ));
    };
    if let (Some(Placement::BodyField(f)), true, Value::Object(m)) = (
        p.recipes.request.as_ref().map(|r| &r.place),
        op.sign,
        &mut body,
    ) {
        if m.shift_remove(f).is_some() {
            notes.push_str(&format!(
                "note: `{f}` is the signature the client computes; the body's value is ignored\n"
            ));
        }
    }
    let t = table::request_table(p);
    let clock = FixedClock(now.unwrap_or_else(|| SystemClock.now_unix()));
    let exponents = t.exponents();
    let ctx = WireContext {
        credentials: creds,
        clock: &clock,
        exponents: &exponents,
    };
    encode_request(&t, ty, &body, &ctx)
        .map(Some)
        .map_err(error_text)
}

/// An error as the CLI prints it: a request's problems one per line, with path and rule.
fn error_text(e: Error) -> String {
    match e {
        Error::InvalidRequest(errs) => {
            let mut out = format!("error: {errs}\n");
            for f in &errs.errors {
                out.push_str(&format!("  {} [{}]: {}\n", f.path, f.rule, f.message));
            }
            out
        }
        other => format!("error: {other}\n"),
    }
}

/// The request as text: request line, headers, blank line, body. Unless `reveal`, headers
/// carrying a secret and the values of secret credentials are masked, and card numbers and
/// sensitive keys redacted; credentials the spec declares `secret: false` (a public id) and the
/// signature are shown (they are not secrets).
fn show(p: &Provider, r: &PreparedRequest, creds: &Credentials, reveal: bool) -> String {
    let signature = signature_value(p, r);
    let secrets = secret_values(p, creds);
    let hide = |text: &str| -> String {
        if reveal {
            return text.to_string();
        }
        match signature.as_deref().filter(|s| !s.is_empty()) {
            Some(sig) => text
                .split(sig)
                .map(|piece| scrub(piece, &secrets))
                .collect::<Vec<_>>()
                .join(sig),
            None => scrub(text, &secrets),
        }
    };
    let mut out = format!("{} {} HTTP/1.1\n", r.method, hide(&r.url));
    for (name, value) in &r.headers {
        let value = if !reveal && is_auth_header(p, name) {
            "***".to_string()
        } else if Some(value) == signature.as_ref() {
            value.clone()
        } else {
            hide(value)
        };
        out.push_str(&format!("{name}: {value}\n"));
    }
    out.push('\n');
    out.push_str(&hide(&String::from_utf8_lossy(&r.body)));
    if !r.body.is_empty() {
        out.push('\n');
    }
    out
}

/// `Authorization` (Basic, bearer tokens) and the auth headers that read a secret credential;
/// an auth header of public credentials only (a client id) is not one.
fn is_auth_header(p: &Provider, name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
        || name.eq_ignore_ascii_case("proxy-authorization")
        || p.auth_headers.iter().any(|(h, spec)| {
            h.eq_ignore_ascii_case(name) && template_names(spec).iter().any(|c| is_secret(p, c))
        })
}

/// Whether the spec declares a credential secret (unknown names count as secret).
fn is_secret(p: &Provider, name: &str) -> bool {
    p.credentials
        .iter()
        .find(|c| c.name == name)
        .is_none_or(|c| c.secret)
}

/// The values of the secret credentials given (4+ characters: shorter ones would mask noise).
fn secret_values<'a>(p: &Provider, creds: &'a Credentials) -> Vec<&'a str> {
    creds
        .names()
        .filter(|name| is_secret(p, name))
        .filter_map(|name| creds.get(name).map(|s| s.expose()))
        .filter(|value| value.len() >= 4)
        .collect()
}

/// The signature the request carries (its header, or its body field).
fn signature_value(p: &Provider, r: &PreparedRequest) -> Option<String> {
    match &p.recipes.request.as_ref()?.place {
        Placement::Header(h) => r.header(h).map(str::to_string),
        Placement::BodyField(f) => {
            let body = std::str::from_utf8(&r.body).ok()?;
            match serde_json::from_str::<Value>(body) {
                Ok(v) => paygen_runtime::json_path::text_at(&v, f),
                Err(_) => paygen_runtime::wire::form_decode(body)?
                    .into_iter()
                    .find(|(k, _)| k == f)
                    .map(|(_, v)| v),
            }
        }
    }
}

/// Card numbers and sensitive keys redacted, every secret value masked.
fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = redact_text(text);
    for value in secrets {
        out = out.replace(value, "***");
    }
    out
}
