//! The IR's own vocabulary: the small enums and rule sets emitters match on, converted from the
//! spec model by the lowering (so the spec language can change without touching emitters).
//! `Format`, `MoneyWire` and `CommonStatus` are the runtime's own types: generated code names
//! them, so the IR uses them as they are.

pub use paygen_runtime::money::MoneyWire;
pub use paygen_runtime::validate::Format;
pub use paygen_runtime::wire::CommonStatus;

/// The index of a named type in [`super::Provider::types`] (given out only by the lowering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub(crate) usize);

impl TypeId {
    /// The position of the type in [`super::Provider::types`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
    /// `PATCH`.
    Patch,
}

impl HttpMethod {
    /// The method as HTTP writes it (`GET`).
    pub fn text(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
        }
    }
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// No body (query parameters come from the request type).
    None,
}

/// Kinds of sensitive text, each with its masking type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A wire literal of an enum value: integer or string.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Validation rules of a field or a scalar newtype.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// Sensitivity (masking type of a string).
    pub sensitive: Option<Sensitivity>,
}

/// A kind of answer an operation may give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnswerKind {
    /// JSON decoded into the documented response type(s).
    Json,
    /// A 3xx redirect with a `Location` header.
    Redirect,
    /// An HTML page kept as text.
    Html,
    /// A plain-text body.
    Text,
    /// An HTML page with a form the buyer's browser posts.
    AutoPostForm,
}

/// How the client authenticates at an OAuth2 token endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic with the client id and secret.
    #[default]
    Basic,
    /// `client_id` and `client_secret` as form fields of the token request.
    Body,
}

/// How an operation's unknown outcome is resolved, with its key as `(target, source)` pairs
/// (both dotted wire paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Ask this operation (wire name); its request fields come from the original request.
    Lookup {
        /// The lookup operation.
        operation: String,
        /// Lookup request field <- original request path.
        key: Vec<(String, String)>,
    },
    /// Await one of these notifications.
    AwaitCallback {
        /// Event kinds.
        events: Vec<String>,
        /// Notification path <- original request path.
        key: Vec<(String, String)>,
    },
    /// None named.
    Unspecified,
}
