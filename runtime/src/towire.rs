//! Request encoding for generated types: validation and wire values in one pass, nothing sent on error.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::as_wire::AsWire;
use crate::clock::{format_unix, Clock};
use crate::credentials::Credentials;
use crate::error::Error;
use crate::exchange::RawResponse;
use crate::money::{money_to_tree, MinorUnits, MoneyWire};
use crate::validate::ValidationErrors;
use crate::wire_tree::{WireObject, WireValue};

/// Implemented by every generated request type (objects, one-ofs, checked scalars).
pub trait ToWire {
    /// Checks every rule of the spec; pushes one error per bad field (path = wire names).
    fn validate(&self, path: &str, errs: &mut ValidationErrors);

    /// The wire value, borrowing from `self`; problems found while encoding (an unknown
    /// currency) go to `errs`.
    fn to_wire(
        &self,
        ctx: &WireContext<'_>,
        path: &str,
        errs: &mut ValidationErrors,
    ) -> WireValue<'_>;
}

/// What encoding needs besides the value: credentials, the clock, currency exponent overrides.
#[derive(Debug, Clone, Copy)]
pub struct WireContext<'a> {
    /// Credentials by spec name.
    pub credentials: &'a Credentials,
    /// The injected clock.
    pub clock: &'a dyn Clock,
    /// Currency exponents that differ from ISO 4217.
    pub exponents: &'a [(&'a str, u8)],
}

impl WireContext<'_> {
    /// A credential's value as a string (a missing credential is a field error).
    pub fn credential(
        &self,
        name: &str,
        path: &str,
        errs: &mut ValidationErrors,
    ) -> WireValue<'static> {
        match self.credentials.get(name) {
            Some(s) => WireValue::Str(s.expose().to_string().into()),
            None => {
                errs.push(
                    path,
                    "credential",
                    format!("credential `{name}` is not configured"),
                );
                WireValue::Null
            }
        }
    }

    /// The clock's current time formatted with a strftime pattern.
    pub fn timestamp(&self, pattern: &str) -> WireValue<'static> {
        WireValue::Str(format_unix(self.clock.now_unix(), pattern).into())
    }
}

/// Where request encoding takes the credentials and the clock from: a client's engine, or a
/// tool's own pair ([`WireContext`] holds them for one encoding).
pub trait WireSource {
    /// The credentials by spec name.
    fn credentials(&self) -> &Credentials;
    /// The injected clock.
    fn clock(&self) -> &dyn Clock;
}

/// Validates and encodes a request body as JSON fields (tools, pages, recordings);
/// `Error::InvalidRequest` names every bad field.
pub fn request_body<T: ToWire + ?Sized>(
    request: &T,
    source: &dyn WireSource,
    exponents: &[(&str, u8)],
) -> Result<Map<String, Value>, Error> {
    request_tree(request, source, exponents).map(|tree| tree.to_json())
}

/// [`request_body`] as the request tree that borrows from `request` (what preparation reads).
pub fn request_tree<'r, T: ToWire + ?Sized>(
    request: &'r T,
    source: &dyn WireSource,
    exponents: &[(&str, u8)],
) -> Result<WireObject<'r>, Error> {
    let ctx = WireContext {
        credentials: source.credentials(),
        clock: source.clock(),
        exponents,
    };
    encode_tree(request, &ctx)
}

/// [`request_body`] with the context given directly (tests, the sandbox, `paygen`).
pub fn encode<T: ToWire + ?Sized>(
    request: &T,
    ctx: &WireContext<'_>,
) -> Result<Map<String, Value>, Error> {
    encode_tree(request, ctx).map(|tree| tree.to_json())
}

/// [`request_tree`] with the context given directly.
pub fn encode_tree<'r, T: ToWire + ?Sized>(
    request: &'r T,
    ctx: &WireContext<'_>,
) -> Result<WireObject<'r>, Error> {
    let mut errs = ValidationErrors::default();
    request.validate("", &mut errs);
    let value = request.to_wire(ctx, "", &mut errs);
    errs.into_result()?;
    match value {
        WireValue::Object(object) => Ok(object),
        _ => Err(Error::Config(
            "a request body must encode to a JSON object".into(),
        )),
    }
}

/// The wire value of a money amount (`currency` is the sibling field's text).
pub fn money_value(
    value: MinorUnits,
    currency: &str,
    wire: MoneyWire,
    ctx: &WireContext<'_>,
    path: &str,
    errs: &mut ValidationErrors,
) -> WireValue<'static> {
    match money_to_tree(value, currency, wire, ctx.exponents) {
        Ok(v) => v,
        Err(message) => {
            errs.push(path, "currency", message);
            WireValue::Null
        }
    }
}

/// The wire value of a plain field value, borrowed from it (`path` and `errs` are there for
/// the generated call's shape: a plain value always has a wire form).
#[inline]
pub fn wire_value<'v, T: AsWire + ?Sized>(
    value: &'v T,
    _path: &str,
    _errs: &mut ValidationErrors,
) -> WireValue<'v> {
    value.as_wire()
}

/// The text a value has on the wire: strings as they are, anything else as its JSON text.
pub fn wire_text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        Ok(Value::Null) | Err(_) => String::new(),
        Ok(other) => other.to_string(),
    }
}

/// [`wire_text`] of a value with a request-tree form, borrowed where the value holds its text
/// (strings, enum values, decimal texts): no serialisation, no copy. The same text, since a
/// value's tree form is the JSON `serde` writes for it.
pub fn wire_text_ref<T: AsWire + ?Sized>(value: &T) -> std::borrow::Cow<'_, str> {
    match value.as_wire() {
        WireValue::Str(text) | WireValue::Number(text) => text,
        WireValue::Null => std::borrow::Cow::Borrowed(""),
        other => other
            .as_text()
            .map(|t| std::borrow::Cow::Owned(t.into_owned()))
            .unwrap_or_default(),
    }
}

/// A required text value must not be empty or blank (only whitespace, as `str::trim` sees it;
/// the scan stops at the first other character, so a value costs one character's check).
#[inline]
pub fn check_not_blank(errs: &mut ValidationErrors, path: &str, text: &str) {
    if text.chars().all(char::is_whitespace) {
        push_required(errs, path);
    }
}

/// The field error of a blank required text, out of line so the check inlined at each field
/// stays a scan and a branch.
#[cold]
#[inline(never)]
fn push_required(errs: &mut ValidationErrors, path: &str) {
    errs.push(path, "required", "is required");
}

/// An ISO 4217 currency, or a code the provider's spec declares an exponent for.
pub fn check_currency(
    errs: &mut ValidationErrors,
    path: &str,
    text: &str,
    overrides: &[(&str, u8)],
) {
    if overrides.iter().any(|(code, _)| *code == text) {
        return;
    }
    crate::validate::check_format(errs, path, text, crate::validate::Format::Currency);
}

/// A request may only carry enum values the spec documents.
#[inline]
pub fn check_known(errs: &mut ValidationErrors, path: &str, known: bool) {
    if !known {
        errs.push(
            path,
            "enum",
            "is not one of the values the provider documents",
        );
    }
}

/// Whether a JSON object has only keys from `known` and every key of `required` (picks the
/// variant of an untagged one-of that accounts for every field, so none is silently dropped).
pub fn fits_fields(value: &Value, known: &[&str], required: &[&str]) -> bool {
    match value {
        Value::Object(map) => {
            map.keys().all(|k| known.contains(&k.as_str()))
                && required.iter().all(|r| map.contains_key(*r))
        }
        _ => false,
    }
}

/// Base URL of a host under a custom base: `default` is the base, any other host `h` is `base/~h`.
pub fn host_url(base: &str, host: &str) -> String {
    let base = base.trim_end_matches('/');
    if host == "default" {
        base.to_string()
    } else {
        format!("{base}/~{host}")
    }
}

/// True for 2xx statuses.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The JSON of a response that must have one.
pub fn response_value<'a>(
    op: &'static str,
    raw: &'a RawResponse,
) -> Result<&'a crate::engine::AnswerJson, Error> {
    raw.json
        .as_ref()
        .ok_or_else(|| unexpected_response(op, raw))
}

/// A response that matches none of the documented shapes: an HTTP error for non-2xx statuses,
/// undecodable otherwise.
pub fn unexpected_response(op: &'static str, raw: &RawResponse) -> Error {
    let excerpt = crate::redact::excerpt(&raw.body);
    if is_success(raw.status) {
        Error::Undecodable {
            operation: op,
            reason: "the response matches none of the documented shapes".into(),
            body_excerpt: excerpt,
        }
    } else {
        Error::Http {
            operation: op,
            status: raw.status,
            body_excerpt: excerpt,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    #[test]
    fn borrowed_wire_texts_are_the_serialised_texts() {
        fn same<T: AsWire + Serialize + ?Sized>(value: &T) {
            assert_eq!(wire_text_ref(value), wire_text(value));
        }
        same("EUR");
        same(&String::from("a \"quoted\" text"));
        same(&-42i64);
        same(&true);
        same(&MinorUnits(4011));
        same(&None::<String>);
        same(&Some(String::from("RUB")));
        same(&vec![1i64, 2]);
        same(&vec![String::from("a"), String::from("b")]);
        for text in ["40.10", "1e5", "0012", "-0.5"] {
            if let Some(d) = crate::money::Decimal::parse(text) {
                same(&d);
            }
        }
    }

    #[test]
    fn context_fills_credentials_and_timestamps_and_reports_missing_ones() {
        let creds = Credentials::new().with("merchant_no", "200043");
        let clock = FixedClock(1_676_285_458);
        let ctx = WireContext {
            credentials: &creds,
            clock: &clock,
            exponents: &[],
        };
        let mut errs = ValidationErrors::default();
        assert_eq!(
            ctx.credential("merchant_no", "merchantNo", &mut errs),
            WireValue::text("200043")
        );
        assert_eq!(
            ctx.timestamp("%Y-%m-%dT%H:%M:%SZ"),
            WireValue::text("2023-02-13T10:50:58Z")
        );
        assert!(errs.is_empty());
        assert_eq!(
            ctx.credential("store_no", "storeNo", &mut errs),
            WireValue::Null
        );
        assert_eq!(errs.errors[0].path, "storeNo");
    }

    #[test]
    fn money_value_reports_unknown_currencies_as_field_errors() {
        let creds = Credentials::new();
        let clock = FixedClock(0);
        let ctx = WireContext {
            credentials: &creds,
            clock: &clock,
            exponents: &[("ECS", 0)],
        };
        let mut errs = ValidationErrors::default();
        let v = money_value(
            MinorUnits(4011),
            "EUR",
            MoneyWire::DecimalNumber,
            &ctx,
            "amount",
            &mut errs,
        );
        assert_eq!(v.to_json_string(), "40.11");
        assert_eq!(
            money_value(
                MinorUnits(2000),
                "ECS",
                MoneyWire::DecimalString,
                &ctx,
                "amount",
                &mut errs
            ),
            WireValue::text("2000")
        );
        assert!(errs.is_empty());
        assert_eq!(
            money_value(
                MinorUnits(1),
                "XXX1",
                MoneyWire::IntegerMinor,
                &ctx,
                "amount",
                &mut errs
            ),
            WireValue::Null
        );
        assert_eq!(errs.errors[0].rule, "currency");
    }

    #[test]
    fn fits_fields_requires_every_key_known_and_every_required_key_present() {
        let v: Value = serde_json::json!({"owner_name": "A", "bank_code": "B"});
        assert!(fits_fields(
            &v,
            &["owner_name", "bank_code", "account_number"],
            &["owner_name"]
        ));
        assert!(!fits_fields(&v, &["owner_name"], &[]));
        assert!(!fits_fields(
            &v,
            &["owner_name", "bank_code"],
            &["account_number"]
        ));
        assert!(!fits_fields(&Value::Null, &[], &[]));
    }

    #[test]
    fn texts_hosts_and_blanks() {
        assert_eq!(wire_text(&"abc"), "abc");
        assert_eq!(wire_text(&42), "42");
        assert_eq!(
            host_url("http://127.0.0.1:9/gs/", "default"),
            "http://127.0.0.1:9/gs"
        );
        assert_eq!(
            host_url("http://127.0.0.1:9/gs", "banks"),
            "http://127.0.0.1:9/gs/~banks"
        );
        let mut errs = ValidationErrors::default();
        check_not_blank(&mut errs, "customer.first_name", "  ");
        assert_eq!(errs.errors[0].rule, "required");
    }

    #[test]
    fn blank_means_what_trim_means() {
        let blank = |text: &str| {
            let mut errs = ValidationErrors::default();
            check_not_blank(&mut errs, "f", text);
            !errs.is_empty()
        };
        for c in (0..0x3001).filter_map(char::from_u32) {
            for text in [
                c.to_string(),
                format!(" {c} "),
                format!("{c}\u{3000}"),
                format!("x{c}"),
            ] {
                assert_eq!(blank(&text), text.trim().is_empty(), "{text:?}");
            }
        }
        assert!(blank("") && blank("\u{b}\u{85}\u{a0}") && !blank(" 4242 "));
    }
}
