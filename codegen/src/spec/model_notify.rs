//! Spec-language forms of what the provider sends unasked or on failure: error envelopes and
//! incoming notifications (events, acknowledgement, retries, de-duplication, examples).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{yes, BodyEncoding, Condition, Variant};

/// A provider error envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorRule {
    /// When a response is this envelope.
    pub when: Condition,
    /// Dotted path of the provider's error code.
    #[serde(default)]
    pub code: Option<String>,
    /// A named enum of the documented codes (string values): the generated `decline_code()`
    /// returns a declined answer's code typed, with its documented meaning.
    #[serde(default)]
    pub code_type: Option<String>,
    /// Dotted path of the provider's message.
    #[serde(default)]
    pub message: Option<String>,
}

/// Incoming notifications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Webhooks {
    /// Documentation.
    #[serde(default)]
    pub doc: Option<String>,
    /// What the spec assumes here because the provider's documentation does not say, and why
    /// (`assumed: "status meanings borrowed from the sibling provider"`); shown in the generated
    /// docs as "Assumed, not documented: ..." and listed by `paygen assumptions`.
    #[serde(default)]
    pub assumed: Option<String>,
    /// Body encoding of notifications.
    #[serde(default = "json_encoding")]
    pub encoding: BodyEncoding,
    /// Whether notifications are verified with `signing.webhook` (default true).
    #[serde(default = "yes")]
    pub verify: bool,
    /// Event kinds by name: type and how to recognise it (first match wins).
    pub events: IndexMap<String, Variant>,
    /// What the receiver answers to acknowledge.
    pub ack: Ack,
    /// Redelivery schedule in seconds between attempts, as documented.
    #[serde(default)]
    pub retry_schedule: Vec<u64>,
    /// Dotted path of the request field holding the merchant URL to notify (`urls.notify_url`).
    #[serde(default)]
    pub notify_url_field: Option<String>,
    /// Dotted paths of the notification fields that identify one delivery, for
    /// de-duplication (`[event_id]`, or `[reference, event_code]`); exposed as
    /// `WebhookEvent::dedup_key`.
    #[serde(default)]
    pub dedup_key: Vec<String>,
    /// Documented notifications; each becomes a test.
    #[serde(default)]
    pub examples: Vec<WebhookExample>,
}

fn json_encoding() -> BodyEncoding {
    BodyEncoding::Json
}

/// The acknowledgement of a notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ack {
    /// HTTP status.
    #[serde(default = "ok_status")]
    pub status: u16,
    /// Content type of the body.
    #[serde(default = "json_type")]
    pub content_type: String,
    /// Exact body.
    pub body: String,
    /// What the spec assumes here because the provider's documentation does not say, and why
    /// (`assumed: "status meanings borrowed from the sibling provider"`); shown in the generated
    /// docs as "Assumed, not documented: ..." and listed by `paygen assumptions`.
    #[serde(default)]
    pub assumed: Option<String>,
}

fn ok_status() -> u16 {
    200
}

fn json_type() -> String {
    "application/json".into()
}

/// A documented notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookExample {
    /// Name.
    pub name: String,
    /// Body fields.
    pub body: Value,
    /// The event it must parse into.
    pub expect: String,
}
