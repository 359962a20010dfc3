//! The IR emitters read: names resolved, types normalised, nothing left to look up in the spec.

use paygen_runtime::signing::Recipe;
use serde_json::Value;

mod vocab;

pub use vocab::{
    AnswerKind, BodyEncoding, ClientAuth, CommonStatus, Format, HttpMethod, MoneyWire, Resolution,
    Rules, Sensitivity, TypeId, WireLiteral,
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
    /// Bearer tokens from a token endpoint (OAuth2 client credentials).
    pub oauth2: Option<OAuth2>,
    /// Response header carrying the provider's request id.
    pub request_id_header: Option<String>,
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
    /// Pages (URLs the client builds instead of sending).
    pub pages: Vec<Page>,
}

impl Provider {
    /// The named type a [`TypeId`] of this provider refers to.
    pub fn ty(&self, id: TypeId) -> &Type {
        &self.types[id.index()]
    }
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
    /// The spec marks it a local simulator (plain `http://` allowed).
    pub local_simulator: bool,
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
    /// Conditional requirements (objects only).
    pub requires: Vec<Requirement>,
    /// Every member has a default, so `#[derive(Default)]` compiles (objects only).
    pub defaultable: bool,
    /// Dotted wire paths of the sensitive values inside the type (`[]` for list elements),
    /// sorted; a recursive type is followed a bounded number of times through itself.
    pub sensitive_paths: Vec<String>,
}

/// A conditional requirement of an object (see the spec model's `Requirement`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// Field wire name -> wire texts that make it apply.
    pub when: Vec<(String, Vec<String>)>,
    /// Paths that must be present.
    pub required: Vec<String>,
    /// Paths that must be absent.
    pub forbidden: Vec<String>,
    /// Paths of which one must be present.
    pub at_least_one_of: Vec<String>,
    /// Documentation.
    pub doc: Option<String>,
}

impl Requirement {
    /// One line for docs: "When `method` is `card`: required `additional_fields.card_number`."
    pub fn describe(&self) -> String {
        let list = |paths: &[String]| {
            paths
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let when: Vec<String> = self
            .when
            .iter()
            .map(|(f, vs)| {
                let vs: Vec<String> = vs.iter().map(|v| format!("`{v}`")).collect();
                format!("`{f}` is {}", vs.join(" or "))
            })
            .collect();
        let mut parts = Vec::new();
        if !self.required.is_empty() {
            parts.push(format!("required {}", list(&self.required)));
        }
        if !self.forbidden.is_empty() {
            parts.push(format!("forbidden {}", list(&self.forbidden)));
        }
        if !self.at_least_one_of.is_empty() {
            parts.push(format!("at least one of {}", list(&self.at_least_one_of)));
        }
        let head = if when.is_empty() {
            "Always".to_string()
        } else {
            format!("When {}", when.join(" and "))
        };
        let mut line = format!("{head}: {}.", parts.join("; "));
        if let Some(d) = &self.doc {
            line = format!("{line} {}", d.trim());
        }
        line
    }
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
    /// Given by the caller for the client's own use; never sent.
    pub local: bool,
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

/// Where a money field's currency comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyCurrency {
    /// A sibling field (wire name), sent or local.
    Field(String),
    /// A fixed currency code.
    Fixed(String),
}

impl MoneyCurrency {
    /// Text for docs: "the currency in `currency`" / "EUR".
    pub fn describe(&self) -> String {
        match self {
            MoneyCurrency::Field(f) => format!("the currency in `{f}`"),
            MoneyCurrency::Fixed(c) => format!("{c} (fixed)"),
        }
    }
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// Builtin scalar.
    Scalar(Scalar),
    /// Sensitive string.
    Sensitive(Sensitivity),
    /// Money with where its currency comes from and its wire form.
    Money {
        /// Where the currency (hence the exponent) comes from.
        currency: MoneyCurrency,
        /// Wire form.
        wire: MoneyWire,
    },
    /// Named type.
    Named(TypeId),
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
    /// The variant's type.
    pub ty: TypeId,
    /// When it applies (None = fallback).
    pub when: Option<Condition>,
    /// Docs.
    pub doc: Option<String>,
    /// Typed answers (webhook events only).
    pub replies: Vec<Reply>,
}

/// A page: a URL built from a validated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Spec name (snake_case).
    pub name: String,
    /// Docs.
    pub doc: Option<String>,
    /// Path with `{field}` placeholders.
    pub path: String,
    /// Host name.
    pub host: String,
    /// Rust name of the request type.
    pub request: String,
}

/// A typed answer to a webhook event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Rust variant name.
    pub rust: String,
    /// Docs.
    pub doc: Option<String>,
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub content_type: String,
    /// Body template.
    pub body: String,
    /// (placeholder name, Rust field name, is integer).
    pub params: Vec<(String, String, bool)>,
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
    /// How an unknown outcome is resolved (lookup with its key, or the notification to await).
    pub resolution: Resolution,
    /// Dotted wire paths of the request's sensitive values (see [`Type::sensitive_paths`]).
    pub sensitive_paths: Vec<String>,
    /// A documented response shape comes with a non-2xx status (by its condition, or by a
    /// documented example such as a typed decline on HTTP 400).
    pub typed_error_statuses: bool,
    /// Moves money.
    pub money_moving: bool,
    /// Signed.
    pub sign: bool,
    /// Response verified.
    pub verify_response: bool,
    /// Examples.
    pub examples: Vec<Example>,
    /// What the operation may answer (`[Json]` by default).
    pub answers: Vec<AnswerKind>,
    /// Per-attempt timeout in milliseconds from the spec.
    pub timeout_ms: Option<u64>,
}

/// The OAuth2 client credentials grant of a provider.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuth2 {
    /// Host name of the token endpoint.
    pub host: String,
    /// Path of the token endpoint.
    pub path: String,
    /// Credential (wire name) holding the client id.
    pub client_id: String,
    /// Credential (wire name) holding the client secret.
    pub client_secret: String,
    /// Scope to request.
    pub scope: Option<String>,
    /// How the client authenticates at the token endpoint.
    pub client_auth: ClientAuth,
}

impl Operation {
    /// True when the operation declares answers besides JSON (its method returns `Answer<T>`).
    pub fn has_non_json_answers(&self) -> bool {
        self.answers.iter().any(|a| *a != AnswerKind::Json)
    }

    /// The `Accept` header value for the declared answers.
    pub fn accept(&self) -> String {
        let mut types: Vec<&str> = Vec::new();
        for a in &self.answers {
            let t = match a {
                AnswerKind::Json => "application/json",
                AnswerKind::Html | AnswerKind::AutoPostForm => "text/html",
                AnswerKind::Text => "text/plain",
                AnswerKind::Redirect => continue,
            };
            if !types.contains(&t) {
                types.push(t);
            }
        }
        if types.is_empty() {
            "*/*".to_string()
        } else {
            types.join(", ")
        }
    }
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
    /// Required fields the documented request leaves out, with stand-in values.
    pub stand_ins: Vec<(String, Value)>,
}

/// An error envelope rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRule {
    /// When.
    pub when: Condition,
    /// Code path.
    pub code: Option<String>,
    /// Rust name of the enum of documented codes.
    pub code_type: Option<String>,
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
    /// What the spec assumes about the ack (None when documented).
    pub ack_doc: Option<String>,
}
