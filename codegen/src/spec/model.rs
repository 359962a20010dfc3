//! The spec language: the serde model of `specs/<provider>.yaml` (its JSON Schema is `specs/schema.json`).

use indexmap::IndexMap;
use paygen_runtime::signing::Recipe;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use paygen_runtime::money::MoneyWire;
pub use paygen_runtime::validate::Format;
pub use paygen_runtime::wire::CommonStatus;

pub use super::model_forms::{Page, Reply, Requirement};
pub use super::model_notify::{Ack, ErrorRule, WebhookExample, Webhooks};

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
    /// Response header carrying the provider's request id (recorded in traces), e.g. `X-Request-Id`.
    #[serde(default)]
    pub request_id_header: Option<String>,
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
    /// Pages by name (snake_case): GET URLs the payer's browser opens (a hosted payment page),
    /// built from a validated request as URL-encoded query parameters and never sent by the
    /// client; each becomes a `<name>_url` client method.
    #[serde(default)]
    pub pages: IndexMap<String, Page>,
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

/// Base URL(s) of one environment. Base URLs are `https://`; plain `http://` is only allowed on
/// loopback (127.0.0.1, ::1, localhost) or for an environment marked `local_simulator`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Environment {
    /// A local simulator (`{ local_simulator: <url or hosts> }`): plain `http://` allowed.
    LocalSimulator {
        /// The simulator's base URL(s).
        local_simulator: Box<Environment>,
    },
    /// One base URL (host name `default`).
    Url(String),
    /// Base URLs by host name; `default` is the one operations use unless they name another.
    Hosts(IndexMap<String, String>),
}

impl Environment {
    /// `(host name, base URL)` pairs, `default` included.
    pub fn hosts(&self) -> Vec<(String, String)> {
        match self {
            Environment::LocalSimulator { local_simulator } => local_simulator.hosts(),
            Environment::Url(u) => vec![("default".into(), u.clone())],
            Environment::Hosts(h) => h.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    }

    /// Whether the spec marks this environment as a local simulator.
    pub fn is_local_simulator(&self) -> bool {
        matches!(self, Environment::LocalSimulator { .. })
    }
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

pub(super) fn yes() -> bool {
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
    /// Bearer tokens from the provider's token endpoint (OAuth2 client credentials grant):
    /// fetched, cached until shortly before expiry, refreshed once after a 401.
    #[serde(default)]
    pub oauth2_client_credentials: Option<OAuth2ClientCredentials>,
}

/// The OAuth2 client credentials grant (RFC 6749 §4.4): a form POST of
/// `grant_type=client_credentials` to the token endpoint; the answer's `access_token` is sent
/// as `Authorization: Bearer …` until `expires_in` (less a margin) runs out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OAuth2ClientCredentials {
    /// Path of the token endpoint below the host's base URL (`/oauth2/token`).
    pub path: String,
    /// Host name of the environment serving the token endpoint (default `default`).
    #[serde(default)]
    pub host: Option<String>,
    /// Credential holding the client id.
    pub client_id: String,
    /// Credential holding the client secret (must be a secret credential).
    pub client_secret: String,
    /// Scope to request (space-separated), when the provider wants one.
    #[serde(default)]
    pub scope: Option<String>,
    /// How the client id and secret travel: `basic` (HTTP Basic, the default) or `body` (form fields).
    #[serde(default)]
    pub client_auth: ClientAuth,
}

/// How the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// HTTP Basic with the client id and secret.
    #[default]
    Basic,
    /// `client_id` and `client_secret` as form fields of the token request.
    Body,
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
    /// What the spec assumes here because the provider's documentation does not say, and why
    /// (`assumed: "status meanings borrowed from the sibling provider"`); shown in the generated
    /// docs as "Assumed, not documented: ..." and listed by `paygen assumptions`.
    #[serde(default)]
    pub assumed: Option<String>,
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
    /// Conditional requirements between this object's fields, checked on requests by the
    /// client and the sandbox (every bad field named).
    #[serde(default)]
    pub requires: Vec<Requirement>,
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
// Deserialized as `#[serde(untagged)]` would, without buffering each value and trying each
// form in turn: `model_de` (a plain comment: doc comments become the JSON Schema's text).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum EnumValue {
    /// Just the wire value.
    Short(WireLiteral),
    /// The wire value with details.
    Full(EnumValueDef),
}

/// A wire literal of an enum: string or integer.
// Deserialized as `untagged` would, in `model_de`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
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
    /// What the spec assumes here because the provider's documentation does not say, and why
    /// (`assumed: "status meanings borrowed from the sibling provider"`); shown in the generated
    /// docs as "Assumed, not documented: ..." and listed by `paygen assumptions`.
    #[serde(default)]
    pub assumed: Option<String>,
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
    /// What the spec assumes here because the provider's documentation does not say, and why
    /// (`assumed: "status meanings borrowed from the sibling provider"`); shown in the generated
    /// docs as "Assumed, not documented: ..." and listed by `paygen assumptions`.
    #[serde(default)]
    pub assumed: Option<String>,
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
    /// Given by the caller for the client's own use and never sent (e.g. the currency a refund
    /// amount is converted with when the provider takes the original payment's currency).
    #[serde(default)]
    pub local: bool,
    /// Filled by the client, not by the caller.
    #[serde(default)]
    pub from: Option<FieldSource>,
    /// Example value.
    #[serde(default)]
    pub example: Option<Value>,
}

/// How a money field travels. The currency that gives the exponent is named exactly once:
/// `currency_field` (a sibling field, sent or `local`) or `currency` (fixed for this field).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyField {
    /// Wire name of the sibling field holding the currency (a `local: true` field when the
    /// currency is not sent).
    #[serde(default)]
    pub currency_field: Option<String>,
    /// The currency when it is fixed for this field (ISO 4217 or `money.exponents`), e.g. a
    /// provider that takes one currency per operation and sends none.
    #[serde(default)]
    pub currency: Option<String>,
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
    /// Webhook events only: the answers the receiver may give this event, by name (a Payment
    /// Check's `confirm` / `reject`); each becomes a variant of a typed `<Event>Reply`.
    #[serde(default)]
    pub replies: IndexMap<String, Reply>,
    /// Documentation.
    #[serde(default)]
    pub doc: Option<String>,
    /// What the spec assumes here because the provider's documentation does not say, and why
    /// (`assumed: "status meanings borrowed from the sibling provider"`); shown in the generated
    /// docs as "Assumed, not documented: ..." and listed by `paygen assumptions`.
    #[serde(default)]
    pub assumed: Option<String>,
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
    /// What the spec assumes here because the provider's documentation does not say, and why
    /// (`assumed: "status meanings borrowed from the sibling provider"`); shown in the generated
    /// docs as "Assumed, not documented: ..." and listed by `paygen assumptions`.
    #[serde(default)]
    pub assumed: Option<String>,
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
    /// What the operation may answer (default `[json]`). With anything besides `json` the
    /// method returns `Answer<T>` (data, redirect, HTML, text or form) and `Accept` lists the
    /// matching media types; an answer of an undeclared kind is an error (for a money-moving
    /// operation: an unknown outcome).
    #[serde(default)]
    pub answers: Option<Vec<AnswerKind>>,
    /// Time allowed for each attempt, in milliseconds (default: the client's configured
    /// timeout); a per-call option overrides it.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

/// A kind of answer an operation may give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    /// A JSON body decoded into the documented response type(s).
    Json,
    /// A 3xx redirect with a `Location` header (`Answer::Redirect { location }`).
    Redirect,
    /// An HTML page kept as text (`Answer::Html`).
    Html,
    /// A plain-text body (`Answer::Text`).
    Text,
    /// An HTML page with a form the buyer's browser posts, e.g. 3-D Secure
    /// (`Answer::Form { action, method, fields }`).
    AutoPostForm,
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

/// Repeat safety of an operation, and how an unknown outcome is resolved.
///
/// A money-moving operation names exactly one resolution: a lookup (`reconcile_with`, whose
/// request is filled from the original request: `reconcile_key`, or by default each required
/// lookup field from the request field of the same wire name) or, when no lookup exists,
/// `await_callback`. `check` proves the lookup's required fields can always be filled: every
/// source is a required (or client-filled), non-sensitive, non-money field of the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Idempotency {
    /// True when repeating the call cannot duplicate an effect (queries, naturally idempotent calls).
    pub safe: bool,
    /// The (safe) lookup operation that finds out what happened when the outcome is unknown.
    #[serde(default)]
    pub reconcile_with: Option<String>,
    /// The lookup's request: lookup wire field -> dotted wire path in this operation's request.
    /// Default: every required lookup field from the request field of the same name.
    #[serde(default)]
    pub reconcile_key: Option<IndexMap<String, String>>,
    /// No lookup exists: the notification that carries the final state.
    #[serde(default)]
    pub await_callback: Option<AwaitCallback>,
    /// Free text for people: what else to know when reconciling.
    #[serde(default)]
    pub reconcile_note: Option<String>,
}

/// The notification(s) that carry the final state of an operation no lookup can find.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AwaitCallback {
    /// Event kinds (keys of `webhooks.events`) that carry the final state.
    pub events: Vec<String>,
    /// How the notification names the transaction: dotted path in the notification -> dotted
    /// wire path in this operation's request (e.g. `{ external_id: external_id }`).
    pub key: IndexMap<String, String>,
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
    /// Top-level fields this documented request does not show, each with a stand-in value: a
    /// field the provider's table requires that the example leaves out, or a `local` field the
    /// client needs (never sent). The replay test gives the stand-ins and compares the rest.
    #[serde(default)]
    pub stand_ins: IndexMap<String, Value>,
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
