//! The request-types interpreter (`paygen_runtime::schema`, read from the table
//! `paygen_codegen::table` lowers from a spec) against the generated typed clients: for every
//! documented example request of every seed spec, and for systematic invalid mutations of it,
//! both must agree.
//!
//! * valid input: identical wire fields, and identical prepared requests (method, URL, headers,
//!   body bytes): the client's engine with the generated operation constant, and the runtime's
//!   `Preparer` with what `table::operation` / `table::auth_plan` read from the spec (the path
//!   `paygen request` takes);
//! * invalid input the typed client can hold (a blank required string, a broken rule, an
//!   undocumented enum value, an unknown currency): identical `ValidationErrors` (path, rule and
//!   message, in order);
//! * invalid input a typed value cannot hold (a missing required field, a wrong JSON type, a
//!   checked scalar breaking its rules): the typed client refuses to deserialize it, and the
//!   interpreter refuses it naming the mutated field.
//!
//! * the received side: `schema::typed_from_wire` reads each documented (wire) request back into
//!   the typed JSON the test support derives independently, with the same credential values.
//!
//! It lives here because only this crate sees both the generated clients and the codegen.

#[allow(dead_code)] // shared with documented_examples.rs, which uses the helpers this test does not
mod examples_support;
mod mutations;

use std::sync::Arc;

use examples_support::{credentials, lower, to_typed_json, Filled};
use paygen_codegen::ir::{self, Provider};
use paygen_codegen::table;
use paygen_runtime::engine::{Engine, OperationMeta, PreparedRequest, Preparer, ProviderMeta};
use paygen_runtime::schema::{encode_request, typed_from_wire, RequestTable};
use paygen_runtime::signing::{Generated as GeneratedValues, Placement};
use paygen_runtime::WireContext;
use paygen_runtime::{Credentials, EngineConfig, Error, FixedClock};
use serde_json::{Map, Value};

type Encoded = Option<Result<Map<String, Value>, Error>>;

/// Every host's base URL in these comparisons (nothing is sent).
const BASE_URL: &str = "http://127.0.0.1:9";

/// The generated entry points of one provider.
struct Generated {
    spec: &'static str,
    meta: fn() -> ProviderMeta,
    hosts: &'static [&'static str],
    exponents: &'static [(&'static str, u8)],
    operation: fn(&str) -> Option<&'static OperationMeta>,
    request_body: fn(&str, &Value, &WireContext<'_>) -> Encoded,
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
        }
    };
}

/// What was compared, and what disagreed.
#[derive(Default, Debug)]
struct Tally {
    valid: usize,
    still_valid: usize,
    read_back: usize,
    same_errors: usize,
    both_refuse: usize,
    failures: Vec<String>,
}

struct Case<'a> {
    g: &'a Generated,
    p: &'a Provider,
    table: &'a RequestTable,
    op: &'a ir::Operation,
    ty: &'a str,
    creds: Credentials,
    clock: FixedClock,
}

impl Case<'_> {
    fn ctx(&self) -> WireContext<'_> {
        WireContext {
            credentials: &self.creds,
            clock: &self.clock,
            exponents: self.g.exponents,
        }
    }

    fn both(&self, typed: &Value) -> (Encoded, Result<Map<String, Value>, Error>) {
        let ctx = self.ctx();
        let generated = (self.g.request_body)(&self.op.name, typed, &ctx);
        let interpreted = encode_request(self.table, self.ty, typed, &ctx);
        (generated, interpreted)
    }

    fn engine(&self, meta: ProviderMeta) -> Result<Engine, Error> {
        let hosts = self
            .g
            .hosts
            .iter()
            .map(|h| (h.to_string(), BASE_URL.to_string()))
            .collect();
        Engine::new(
            meta,
            hosts,
            self.creds.clone(),
            EngineConfig::default(),
            Arc::new(self.clock),
        )
    }

    /// Both paths to the exact request: the client's engine with the generated operation
    /// constant, and the runtime's preparation with what the spec says of the operation.
    fn prepared(
        &self,
        generated: Map<String, Value>,
        interpreted: Map<String, Value>,
    ) -> Result<(PreparedRequest, PreparedRequest), String> {
        let meta = (self.g.operation)(&self.op.name).ok_or("no generated operation")?;
        let engine = self.engine((self.g.meta)()).map_err(|e| e.to_string())?;
        let pa = engine
            .prepare(meta, Some(generated))
            .map_err(|e| e.to_string())?;
        let preparer = Preparer::new(
            table::auth_plan(self.p),
            self.p.recipes.request.as_ref(),
            &self.creds,
        )
        .map_err(|e| e.to_string())?;
        let signer = preparer.signer().filter(|_| self.op.sign);
        let values = match signer {
            Some(s) => GeneratedValues::fresh(&s.plan().recipe().generate, &self.clock),
            None => GeneratedValues::default(),
        };
        let pb = preparer
            .prepare_with(
                &table::operation(self.op),
                BASE_URL,
                &values,
                Some(interpreted),
            )
            .map_err(|e| e.to_string())?;
        Ok((pa, pb))
    }
}

fn same_prepared(a: &PreparedRequest, b: &PreparedRequest) -> bool {
    a.method == b.method && a.url == b.url && a.headers == b.headers && a.body == b.body
}

fn check_valid(case: &Case<'_>, label: &str, typed: &Value, t: &mut Tally) {
    match case.both(typed) {
        (Some(Ok(g)), Ok(i)) if g == i => match case.prepared(g, i) {
            Ok((a, b)) if same_prepared(&a, &b) => t.valid += 1,
            Ok((a, b)) => t
                .failures
                .push(format!("{label}: prepared requests differ:\n  {a:?}\n  {b:?}")),
            Err(e) => t.failures.push(format!("{label}: not prepared: {e}")),
        },
        (g, i) => t.failures.push(format!(
            "{label}: the documented request is not encoded alike:\n  generated   {g:?}\n  interpreter {i:?}"
        )),
    }
}

/// The documented (wire) request read back by the interpreter equals the typed JSON and the
/// credential values the test support derives from it.
fn check_read_back(
    case: &Case<'_>,
    label: &str,
    wire: &Value,
    typed: &Value,
    filled: &Filled,
    t: &mut Tally,
) {
    let mut wire = wire.clone();
    if let (Some(Placement::BodyField(f)), Value::Object(m)) =
        (case.p.recipes.request.as_ref().map(|r| &r.place), &mut wire)
    {
        m.shift_remove(f);
    }
    let mut errs = paygen_runtime::ValidationErrors::new();
    let received = typed_from_wire(case.table, case.ty, &wire, &mut errs);
    let credentials: Vec<(String, String)> = received
        .credentials
        .iter()
        .map(|(_, name, value)| (name.clone(), value.clone()))
        .collect();
    if errs.is_empty() && &received.typed == typed && credentials == filled.credentials {
        t.read_back += 1;
    } else {
        t.failures.push(format!(
            "{label}: not read back alike: {errs}\n  support     {typed} {:?}\n  interpreter {} {credentials:?}",
            filled.credentials, received.typed
        ));
    }
}

fn check_mutation(case: &Case<'_>, label: &str, m: &mutations::Mutation, t: &mut Tally) {
    let label = format!("{label} {} {}", m.what, m.path);
    match case.both(&m.value) {
        (Some(Ok(g)), Ok(i)) if g == i => t.still_valid += 1,
        (Some(Err(Error::InvalidRequest(g))), Err(Error::InvalidRequest(i))) if g == i => {
            t.same_errors += 1
        }
        (Some(Err(Error::Undecodable { .. })), Err(Error::InvalidRequest(i)))
            if i.errors.iter().any(|e| names(&e.path, &m.path)) =>
        {
            t.both_refuse += 1
        }
        // A mutation that makes an untagged one-of match another variant: serde drops the keys
        // that variant lacks, the interpreter names them (rule `unknown`, which only JSON can
        // get wrong); every other error must be the same, in the same order.
        (Some(Err(Error::InvalidRequest(g))), Err(Error::InvalidRequest(i)))
            if g.errors
                == i.errors
                    .iter()
                    .filter(|e| e.rule != "unknown")
                    .cloned()
                    .collect::<Vec<_>>() =>
        {
            t.same_errors += 1
        }
        (g, i) => t.failures.push(format!(
            "{label}:\n  generated   {g:?}\n  interpreter {i:?}"
        )),
    }
}

/// An error at the mutated field, inside it, or at the one-of holding it.
fn names(error_path: &str, mutated: &str) -> bool {
    mutated.starts_with(error_path) || error_path.starts_with(mutated)
}

fn compare(g: Generated) -> Tally {
    let (p, spec) = lower(g.spec);
    let table = table::request_table(&p);
    let mut t = Tally::default();
    for op in &p.operations {
        let Some(ty) = op.request.as_deref() else {
            continue;
        };
        for ex in &op.examples {
            let Some(documented) = &ex.request else {
                continue;
            };
            // Required fields the documentation's example leaves out get their stand-ins, as in
            // documented_examples.rs.
            let mut completed = documented.clone();
            if let Value::Object(m) = &mut completed {
                for (k, v) in &ex.stand_ins {
                    m.insert(k.clone(), v.clone());
                }
            }
            let wire = &completed;
            let mut filled = Filled::default();
            let mut typed = to_typed_json(&p, ty, wire, &mut filled);
            // The signature a body-field recipe writes is not part of the typed request.
            if let (Some(Placement::BodyField(f)), true, Value::Object(m)) = (
                p.recipes.request.as_ref().map(|r| &r.place),
                op.sign,
                &mut typed,
            ) {
                m.shift_remove(f);
            }
            let case = Case {
                g: &g,
                p: &p,
                table: &table,
                op,
                ty,
                creds: credentials(&spec, &filled),
                clock: FixedClock(filled.unix.unwrap_or(0)),
            };
            let label = format!("{}.{} [{}]", p.id, op.name, ex.name);
            check_read_back(&case, &label, wire, &typed, &filled, &mut t);
            check_valid(&case, &label, &typed, &mut t);
            for m in mutations::mutations(&p, ty, &typed) {
                check_mutation(&case, &label, &m, &mut t);
            }
        }
    }
    t
}

fn assert_equivalent(g: Generated) {
    let spec = g.spec;
    let t = compare(g);
    eprintln!(
        "{spec}: {} documented requests encoded and prepared alike, {} read back from the wire; mutations: {} with identical errors, {} refused by both (not representable as a typed value), {} still valid and encoded alike",
        t.valid, t.read_back, t.same_errors, t.both_refuse, t.still_valid
    );
    assert!(
        t.failures.is_empty(),
        "{spec}: {} disagreements:\n{}",
        t.failures.len(),
        t.failures.join("\n")
    );
    assert!(
        t.valid > 0 && t.read_back > 0 && t.same_errors > 0,
        "{spec}: nothing compared"
    );
}

#[test]
fn global_solutions_interpreter_matches_the_generated_client() {
    assert_equivalent(generated!(global_solutions));
}

#[test]
fn cabbagino_interpreter_matches_the_generated_client() {
    assert_equivalent(generated!(cabbagino));
}

#[test]
fn cactusgino_interpreter_matches_the_generated_client() {
    assert_equivalent(generated!(cactusgino));
}

#[test]
fn pockyt_interpreter_matches_the_generated_client() {
    assert_equivalent(generated!(pockyt));
}
