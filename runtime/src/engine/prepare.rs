//! Request preparation, the one path from encoded body fields to the exact method, URL, headers,
//! body and signature that will be sent: path filled (its parameters stay visible to signing),
//! values generated once, recipe fields placed, request signed, auth added. [`Preparer::prepare`]
//! is pure (no I/O, no engine): the client, the simulator and the CLI all call it.

use std::sync::Arc;

use base64::Engine as _;
use serde_json::{Map, Value};

use super::types::Masking;
#[cfg(feature = "transport")]
use super::Engine;
use super::{config_err, BodyEncoding, Method, OperationMeta, PreparedRequest};
use crate::clock::Clock;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::secret::Secret;
use crate::signing::{Generated, Placement, Recipe, RequestView, Signer, SigningError};
use crate::validate::ValidationErrors;
use crate::wire::percent_encode;
use crate::wire_tree::{put_at_borrowed, take_at, WireObject, WireValue};

use super::types::AuthSpec;

/// Header pairs, in order.
type Headers = Vec<(String, String)>;

/// Path parameters' names and values (signing reads them as `{path.X}`).
type PathParams = Vec<(String, String)>;

/// What preparation needs of one operation (borrowed, so specs loaded at run time work too).
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// Operation name (for errors).
    pub name: &'a str,
    /// HTTP method.
    pub method: Method,
    /// Path; `{name}` placeholders are filled from (and removed from) the body fields.
    pub path: &'a str,
    /// Body encoding.
    pub encoding: BodyEncoding,
    /// Whether the request is signed with the request recipe.
    pub signed: bool,
    /// The `Accept` header (the media types the spec says the operation may answer).
    pub accept: std::borrow::Cow<'a, str>,
}

impl From<&OperationMeta> for Operation<'static> {
    fn from(op: &OperationMeta) -> Self {
        Operation {
            name: op.name,
            method: op.method,
            path: op.path,
            encoding: op.encoding,
            signed: op.sign_request,
            accept: std::borrow::Cow::Borrowed(op.accept),
        }
    }
}

/// Authentication headers as owned data: `(header, template)` pairs (`"Bearer {api_key}"`, or
/// a plain credential name) and HTTP Basic `(user credential, password credential)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthPlan {
    /// Header name and credential template.
    pub headers: Vec<(String, String)>,
    /// HTTP Basic credentials.
    pub basic: Option<(String, String)>,
}

impl From<&AuthSpec> for AuthPlan {
    fn from(a: &AuthSpec) -> Self {
        AuthPlan {
            headers: a
                .headers
                .iter()
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect(),
            basic: a.basic.map(|(u, p)| (u.to_string(), p.to_string())),
        }
    }
}

/// Everything preparation needs of one provider account, built once: auth, the compiled
/// request recipe with its keys, the credentials.
#[derive(Debug, Clone)]
pub struct Preparer {
    signer: Option<Signer>,
    /// Every credential value and the headers whose values the requests' Debug output never
    /// shows (made once, shared).
    masking: Arc<Masking>,
    /// The auth headers filled in once (the credentials never change): name and value, or
    /// the message of the error every request reports (a missing credential).
    filled_auth: Vec<Result<(String, Secret), String>>,
}

fn signing_err(e: SigningError) -> Error {
    config_err(format!("signing: {e}"))
}

impl Preparer {
    /// Compiles the request recipe (if any) and prepares its keys.
    pub fn new(
        auth: AuthPlan,
        request_recipe: Option<&Recipe>,
        credentials: &Credentials,
    ) -> Result<Preparer, Error> {
        let signer = request_recipe
            .map(|r| Signer::from_recipe(r, credentials))
            .transpose()
            .map_err(signing_err)?;
        let secrets = credentials
            .names()
            .filter_map(|n| credentials.get(n))
            .cloned()
            .collect();
        let masked_headers = ["authorization", "proxy-authorization"]
            .into_iter()
            .map(str::to_string)
            .chain(auth.headers.iter().map(|(h, _)| h.to_ascii_lowercase()))
            .collect();
        let filled_auth = fill_auth(&auth, credentials);
        Ok(Preparer {
            signer,
            masking: Arc::new(Masking {
                masked_headers,
                secrets,
            }),
            filled_auth,
        })
    }

    /// The auth headers every request carries (name, value), those filled in.
    #[cfg(feature = "transport")]
    pub(crate) fn auth_headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.filled_auth
            .iter()
            .filter_map(|f| f.as_ref().ok())
            .map(|(name, value)| (name.as_str(), value.expose()))
    }

    /// The request signer, if the provider signs requests.
    pub fn signer(&self) -> Option<&Signer> {
        self.signer.as_ref()
    }

    /// The exact request for `op` at `base_url` (values generated from `clock` and the system's
    /// random source), from body fields parsed or built as JSON (tools).
    pub fn prepare(
        &self,
        op: &Operation<'_>,
        base_url: &str,
        clock: &dyn Clock,
        fields: Option<Map<String, Value>>,
    ) -> Result<PreparedRequest, Error> {
        self.prepare_tree(
            op,
            base_url,
            clock,
            fields.as_ref().map(WireObject::from_json),
        )
    }

    /// [`Preparer::prepare`] from the request tree generated encoding builds.
    pub fn prepare_tree(
        &self,
        op: &Operation<'_>,
        base_url: &str,
        clock: &dyn Clock,
        fields: Option<WireObject<'_>>,
    ) -> Result<PreparedRequest, Error> {
        let generated = match (op.signed, &self.signer) {
            (true, Some(s)) => Generated::fresh(&s.plan().recipe().generate, clock),
            _ => Generated::default(),
        };
        self.prepare_tree_with(op, base_url, &generated, fields)
    }

    /// [`Preparer::prepare`] with the generated values given (deterministic: tests, vectors,
    /// `paygen request`).
    pub fn prepare_with(
        &self,
        op: &Operation<'_>,
        base_url: &str,
        generated: &Generated,
        fields: Option<Map<String, Value>>,
    ) -> Result<PreparedRequest, Error> {
        let tree = fields.as_ref().map(WireObject::from_json);
        self.prepare_tree_with(op, base_url, generated, tree)
    }

    /// [`Preparer::prepare_tree`] with the generated values given.
    pub fn prepare_tree_with(
        &self,
        op: &Operation<'_>,
        base_url: &str,
        generated: &Generated,
        fields: Option<WireObject<'_>>,
    ) -> Result<PreparedRequest, Error> {
        let mut fields = fields;
        let (path, path_params) = fill_path(op.path, fields.as_mut())?;
        let signer = match (op.signed, &self.signer) {
            (false, _) => None,
            (true, Some(s)) => Some(s),
            (true, None) => {
                return Err(config_err(format!(
                    "{}: signs its request but the provider has no request recipe",
                    op.name
                )))
            }
        };
        let mut url = join_url(base_url, &path);
        let mut req = Draft {
            method: op.method.as_str(),
            path_params,
            generated,
            signature: None,
        };
        if let Some(s) = signer {
            if !s.plan().fields.is_empty() {
                req.sign_fields(s, &url, fields.get_or_insert_with(WireObject::default));
            }
            if let Placement::BodyField(name) = &s.plan().recipe().place {
                req.sign_into_field(
                    s,
                    &url,
                    fields.get_or_insert_with(WireObject::default),
                    name,
                )?;
            }
        }
        let (mut headers, body) = place_fields(op, &mut url, fields.as_ref())?;
        if let Some(s) = signer {
            req.sign_headers(s, &url, &mut headers, fields.as_ref(), &body)?;
        }
        self.add_auth_headers(&mut headers)?;
        Ok(PreparedRequest {
            method: op.method,
            url,
            headers,
            body,
            masking: self.masking.clone(),
        })
    }

    /// The request of an operation whose JSON body `body` is sent as written (see
    /// `prepare_direct`): what [`Preparer::prepare_tree_with`] makes of no fields, no path
    /// parameter and no signature, with the JSON `Content-Type` after `Accept`, built
    /// directly. `extra` are headers put last (the engine's configured ones).
    pub(crate) fn prepare_written(
        &self,
        op: &Operation<'_>,
        base_url: &str,
        body: Vec<u8>,
        extra: &[(String, String)],
    ) -> Result<PreparedRequest, Error> {
        let mut headers: Headers = Vec::with_capacity(2 + self.filled_auth.len() + extra.len());
        headers.push(("Accept".into(), op.accept.to_string()));
        headers.push(("Content-Type".into(), "application/json".into()));
        self.add_auth_headers(&mut headers)?;
        headers.extend(extra.iter().cloned());
        Ok(PreparedRequest {
            method: op.method,
            url: join_url(base_url, op.path),
            headers,
            body,
            masking: self.masking.clone(),
        })
    }

    /// Adds auth headers (their names are in `masked_headers`: never shown).
    fn add_auth_headers(&self, headers: &mut Headers) -> Result<(), Error> {
        for filled in &self.filled_auth {
            match filled {
                Ok((name, value)) => headers.push((name.clone(), value.expose().to_string())),
                Err(message) => return Err(config_err(message.clone())),
            }
        }
        Ok(())
    }
}

/// A credential's value, or the message of a missing one.
fn credential<'c>(credentials: &'c Credentials, name: &str) -> Result<&'c str, String> {
    credentials
        .get(name)
        .map(|s| s.expose())
        .ok_or_else(|| format!("missing credential `{name}`"))
}

/// A credential template (`"Bearer {api_key}"`) or plain credential name, filled in.
fn credential_value(credentials: &Credentials, spec: &str) -> Result<String, String> {
    if !spec.contains('{') {
        return credential(credentials, spec).map(str::to_string);
    }
    let mut out = String::with_capacity(spec.len() + 32);
    let mut rest = spec;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(credential(credentials, &rest[open + 1..open + close])?);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The auth headers of `auth` filled in from `credentials`, in the order they are sent; a
/// header that cannot be filled holds its error (reported by every request, as before).
fn fill_auth(auth: &AuthPlan, credentials: &Credentials) -> Vec<Result<(String, Secret), String>> {
    let mut filled: Vec<Result<(String, Secret), String>> = auth
        .headers
        .iter()
        .map(|(header, spec)| {
            credential_value(credentials, spec).map(|v| (header.clone(), Secret::new(v)))
        })
        .collect();
    if let Some((user, password)) = &auth.basic {
        filled.push(basic_auth(credentials, user, password));
    }
    filled
}

/// `Authorization: Basic base64(user:password)`.
fn basic_auth(
    credentials: &Credentials,
    user: &str,
    password: &str,
) -> Result<(String, Secret), String> {
    let pair = format!(
        "{}:{}",
        credential(credentials, user)?,
        credential(credentials, password)?
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
    Ok((
        "Authorization".into(),
        Secret::new(format!("Basic {encoded}")),
    ))
}

/// One request being signed: what the message can read besides the fields and the body.
struct Draft<'a> {
    method: &'a str,
    path_params: Vec<(String, String)>,
    generated: &'a Generated,
    signature: Option<String>,
}

impl Draft<'_> {
    fn view<'v>(&'v self, url: &'v str) -> RequestView<'v> {
        let (host, path, query) = url_pieces(url);
        RequestView {
            method: self.method,
            path,
            query,
            host,
            url,
            path_params: &self.path_params,
            timestamp: self.generated.timestamp.as_deref(),
            nonce: self.generated.nonce.as_deref(),
            signature: self.signature.as_deref(),
            ..RequestView::default()
        }
    }

    /// The recipe's `fields` (generated values, credentials) set before signing (their names
    /// borrowed from the signer).
    fn sign_fields<'s>(&self, s: &'s Signer, url: &str, map: &mut WireObject<'s>) {
        for (name, template) in &s.plan().fields {
            let text = s.render(template, &self.view(url));
            map.insert(name.as_str(), WireValue::Str(text.into()));
        }
    }

    /// Signs the fields (the signature's own field left out) and puts the signature last.
    fn sign_into_field<'s>(
        &mut self,
        s: &Signer,
        url: &str,
        map: &mut WireObject<'s>,
        name: &'s str,
    ) -> Result<(), Error> {
        take_at(map, name);
        let mut view = self.view(url);
        view.fields = Some(&*map);
        let signature = s.sign(&view).map_err(signing_err)?;
        // kept only for a header that names `{signature}`; otherwise moved into the body
        if s.header_reads_signature() {
            let placed = s.placed(&view, &signature);
            put_at_borrowed(map, name, WireValue::Str(placed.into()));
            self.signature = Some(signature);
        } else {
            let placed = s.place(&view, signature);
            put_at_borrowed(map, name, WireValue::Str(placed.into()));
        }
        Ok(())
    }

    /// Recipe headers, then a header signature, then the headers that name `{signature}`.
    fn sign_headers(
        &mut self,
        s: &Signer,
        url: &str,
        headers: &mut Headers,
        fields: Option<&WireObject<'_>>,
        body: &[u8],
    ) -> Result<(), Error> {
        let plan = s.plan();
        for h in plan.headers.iter().filter(|h| !h.after_signature) {
            let mut view = self.view(url);
            (view.headers, view.fields, view.body) = (&headers[..], fields, body);
            let text = s.render(&h.template, &view);
            headers.push((h.name.clone(), text));
        }
        if let Placement::Header(name) = &plan.recipe().place {
            let mut view = self.view(url);
            (view.headers, view.fields, view.body) = (&headers[..], fields, body);
            let signature = s.sign(&view).map_err(signing_err)?;
            let placed = s.placed(&view, &signature);
            headers.push((name.clone(), placed));
            self.signature = Some(signature);
        }
        for h in plan.headers.iter().filter(|h| h.after_signature) {
            let mut view = self.view(url);
            (view.headers, view.fields, view.body) = (&headers[..], fields, body);
            let text = s.render(&h.template, &view);
            headers.push((h.name.clone(), text));
        }
        Ok(())
    }
}

/// Where a URL's authority starts: after `scheme://` (0 without a scheme); a byte scan, since
/// a substring search costs more to set up than a URL takes to scan.
fn after_scheme(url: &str) -> usize {
    // each `:` looked at once (a scheme's is the first); the first `://` is the answer
    let bytes = url.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&b| b == b':') {
        let colon = from + i;
        if bytes.get(colon + 1..colon + 3) == Some(b"//") {
            return colon + 3;
        }
        from = colon + 1;
    }
    0
}

/// Host, path and query of a URL ([`url_host`] and [`url_parts`]) from one scan of the
/// authority: the path starts at the first `/` after the scheme, the authority ends there or
/// at a `?` before it.
fn url_pieces(url: &str) -> (&str, &str, &str) {
    let rest = &url[after_scheme(url)..];
    let (end, slash) = match rest.bytes().position(|b| b == b'/' || b == b'?') {
        Some(i) if rest.as_bytes()[i] == b'/' => (i, Some(i)),
        Some(i) => (i, rest[i..].bytes().position(|b| b == b'/').map(|j| i + j)),
        None => (rest.len(), None),
    };
    let authority = &rest[..end];
    let host = match authority.bytes().rposition(|b| b == b'@') {
        Some(i) => &authority[i + 1..],
        None => authority,
    };
    let path_and_query = slash.map_or("", |i| &rest[i..]);
    let (path, query) = match path_and_query.bytes().position(|b| b == b'?') {
        Some(i) => (&path_and_query[..i], &path_and_query[i + 1..]),
        None => (path_and_query, ""),
    };
    (host, if path.is_empty() { "/" } else { path }, query)
}

/// Path (no query) and query (no `?`) of a URL (one piece at a time: the reference
/// [`url_pieces`] is tested against).
#[cfg(test)]
fn url_parts(url: &str) -> (&str, &str) {
    let rest = &url[after_scheme(url)..];
    let path_and_query = rest
        .bytes()
        .position(|b| b == b'/')
        .map_or("", |i| &rest[i..]);
    let (path, query) = match path_and_query.bytes().position(|b| b == b'?') {
        Some(i) => (&path_and_query[..i], &path_and_query[i + 1..]),
        None => (path_and_query, ""),
    };
    (if path.is_empty() { "/" } else { path }, query)
}

/// Host (and port) of a URL, without user information (the reference [`url_pieces`] is
/// tested against).
#[cfg(test)]
fn url_host(url: &str) -> &str {
    let rest = &url[after_scheme(url)..];
    let end = rest
        .bytes()
        .position(|b| b == b'/' || b == b'?')
        .unwrap_or(rest.len());
    let authority = &rest[..end];
    match authority.bytes().rposition(|b| b == b'@') {
        Some(i) => &authority[i + 1..],
        None => authority,
    }
}

#[cfg(feature = "transport")]
impl Engine {
    /// The exact URL, headers and body that would be sent (after signing), without sending.
    pub fn prepare(
        &self,
        op: &OperationMeta,
        body: Option<Map<String, Value>>,
    ) -> Result<PreparedRequest, Error> {
        self.prepare_tree(op, body.as_ref().map(WireObject::from_json))
    }

    /// [`Engine::prepare`] from the request tree generated encoding builds.
    pub fn prepare_tree(
        &self,
        op: &OperationMeta,
        body: Option<WireObject<'_>>,
    ) -> Result<PreparedRequest, Error> {
        let base = self.base_url(op.host)?;
        let mut prepared = self.inner.preparer.prepare_tree(
            &Operation::from(op),
            base,
            self.inner.clock.as_ref(),
            body,
        )?;
        prepared
            .headers
            .extend(self.inner.config.extra_headers.iter().cloned());
        Ok(prepared)
    }
}

/// Prepares one request without an engine, compiling the request recipe for this call (for
/// tools; clients build a [`Preparer`] once).
pub fn prepare_request(
    auth: AuthPlan,
    request_recipe: Option<&Recipe>,
    op: &Operation<'_>,
    base_url: &str,
    credentials: &Credentials,
    clock: &dyn Clock,
    fields: Option<Map<String, Value>>,
) -> Result<PreparedRequest, Error> {
    Preparer::new(auth, request_recipe, credentials)?.prepare(op, base_url, clock, fields)
}

fn join_url(base: &str, path: &str) -> String {
    if path.is_empty() {
        return base.to_string();
    }
    let (base, path) = (base.trim_end_matches('/'), path.trim_start_matches('/'));
    // room for a query string appended later (GET fields)
    let mut url = String::with_capacity(base.len() + 1 + path.len() + 64);
    url.push_str(base);
    url.push('/');
    url.push_str(path);
    url
}

fn append_query(url: &mut String, query: &str) {
    if query.is_empty() {
        return;
    }
    url.push(if url.contains('?') { '&' } else { '?' });
    url.push_str(query);
}

/// Fills `{name}` placeholders of the path from (and removes them from) the body fields;
/// returns the path and the parameters' values (for signing).
fn fill_path<'p>(
    path: &'p str,
    fields: Option<&mut WireObject<'_>>,
) -> Result<(std::borrow::Cow<'p, str>, PathParams), Error> {
    if !path.contains('{') {
        return Ok((std::borrow::Cow::Borrowed(path), Vec::new()));
    }
    let mut empty = WireObject::default();
    let fields = fields.unwrap_or(&mut empty);
    let mut out = String::new();
    let mut params = Vec::new();
    let mut errs = ValidationErrors::new();
    for (i, piece) in path.split('{').enumerate() {
        let Some((name, rest)) = piece.split_once('}').filter(|_| i > 0) else {
            out.push_str(if i > 0 { "{" } else { "" });
            out.push_str(piece);
            continue;
        };
        let value = fields.remove(name);
        match value.as_ref().and_then(WireValue::as_text) {
            Some(v) => {
                out.push_str(&percent_encode(&v, false));
                params.push((name.to_string(), v.into_owned()));
            }
            None => errs.push(name, "required", "is required (it is part of the path)"),
        }
        out.push_str(rest);
    }
    errs.into_result()
        .map(|()| (std::borrow::Cow::Owned(out), params))
}

/// First headers and body bytes; fields go to the query for GET / no-body operations.
fn place_fields(
    op: &Operation<'_>,
    url: &mut String,
    fields: Option<&WireObject<'_>>,
) -> Result<(Headers, Vec<u8>), Error> {
    let in_query = op.method == Method::Get || op.encoding == BodyEncoding::None;
    // Accept, Content-Type, a signature and an auth header without growing
    let mut headers: Headers = Vec::with_capacity(4);
    headers.push(("Accept".into(), op.accept.to_string()));
    let body = match (fields, in_query) {
        (Some(map), true) => {
            append_query(url, &map.form_encode());
            Vec::new()
        }
        (Some(map), false) => encode_body(op, map, &mut headers)?,
        (None, _) => Vec::new(),
    };
    Ok((headers, body))
}

fn encode_body(
    op: &Operation<'_>,
    map: &WireObject<'_>,
    headers: &mut Headers,
) -> Result<Vec<u8>, Error> {
    match op.encoding {
        BodyEncoding::Json => {
            headers.push(("Content-Type".into(), "application/json".into()));
            // a buffer that holds a usual payment body without growing, sized without walking
            // the tree (a larger body grows it by doubling)
            let mut out = Vec::with_capacity(body_capacity(map));
            map.write_json_to(&mut out);
            Ok(out)
        }
        BodyEncoding::Form => {
            headers.push((
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
            Ok(map.form_encode().into_bytes())
        }
        BodyEncoding::None => Ok(Vec::new()),
    }
}

/// The first capacity of a JSON body's buffer: a kilobyte, more for an object with many
/// top-level entries (a guess that costs nothing; a body that outgrows it doubles it).
fn body_capacity(map: &WireObject<'_>) -> usize {
    1024.max(64 * map.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// URLs at the edges of finding a scheme's `://` (empty, colons only, `://` late).
    const SCHEME_EDGES: [&str; 15] = [
        "",
        ":",
        "://",
        "a://",
        ":/",
        "h:9/x",
        "h:9//x",
        "h:/a://b",
        "http://h",
        "x:/:://y",
        "https://u:p@a.b:8443/v1",
        "a:b:c://d",
        "::://",
        "http:/",
        "http:",
    ];

    #[test]
    fn url_pieces() {
        assert_eq!(
            url_parts("https://a.b:8443/v1/x?y=1&z=2"),
            ("/v1/x", "y=1&z=2")
        );
        assert_eq!(url_parts("http://h"), ("/", ""));
        assert_eq!(url_parts("/only/a/path?q=1"), ("/only/a/path", "q=1"));
        assert_eq!(url_host("h:9/x"), "h:9");
        assert_eq!(
            join_url("http://h/api/", "/payout/"),
            "http://h/api/payout/"
        );
        assert_eq!(join_url("http://h/api", ""), "http://h/api");
        assert_eq!(url_host("https://u:p@a.b:8443/v1"), "a.b:8443");
        assert_eq!(url_host("http://127.0.0.1:9/x"), "127.0.0.1:9");
        assert_eq!(url_parts("http://h?q=1/2"), ("/2", ""));
        assert_eq!(url_parts("http://h/a?b?c"), ("/a", "b?c"));
        assert_eq!(url_host("http://h?q=@x"), "h");
        assert_eq!(url_host("u@h@i/p"), "i");
        assert_eq!(url_host(""), "");
        for url in SCHEME_EDGES {
            let first = url.as_bytes().windows(3).position(|w| w == b"://");
            assert_eq!(after_scheme(url), first.map_or(0, |i| i + 3), "{url}");
        }
    }

    #[test]
    fn url_pieces_in_one_scan_are_the_pieces_one_at_a_time() {
        for url in SCHEME_EDGES.iter().copied().chain([
            "http://h?q=1/2",
            "http://h/a?b?c",
            "http://h?q=@x",
            "u@h@i/p",
            "/only/a/path?q=1",
            "https://a.b:8443/v1/x?y=1&z=2",
            "http://u@h?x/y@z",
            "http://h/",
            "http://h?",
        ]) {
            let (path, query) = url_parts(url);
            assert_eq!(
                super::url_pieces(url),
                (url_host(url), path, query),
                "{url}"
            );
        }
    }

    #[test]
    fn the_body_length_hint_covers_plain_json() {
        let body = serde_json::json!({"a": "xyz", "n": 12.50, "t": true, "z": null,
            "o": {"k": ["v", 1]}, "e": {}, "l": []});
        let Value::Object(map) = &body else {
            panic!("an object");
        };
        let written = serde_json::to_vec(map).map(|v| v.len()).unwrap_or_default();
        assert!(written > 0 && WireObject::from_json(map).json_len_hint() >= written);
    }
}
