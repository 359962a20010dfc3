//! The table of every diagnostic code paygen reports (spec checking `E0xxx`, warnings `W0xxx`,
//! drift `Dxxxx`): what it means and the fixture under `tests/specs/err/` (or, for a warning,
//! `tests/specs/warn/`) that produces it (or why none can).
//! `tests/spec_diagnostics.rs` checks the table against the fixtures and against every code
//! written in the sources.

/// Where a code is proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixture {
    /// A directory under `tests/specs/err/` whose spec reports the code.
    Dir(&'static str),
    /// A directory under `tests/specs/warn/` whose spec is usable and warns with the code.
    Warn(&'static str),
    /// No spec fixture can produce it; the reason (and where it is tested instead).
    None(&'static str),
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The code as diagnostics carry it (`E0102`).
    pub code: &'static str,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// The fixture proving it.
    pub fixture: Fixture,
}

const fn row(code: &'static str, meaning: &'static str, dir: &'static str) -> Code {
    Code {
        code,
        meaning,
        fixture: Fixture::Dir(dir),
    }
}

const fn untestable(code: &'static str, meaning: &'static str, reason: &'static str) -> Code {
    Code {
        code,
        meaning,
        fixture: Fixture::None(reason),
    }
}

/// Why drift codes have no spec fixture.
const DRIFT: &str = "drift compares recorded traffic with a clean spec: tested in \
    codegen/src/drift and fixtures/tests/record_drift.rs";

/// Every code, in order.
pub const CODES: &[Code] = &[
    untestable("E0000", "the spec file cannot be read", "a fixture that cannot be read cannot be checked in; tests/spec_diagnostics.rs checks a missing file"),
    row("E0001", "YAML syntax error or invalid UTF-8", "yaml_syntax"),
    row("E0002", "unknown key or enum value", "unknown_key"),
    row("E0003", "missing key, wrong shape or unsupported YAML tag", "missing_key"),
    row("E0004", "duplicate key in a mapping", "duplicate_key"),
    row("E0005", "input over a loader limit (size, nesting depth, alias expansion)", "nesting_too_deep"),
    row("E0101", "invalid regular expression", "bad_regex"),
    row("E0102", "unknown type", "unknown_type"),
    row("E0103", "operation defined twice", "duplicate_operation"),
    row("E0104", "a signed field the request type does not have", "signed_field_missing"),
    row("E0105", "a signing vector that does not reproduce or is malformed", "vector_mismatch"),
    row("E0106", "two names collide after case conversion", "name_collision"),
    row("E0107", "a name the generated module or Rust reserves", "reserved_keyword"),
    row("E0108", "unknown credential", "unknown_credential"),
    row("E0109", "unknown operation in `reconcile_with`", "unknown_reconcile_operation"),
    row("E0110", "a money field without exactly one currency", "money_currency_field"),
    row("E0111", "a money-moving operation marked safe to retry", "money_moving_safe"),
    row("E0112", "a type without exactly one of type/values/fields/variants", "type_shape"),
    row("E0113", "a list without items, or a container where a scalar is needed", "list_without_items"),
    row("E0114", "a base URL that is not http(s) without a trailing slash", "bad_base_url"),
    row("E0115", "an incoherent signing recipe", "incoherent_recipe"),
    row("E0116", "an example expecting a response the operation does not have", "example_unknown_variant"),
    row("E0117", "an enum value listed twice", "enum_duplicate_value"),
    row("E0118", "a name that is not snake_case", "not_snake_case"),
    row("E0119", "a path that does not start with `/`", "path_without_slash"),
    row("E0120", "both `response` and `responses`", "response_and_responses"),
    row("E0121", "a string rule on a non-string type", "rule_on_wrong_type"),
    row("E0122", "an empty condition", "empty_condition"),
    row("E0123", "an unsupported clock format directive", "bad_clock_format"),
    row("E0124", "a variant that is not an object type", "variant_not_object"),
    row("E0125", "a container where a request needs a scalar", "container_in_request"),
    row("E0126", "a constant that is not a scalar", "constant_not_scalar"),
    row("E0130", "a conditional requirement naming a path or value that does not exist", "requirement_bad_path"),
    row("E0131", "typed `replies` outside a webhook event, or with bad parameters", "reply_outside_event"),
    row("E0132", "a page whose request or path does not fit", "page_bad_path"),
    row("E0133", "a typed decline code that is not an enum of string codes", "decline_code_not_enum"),
    row("E0140", "a signing template naming an unknown variable or misplacing one", "template_unknown_variable"),
    row("E0141", "a signing template or dedup key naming an unknown field or path parameter", "template_unknown_field"),
    row("E0150", "`sandbox.rules` naming an undeclared state", "sandbox_unknown_state"),
    row("E0151", "`sandbox.rules` naming an operation the spec does not have", "sandbox_unknown_state"),
    row("E0152", "`sandbox.rules` time zone that is not a `+HH:MM` offset", "sandbox_unknown_state"),
    row("E0153", "`sandbox.rules` outcome timing a move with no `then`", "sandbox_incoherent_outcome"),
    row("E0154", "`sandbox.rules` naming a template that does not exist", "sandbox_unknown_state"),
    row("E0160", "an OAuth2 client secret that is not a secret credential", "oauth2_public_secret"),
    row("E0161", "`answers` listing no kind of answer, or non-JSON answers without a JSON one", "answers_without_json"),
    row("E0162", "an operation timeout outside 1..=600000 ms", "timeout_out_of_range"),
    row("E0163", "`request_id_header` that is not a header name", "bad_request_id_header"),
    row("E0170", "an unknown outcome's resolution that cannot work (both, or an unsafe lookup)", "reconcile_lookup_unsafe"),
    row("E0171", "a lookup key the client fills or the request leaves optional", "reconcile_optional_key"),
    row("E0172", "`await_callback` naming no event or an unknown one", "await_unknown_event"),
    row("E0173", "a plain http:// base URL to a non-loopback host", "plain_http_base_url"),
    untestable("E0900", "internal error while generating (a bug to report)", "a clean spec that fails to generate is a bug; tests/reliability_hostile.rs generates 496 hostile specs"),
    Code {
        code: "W0101",
        meaning: "warning: a signing message reads a header computed from the body (sign the body digest)",
        fixture: Fixture::Warn("signed_digest_header"),
    },
    untestable("D0001", "drift: a recorded request matches no operation", DRIFT),
    untestable("D0002", "drift: an undocumented HTTP status", DRIFT),
    untestable("D0003", "drift: an answer or notification matches no documented shape", DRIFT),
    untestable("D0004", "drift: an undocumented field", DRIFT),
    untestable("D0005", "drift: an undocumented enum value", DRIFT),
    untestable("D0006", "drift: a type or wire-format mismatch", DRIFT),
    untestable("D0007", "drift: a value breaks the field's rule", DRIFT),
    untestable("D0008", "drift: a required field is absent", DRIFT),
    untestable("D0009", "drift: a signature does not verify", DRIFT),
    untestable("D0010", "drift: key order differs where the signature depends on it", DRIFT),
];

/// The row of a code.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_in_order() {
        for pair in CODES.windows(2) {
            // Errors, then warnings, then drift; each family in code order.
            let key = |c: &str| ("EWD".find(&c[..1]), c.to_string());
            assert!(key(pair[0].code) < key(pair[1].code), "{pair:?}");
        }
        assert_eq!(
            lookup("E0102").map(|c| c.fixture),
            Some(Fixture::Dir("unknown_type"))
        );
        assert_eq!(lookup("E9999"), None);
    }
}
