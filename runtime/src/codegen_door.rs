//! The one door generated code uses: exactly the runtime items the emitters name (`rt::Name` in
//! `paygen-codegen`'s `emit` module), re-exported here so the runtime's layout and dependencies
//! can change without regenerating clients. Hand-written code uses the documented API instead;
//! `tests/codegen_door.rs` fails on an item no emitter names and on a name the door lacks.

pub use http;
pub use serde;
pub use serde_json;

pub use crate::as_wire::AsWire;
pub use crate::auth::{ClientAuth, OAuth2ClientCredentials};
pub use crate::clock::{Clock, SystemClock};
pub use crate::credentials::Credentials;
pub use crate::engine::{
    decode, decode_answer, decode_value, Answer, Answers, AuthSpec, BodyEncoding, CallOptions,
    Engine, EngineConfig, Method, OperationMeta, PreparedRequest, ProviderError, ProviderMeta,
    RawResponse, Repeat,
};
pub use crate::error::Error;
pub use crate::json_direct::{
    entry_bool, entry_int, entry_str, entry_value, request_json, write_credential, write_items,
    write_key, write_money, WriteJson,
};
pub use crate::json_path::{at, equals_bool, equals_i64, equals_str, has, text_at};
pub use crate::money::{Decimal, MinorUnits, MoneyWire};
pub use crate::page::page_url;
pub use crate::reconcile::{Reconcile, Resolve};
pub use crate::requirements::{
    check_field_requirements, check_tree_requirements, wire_present, wire_text_in, Requirement,
    RequirementFields,
};
pub use crate::scrub::CallGuard;
pub use crate::secret::Secret;
pub use crate::sensitive::{CardNumber, Cvv, Password, Pii, SecretString};
pub use crate::signing::{
    AbsentRule, BoolRender, Canonical, DeepRule, Digest, Encoding, Generate, KeyCase, KeyDecoding,
    ListRule, NestedRule, NonceForm, NullRule, Over, Placement, Recipe, SecretPlacement,
    SecretTransform, SecretUse, SkipRule, SortOrder, TimestampForm,
};
pub use crate::signing::{CanonicalPairs, FlatPairs, WriteFlatPairs, WriteSigned};
pub use crate::towire::{
    check_currency, check_known, check_not_blank, fits_fields, host_url, is_success, money_value,
    request_body, request_tree, response_value, unexpected_response, wire_text, wire_text_ref,
    wire_value, ToWire, WireContext,
};
pub use crate::validate::{
    check_format, check_length, check_money, check_one_of, check_pattern, check_range, field_path,
    within, within_item, Format, Pattern, ValidationErrors,
};
pub use crate::webhook::{Ack, WebhookBody, WebhookEncoding, WebhookVerifier};
pub use crate::wire::{wire_int, wire_str, CommonStatus, WireScalar};
pub use crate::wire_tree::{WireObject, WireValue};
