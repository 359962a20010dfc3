//! Pages: URLs the payer's browser opens (a hosted payment page reached by GET with URL-encoded
//! query parameters), built from a validated request body and never sent by the client.

use serde_json::{Map, Value};

use crate::engine::Engine;
use crate::error::Error;
use crate::validate::ValidationErrors;
use crate::wire::{form_encode, form_text, percent_encode};

/// `base(host) + path + "?" + query`: each `{field}` of `path` is filled (percent-encoded) from
/// the field of that name, which leaves the query; the remaining fields are form-encoded in order.
/// A placeholder without a value is reported as a `required` field error.
pub fn page_url(
    engine: &Engine,
    host: &str,
    path: &str,
    mut query: Map<String, Value>,
) -> Result<String, Error> {
    let filled = fill_path(path, &mut query)?;
    let base = engine.base_url(host)?.trim_end_matches('/');
    let rest = form_encode(&query);
    Ok(if rest.is_empty() {
        format!("{base}{filled}")
    } else {
        format!("{base}{filled}?{rest}")
    })
}

fn fill_path(path: &str, query: &mut Map<String, Value>) -> Result<String, Error> {
    let mut out = String::with_capacity(path.len());
    let mut errs = ValidationErrors::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        match query.shift_remove(name).as_ref().and_then(form_text) {
            Some(text) if !text.is_empty() => out.push_str(&percent_encode(&text, false)),
            _ => errs.push(name, "required", "is required (part of the page's path)"),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    errs.into_result()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn placeholders_leave_the_query_and_everything_is_encoded() {
        let mut q = map(json!({"publicId": "pb id", "amount": 10.5, "accountId": "a@b.c"}));
        let path = fill_path("/payments/redirect/{publicId}", &mut q).expect("filled");
        assert_eq!(path, "/payments/redirect/pb%20id");
        let mut pairs: Vec<String> = form_encode(&q).split('&').map(str::to_string).collect();
        pairs.sort();
        assert_eq!(pairs, ["accountId=a%40b.c", "amount=10.5"]);
    }

    #[test]
    fn a_missing_placeholder_is_a_named_field_error() {
        let mut q = map(json!({"amount": 1}));
        match fill_path("/x/{publicId}", &mut q) {
            Err(Error::InvalidRequest(e)) => assert_eq!(e.errors[0].path, "publicId"),
            other => panic!("{other:?}"),
        }
    }
}
