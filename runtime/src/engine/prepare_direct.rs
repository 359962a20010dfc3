//! Preparation of a request whose JSON body was written straight from the typed request
//! ([`crate::json_direct`]): for operations that need no request tree (a JSON body sent as
//! is: no path parameter taken from it, no query, no signing recipe). The generator emits
//! these calls only for such operations; anything else is refused here as a configuration
//! error, never prepared differently.

use super::{BodyEncoding, Method, Operation, PreparedRequest, Preparer};
use crate::error::Error;
use crate::signing::Generated;

#[cfg(feature = "transport")]
use super::{CallOptions, Engine, OperationMeta, RawResponse};

/// Whether `op` sends its body fields as a JSON body exactly as written: JSON encoding, a
/// method with a body, no `{param}` in the path, not signed.
pub fn sends_body_as_written(op: &Operation<'_>) -> bool {
    op.encoding == BodyEncoding::Json
        && op.method != Method::Get
        && !op.path.contains('{')
        && !op.signed
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
        // the tree path without fields gives the URL, `Accept` and the auth headers; a JSON
        // body's `Content-Type` goes right after `Accept`, where that path puts it
        let mut prepared = self.prepare_tree_with(op, base_url, &Generated::default(), None)?;
        prepared
            .headers
            .insert(1, ("Content-Type".into(), "application/json".into()));
        prepared.body = body;
        Ok(prepared)
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
        let mut prepared =
            self.inner
                .preparer
                .prepare_json_body(&Operation::from(op), base, body)?;
        prepared
            .headers
            .extend(self.inner.config.extra_headers.iter().cloned());
        Ok(prepared)
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
