//! The one door generated code uses: every runtime item a generated client names, re-exported
//! here so the runtime's layout and dependencies can change without regenerating clients.

pub use http;
pub use serde;
pub use serde_json;

pub use crate::auth::{ClientAuth, OAuth2ClientCredentials};
pub use crate::clock::{format_unix, rfc3339, Clock, FixedClock, SystemClock};
pub use crate::credentials::Credentials;
pub use crate::currency::{currency_exponent, is_country_alpha2};
pub use crate::engine::{
    decode, decode_answer, decode_value, prepare_request, settle, Answer, Answers, AuthPlan,
    AuthSpec, AutoPostForm, BodyEncoding, CallOptions, Engine, EngineConfig, Method, Operation,
    OperationMeta, PreparedRequest, Preparer, ProviderError, ProviderMeta, RawResponse, Repeat,
};
pub use crate::error::Error;
pub use crate::json_path::{self, at, equals_bool, equals_i64, equals_str, has, text_at};
pub use crate::money::{
    exponent_for, minor_from_decimal_text, minor_to_decimal_text, money_to_wire, Decimal,
    MinorUnits, MoneyWire,
};
pub use crate::page::page_url;
pub use crate::reconcile::{Reconcile, Resolve};
pub use crate::redact::{excerpt, redact_text};
pub use crate::requirements::{check_requirements, Requirement};
pub use crate::scrub::{CallGuard, Scrubber};
pub use crate::secret::Secret;
pub use crate::sensitive::{CardNumber, Cvv, Password, Pii, SecretString};
pub use crate::signing::{
    self, verify_received, AbsentRule, BoolRender, Canonical, CompiledRecipe, DeepRule, Digest,
    Encoding, Generate, Generated, KeyCase, KeyDecoding, ListRule, NestedRule, NonceForm, NullRule,
    Over, Placement, Received, Recipe, RequestView, SecretPlacement, SecretTransform, SecretUse,
    SignInput, Signed, Signer, SigningError, SkipRule, SortOrder, TimestampForm,
};
pub use crate::towire::{
    check_currency, check_known, check_not_blank, encode, fits_fields, host_url, is_success,
    money_value, request_body, response_value, unexpected_response, wire_text, wire_value, ToWire,
    WireContext,
};
pub use crate::validate::{
    check_compiled_pattern, check_format, check_length, check_money, check_one_of, check_pattern,
    check_range, compile_pattern, field_path, index_path, join_path, FieldError, Format, Pattern,
    ValidationErrors,
};
pub use crate::webhook::{
    dedup_key, parse_webhook_body, verify_webhook, Ack, WebhookEncoding, WebhookVerifier,
};
pub use crate::wire::{form_decode, form_encode, wire_int, wire_str, CommonStatus, WireScalar};
