//! One simulated provider: its spec loaded at run time, its rules, routing of a request path to an
//! operation, and the request checks that need no state (auth, signature, body fields).

use std::path::Path;

use base64::Engine as _;
use paygen_codegen::spec::model::{BodyEncoding, HttpMethod, Operation, Spec};
use paygen_runtime::wire::form_decode;
use paygen_runtime::Credentials;
use serde_json::{Map, Value};

use crate::http::Request;
use crate::rules::Rules;

/// A provider the sandbox serves.
pub struct Provider {
    /// Provider id (first path segment of its base URL).
    pub name: String,
    /// The spec.
    pub spec: Spec,
    /// `sandbox.rules`.
    pub rules: Rules,
    /// Test credentials.
    pub creds: Credentials,
    /// The recipes compiled once with the test credentials.
    pub signers: crate::signers::Signers,
}

/// An operation matched by a request.
pub struct Routed<'p> {
    /// Operation name.
    pub name: &'p str,
    /// The operation.
    pub op: &'p Operation,
    /// Values of `{placeholders}` in its path.
    pub path_fields: Map<String, Value>,
}

impl Provider {
    /// Loads a spec file. Without `sandbox.rules` every operation answers its documented
    /// example and errors come in a plain `{"error": ...}` form.
    pub fn load(path: &Path) -> Result<Provider, String> {
        let loaded = paygen_codegen::check_file(path).map_err(|diags| {
            let lines: Vec<String> = diags
                .iter()
                .take(5)
                .map(|d| format!("{}:{}:{}: {}", d.file.display(), d.line, d.col, d.message))
                .collect();
            format!(
                "{}: the spec has problems:\n  {}",
                path.display(),
                lines.join("\n  ")
            )
        })?;
        let spec = loaded.spec;
        let sandbox = spec.sandbox.clone().unwrap_or_default();
        let rules = sandbox.rules.clone().unwrap_or_else(crate::rules::plain);
        let mut creds = Credentials::new();
        for (k, v) in &sandbox.credentials {
            creds.insert(k.as_str(), v.as_str());
        }
        let signers = crate::signers::Signers::new(&spec, &creds);
        Ok(Provider {
            name: spec.provider.clone(),
            spec,
            rules,
            creds,
            signers,
        })
    }

    /// The operation for a method, host and path (below the provider's prefix).
    pub fn route(&self, method: &str, host: &str, path: &str) -> Option<Routed<'_>> {
        self.routes(method, host, path).into_iter().next()
    }

    /// The operation a request is for. When several operations share its method and path (one
    /// endpoint modelled as several typed operations), the first whose request type accepts
    /// the body; else the first.
    pub fn route_request(&self, req: &Request, host: &str, path: &str) -> Option<Routed<'_>> {
        let mut found = self.routes(&req.method, host, path);
        if found.len() < 2 {
            return found.pop();
        }
        let fits = |r: &Routed<'_>| {
            let Ok(fields) = self.request_fields(r, req) else {
                return false;
            };
            r.op.request.as_ref().is_none_or(|ty| {
                crate::validate::validate_request(&self.spec, ty, &fields).is_empty()
            })
        };
        let pick = found.iter().position(fits).unwrap_or(0);
        Some(found.swap_remove(pick))
    }

    /// Every operation at a method, host and path: literal paths before placeholders
    /// (`/orders/active` before `/orders/{id}`), then in spec order.
    fn routes(&self, method: &str, host: &str, path: &str) -> Vec<Routed<'_>> {
        let mut found: Vec<Routed<'_>> = self
            .spec
            .operations
            .iter()
            .filter_map(|(name, op)| {
                let op_host = op.host.as_deref().unwrap_or("default");
                if op_host != host || method_name(op.method) != method {
                    return None;
                }
                let path_fields = match_path(&op.path, path)?;
                Some(Routed {
                    name,
                    op,
                    path_fields,
                })
            })
            .collect();
        found.sort_by_key(|r| r.path_fields.len());
        found
    }

    /// `Err(message)` when the request does not authenticate.
    /// Without test credentials in the spec, only the presence of the headers is checked.
    pub fn check_auth(&self, req: &Request) -> Result<(), String> {
        let Some(auth) = &self.spec.auth else {
            return Ok(());
        };
        let known = self.has_credentials();
        for (header, cred) in &auth.headers {
            let want = self.credential_text(&cred.credential);
            match req.header(header) {
                Some(_) if !known => {}
                Some(got) if got == want => {}
                Some(_) => return Err(format!("header {header} is wrong")),
                None => return Err(format!("header {header} is missing")),
            }
        }
        if let Some(basic) = &auth.basic {
            let pair = format!(
                "{}:{}",
                self.credential_text(&basic.user),
                self.credential_text(&basic.password)
            );
            let want = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            );
            let got = req.header("authorization");
            let present = got.is_some_and(|g| g.starts_with("Basic "));
            if !(present && (!known || got == Some(want.as_str()))) {
                return Err("HTTP Basic authentication is missing or wrong".into());
            }
        }
        Ok(())
    }

    /// Whether the spec's `sandbox.credentials` gives test values (else auth and signatures
    /// are checked for presence only).
    pub fn has_credentials(&self) -> bool {
        self.creds.names().next().is_some()
    }

    /// A credential's value, or a template such as `Bearer {api_key}` filled in.
    fn credential_text(&self, spec: &str) -> String {
        if !spec.contains('{') {
            return self
                .creds
                .get(spec)
                .map(|s| s.expose().to_string())
                .unwrap_or_default();
        }
        let mut out = spec.to_string();
        for name in self.creds.names() {
            if let Some(v) = self.creds.get(name) {
                out = out.replace(&format!("{{{name}}}"), v.expose());
            }
        }
        out
    }

    /// The request's fields: path placeholders, query (GET / no body) and the body.
    pub fn request_fields(
        &self,
        routed: &Routed<'_>,
        req: &Request,
    ) -> Result<Map<String, Value>, String> {
        let mut fields = routed.path_fields.clone();
        let encoding = routed.op.encoding.unwrap_or(match routed.op.method {
            HttpMethod::GET | HttpMethod::DELETE => BodyEncoding::None,
            _ => BodyEncoding::Json,
        });
        let in_query = routed.op.method == HttpMethod::GET || encoding == BodyEncoding::None;
        let body_fields = if in_query {
            form_fields(&req.query)?
        } else if encoding == BodyEncoding::Form {
            form_fields(&String::from_utf8_lossy(&req.body))?
        } else if req.body.iter().all(u8::is_ascii_whitespace) {
            Map::new()
        } else {
            match serde_json::from_slice::<Value>(&req.body) {
                Ok(Value::Object(m)) => m,
                _ => return Err("the body is not a JSON object".into()),
            }
        };
        fields.extend(body_fields);
        Ok(fields)
    }
}

fn form_fields(text: &str) -> Result<Map<String, Value>, String> {
    let pairs = form_decode(text.trim()).ok_or("the form body is not valid UTF-8")?;
    Ok(pairs
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect())
}

/// Upper-case method name.
pub fn method_name(m: HttpMethod) -> &'static str {
    match m {
        HttpMethod::GET => "GET",
        HttpMethod::POST => "POST",
        HttpMethod::PUT => "PUT",
        HttpMethod::DELETE => "DELETE",
        HttpMethod::PATCH => "PATCH",
    }
}

/// Matches `/a/{id}/b` against `/a/42/b` (trailing slashes must agree loosely).
fn match_path(pattern: &str, path: &str) -> Option<Map<String, Value>> {
    let pat: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_matches('/').split('/').collect();
    if pat.len() != got.len() {
        return None;
    }
    let mut fields = Map::new();
    for (p, g) in pat.iter().zip(&got) {
        if let Some(name) = p.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            let value = form_decode(&format!("v={g}"))
                .and_then(|mut v| v.pop())
                .map(|(_, v)| v)?;
            fields.insert(name.to_string(), Value::String(value));
        } else if p != g {
            return None;
        }
    }
    Some(fields)
}
