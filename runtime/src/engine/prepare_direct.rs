//! Preparation of a request whose JSON body was written straight from the typed request
//! ([`crate::json_direct`]): for operations that need no request tree (a JSON body sent as
//! is: no path parameter taken from it, no query, no signing recipe), and for signed ones
//! whose recipe signs exactly the sorted body fields, signed from pairs the request writes
//! itself ([`crate::signing::WriteSigned`]) and the signature put last into the body. The
//! generator emits these calls only for such operations; anything else is refused here as a
//! configuration error, never prepared differently.

use super::{config_err, BodyEncoding, Method, Operation, PreparedRequest, Preparer};
use crate::error::Error;
use crate::json_write;
use crate::signing::WriteSigned;
use crate::towire::WireContext;

#[cfg(feature = "transport")]
use super::{CallOptions, Engine, OperationMeta, RawResponse};

/// Whether `op` sends its body fields as a JSON body exactly as written: JSON encoding, a
/// method with a body, no `{param}` in the path, not signed.
pub fn sends_body_as_written(op: &Operation<'_>) -> bool {
    writes_json_body(op) && !op.signed
}

/// JSON encoding, a method with a body, no `{param}` in the path.
fn writes_json_body(op: &Operation<'_>) -> bool {
    op.encoding == BodyEncoding::Json && op.method != Method::Get && !op.path.contains('{')
}

impl Preparer {
    /// The exact request for `op` at `base_url` with `body`, the JSON a generated
    /// `write_json` wrote: what [`Preparer::prepare_tree`] makes of the same body's tree (the
    /// same URL, the same headers in the same order, the same bytes). Only for operations that
    /// [`sends_body_as_written`]; any other is a configuration error.
    pub fn prepare_json_body(
        &self,
        op: &Operation<'_>,
        base_url: &str,
        body: Vec<u8>,
    ) -> Result<PreparedRequest, Error> {
        if !sends_body_as_written(op) {
            return Err(Error::Config(format!(
                "{}: its body is not sent as written (path parameters, a query or signing)",
                op.name
            )));
        }
        // what the tree path without fields gives (the URL, `Accept` and the auth headers)
        // with a JSON body's `Content-Type` right after `Accept`, where that path puts it
        self.prepare_written(op, base_url, body, &[])
    }
}

impl Preparer {
    /// The exact request for the signed `op` at `base_url`: `body`, the JSON a generated
    /// `write_json` wrote for `request` (validated: the caller refused a bad request), with
    /// the signature of `request`'s canonical pairs (written by its generated
    /// [`WriteSigned`] writer) put last into the recipe's body field: what
    /// [`Preparer::prepare_tree`] makes of the same request's tree (the same URL, headers and
    /// bytes). Only for a signed operation whose body is sent as written and whose recipe
    /// [`signs_written_pairs`](crate::signing::CompiledRecipe::signs_written_pairs); any
    /// other is a configuration error, never prepared differently.
    pub fn prepare_signed_json_body<T: WriteSigned + ?Sized>(
        &self,
        op: &Operation<'_>,
        base_url: &str,
        mut body: Vec<u8>,
        request: &T,
        ctx: &WireContext<'_>,
    ) -> Result<PreparedRequest, Error> {
        let signer = self.signer().filter(|_| op.signed && writes_json_body(op));
        let placed = signer.and_then(|s| Some((s, s.plan().signs_written_pairs(T::FLATTENS)?)));
        let (Some((signer, field)), Some(b'}')) = (placed, body.last()) else {
            return Err(config_err(format!(
                "{}: its signed body is not written from its pairs (path parameters, a query \
                 or a recipe that reads more than the sorted body fields)",
                op.name
            )));
        };
        let signature = signer
            .sign_written_encoded(request, ctx)
            .map_err(|e| config_err(format!("signing: {e}")))?;
        // the tree path takes the field out and puts the signature last
        body.pop();
        if body.len() > 1 {
            body.push(b',');
        }
        json_write::write_str(&mut body, field);
        body.push(b':');
        // hex and base64 digits are ASCII
        json_write::write_str(
            &mut body,
            std::str::from_utf8(&signature).unwrap_or_default(),
        );
        body.push(b'}');
        let unsigned = Operation {
            signed: false,
            ..op.clone()
        };
        self.prepare_json_body(&unsigned, base_url, body)
    }
}

#[cfg(feature = "transport")]
impl Engine {
    /// [`Engine::prepare_tree`] for a body written by a generated `write_json` (see
    /// [`Preparer::prepare_json_body`]).
    pub fn prepare_json(
        &self,
        op: &OperationMeta,
        body: Vec<u8>,
    ) -> Result<PreparedRequest, Error> {
        let base = self.base_url(op.host)?;
        let op = Operation::from(op);
        if !sends_body_as_written(&op) {
            // refused with the message the preparer gives
            return self.inner.preparer.prepare_json_body(&op, base, body);
        }
        // the configured headers last, in the same allocation
        let extra = &self.inner.config.extra_headers;
        self.inner.preparer.prepare_written(&op, base, body, extra)
    }

    /// [`Engine::prepare_tree`] for a signed body written by a generated `write_json` and
    /// signed from its pairs (see [`Preparer::prepare_signed_json_body`]); `exponents` are the
    /// ones `body` was written with.
    pub fn prepare_signed_json<T: WriteSigned + ?Sized>(
        &self,
        op: &OperationMeta,
        body: Vec<u8>,
        request: &T,
        exponents: &[(&str, u8)],
    ) -> Result<PreparedRequest, Error> {
        let base = self.base_url(op.host)?;
        let ctx = WireContext {
            credentials: self.credentials(),
            clock: self.clock(),
            exponents,
        };
        let mut prepared = self.inner.preparer.prepare_signed_json_body(
            &Operation::from(op),
            base,
            body,
            request,
            &ctx,
        )?;
        prepared
            .headers
            .extend(self.inner.config.extra_headers.iter().cloned());
        Ok(prepared)
    }

    /// [`Engine::call_tree`] for a signed body written by a generated `write_json` (see
    /// [`Engine::prepare_signed_json`]).
    pub async fn call_signed_json<T, R: WriteSigned + Sync + ?Sized>(
        &self,
        op: &OperationMeta,
        body: Vec<u8>,
        request: &R,
        exponents: &[(&str, u8)],
        call: &CallOptions,
        decode: impl FnOnce(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.call_with(
            op,
            || self.prepare_signed_json(op, body, request, exponents),
            call,
            decode,
        )
        .await
    }

    /// [`Engine::call_tree`] for a body written by a generated `write_json`.
    pub async fn call_json<T>(
        &self,
        op: &OperationMeta,
        body: Vec<u8>,
        call: &CallOptions,
        decode: impl FnOnce(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.call_with(op, || self.prepare_json(op, body), call, decode)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use crate::engine::{AuthPlan, AuthSpec};
    use crate::signing::Generated;

    #[test]
    fn a_body_sent_as_written_gets_the_tree_paths_url_and_headers() {
        let credentials = Credentials::new()
            .with("key", "k-123")
            .with("user", "u")
            .with("password", "p");
        let auth = AuthSpec {
            headers: &[("X-Api-Key", "Key {key}")],
            basic: Some(("user", "password")),
            oauth2: None,
        };
        let preparer = Preparer::new(AuthPlan::from(&auth), None, &credentials).expect("preparer");
        for (base, path, accept) in [
            ("http://127.0.0.1:9", "/payments/charge", "application/json"),
            (
                "http://127.0.0.1:9/api/",
                "/payout/",
                "application/json, text/plain",
            ),
            ("http://127.0.0.1:9/api", "", "application/json"),
        ] {
            let op = Operation {
                name: "op",
                method: Method::Post,
                path,
                encoding: BodyEncoding::Json,
                signed: false,
                accept: accept.into(),
            };
            let body = br#"{"a":1}"#.to_vec();
            let direct = preparer
                .prepare_json_body(&op, base, body.clone())
                .expect("direct");
            let mut tree = preparer
                .prepare_tree_with(&op, base, &Generated::default(), None)
                .expect("tree");
            tree.headers
                .insert(1, ("Content-Type".into(), "application/json".into()));
            assert_eq!(direct.method, tree.method);
            assert_eq!(direct.url, tree.url, "{base} {path}");
            assert_eq!(direct.headers, tree.headers);
            assert_eq!(direct.body, body);
        }
    }
}
