//! What the tests of bodies written straight from the typed request share: the seeds' IR,
//! their documented requests and hostile variants of them, credential sets, counts, and a
//! prepared request shown as text.

// each test crate that includes this module uses a part of it
#![allow(dead_code)]

use std::path::Path;

use paygen_codegen::ir::{Operation, Provider};
use paygen_runtime::engine::{Engine, OperationMeta, PreparedRequest};
use paygen_runtime::{Credentials, Error, WriteJson};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Texts JSON writing can get wrong: empty, blank, escapes, control bytes, non-ASCII, the
/// line separators JavaScript does not accept, a long text.
pub fn hostile_texts() -> Vec<String> {
    vec![
        String::new(),
        " ".into(),
        "a\"b\\c/d".into(),
        "\u{1}\u{1f}\t\n\r\u{8}\u{c}\u{7f}".into(),
        "Grüße, 東京 🚀".into(),
        "\u{2028}\u{2029}\u{80}".into(),
        "x\"".repeat(40),
    ]
}

/// Numbers an amount or an integer field can hold, or not.
pub fn numbers() -> Vec<Value> {
    serde_json::from_str("[0, -1, 12.345, 1000.0, 9007199254740993, 1e2, 40.10]")
        .unwrap_or_default()
}

/// Currencies with other exponents, one the provider declares, unknown and malformed ones.
pub const CURRENCIES: &[&str] = &["JPY", "BHD", "BTC", "XXX1", "eur", ""];

/// One step into a JSON value.
#[derive(Clone)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Every path to a value below `v` (not `v` itself).
pub fn paths(v: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                at.push(Step::Key(k.clone()));
                out.push(at.clone());
                paths(child, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(Step::Index(i));
                out.push(at.clone());
                paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// The parent of the value at `path` and the last step to it.
pub fn parent<'v>(v: &'v mut Value, path: &[Step]) -> Option<(&'v mut Value, Step)> {
    let (last, init) = path.split_last()?;
    let mut cur = v;
    for step in init {
        cur = match step {
            Step::Key(k) => cur.get_mut(k.as_str())?,
            Step::Index(i) => cur.get_mut(*i)?,
        };
    }
    Some((cur, last.clone()))
}

pub fn replaced(v: &Value, path: &[Step], new: Value) -> Option<Value> {
    let mut copy = v.clone();
    let (p, last) = parent(&mut copy, path)?;
    match last {
        Step::Key(k) => *p.get_mut(k.as_str())? = new,
        Step::Index(i) => *p.get_mut(i)? = new,
    }
    Some(copy)
}

pub fn removed(v: &Value, path: &[Step]) -> Option<Value> {
    let mut copy = v.clone();
    let (p, last) = parent(&mut copy, path)?;
    match last {
        Step::Key(k) => {
            p.as_object_mut()?.shift_remove(&k)?;
        }
        Step::Index(i) => {
            p.as_array_mut()?.remove(i);
        }
    }
    Some(copy)
}

/// The example and its variants.
pub fn variants(example: &Value) -> Vec<Value> {
    let mut out = vec![example.clone()];
    let mut all = Vec::new();
    paths(example, &mut Vec::new(), &mut all);
    let texts = hostile_texts();
    for path in &all {
        out.extend(removed(example, path));
        let Some((p, last)) = parent(&mut example.clone(), path).map(|(p, l)| (p.clone(), l))
        else {
            continue;
        };
        let leaf = match &last {
            Step::Key(k) => p.get(k.as_str()).cloned(),
            Step::Index(i) => p.get(*i).cloned(),
        };
        match leaf {
            Some(Value::String(_)) => {
                for t in &texts {
                    out.extend(replaced(example, path, Value::from(t.as_str())));
                }
            }
            Some(Value::Number(_)) => {
                for n in numbers() {
                    out.extend(replaced(example, path, n));
                }
            }
            Some(Value::Bool(b)) => out.extend(replaced(example, path, Value::Bool(!b))),
            _ => {}
        }
    }
    if example.get("currency").is_some() {
        for c in CURRENCIES {
            let path = [Step::Key("currency".into())];
            out.extend(replaced(example, &path, Value::from(*c)));
        }
    }
    out
}

/// The seed's IR (examples, credentials, operations).
pub fn provider(id: &str) -> Provider {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("specs/{id}.yaml"));
    let loaded = paygen_codegen::check_file(&file).expect("the seed spec checks");
    paygen_codegen::lower::lower(&loaded.spec, &format!("{id}.yaml"))
}

/// Requests written here (from the spec's field tables) for operations whose spec documents
/// no request example.
pub fn undocumented(provider: &str, o: &Operation) -> Option<Value> {
    let text = match (provider, o.rust.as_str()) {
        ("global_solutions", "post3ds") => {
            r#"{"transactionId": 524, "paRes": "eJzVWNmSo0iyfecrynIeZTUAArRYZ"}"#
        }
        ("cabbagino", "transaction_status") => r#"{"order_id": "173020046562736927738477393445"}"#,
        ("cactusgino", "close_invoice") => {
            r#"{"site_login": "user_login", "site_id": 21, "request_id": "order-1"}"#
        }
        ("cactusgino", "cash_invoice_edit") => {
            r#"{"request_id": "order-1", "site_id": 21, "address": "Main st. 1", "messenger": "tg",
                "username": "@user", "asap": true, "time": "12:00"}"#
        }
        ("pockyt", "transfer") => {
            r#"{"accountToken": "tok_1", "amount": 50000, "currency": "USD", "customerNo": "C1",
                "description": "payout", "invoiceId": "inv-1", "ipnUrl": "https://m.example/ipn",
                "note": "memo", "subject": "Your payout"}"#
        }
        ("pockyt", "payout_inquiry") => r#"{"invoiceId": "inv-1"}"#,
        ("pockyt", "payor_balance") => r#"{"currency": "USD"}"#,
        _ => return None,
    };
    serde_json::from_str(text).ok()
}

/// The documented requests of an operation, with their stand-ins (dotted paths) set (or the
/// one written here when none is documented).
pub fn examples(provider: &str, o: &Operation) -> Vec<Value> {
    let mut out: Vec<Value> = undocumented(provider, o).into_iter().collect();
    for e in &o.examples {
        let Some(mut request) = e.request.clone() else {
            continue;
        };
        for (path, value) in &e.stand_ins {
            let mut cur = &mut request;
            let steps: Vec<&str> = path.split('.').collect();
            for (i, step) in steps.iter().enumerate() {
                let Some(map) = cur.as_object_mut() else {
                    break;
                };
                if i + 1 == steps.len() {
                    map.insert((*step).to_string(), value.clone());
                    break;
                }
                cur = map
                    .entry((*step).to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
            }
        }
        out.push(request);
    }
    out
}

/// Credentials every field could read: real-looking, absent, needing escapes.
pub fn credential_sets(p: &Provider) -> Vec<Credentials> {
    let mut plain = Credentials::new();
    let mut odd = Credentials::new();
    for c in &p.credentials {
        plain.insert(c.name.as_str(), format!("{}_value", c.name));
        odd.insert(c.name.as_str(), "q\"\\\u{1}é🚀");
    }
    vec![plain, Credentials::new(), odd]
}

/// How many requests of each kind were compared.
#[derive(Default, Debug)]
pub struct Counts {
    pub valid: usize,
    pub refused: usize,
    pub undecodable: usize,
}

/// A prepared request as text (method, URL, every header in order, the body), or its error.
pub fn shown(r: &Result<PreparedRequest, Error>) -> String {
    match r {
        Ok(p) => format!(
            "{} {}\n{:?}\n{}",
            p.method.as_str(),
            p.url,
            p.headers,
            String::from_utf8_lossy(&p.body)
        ),
        Err(Error::InvalidRequest(errs)) => format!("refused {errs:?}"),
        Err(e) => format!("error {e}"),
    }
}

/// Each of `requests` that decodes as `T`, prepared by every client's dry run (the body written
/// straight from the typed request) and by its engine from the request tree, is the same
/// request; counts the valid, refused and undecodable ones and fails when none was compared.
#[allow(clippy::too_many_arguments)] // the callers' operation, clients and paths, named
pub fn same_prepared<C, T: WriteJson + DeserializeOwned>(
    label: &str,
    requests: impl IntoIterator<Item = Value>,
    clients: &[C],
    engine: impl Fn(&C) -> &Engine,
    exponents: &[(&str, u8)],
    meta: &OperationMeta,
    dry_run: impl Fn(&C, &T) -> Result<PreparedRequest, Error>,
    counts: &mut Counts,
) {
    let compared_before = counts.valid + counts.refused;
    for v in requests {
        let Ok(request) = serde_json::from_value::<T>(v) else {
            counts.undecodable += 1;
            continue;
        };
        for client in clients {
            let direct = dry_run(client, &request);
            let engine = engine(client);
            let tree = paygen_runtime::request_tree(&request, engine, exponents)
                .and_then(|tree| engine.prepare_tree(meta, Some(tree)));
            assert_eq!(shown(&direct), shown(&tree), "{label}");
            match direct {
                Ok(_) => counts.valid += 1,
                Err(_) => counts.refused += 1,
            }
        }
    }
    let compared = counts.valid + counts.refused - compared_before;
    assert!(compared > 0, "{label}: no request to compare");
}
