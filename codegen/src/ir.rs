//! The IR emitters read: names resolved, types normalised, nothing left to look up in the spec.

use paygen_runtime::signing::Recipe;
use serde_json::Value;

pub use crate::spec::model::{
    BodyEncoding, CommonStatus, Format, HttpMethod, MoneyWire, Rules, Sensitivity, WireLiteral,
};

/// One provider, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    /// snake_case id (module and feature name).
    pub id: String,
    /// Human name.
    pub title: String,
    /// Docs link.
    pub docs: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Spec file name relative to the spec dir (for the `@generated` header).
    pub spec_file: String,
    /// Environments.
    pub environments: Vec<Environment>,
    /// Credentials.
    pub credentials: Vec<Credential>,
    /// Auth headers: (header, credential wire name).
    pub auth_headers: Vec<(String, String)>,
    /// HTTP Basic: (user credential, password credential).
    pub auth_basic: Option<(String, String)>,
    /// Signing recipes.
    pub recipes: Recipes,
    /// Currency exponent overrides.
    pub exponents: Vec<(String, u8)>,
    /// Named types in spec order.
    pub types: Vec<Type>,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
    /// Error envelope rules.
    pub errors: Vec<ErrorRule>,
    /// Webhooks.
    pub webhooks: Option<Webhooks>,
}

/// An environment and its base URLs by host name.
#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    /// Wire name (`sandbox`).
    pub name: String,
    /// Rust variant (`Sandbox`).
    pub rust: String,
    /// (host name, base URL), `default` first.
    pub hosts: Vec<(String, String)>,
}

/// A credential.
#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    /// Spec name.
    pub name: String,
    /// Rust field name.
    pub rust: String,
    /// Secret or not.
    pub secret: bool,
    /// Docs.
    pub doc: Option<String>,
}

/// Signing recipes by role.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recipes {
    /// Outgoing requests.
    pub request: Option<Recipe>,
    /// Signed responses.
    pub response: Option<Recipe>,
    /// Notifications.
    pub webhook: Option<Recipe>,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct Type {
    /// Rust name.
    pub rust: String,
    /// Docs.
    pub doc: Option<String>,
    /// Shape.
    pub kind: TypeKind,
    /// Used (directly or nested) in a request body.
    pub in_request: bool,
}

/// Shapes of named types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A constrained scalar newtype.
    Scalar {
        /// Base.
        base: Scalar,
        /// Rules.
        rules: Rules,
    },
    /// An open enum (known values + `Unknown(raw)`).
    Enum {
        /// Integer or string codes.
        int: bool,
        /// Values.
        values: Vec<EnumValue>,
    },
    /// An object.
    Object {
        /// Fields in wire order.
        fields: Vec<Field>,
    },
    /// A container of another type (`map` / `list`), emitted as a type alias.
    Alias(TypeRef),
    /// An untagged one-of.
    OneOf {
        /// Variants in order.
        variants: Vec<Variant>,
    },
}

/// Builtin scalars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// Text.
    String,
    /// 64-bit integer.
    Integer,
    /// Boolean.
    Boolean,
    /// Exact decimal as written.
    Decimal,
    /// Any JSON value.
    Json,
}

/// An enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// Wire literal (integer or string).
    pub wire: WireLiteral,
    /// Rust variant.
    pub rust: String,
    /// Docs.
    pub doc: Option<String>,
    /// Common status.
    pub common: Option<CommonStatus>,
}

/// A field of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Docs.
    pub doc: Option<String>,
    /// Type.
    pub ty: TypeRef,
    /// Required on requests.
    pub required: bool,
    /// Rules.
    pub rules: Rules,
    /// Filled by the client.
    pub source: Option<Source>,
}

/// Where the client takes a value from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Credential (spec name).
    Credential(String),
    /// Clock with a strftime pattern.
    Clock(String),
    /// A constant scalar.
    Const(serde_json::Value),
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// Builtin scalar.
    Scalar(Scalar),
    /// Sensitive string.
    Sensitive(Sensitivity),
    /// Money with its currency sibling (wire name) and wire form.
    Money {
        /// Wire name of the currency field.
        currency_field: String,
        /// Wire form.
        wire: MoneyWire,
    },
    /// Named type (Rust name).
    Named(String),
    /// List.
    List(Box<TypeRef>),
    /// Map with string keys.
    Map(Box<TypeRef>),
}

/// A variant of a one-of or of responses / events.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Rust variant name.
    pub rust: String,
    /// Rust name of the variant's type.
    pub ty: String,
    /// When it applies (None = fallback).
    pub when: Option<Condition>,
    /// Docs.
    pub doc: Option<String>,
}

/// A condition: every part must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Condition {
    /// Paths present and not null.
    pub has: Vec<String>,
    /// Paths absent or null.
    pub absent: Vec<String>,
    /// Paths equal to literals.
    pub equals: Vec<(String, Value)>,
    /// HTTP status range.
    pub http_status: Option<(u16, u16)>,
    /// At least one holds (when non-empty).
    pub any: Vec<Condition>,
    /// None holds.
    pub none: Vec<Condition>,
}

/// An operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Wire / spec name.
    pub name: String,
    /// Rust method name.
    pub rust: String,
    /// Docs.
    pub doc: Option<String>,
    /// Method.
    pub method: HttpMethod,
    /// Host name.
    pub host: String,
    /// Path.
    pub path: String,
    /// Body encoding.
    pub encoding: BodyEncoding,
    /// Request type (Rust name).
    pub request: Option<String>,
    /// Response shape.
    pub response: Response,
    /// Safe to repeat.
    pub safe: bool,
    /// Operation to reconcile with (wire name).
    pub reconcile_with: Option<String>,
    /// Reconciliation note when no operation can.
    pub reconcile_note: Option<String>,
    /// Moves money.
    pub money_moving: bool,
    /// Signed.
    pub sign: bool,
    /// Response verified.
    pub verify_response: bool,
    /// Examples.
    pub examples: Vec<Example>,
}

/// What an operation returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// Nothing typed (raw JSON).
    None,
    /// One type (Rust name).
    Single(String),
    /// Variants: the generated enum is `<Op>Response`.
    Variants(Vec<Variant>),
}

/// A documented example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Name.
    pub name: String,
    /// Request body.
    pub request: Option<Value>,
    /// HTTP status.
    pub status: u16,
    /// Response body.
    pub response: Option<Value>,
    /// Expected variant / `declined`.
    pub expect: Option<String>,
}

/// An error envelope rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRule {
    /// When.
    pub when: Condition,
    /// Code path.
    pub code: Option<String>,
    /// Message path.
    pub message: Option<String>,
}

/// Webhooks.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhooks {
    /// Docs.
    pub doc: Option<String>,
    /// Form or JSON.
    pub form: bool,
    /// Verified with the webhook recipe.
    pub verify: bool,
    /// Events.
    pub events: Vec<Variant>,
    /// Ack (status, content type, body).
    pub ack: (u16, String, String),
    /// Dotted paths of the fields identifying one delivery (de-duplication key).
    pub dedup_key: Vec<String>,
}
