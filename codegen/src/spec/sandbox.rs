//! The `sandbox.rules` part of the spec language: how the simulator answers, decides outcomes
//! (outcome tables with status paths and timings), treats repeated references and calls back.
//! Checked by `validate::sandbox`; interpreted by `paygen-sandbox`.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A provider's simulator rules (`sandbox.rules` of its spec), interpreted by `paygen-sandbox`
/// (documented in `sandbox/README.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SandboxRules {
    /// How new ids look (default: integers counting up from 1000).
    #[serde(default)]
    pub ids: IdFormat,
    /// Milliseconds before a transaction leaves a non-final state (scaled by the time scale).
    #[serde(default = "default_settle")]
    pub settle_ms: u64,
    /// Opening balances in minor units by currency.
    #[serde(default)]
    pub balances: IndexMap<String, i64>,
    /// The provider's error answers.
    pub errors: ErrorTemplates,
    /// Transaction states: name -> result and the variables templates read as `{state.X}`.
    #[serde(default)]
    pub states: IndexMap<String, State>,
    /// Named templates, inserted with `"{>name}"`.
    #[serde(default)]
    pub templates: IndexMap<String, Value>,
    /// What each operation does (operations not listed answer their `default` reply, if any).
    #[serde(default)]
    pub operations: IndexMap<String, OpRule>,
    /// Callback retry delays in seconds, used when the spec's `webhooks.retry_schedule` is empty
    /// (the provider documents none); scaled like the documented schedule.
    #[serde(default)]
    pub callback_retries: Vec<u64>,
    /// UTC offsets (`+03:00`) by time-zone name, for list `date` filters whose request names a
    /// time zone (the provider's own dictionary; fixed offsets, no daylight saving).
    #[serde(default)]
    pub timezones: IndexMap<String, String>,
}

fn default_settle() -> u64 {
    200
}

/// How ids are written: `{n}` is the sequence number (`{n:12}` zero-padded to 12 digits).
/// Without `format` an id is a JSON integer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdFormat {
    /// First number.
    #[serde(default = "default_start")]
    pub start: u64,
    /// Text form; absent = integer.
    #[serde(default)]
    pub format: Option<String>,
}

impl Default for IdFormat {
    fn default() -> Self {
        IdFormat {
            start: default_start(),
            format: None,
        }
    }
}

fn default_start() -> u64 {
    1000
}

/// The provider's error answers; `{message}` and `{code}` are filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorTemplates {
    /// Unknown path.
    pub not_found: Reply,
    /// Missing or wrong authentication.
    pub unauthorized: Reply,
    /// A request that breaks the spec's rules.
    pub invalid: Reply,
    /// A missing or wrong request signature.
    pub bad_signature: Reply,
    /// A lookup that finds no transaction (default: `invalid`).
    #[serde(default)]
    pub unknown_transaction: Option<Reply>,
    /// Injected 5xx answers (default: `invalid` with the injected status).
    #[serde(default)]
    pub unavailable: Option<Reply>,
    /// A request missing a required field (default: `invalid`); the message lists every problem.
    #[serde(default)]
    pub missing: Option<Reply>,
    /// Sign error answers with `signing.response` too (providers that sign every answer).
    #[serde(default)]
    pub signed: bool,
}

/// One answer: HTTP status and a body template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// HTTP status (default 200).
    #[serde(default = "ok")]
    pub status: u16,
    /// Body template (JSON); absent = empty body.
    #[serde(default)]
    pub body: Option<Value>,
    /// Code filled into `{code}` (error replies).
    #[serde(default)]
    pub code: Option<String>,
}

fn ok() -> u16 {
    200
}

/// Final result of a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Not final.
    #[default]
    Pending,
    /// Final: money moved (balances change).
    Succeeded,
    /// Final: nothing moved.
    Failed,
}

/// A transaction state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Whether (and how) the state is final.
    #[serde(default)]
    pub result: Outcome,
    /// Variables templates read as `{state.X}`.
    #[serde(default)]
    pub vars: IndexMap<String, Value>,
}

/// What an operation does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpRule {
    /// Creates a transaction.
    #[serde(default)]
    pub create: Option<Create>,
    /// Finds a transaction by a request field.
    #[serde(default)]
    pub find: Option<Find>,
    /// Moves the found transaction to its pending next state (e.g. after 3-D Secure).
    #[serde(default)]
    pub complete: bool,
    /// Lists transactions into `{items}` (each rendered with `item`).
    #[serde(default)]
    pub list: Option<ListRule>,
    /// Balances into `{balances}` (each rendered with `item`).
    #[serde(default)]
    pub balance: Option<BalanceRule>,
    /// Extra checks on the request, first failing one answers with its error.
    #[serde(default)]
    pub checks: Vec<Check>,
    /// Replies by the transaction's state name; `default` otherwise.
    #[serde(default)]
    pub respond: IndexMap<String, Reply>,
    /// Callback body template sent when the transaction reaches a final state.
    #[serde(default)]
    pub callback: Option<Value>,
    /// Dotted request path of the URL to call back (default: `webhooks.notify_url_field`).
    #[serde(default)]
    pub notify_url: Option<String>,
    /// Moves the found transaction to this state unless it is final already (cancel, close).
    #[serde(default)]
    pub move_to: Option<String>,
    /// Copies request values into the found transaction's request: `{ tx path: request path }`
    /// (later answers and callbacks read the new values as `{tx.req.X}`).
    #[serde(default)]
    pub update: IndexMap<String, String>,
}

/// Transaction creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Create {
    /// Kind of transaction (free text: `payment`, `refund`, `payout`, `payee`, ...).
    pub kind: String,
    /// Dotted request path of the amount.
    #[serde(default)]
    pub amount: Option<String>,
    /// Dotted request path of the currency (default: the money field's `currency_field`).
    #[serde(default)]
    pub currency: Option<String>,
    /// Dotted request path of the merchant reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// Dotted request path of the parent transaction's id (refunds).
    #[serde(default)]
    pub parent: Option<String>,
    /// How a success changes the balance of the currency.
    #[serde(default)]
    pub balance: BalanceEffect,
    /// Variables templates read as `{tx.vars.X}`.
    #[serde(default)]
    pub vars: IndexMap<String, Value>,
    /// What a repeated merchant reference does.
    #[serde(default)]
    pub duplicate: Option<Duplicate>,
    /// Outcome rules, first match wins (none = the first state).
    #[serde(default)]
    pub outcomes: Vec<OutcomeRule>,
    /// Id format for this kind (default: the provider's).
    #[serde(default)]
    pub ids: Option<IdFormat>,
}

/// Balance effect of a succeeded transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum BalanceEffect {
    /// No change.
    #[default]
    None,
    /// Adds the amount.
    Credit,
    /// Subtracts the amount.
    Debit,
}

/// What a repeated merchant reference does, as the provider documents it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum Duplicate {
    /// A new transaction in this state (e.g. a decline with a duplicate reason code).
    State(String),
    /// Answers with the existing transaction (idempotent).
    Existing,
    /// Answers with the `invalid` error and this message.
    Error(String),
    /// Answers with this reply (`{message}` is the rule's text, `{code}` its code), e.g. a 409.
    Reply(Reply),
    /// Idempotency by body: `same` when the request's fields equal the first request's,
    /// `different` otherwise (e.g. `same: existing`, `different: { reply: {status: 409} }`).
    ByBody {
        /// The same reference with the same body.
        same: Box<Duplicate>,
        /// The same reference with another body.
        different: Box<Duplicate>,
    },
}

/// One outcome rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRule {
    /// Conditions on the template context (all must hold); none = always.
    #[serde(default)]
    pub when: Option<When>,
    /// The state the transaction starts in.
    pub state: String,
    /// The state it moves to (after `after_ms`, else `settle_ms`; or on a `complete`
    /// operation when `manual`).
    #[serde(default)]
    pub then: Option<String>,
    /// Milliseconds before it moves to `then` (default: the rules' `settle_ms`; scaled).
    #[serde(default)]
    pub after_ms: Option<u64>,
    /// States it moves through after `then`, each after its own delay (a status path such as
    /// processing -> succeeded -> refunded).
    #[serde(default)]
    pub path: Vec<Step>,
    /// What the row is for, shown in the outcome table (`test card 4000 0000 0000 0002`).
    #[serde(default)]
    pub doc: Option<String>,
    /// Wait for a `complete` operation instead of the timer.
    #[serde(default)]
    pub manual: bool,
}

/// One later state of an outcome's status path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The state.
    pub state: String,
    /// Milliseconds after the previous state (default: the rules' `settle_ms`; scaled).
    #[serde(default)]
    pub after_ms: Option<u64>,
}

/// Conditions on dotted context paths (`req.card.pan`, `parent.req.card.pan`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// These paths are present (not null).
    #[serde(default)]
    pub has: Vec<String>,
    /// The value's text equals.
    #[serde(default)]
    pub equals: IndexMap<String, Value>,
    /// The value's text ends with.
    #[serde(default)]
    pub ends_with: IndexMap<String, String>,
    /// The value's text is one of.
    #[serde(default)]
    pub one_of: IndexMap<String, Vec<Value>>,
    /// The value is missing or its text is none of.
    #[serde(default)]
    pub none_of: IndexMap<String, Vec<Value>>,
}

/// A request check with its error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Refuse when this holds.
    pub refuse_when: When,
    /// Message of the `invalid` error.
    pub message: String,
}

/// Transaction lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Find {
    /// Dotted request path holding the id.
    #[serde(default)]
    pub id: Option<String>,
    /// Dotted request path holding the merchant reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// Only transactions of these kinds (empty = any).
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// A list of transactions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRule {
    /// Template (name in `templates`) of one item; the context is the transaction's.
    pub item: String,
    /// Only transactions whose merchant reference equals this request path's value.
    #[serde(default)]
    pub reference: Option<String>,
    /// Only these kinds (empty = all).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Only transactions whose parent's id equals this request path's value.
    #[serde(default)]
    pub parent: Option<String>,
    /// Only transactions created on the calendar day the request asks for.
    #[serde(default)]
    pub date: Option<DayFilter>,
}

/// Keeps the transactions created on one calendar day: the request's `field` holds the day
/// (`YYYY-MM-DD`), its `timezone_field` (optional) a name from the rules' `timezones` (absent:
/// UTC). A request without the day lists every day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DayFilter {
    /// Dotted request path of the day.
    pub field: String,
    /// Dotted request path of the time-zone name.
    #[serde(default)]
    pub timezone_field: Option<String>,
}

/// Balances by currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BalanceRule {
    /// Template (name in `templates`) of one currency: `{balance.currency}`, `{balance.amount}`.
    pub item: String,
    /// How `{balance.amount}` is written.
    pub wire: AmountWire,
    /// Render as an object keyed by currency instead of a list.
    #[serde(default)]
    pub by_currency: bool,
    /// Dotted request path of a currency: when the request has it, only that currency.
    #[serde(default)]
    pub currency: Option<String>,
}

/// Wire form of an amount the simulator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AmountWire {
    /// Integer minor units.
    IntegerMinor,
    /// Decimal major units, JSON number.
    DecimalNumber,
    /// Decimal major units, string.
    DecimalString,
}
