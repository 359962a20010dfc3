//! Every documented example of every spec replayed through the generated clients: requests are
//! rebuilt as typed values, encoded and signed, and compared with the documented body; responses
//! and notifications decode into the variant the spec says.

mod examples_support;

use std::sync::Arc;

use examples_support::replay::{assert_replayed, compare_body, completed, label, Tally};
use examples_support::{credentials, lower, to_typed_json, Filled};
use paygen_codegen::ir::{self, Provider};
use paygen_runtime::__codegen::{
    Engine, EngineConfig, Error, FixedClock, OperationMeta, ProviderMeta, RawResponse, WireContext,
};
use serde_json::{Map, Value};

/// A documented body re-encoded by the client.
type Encoded = Option<Result<Map<String, Value>, Error>>;

/// The generated entry points of one provider.
struct Generated {
    spec: &'static str,
    meta: fn() -> ProviderMeta,
    hosts: &'static [&'static str],
    exponents: &'static [(&'static str, u8)],
    operation: fn(&str) -> Option<&'static OperationMeta>,
    request_body: fn(&str, &Value, &WireContext<'_>) -> Encoded,
    response_variant: fn(&str, &RawResponse) -> Option<Result<&'static str, Error>>,
    is_declined: fn(&RawResponse) -> bool,
    event_name: fn(Map<String, Value>) -> Result<&'static str, Error>,
}

macro_rules! generated {
    ($m:ident) => {
        Generated {
            spec: concat!("../specs/", stringify!($m), ".yaml"),
            meta: paygen_connectors::$m::provider_meta,
            hosts: paygen_connectors::$m::HOSTS,
            exponents: paygen_connectors::$m::EXPONENTS,
            operation: paygen_connectors::$m::__examples::operation,
            request_body: paygen_connectors::$m::__examples::request_body,
            response_variant: paygen_connectors::$m::__examples::response_variant,
            is_declined: paygen_connectors::$m::__examples::is_declined,
            event_name: paygen_connectors::$m::__examples::event_name,
        }
    };
}

/// The signed bytes the client would send for a documented request body.
fn client_bytes(
    g: &Generated,
    p: &Provider,
    spec: &paygen_codegen::Spec,
    op: &ir::Operation,
    wire: &Value,
) -> Result<Vec<u8>, String> {
    let mut filled = Filled::default();
    let typed = to_typed_json(
        p,
        op.request.as_deref().unwrap_or_default(),
        wire,
        &mut filled,
    );
    let creds = credentials(spec, &filled);
    let clock = FixedClock(filled.unix.unwrap_or(0));
    let ctx = WireContext {
        credentials: &creds,
        clock: &clock,
        exponents: g.exponents,
    };
    let body = (g.request_body)(&op.name, &typed, &ctx)
        .ok_or("no request type")?
        .map_err(|e| e.to_string())?;
    let hosts = g
        .hosts
        .iter()
        .map(|h| (h.to_string(), "http://127.0.0.1:9".to_string()))
        .collect();
    let engine = Engine::new(
        (g.meta)(),
        hosts,
        creds,
        EngineConfig::default(),
        Arc::new(clock),
    )
    .map_err(|e| e.to_string())?;
    let meta = (g.operation)(&op.name).ok_or("no operation meta")?;
    engine
        .prepare(meta, Some(body))
        .map(|r| r.body)
        .map_err(|e| e.to_string())
}

fn check_request(
    g: &Generated,
    p: &Provider,
    spec: &paygen_codegen::Spec,
    op: &ir::Operation,
    ex: &ir::Example,
    t: &mut Tally,
) {
    let Some(completed) = completed(ex) else {
        return;
    };
    match client_bytes(g, p, spec, op, &completed) {
        Ok(bytes) => compare_body(p, op, ex, &bytes, t),
        Err(e) => t
            .failures
            .push(format!("{}: request not rebuilt: {e}", label(p, op, ex))),
    }
}

fn check_response(
    g: &Generated,
    p: &Provider,
    op: &ir::Operation,
    ex: &ir::Example,
    t: &mut Tally,
) {
    let (Some(body), Some(expect)) = (&ex.response, &ex.expect) else {
        return;
    };
    let label = label(p, op, ex);
    let raw = RawResponse {
        status: ex.status,
        headers: Default::default(),
        body: serde_json::to_vec(body).unwrap_or_default().into(),
        json: Some(body.clone()),
    };
    if expect == "declined" {
        if !(g.is_declined)(&raw) {
            t.failures
                .push(format!("{label}: expected the provider's error envelope"));
        }
        return;
    }
    match (g.response_variant)(&op.name, &raw) {
        Some(Ok(v)) if v == expect => t.exact += 1,
        other => t
            .failures
            .push(format!("{label}: expected `{expect}`, got {other:?}")),
    }
}

fn check_webhooks(g: &Generated, p: &Provider, spec: &paygen_codegen::Spec, t: &mut Tally) {
    for ex in spec.webhooks.iter().flat_map(|w| w.examples.iter()) {
        let Value::Object(fields) = ex.body.clone() else {
            continue;
        };
        match (g.event_name)(fields) {
            Ok(name)
                if paygen_codegen::naming::pascal(&ex.expect).ok().as_deref() == Some(name) =>
            {
                t.exact += 1
            }
            other => t.failures.push(format!(
                "{} webhook [{}]: expected `{}`, got {other:?}",
                p.id, ex.name, ex.expect
            )),
        }
    }
}

fn replay(g: Generated) -> Tally {
    let (p, spec) = lower(g.spec);
    let mut t = Tally::default();
    for op in &p.operations {
        for ex in &op.examples {
            check_request(&g, &p, &spec, op, ex, &mut t);
            check_response(&g, &p, op, ex, &mut t);
        }
    }
    check_webhooks(&g, &p, &spec, &mut t);
    t
}

fn assert_examples(g: Generated) {
    let spec = g.spec;
    let t = replay(g);
    let (p, _) = lower(spec);
    assert_replayed(spec, &p.id, &t);
    assert!(t.exact > 0, "{spec}: no example was replayed");
}

#[test]
fn global_solutions_examples() {
    assert_examples(generated!(global_solutions));
}

#[test]
fn cabbagino_examples() {
    assert_examples(generated!(cabbagino));
}

#[test]
fn cactusgino_examples() {
    assert_examples(generated!(cactusgino));
}

#[test]
fn pockyt_examples() {
    assert_examples(generated!(pockyt));
}
