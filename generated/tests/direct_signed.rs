//! Signed bodies written and signed straight from the typed request (`rt::WriteSigned`,
//! issue 11) are the requests the tree path prepares: for every signed operation of the seeds
//! whose generated client takes that path (`prepare_<operation>`, `Engine::prepare_signed_json`),
//! on each documented example and on hostile variants of it (texts needing escapes, blank and
//! non-ASCII texts, every key left out, numbers and currencies an amount cannot be sent in,
//! every value of each enum field, every method with every documented `additional_fields` and
//! with none), with credentials plain, needing escapes and empty: the same URL, the same headers
//! in order, the same body bytes (the signature placed last, same bytes), or the same error
//! with the same field errors. Their calls send exactly what their dry runs prepare.

mod direct_common;

use direct_common::{examples, provider, same_prepared, variants, Counts};
use paygen_codegen::ir::{Operation, Provider, TypeKind, TypeRef, WireLiteral};
use paygen_connectors::{cabbagino as cb, cactusgino as cg};
use paygen_runtime::engine::{Engine, OperationMeta, PreparedRequest};
use paygen_runtime::{EngineConfig, Error, Secret, WriteJson};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Every wire value of each enum-typed top-level field of `o`'s request.
fn enum_fields(p: &Provider, o: &Operation) -> Vec<(String, Vec<Value>)> {
    let Some(t) = p.types.iter().find(|t| Some(&t.rust) == o.request.as_ref()) else {
        return Vec::new();
    };
    let TypeKind::Object { fields } = &t.kind else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in fields {
        let TypeRef::Named(id) = &f.ty else { continue };
        if let TypeKind::Enum { values, .. } = &p.ty(*id).kind {
            let wires = values
                .iter()
                .map(|v| match &v.wire {
                    WireLiteral::Int(n) => Value::from(*n),
                    WireLiteral::Str(s) => Value::from(s.as_str()),
                })
                .collect();
            out.push((f.wire.clone(), wires));
        }
    }
    out
}

/// The example's variants, each enum field set to each of its values, and every `method`
/// value with every `additional_fields` of the operation's examples and with `{}`.
fn signed_variants(p: &Provider, o: &Operation, example: &Value) -> Vec<Value> {
    let mut out = variants(example);
    let enums = enum_fields(p, o);
    let set = |v: &Value, key: &str, value: &Value| {
        let mut copy = v.clone();
        if let Some(map) = copy.as_object_mut() {
            map.insert(key.to_string(), value.clone());
        }
        copy
    };
    for (key, values) in &enums {
        out.extend(values.iter().map(|value| set(example, key, value)));
    }
    if example.get("additional_fields").is_none() {
        return out;
    }
    let mut extras: Vec<Value> = examples(&p.id, o)
        .iter()
        .filter_map(|e| e.get("additional_fields").cloned())
        .collect();
    extras.push(Value::Object(Default::default()));
    let methods = enums.iter().find(|(k, _)| k == "method");
    for method in methods.map(|(_, v)| v.as_slice()).unwrap_or_default() {
        for extra in &extras {
            out.push(set(
                &set(example, "method", method),
                "additional_fields",
                extra,
            ));
        }
    }
    out
}

/// Every signed variant of every example of `o`, prepared by each client's dry run (the
/// signed direct path) and by its engine from the request tree, is the same request.
fn same_signed_request<C, T: WriteJson + DeserializeOwned>(
    clients: &[C],
    engine: impl Fn(&C) -> &Engine,
    exponents: &[(&str, u8)],
    (p, o, meta): (&Provider, &Operation, &OperationMeta),
    dry_run: impl Fn(&C, &T) -> Result<PreparedRequest, Error>,
    counts: &mut Counts,
) {
    assert!(
        paygen_codegen::emit::signs_written_pairs(p, o),
        "{}.{}: the generated client signs its written body",
        p.id,
        o.rust
    );
    let requests = examples(&p.id, o)
        .iter()
        .flat_map(|example| signed_variants(p, o, example))
        .collect::<Vec<_>>();
    let label = format!("{}.{}", p.id, o.rust);
    same_prepared(
        &label, requests, clients, engine, exponents, meta, dry_run, counts,
    );
}

/// Texts the credentials can hold (identity, salt): plain, needing escapes, an empty identity
/// (an empty salt makes no client).
const CREDENTIAL_TEXTS: [(&str, &str); 3] = [
    ("test_api_v2", "test_api_v2"),
    ("q\"\\\u{1}é🚀", "q\"\\\u{1}é🚀"),
    ("", "test_api_v2"),
];

fn config() -> EngineConfig {
    EngineConfig {
        extra_headers: vec![("X-Extra".into(), "1".into())],
        ..EngineConfig::default()
    }
}

fn cactusgino_clients(base: &str) -> Vec<cg::Client> {
    let client = |(id, salt): &(&str, &str)| {
        let credentials = cg::Credentials {
            merchant_id: (*id).into(),
            salt: Secret::new(*salt),
        };
        cg::Client::with_base_url(base, credentials, config()).ok()
    };
    CREDENTIAL_TEXTS.iter().filter_map(client).collect()
}

fn cabbagino_clients(base: &str) -> Vec<cb::Client> {
    let client = |(key, salt): &(&str, &str)| {
        let credentials = cb::Credentials {
            merchant_key: Secret::new(*key),
            salt: Secret::new(*salt),
        };
        cb::Client::with_base_url(base, credentials, config()).ok()
    };
    CREDENTIAL_TEXTS.iter().filter_map(client).collect()
}

/// The signed operations whose clients sign their written body: provider module, name,
/// request type, metadata constant, call and dry-run methods; `$m` is the macro each test
/// runs on the list.
macro_rules! signed_ops {
    ($m:ident) => {
        $m! {
            cg, "obtain_token" => ObtainTokenRequest, OBTAIN_TOKEN, obtain_token, prepare_obtain_token;
            cg, "create_invoice" => CreateInvoiceRequest, CREATE_INVOICE, create_invoice, prepare_create_invoice;
            cg, "payout" => PayoutRequest, PAYOUT, payout, prepare_payout;
            cg, "balance" => BalanceRequest, BALANCE, balance, prepare_balance;
            cg, "balance_project" => ProjectBalanceRequest, BALANCE_PROJECT, balance_project, prepare_balance_project;
            cg, "close_invoice" => CloseInvoiceRequest, CLOSE_INVOICE, close_invoice, prepare_close_invoice;
            cg, "cash_invoice_cancel" => CashInvoiceCancelRequest, CASH_INVOICE_CANCEL, cash_invoice_cancel, prepare_cash_invoice_cancel;
            cg, "cash_invoice_edit" => CashInvoiceEditRequest, CASH_INVOICE_EDIT, cash_invoice_edit, prepare_cash_invoice_edit;
            cb, "transaction_status" => StatusRequest, TRANSACTION_STATUS, transaction_status, prepare_transaction_status;
            cb, "get_banks" => GetBanksRequest, GET_BANKS, get_banks, prepare_get_banks;
            cb, "community_payments_banks" => CommunityBanksRequest, COMMUNITY_PAYMENTS_BANKS, community_payments_banks, prepare_community_payments_banks;
        }
    };
}

#[test]
fn signed_bodies_written_from_the_request_are_the_tree_paths_requests() {
    let seeds = [provider("cactusgino"), provider("cabbagino")];
    let cg_clients = cactusgino_clients("http://127.0.0.1:9/cg");
    let cb_clients = cabbagino_clients("http://127.0.0.1:9/cb");
    // Cabbagino's identity is an auth header: an empty one makes no client
    assert_eq!((cg_clients.len(), cb_clients.len()), (3, 2));
    let seed = |module: &str| match module {
        "cg" => &seeds[0],
        _ => &seeds[1],
    };
    let mut counts = Counts::default();
    let mut listed = Vec::new();
    macro_rules! ops {
        ($($module:ident, $op:literal => $ty:ident, $meta:ident, $_call:ident, $dry:ident;)*) => {$(
            let p = seed(stringify!($module));
            listed.push(format!("{}.{}", p.id, $op));
            let o = p.operations.iter().find(|o| o.rust == $op).expect("listed");
            same_signed_request::<_, $module::$ty>(
                signed_clients!($module, cg_clients, cb_clients),
                |c| c.engine(),
                $module::EXPONENTS,
                (p, o, &$module::operations::$meta),
                |c, r| c.$dry(r),
                &mut counts,
            );
        )*};
    }
    macro_rules! signed_clients {
        (cg, $cg:ident, $cb:ident) => {
            &$cg
        };
        (cb, $cg:ident, $cb:ident) => {
            &$cb
        };
    }
    signed_ops!(ops);
    let mut signed: Vec<String> = seeds
        .iter()
        .flat_map(|p| {
            p.operations
                .iter()
                .filter(|o| paygen_codegen::emit::signs_written_pairs(p, o))
                .map(|o| format!("{}.{}", p.id, o.rust))
        })
        .collect();
    signed.sort_unstable();
    listed.sort_unstable();
    assert_eq!(
        listed, signed,
        "every operation signed from its pairs is compared"
    );
    println!("{counts:?}");
    // not vacuous: many valid and many refused requests were compared
    assert!(counts.valid > 1000 && counts.refused > 500, "{counts:?}");
}

#[tokio::test]
async fn signed_bodies_written_from_the_request_send_their_dry_run() {
    let seeds = [provider("cactusgino"), provider("cabbagino")];
    let mut sent = 0;
    macro_rules! ops {
        ($($module:ident, $op:literal => $ty:ident, $_meta:ident, $call:ident, $dry:ident;)*) => {$(
            let server = paygen_testkit::Server::start(vec![paygen_testkit::Reply::json(200, "{}")]).await;
            let p = if stringify!($module) == "cg" { &seeds[0] } else { &seeds[1] };
            let o = p.operations.iter().find(|o| o.rust == $op).expect("listed");
            let client = first_client!($module, &server.url());
            let request: $module::$ty = examples(&p.id, o)
                .iter()
                .flat_map(|e| signed_variants(p, o, e))
                .filter_map(|e| serde_json::from_value::<$module::$ty>(e).ok())
                .find(|r| client.$dry(r).is_ok())
                .unwrap_or_else(|| panic!("{}: a valid documented request", $op));
            let dry = client.$dry(&request).expect("dry run");
            let _answer = client.$call(&request).await;
            let seen = server.only();
            assert_eq!(dry.method.as_str(), seen.method, "{}", $op);
            assert!(dry.url.ends_with(&seen.path), "{}: {} vs {}", $op, dry.url, seen.path);
            assert_eq!(String::from_utf8_lossy(&dry.body), seen.body_text(), "{}", $op);
            for (name, value) in &dry.headers {
                assert_eq!(seen.header(name), Some(value.as_str()), "{}: header {name}", $op);
            }
            sent += 1;
        )*};
    }
    macro_rules! first_client {
        (cg, $url:expr) => {
            cactusgino_clients($url).remove(0)
        };
        (cb, $url:expr) => {
            cabbagino_clients($url).remove(0)
        };
    }
    signed_ops!(ops);
    assert_eq!(sent, 11);
}
