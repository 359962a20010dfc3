//! The `sandbox.rules` model as the sandbox reads it (typed and checked in the spec language:
//! [`paygen_codegen::spec::sandbox`], documented in `sandbox/README.md`), and the rules of a
//! spec without any.

use indexmap::IndexMap;

pub use paygen_codegen::spec::sandbox::{
    AmountWire, BalanceEffect, BalanceRule, Check, Create, DayFilter, Duplicate, ErrorTemplates,
    Find, IdFormat, ListRule, OpRule, Outcome, OutcomeRule, Reply, SandboxRules as Rules, State,
    Step, When,
};

/// The rules of a spec without `sandbox.rules`: no state, documented examples as answers,
/// errors as `{"error": "...", "message": "..."}` with the usual statuses.
pub fn plain() -> Rules {
    let reply = |status: u16, code: &str| Reply {
        status,
        body: Some(serde_json::json!({ "error": "{code}", "message": "{message}" })),
        code: Some(code.to_string()),
    };
    Rules {
        ids: IdFormat::default(),
        settle_ms: 200,
        balances: IndexMap::new(),
        errors: ErrorTemplates {
            not_found: reply(404, "not_found"),
            unauthorized: reply(401, "unauthorized"),
            invalid: reply(400, "invalid_request"),
            bad_signature: reply(401, "bad_signature"),
            unknown_transaction: Some(reply(404, "not_found")),
            unavailable: None,
            missing: None,
            signed: false,
        },
        states: IndexMap::new(),
        templates: IndexMap::new(),
        operations: IndexMap::new(),
        callback_retries: Vec::new(),
        timezones: IndexMap::new(),
    }
}
