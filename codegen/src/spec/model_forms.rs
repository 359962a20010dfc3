//! Spec-language forms beyond plain types and operations: conditional requirements between
//! fields, pages (URLs the client builds instead of sending) and typed webhook replies.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::model::WireLiteral;

/// A conditional requirement of an object type: when every `when` field's wire value is one of
/// its values (or always, without `when`), the `required` paths must be present, the
/// `forbidden` paths absent, and at least one of `at_least_one_of` present. Paths are dotted wire
/// paths relative to the object (`additional_fields.card_number`).
///
/// ```yaml
/// requires:
///   - when: { method: [card] }
///     required: [additional_fields.card_number]
///   - at_least_one_of: [email, phone]
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Field (wire name) -> the values that make the requirement apply (all must hold).
    #[serde(default)]
    pub when: IndexMap<String, Vec<WireLiteral>>,
    /// Paths that must be present (not null, not blank).
    #[serde(default)]
    pub required: Vec<String>,
    /// Paths that must be absent.
    #[serde(default)]
    pub forbidden: Vec<String>,
    /// Paths of which at least one must be present.
    #[serde(default)]
    pub at_least_one_of: Vec<String>,
    /// Where the documentation says so; becomes part of the type's docs.
    #[serde(default)]
    pub doc: Option<String>,
}

/// A page: a URL the client builds (GET with URL-encoded query parameters) instead of sending.
///
/// ```yaml
/// pages:
///   redirect_payment:
///     path: /payments/redirect/{publicId}    # `{field}` placeholders come out of the query
///     request: RedirectPaymentRequest
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Documentation (first line is the summary).
    #[serde(default)]
    pub doc: Option<String>,
    /// What the spec assumes here and why (see `TypeDef::assumed`).
    #[serde(default)]
    pub assumed: Option<String>,
    /// Path below the base URL; `{field}` placeholders are filled from (and removed from) the
    /// request's fields.
    pub path: String,
    /// Host name of the environment (default `default`).
    #[serde(default)]
    pub host: Option<String>,
    /// Request type (a named object type): its fields become the query parameters.
    pub request: String,
}

/// A typed answer to one webhook event.
///
/// ```yaml
/// replies:
///   confirm: { body: '{"code":0}' }
///   reject: { body: '{"code":{code}}', params: { code: integer } }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// What this answer means to the provider.
    #[serde(default)]
    pub doc: Option<String>,
    /// HTTP status.
    #[serde(default = "ok_status")]
    pub status: u16,
    /// Content type of the body.
    #[serde(default = "json_type")]
    pub content_type: String,
    /// The body; `{name}` is replaced by the parameter `name` (a number or text as given).
    pub body: String,
    /// Parameters the receiver supplies: name -> `integer` | `string`.
    #[serde(default)]
    pub params: IndexMap<String, String>,
}

fn ok_status() -> u16 {
    200
}

fn json_type() -> String {
    "application/json".into()
}
