//! The spec language: the serde model of `specs/<provider>.yaml` (its JSON Schema is `specs/schema.json`).

use indexmap::IndexMap;
use paygen_runtime::signing::Recipe;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use paygen_runtime::money::MoneyWire;
pub use paygen_runtime::validate::Format;
pub use paygen_runtime::wire::CommonStatus;

/// One payment provider's HTTP API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Provider id in snake_case; becomes the module and cargo feature name.
    pub provider: String,
    /// Human name of the provider.
    pub title: String,
    /// Link to the provider's documentation.
    #[serde(default)]
    pub docs: Option<String>,
    /// What this provider is; becomes module documentation.
    #[serde(default)]
    pub description: Option<String>,
    /// Base URLs by environment (`sandbox`, `production`, ...); a URL, or URLs by host name.
    pub environments: IndexMap<String, Environment>,
    /// Named credentials of a merchant account.
    #[serde(default)]
    pub credentials: IndexMap<String, CredentialDef>,
    /// How requests authenticate.
    #[serde(default)]
    pub auth: Option<Auth>,
    /// Signing recipes and their test vectors.
    #[serde(default)]
    pub signing: Option<Signing>,
    /// Money settings shared by all money fields.
    #[serde(default)]
    pub money: Option<MoneySettings>,
    /// Named types: constrained scalars, enums, objects and one-of unions.
    #[serde(default)]
    pub types: IndexMap<String, TypeDef>,
    /// Operations by name (snake_case); each becomes a client method.
    pub operations: IndexMap<String, Operation>,
    /// How the provider's error envelopes look; a match becomes `Error::Declined`.
    #[serde(default)]
    pub errors: Vec<ErrorRule>,
    /// Incoming notifications (webhooks / callbacks).
    #[serde(default)]
    pub webhooks: Option<Webhooks>,
    /// Credentials and behaviour of the local simulator (test values only).
    #[serde(default)]
    pub sandbox: Option<SandboxSettings>,
}

/// Base URL(s) of one environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Environment {
    /// One base URL (host name `default`).
    Url(String),
    /// Base URLs by host name; `default` is the one operations use unless they name another.
    Hosts(IndexMap<String, String>),
}

/// A credential of the merchant account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialDef {
    /// Whether the value is secret (never printed). Default true.
    #[serde(default = "yes")]
    pub secret: bool,
    /// What it is and where the merchant finds it.
    #[serde(default)]
    pub doc: Option<String>,
}

fn yes() -> bool {
    true
}

/// Request authentication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// Headers filled from credentials: header name -> credential.
    #[serde(default)]
    pub headers: IndexMap<String, CredentialRef>,
    /// HTTP Basic authentication from two credentials.
    #[serde(default)]
    pub basic: Option<BasicAuth>,
}

/// A reference to a credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialRef {
    /// Credential name.
    pub credential: String,
}

/// HTTP Basic authentication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BasicAuth {
    /// Credential used as the user name.
    pub user: String,
    /// Credential used as the password.
    pub password: String,
}

/// Signing recipes (`request` outgoing, `response` signed responses, `webhook` notifications).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signing {
    /// Signs outgoing requests.
    #[serde(default)]
    pub request: Option<Recipe>,
    /// Verifies the provider's signed responses.
    #[serde(default)]
    pub response: Option<Recipe>,
    /// Verifies incoming notifications.
    #[serde(default)]
    pub webhook: Option<Recipe>,
    /// Test vectors every recipe must reproduce (checked whenever the spec is generated).
    #[serde(default)]
    pub vectors: Vec<Vector>,
}

/// Which recipe a vector exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecipeName {
    /// `signing.request`.
    Request,
    /// `signing.response`.
    Response,
    /// `signing.webhook`.
    Webhook,
}

impl RecipeName {
    /// The spec key.
    pub fn as_str(self) -> &'static str {
        match self {
            RecipeName::Request => "request",
            RecipeName::Response => "response",
            RecipeName::Webhook => "webhook",
        }
    }
}

/// A signature test vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    /// Short name (e.g. `T1`).
    #[serde(default)]
    pub name: Option<String>,
    /// Where the vector comes from (official docs, SDK test, self-computed).
    #[serde(default)]
    pub source: Option<String>,
    /// The recipe under test.
    pub recipe: RecipeName,
    /// Body fields (for recipes over body fields).
    #[serde(default)]
    pub input: Option<IndexMap<String, Value>>,
    /// Exact body text (for recipes over the raw body).
    #[serde(default)]
    pub raw: Option<String>,
    /// Credential values used (test values only).
    pub credentials: IndexMap<String, String>,
    /// Expected canonical string (before the secret is applied).
    #[serde(default)]
    pub canonical: Option<String>,
    /// Expected signature. For asymmetric recipes: the published signature, verified with the
    /// key (and also compared byte for byte when the algorithm is deterministic).
    pub signature: String,
    /// Request method for `{method}` (message templates), default `POST`.
    #[serde(default)]
    pub method: Option<String>,
    /// Path as sent for `{path}` (parameters already filled), default `/`.
    #[serde(default)]
    pub path: Option<String>,
    /// Path parameters for `{path.NAME}`.
    #[serde(default)]
    pub path_params: IndexMap<String, String>,
    /// Query string as sent for `{query}` (without `?`).
    #[serde(default)]
    pub query: Option<String>,
    /// Host (with port if any) for `{host}`, default `localhost`.
    #[serde(default)]
    pub host: Option<String>,
    /// Request headers for `{header.NAME}`.
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    /// Fixed `{timestamp}` text (as written on the wire), so the vector is deterministic.
    #[serde(default)]
    pub timestamp: Option<String>,
    /// Fixed `{nonce}` text, so the vector is deterministic.
    #[serde(default)]
    pub nonce: Option<String>,
    /// Expected placed text (the recipe's `value` filled in, e.g. `t=...,v1=...`).
    #[serde(default)]
    pub placed: Option<String>,
}

/// Money settings for the provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneySettings {
    /// Currency exponents that differ from ISO 4217 (or codes ISO does not list), e.g. `ECS: 0`.
    #[serde(default)]
    pub exponents: IndexMap<String, u8>,
}

/// A named type. Exactly one shape: scalar (`type`), enum (`values`), object (`fields`) or
/// one-of (`variants`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// Documentation.
    #[serde(default)]
    pub doc: Option<String>,
    /// Scalar newtype: the base type and its constraints; or `map` / `list` (with `items`) for a
    /// container of another type (responses only, e.g. balances keyed by currency).
    #[serde(rename = "type", default)]
    pub base: Option<String>,
    /// Element type of a `map` / `list` type.
    #[serde(default)]
    pub items: Option<String>,
    /// Regular expression the whole value must match (anchor it).
    #[serde(default)]
    pub pattern: Option<String>,
    /// Minimum length in characters.
    #[serde(default)]
    pub min_length: Option<usize>,
    /// Maximum length in characters.
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Minimum integer value (money: minor units).
    #[serde(default)]
    pub minimum: Option<i64>,
    /// Maximum integer value (money: minor units).
    #[serde(default)]
    pub maximum: Option<i64>,
    /// Allowed string values (for an open set use a named enum type instead).
    #[serde(default)]
    pub allowed: Option<Vec<String>>,
    /// A well-known format checked on requests.
    #[serde(default)]
    pub format: Option<Format>,
    /// Sensitive data: masked in Debug/Display.
    #[serde(default)]
    pub sensitive: Option<Sensitivity>,
    /// Enum values (strings or integers from the wire).
    #[serde(default)]
    pub values: Option<Vec<EnumValue>>,
    /// Object fields by wire name, in wire order.
    #[serde(default)]
    pub fields: Option<IndexMap<String, Field>>,
    /// One-of variants by name (untagged on the wire; responses pick one by `when`).
    #[serde(default)]
    pub variants: Option<IndexMap<String, Variant>>,
    /// Example value.
    #[serde(default)]
    pub example: Option<Value>,
}

/// Validation rules of a value (the rule keys shared by scalar types and fields). `TypeDef` and
/// `Field` repeat these keys rather than `#[serde(flatten)]` them: serde cannot combine flatten
/// with `deny_unknown_fields`, and unknown keys must stay errors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// Regular expression the whole value must match.
    pub pattern: Option<String>,
    /// Minimum length in characters.
    pub min_length: Option<usize>,
    /// Maximum length in characters.
    pub max_length: Option<usize>,
    /// Minimum integer value.
    pub minimum: Option<i64>,
    /// Maximum integer value.
    pub maximum: Option<i64>,
    /// Allowed string values.
    pub allowed: Option<Vec<String>>,
    /// Well-known format.
    pub format: Option<Format>,
    /// Sensitivity.
    pub sensitive: Option<Sensitivity>,
}

macro_rules! rules_of {
    ($t:ty) => {
        impl $t {
            /// The validation rules given on this item.
            pub fn rules(&self) -> Rules {
                Rules {
                    pattern: self.pattern.clone(),
                    min_length: self.min_length,
                    max_length: self.max_length,
                    minimum: self.minimum,
                    maximum: self.maximum,
                    allowed: self.allowed.clone(),
                    format: self.format,
                    sensitive: self.sensitive,
                }
            }
        }
    };
}

rules_of!(TypeDef);
rules_of!(Field);

/// Kinds of sensitive data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// Card number: shown as first 6 + last 4.
    Pan,
    /// Card security code: never shown.
    Cvv,
    /// Password: never shown.
    Password,
    /// Key, token or other secret: never shown.
    Secret,
    /// Personal data: shown as first character only.
    Pii,
}

/// An enum value: a bare wire value, or a value with a name, docs and a common status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum EnumValue {
    /// Just the wire value.
    Short(WireLiteral),
    /// The wire value with details.
    Full(EnumValueDef),
}

/// A wire literal of an enum: string or integer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum WireLiteral {
    /// Integer code.
    Int(i64),
    /// String code.
    Str(String),
}

impl WireLiteral {
    /// The value as text (`4`, `card`).
    pub fn text(&self) -> String {
        match self {
            WireLiteral::Int(n) => n.to_string(),
            WireLiteral::Str(s) => s.clone(),
        }
    }
}

/// An enum value with details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValueDef {
    /// The value on the wire.
    pub wire: WireLiteral,
    /// Rust variant name (PascalCase); derived from the wire value when absent.
    #[serde(default)]
    pub name: Option<String>,
    /// Documentation.
    #[serde(default)]
    pub doc: Option<String>,
    /// The common status this value means.
    #[serde(default)]
    pub common: Option<CommonStatus>,
}

/// A field of an object type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Type: a builtin (`string`, `integer`, `boolean`, `decimal`, `money`, `list`, `map`, `json`)
    /// or a named type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Element type of a `list`, value type of a `map`.
    #[serde(default)]
    pub items: Option<String>,
    /// Required on requests (responses read leniently: every field is optional there).
    #[serde(default)]
    pub required: bool,
    /// Documentation.
    #[serde(default)]
    pub doc: Option<String>,
    /// Rust field name when the derived one does not fit.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Regular expression the whole value must match (anchor it).
    #[serde(default)]
    pub pattern: Option<String>,
    /// Minimum length in characters.
    #[serde(default)]
    pub min_length: Option<usize>,
    /// Maximum length in characters.
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Minimum integer value (money: minor units).
    #[serde(default)]
    pub minimum: Option<i64>,
    /// Maximum integer value (money: minor units).
    #[serde(default)]
    pub maximum: Option<i64>,
    /// Allowed string values (for an open set use a named enum type instead).
    #[serde(default)]
    pub allowed: Option<Vec<String>>,
    /// A well-known format checked on requests.
    #[serde(default)]
    pub format: Option<Format>,
    /// Sensitive data: masked in Debug/Display.
    #[serde(default)]
    pub sensitive: Option<Sensitivity>,
    /// Money encoding (for `type: money`).
    #[serde(default)]
    pub money: Option<MoneyField>,
    /// Filled by the client, not by the caller.
    #[serde(default)]
    pub from: Option<FieldSource>,
    /// Example value.
    #[serde(default)]
    pub example: Option<Value>,
}

/// How a money field travels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyField {
    /// Wire name of the sibling field holding the currency.
    pub currency_field: String,
    /// Wire form.
    pub wire: MoneyWire,
}

/// Where the client takes a field's value from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldSource {
    /// A credential's value.
    Credential(String),
    /// The injected clock, formatted with strftime (`%Y-%m-%dT%H:%M:%SZ`).
    Clock(String),
    /// A constant the operation always sends (`update_type: delete`): a string, number or boolean.
    Value(Value),
}

/// A variant of a one-of type or of an operation's responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The variant's type (a named object type).
    #[serde(rename = "type")]
    pub ty: String,
    /// When a response is this variant (first match wins; no `when` = fallback).
    #[serde(default)]
    pub when: Option<Condition>,
    /// Documentation.
    #[serde(default)]
    pub doc: Option<String>,
}

/// A condition on a response: every key given must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// This dotted path is present and not null.
    #[serde(default)]
    pub has: Option<String>,
    /// This dotted path is absent or null.
    #[serde(default)]
    pub absent: Option<String>,
    /// Each dotted path equals the literal.
    #[serde(default)]
    pub equals: Option<IndexMap<String, Value>>,
    /// HTTP status within `[low, high]`.
    #[serde(default)]
    pub http_status: Option<[u16; 2]>,
    /// Any of these holds.
    #[serde(default)]
    pub any: Option<Vec<Condition>>,
    /// None of these holds.
    #[serde(default)]
    pub none: Option<Vec<Condition>>,
}

/// An operation of the provider's API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Documentation (first line is the summary).
    #[serde(default)]
    pub doc: Option<String>,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path below the base URL.
    pub path: String,
    /// Host name of the environment (default `default`).
    #[serde(default)]
    pub host: Option<String>,
    /// Body encoding (default: json for POST/PUT/PATCH, none for GET/DELETE).
    #[serde(default)]
    pub encoding: Option<BodyEncoding>,
    /// Request type (a named object type).
    #[serde(default)]
    pub request: Option<String>,
    /// The response type when there is one shape.
    #[serde(default)]
    pub response: Option<String>,
    /// Response variants when there are several shapes.
    #[serde(default)]
    pub responses: Option<IndexMap<String, Variant>>,
    /// Whether the call can be repeated safely, and how to reconcile when it cannot.
    pub idempotency: Idempotency,
    /// Whether the call moves money (refused blind retries; unknown outcomes flagged).
    #[serde(default)]
    pub money_moving: bool,
    /// Whether the request is signed (default: yes when `signing.request` exists).
    #[serde(default)]
    pub sign: Option<bool>,
    /// Whether the response signature is verified (default: no).
    #[serde(default)]
    pub verify_response: bool,
    /// Documented request/response pairs; each becomes a test.
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum HttpMethod {
    /// GET.
    GET,
    /// POST.
    POST,
    /// PUT.
    PUT,
    /// DELETE.
    DELETE,
    /// PATCH.
    PATCH,
}

/// Body encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// No body (GET query parameters come from the request type).
    None,
}

/// Repeat safety of an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Idempotency {
    /// True when repeating the call cannot duplicate an effect (queries, naturally idempotent calls).
    pub safe: bool,
    /// The operation that finds out what happened when the outcome is unknown.
    #[serde(default)]
    pub reconcile_with: Option<String>,
    /// How to reconcile when no operation can (e.g. "wait for the callback").
    #[serde(default)]
    pub reconcile_note: Option<String>,
}

/// A documented request/response pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Name of the example.
    pub name: String,
    /// Documentation.
    #[serde(default)]
    pub doc: Option<String>,
    /// The request body as the provider documents it (signature included when reproducible).
    #[serde(default)]
    pub request: Option<Value>,
    /// HTTP status of the response.
    #[serde(default)]
    pub status: Option<u16>,
    /// The response body.
    #[serde(default)]
    pub response: Option<Value>,
    /// The response variant it must decode into (or `declined` for an error envelope).
    #[serde(default)]
    pub expect: Option<String>,
}

/// A provider error envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorRule {
    /// When a response is this envelope.
    pub when: Condition,
    /// Dotted path of the provider's error code.
    #[serde(default)]
    pub code: Option<String>,
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

/// Simulator settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SandboxSettings {
    /// Test credential values the simulator accepts and clients use in tests and the demo.
    #[serde(default)]
    pub credentials: IndexMap<String, String>,
    /// Behaviour rules for the simulator (`paygen-sandbox`); without them every operation
    /// answers its documented example.
    #[serde(default)]
    pub rules: Option<super::sandbox::SandboxRules>,
}
