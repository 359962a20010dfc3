//! Request preparation: from encoded body fields to the exact method, URL, headers, body and
//! signature that will be sent (path filled, fields placed, request signed, auth added).

use base64::Engine as _;
use serde_json::{Map, Value};

use super::{
    config_err, credential_names, BodyEncoding, Engine, Method, OperationMeta, PreparedRequest,
};
use crate::credentials::Credentials;
use crate::error::Error;
use crate::json_path::text_of;
use crate::signing::{self, Over, Placement, Recipe, SignInput, SigningError};
use crate::validate::ValidationErrors;
use crate::wire::{form_encode, percent_encode};

/// Header pairs, in order.
type Headers = Vec<(String, String)>;

impl Engine {
    /// A credential template (`"Bearer {api_key}"`) or plain credential name, filled in.
    fn credential_value(&self, spec: &str) -> Result<String, Error> {
        if !spec.contains('{') {
            return self.credential(spec);
        }
        let mut out = spec.to_string();
        for name in credential_names(spec) {
            out = out.replace(&format!("{{{name}}}"), &self.credential(name)?);
        }
        Ok(out)
    }

    /// The exact URL, headers and body that would be sent (after signing), without sending.
    pub fn prepare(
        &self,
        op: &OperationMeta,
        body: Option<Map<String, Value>>,
    ) -> Result<PreparedRequest, Error> {
        let mut fields = body;
        let path = fill_path(op, fields.as_mut())?;
        let recipe = self.request_recipe(op)?;
        if let Some(recipe) = recipe {
            if let Placement::BodyField(name) = &recipe.place {
                sign_into_field(
                    recipe,
                    &self.inner.credentials,
                    fields.get_or_insert_with(Map::new),
                    name,
                )?;
            }
        }
        let (url, mut headers, body_bytes) = self.place_fields(op, &path, fields.as_ref())?;
        if let Some(recipe) = recipe {
            if let Placement::Header(name) = &recipe.place {
                let empty = Map::new();
                let map = fields.as_ref().unwrap_or(&empty);
                let signature = sign_input(recipe, &self.inner.credentials, map, &body_bytes)?;
                headers.push((name.clone(), signature));
            }
        }
        let masked_headers = self.add_auth_headers(&mut headers)?;
        headers.extend(self.inner.config.extra_headers.iter().cloned());
        let secrets = self
            .inner
            .credentials
            .names()
            .filter_map(|n| self.inner.credentials.get(n))
            .cloned()
            .collect();
        Ok(PreparedRequest {
            method: op.method,
            url,
            headers,
            body: body_bytes,
            masked_headers,
            secrets,
        })
    }

    /// URL (fields in the query for GET / no-body operations), first headers, body bytes.
    fn place_fields(
        &self,
        op: &OperationMeta,
        path: &str,
        fields: Option<&Map<String, Value>>,
    ) -> Result<(String, Headers, Vec<u8>), Error> {
        let in_query = op.method == Method::Get || op.encoding == BodyEncoding::None;
        let mut url = join_url(self.base_url(op.host)?, path);
        let mut headers: Vec<(String, String)> = vec![("Accept".into(), op.accept.into())];
        let body = match (fields, in_query) {
            (Some(map), true) => {
                append_query(&mut url, &form_encode(map));
                Vec::new()
            }
            (Some(map), false) => encode_body(op, map, &mut headers)?,
            (None, _) => Vec::new(),
        };
        Ok((url, headers, body))
    }

    fn request_recipe(&self, op: &OperationMeta) -> Result<Option<&Recipe>, Error> {
        if !op.sign_request {
            return Ok(None);
        }
        match &self.inner.provider.request_recipe {
            Some(r) => Ok(Some(r)),
            None => Err(config_err(format!(
                "{}: signs its request but the provider has no request recipe",
                op.name
            ))),
        }
    }

    /// Adds auth headers; returns the names of headers whose values must never be shown.
    fn add_auth_headers(&self, headers: &mut Vec<(String, String)>) -> Result<Vec<String>, Error> {
        let auth = &self.inner.provider.auth;
        let mut masked = vec![
            "authorization".to_string(),
            "proxy-authorization".to_string(),
        ];
        for (header, spec) in auth.headers {
            headers.push((header.to_string(), self.credential_value(spec)?));
            masked.push(header.to_ascii_lowercase());
        }
        if let Some((user, password)) = auth.basic {
            let pair = format!("{}:{}", self.credential(user)?, self.credential(password)?);
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            headers.push(("Authorization".into(), format!("Basic {encoded}")));
        }
        Ok(masked)
    }
}

fn join_url(base: &str, path: &str) -> String {
    if path.is_empty() {
        return base.to_string();
    }
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

fn append_query(url: &mut String, query: &str) {
    if query.is_empty() {
        return;
    }
    url.push(if url.contains('?') { '&' } else { '?' });
    url.push_str(query);
}

/// Fills `{name}` placeholders of the path from (and removes them from) the body fields.
fn fill_path(op: &OperationMeta, fields: Option<&mut Map<String, Value>>) -> Result<String, Error> {
    if !op.path.contains('{') {
        return Ok(op.path.to_string());
    }
    let mut empty = Map::new();
    let fields = fields.unwrap_or(&mut empty);
    let mut out = String::new();
    let mut errs = ValidationErrors::new();
    for (i, piece) in op.path.split('{').enumerate() {
        let Some((name, rest)) = piece.split_once('}').filter(|_| i > 0) else {
            out.push_str(if i > 0 { "{" } else { "" });
            out.push_str(piece);
            continue;
        };
        match fields.shift_remove(name).as_ref().and_then(text_of) {
            Some(v) => out.push_str(&percent_encode(&v, false)),
            None => errs.push(name, "required", "is required (it is part of the path)"),
        }
        out.push_str(rest);
    }
    errs.into_result().map(|()| out)
}

fn encode_body(
    op: &OperationMeta,
    map: &Map<String, Value>,
    headers: &mut Vec<(String, String)>,
) -> Result<Vec<u8>, Error> {
    match op.encoding {
        BodyEncoding::Json => {
            headers.push(("Content-Type".into(), "application/json".into()));
            serde_json::to_vec(map)
                .map_err(|e| config_err(format!("{}: cannot write JSON: {e}", op.name)))
        }
        BodyEncoding::Form => {
            headers.push((
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
            Ok(form_encode(map).into_bytes())
        }
        BodyEncoding::None => Ok(Vec::new()),
    }
}

fn signing_err(e: SigningError) -> Error {
    config_err(format!("signing: {e}"))
}

/// Signs the fields (the field itself left out) and puts the signature last.
fn sign_into_field(
    recipe: &Recipe,
    creds: &Credentials,
    map: &mut Map<String, Value>,
    name: &str,
) -> Result<(), Error> {
    if recipe.over == Over::RawBody {
        return Err(config_err(
            "a raw-body signature cannot travel in a body field",
        ));
    }
    map.shift_remove(name);
    let signed = signing::sign(recipe, creds, &SignInput::Fields(map)).map_err(signing_err)?;
    map.insert(name.to_string(), Value::String(signed.signature));
    Ok(())
}

/// Signs the body bytes (`over: raw_body`) or the fields, for a header placement.
fn sign_input(
    recipe: &Recipe,
    creds: &Credentials,
    map: &Map<String, Value>,
    body: &[u8],
) -> Result<String, Error> {
    let input = match recipe.over {
        Over::RawBody => SignInput::Raw(body),
        _ => SignInput::Fields(map),
    };
    signing::sign(recipe, creds, &input)
        .map(|s| s.signature)
        .map_err(signing_err)
}
