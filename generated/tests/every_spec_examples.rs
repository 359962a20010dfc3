//! Every documented example request of every spec the workspace holds (`specs/*.yaml` and
//! `tests/specs/ok/**/*.yaml`, found by listing: a new spec is replayed with no Rust edit),
//! prepared by the runtime's spec interpreter — `paygen_runtime::schema::encode_request` over
//! the request table and `engine::Preparer`, the path `paygen request` takes — and compared with
//! the documented body byte for byte (after the documented key order), apart from the examples
//! `value_equal_examples.json` lists with a reason. The typed clients' replay of the shipped specs
//! is `documented_examples.rs`.

#[allow(dead_code)] // shared with documented_examples.rs, which uses the helpers this test does not
mod examples_support;

use std::path::Path;

use examples_support::replay::{assert_replayed, compare_body, completed, label, Tally};
use examples_support::{credentials, lower, to_typed_json, Filled};
use paygen_codegen::ir::{self, Provider};
use paygen_codegen::table;
use paygen_runtime::engine::Preparer;
use paygen_runtime::schema::{encode_request, RequestTable};
use paygen_runtime::signing::{Generated, Placement};
use paygen_runtime::towire::WireContext;
use paygen_runtime::FixedClock;
use paygen_testkit::specs::discover;
use serde_json::Value;

/// Every host's base URL (nothing is sent).
const BASE_URL: &str = "http://127.0.0.1:9";

/// The body the interpreter prepares for a documented request (completed with its stand-ins).
fn interpreted_bytes(
    p: &Provider,
    spec: &paygen_codegen::Spec,
    table: &RequestTable,
    op: &ir::Operation,
    ty: &str,
    wire: &Value,
) -> Result<Vec<u8>, String> {
    let mut filled = Filled::default();
    let mut typed = to_typed_json(p, ty, wire, &mut filled);
    // The signature a body-field recipe writes is not part of the request.
    if let (Some(Placement::BodyField(f)), true, Value::Object(m)) = (
        p.recipes.request.as_ref().map(|r| &r.place),
        op.sign,
        &mut typed,
    ) {
        m.shift_remove(f);
    }
    let creds = credentials(spec, &filled);
    let clock = FixedClock(filled.unix.unwrap_or(0));
    let exponents = table.exponents();
    let ctx = WireContext {
        credentials: &creds,
        clock: &clock,
        exponents: &exponents,
    };
    let body = encode_request(table, ty, &typed, &ctx).map_err(|e| e.to_string())?;
    let preparer = Preparer::new(table::auth_plan(p), p.recipes.request.as_ref(), &creds)
        .map_err(|e| e.to_string())?;
    let values = match preparer.signer().filter(|_| op.sign) {
        Some(s) => Generated::fresh(&s.plan().recipe().generate, &clock),
        None => Generated::default(),
    };
    preparer
        .prepare_with(&table::operation(op), BASE_URL, &values, Some(body))
        .map(|r| r.body)
        .map_err(|e| e.to_string())
}

fn replay(spec_path: &str) -> (Provider, Tally) {
    let (p, spec) = lower(spec_path);
    let table = table::request_table(&p);
    let mut t = Tally::default();
    for op in &p.operations {
        let Some(ty) = op.request.as_deref() else {
            continue;
        };
        for ex in &op.examples {
            let Some(wire) = completed(ex) else { continue };
            match interpreted_bytes(&p, &spec, &table, op, ty, &wire) {
                Ok(bytes) => compare_body(&p, op, ex, &bytes, &mut t),
                Err(e) => t
                    .failures
                    .push(format!("{}: request not prepared: {e}", label(&p, op, ex))),
            }
        }
    }
    (p, t)
}

#[test]
fn every_documented_request_of_every_spec_is_prepared_as_documented() {
    let specs = discover(Path::new(".."));
    let mut replayed = 0;
    for spec in &specs {
        let path = spec.path.display().to_string();
        let (p, t) = replay(&path);
        assert_replayed(&path, &p.id, &t);
        if spec.shipped {
            assert!(
                t.exact > 0,
                "{path}: a shipped spec documents example requests"
            );
        }
        eprintln!(
            "{path}: {} documented requests prepared as documented ({} after key reordering), {} equal in value",
            t.exact,
            t.reordered.len(),
            t.equivalent.len()
        );
        replayed += t.exact;
    }
    assert!(
        specs.len() >= 5 && replayed > 0,
        "{} specs, {replayed} requests",
        specs.len()
    );
}
