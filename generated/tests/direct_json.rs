//! The JSON a request writes straight from its fields (`rt::WriteJson`, issue 11) is the JSON
//! its request tree writes, with the same field errors: for every operation with a request of
//! every seed this crate builds, on each documented example and on variants of it (every
//! string replaced by texts that need escapes or are not ASCII, every key left out, numbers
//! and currencies an amount cannot be sent in), with the credentials present, absent, and
//! needing escapes. The operations that send such a body (`prepare_<operation>`,
//! `Engine::prepare_json`) prepare exactly the request the tree path prepares (URL, headers
//! in order, body bytes), or fail with the same error, and their calls (`Engine::call_json`)
//! send exactly what their dry runs prepare.

mod direct_common;

use direct_common::{credential_sets, examples, provider, same_prepared, variants, Counts};
use paygen_codegen::ir::{Operation, Provider};
use paygen_connectors::{cabbagino as cb, cactusgino as cg, global_solutions as gs, pockyt as pk};
use paygen_runtime::engine::{OperationMeta, PreparedRequest};
use paygen_runtime::{
    encode_json, encode_tree, EngineConfig, Error, FixedClock, ToWire, ValidationErrors,
    WireContext, WriteJson,
};
use serde::de::DeserializeOwned;

/// The direct and tree outcomes of one request at the top and below a path are the same.
fn same_json<T: WriteJson>(what: &str, request: &T, ctx: &WireContext<'_>, counts: &mut Counts) {
    let direct = encode_json(request, ctx);
    let tree = encode_tree(request, ctx).map(|t| t.to_json_string().into_bytes());
    match (direct, tree) {
        (Ok(a), Ok(b)) => {
            assert_eq!(
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b),
                "{what}"
            );
            counts.valid += 1;
        }
        (Err(Error::InvalidRequest(a)), Err(Error::InvalidRequest(b))) => {
            assert_eq!(a, b, "{what}");
            counts.refused += 1;
        }
        (a, b) => panic!("{what}: direct {a:?} but tree {b:?}"),
    }
    // below a path (a credential's error path is built from it)
    let (mut a, mut errs_a) = (Vec::new(), ValidationErrors::default());
    request.write_json(ctx, "outer[2]", &mut errs_a, &mut a);
    let (mut b, mut errs_b) = (Vec::new(), ValidationErrors::default());
    ToWire::to_wire(request, ctx, "outer[2]", &mut errs_b).write_json_to(&mut b);
    assert_eq!(
        String::from_utf8_lossy(&a),
        String::from_utf8_lossy(&b),
        "{what}"
    );
    assert_eq!(errs_a, errs_b, "{what}");
}

/// Every variant of every example of `o`, decoded as `T` where it decodes, compared under
/// every credential set.
fn same_json_for<T: WriteJson + DeserializeOwned>(
    p: &Provider,
    o: &Operation,
    exponents: &[(&str, u8)],
    counts: &mut Counts,
) {
    let clock = FixedClock(1_676_285_458);
    let creds = credential_sets(p);
    let decoded_before = counts.valid + counts.refused;
    for (e, example) in examples(&p.id, o).iter().enumerate() {
        for (n, v) in variants(example).into_iter().enumerate() {
            let Ok(request) = serde_json::from_value::<T>(v) else {
                counts.undecodable += 1;
                continue;
            };
            for (c, credentials) in creds.iter().enumerate() {
                let ctx = WireContext {
                    credentials,
                    clock: &clock,
                    exponents,
                };
                let what = format!(
                    "{}.{} example {e} variant {n} credentials {c}",
                    p.id, o.rust
                );
                same_json(&what, &request, &ctx, counts);
            }
        }
    }
    let decoded = counts.valid + counts.refused - decoded_before;
    assert!(decoded > 0, "{}.{}: no request to compare", p.id, o.rust);
}

#[test]
fn every_request_writes_the_json_its_tree_writes() {
    let mut counts = Counts::default();
    let gs_ir = provider("global_solutions");
    // each listed operation's request type; the list must name every operation of the seed
    // that takes a request
    macro_rules! run {
        ($p:expr, $exps:expr, [$($op:literal => $ty:ty),* $(,)?]) => {{
            let p: &Provider = $p;
            let listed = [$($op),*];
            let mut with_request: Vec<&str> = p
                .operations
                .iter()
                .filter(|o| o.request.is_some())
                .map(|o| o.rust.as_str())
                .collect();
            with_request.sort_unstable();
            let mut sorted = listed.to_vec();
            sorted.sort_unstable();
            assert_eq!(sorted, with_request, "{}: the operations with a request", p.id);
            $(
                let o = p.operations.iter().find(|o| o.rust == $op).expect("listed");
                same_json_for::<$ty>(p, o, $exps, &mut counts);
            )*
        }};
    }
    run!(&gs_ir, gs::EXPONENTS, [
        "charge_card" => gs::ChargeCardRequest,
        "post3ds" => gs::Post3dsRequest,
        "refund" => gs::RefundRequest,
        "payout" => gs::PayoutTokenRequest,
        "payout_card" => gs::PayoutCardRequest,
        "status" => gs::StatusRequest,
        "status_invoice" => gs::StatusInvoiceRequest,
        "list" => gs::ListRequest,
        "link" => gs::LinkRequest,
        "apm_payout" => gs::ApmPayoutRequest,
        "apm_refund" => gs::ApmRefundRequest,
    ]);
    run!(&provider("cabbagino"), cb::EXPONENTS, [
        "deposit" => cb::DepositRequest,
        "payout" => cb::PayoutRequest,
        "payment_page_deposit" => cb::PaymentPageDepositRequest,
        "transaction_status" => cb::StatusRequest,
        "get_banks" => cb::GetBanksRequest,
        "community_payments_banks" => cb::CommunityBanksRequest,
    ]);
    run!(&provider("cactusgino"), cg::EXPONENTS, [
        "obtain_token" => cg::ObtainTokenRequest,
        "create_invoice" => cg::CreateInvoiceRequest,
        "payout" => cg::PayoutRequest,
        "balance" => cg::BalanceRequest,
        "balance_project" => cg::ProjectBalanceRequest,
        "close_invoice" => cg::CloseInvoiceRequest,
        "cash_invoice_cancel" => cg::CashInvoiceCancelRequest,
        "cash_invoice_edit" => cg::CashInvoiceEditRequest,
    ]);
    run!(&provider("pockyt"), pk::EXPONENTS, [
        "register_payee" => pk::RegisterPayeeRequest,
        "retrieve_payee" => pk::RetrievePayeeRequest,
        "update_payee" => pk::UpdatePayeeRequest,
        "add_bank_account" => pk::AddBankAccountRequest,
        "list_payout_accounts" => pk::PayoutAccountsRequest,
        "transfer" => pk::TransferRequest,
        "payout_inquiry" => pk::PayoutInquiryRequest,
        "payor_balance" => pk::PayorBalanceRequest,
    ]);
    println!("{counts:?}");
    // not vacuous: many valid and many refused requests were compared
    assert!(counts.valid > 1000 && counts.refused > 1000, "{counts:?}");
}

/// Every variant of every example of `o`, prepared by the client's dry run (the direct body)
/// and by the engine from the request tree, is the same request.
fn same_request<T: WriteJson + DeserializeOwned>(
    clients: &[gs::Client],
    p: &Provider,
    o: &Operation,
    meta: &OperationMeta,
    dry_run: impl Fn(&gs::Client, &T) -> Result<PreparedRequest, Error>,
    counts: &mut Counts,
) {
    assert!(
        paygen_codegen::emit::writes_json_directly(o),
        "{}: the generated client writes its body directly",
        o.rust
    );
    let requests = examples(&p.id, o)
        .iter()
        .flat_map(variants)
        .collect::<Vec<_>>();
    let label = format!("{}.{}", p.id, o.rust);
    same_prepared(
        &label,
        requests,
        clients,
        gs::Client::engine,
        gs::EXPONENTS,
        meta,
        dry_run,
        counts,
    );
}

/// Global Solutions' operations that write their body directly: name, request type, metadata
/// constant, call and dry-run methods; `$m` is the macro each test runs on the list.
macro_rules! gs_direct_ops {
    ($m:ident) => {
        $m! {
            "charge_card" => gs::ChargeCardRequest, CHARGE_CARD, charge_card, prepare_charge_card;
            "post3ds" => gs::Post3dsRequest, POST3DS, post3ds, prepare_post3ds;
            "refund" => gs::RefundRequest, REFUND, refund, prepare_refund;
            "payout" => gs::PayoutTokenRequest, PAYOUT, payout, prepare_payout;
            "payout_card" => gs::PayoutCardRequest, PAYOUT_CARD, payout_card, prepare_payout_card;
            "status" => gs::StatusRequest, STATUS, status, prepare_status;
            "status_invoice" => gs::StatusInvoiceRequest, STATUS_INVOICE, status_invoice, prepare_status_invoice;
            "list" => gs::ListRequest, LIST, list, prepare_list;
            "link" => gs::LinkRequest, LINK, link, prepare_link;
            "apm_payout" => gs::ApmPayoutRequest, APM_PAYOUT, apm_payout, prepare_apm_payout;
            "apm_refund" => gs::ApmRefundRequest, APM_REFUND, apm_refund, prepare_apm_refund;
        }
    };
}

#[test]
fn operations_that_write_their_body_directly_prepare_the_tree_paths_request() {
    let p = provider("global_solutions");
    let config = || EngineConfig {
        extra_headers: vec![("X-Extra".into(), "1".into())],
        ..EngineConfig::default()
    };
    let client = |public_id: &str| {
        let credentials = gs::Credentials {
            public_id: public_id.into(),
            api_secret: paygen_runtime::Secret::new("s3cr\"et"),
        };
        gs::Client::with_base_url("http://127.0.0.1:9/gs", credentials, config()).expect("client")
    };
    let clients = [
        client("pbid_2kajhh9oqhmpwjqgd529rg"),
        client("q\"\\\u{1}é🚀"),
    ];
    let mut counts = Counts::default();
    let mut direct: Vec<&str> = p
        .operations
        .iter()
        .filter(|o| paygen_codegen::emit::writes_json_directly(o))
        .map(|o| o.rust.as_str())
        .collect();
    direct.sort_unstable();
    let mut listed = Vec::new();
    macro_rules! ops {
        ($($op:literal => $ty:ty, $meta:ident, $_call:ident, $dry:ident;)*) => {$(
            listed.push($op);
            let o = p.operations.iter().find(|o| o.rust == $op).expect("listed");
            same_request::<$ty>(&clients, &p, o, &gs::operations::$meta, |c, r| c.$dry(r), &mut counts);
        )*};
    }
    gs_direct_ops!(ops);
    listed.sort_unstable();
    assert_eq!(
        listed, direct,
        "every operation that writes its body directly is compared"
    );
    println!("{counts:?}");
    assert!(counts.valid > 500 && counts.refused > 100, "{counts:?}");
}

/// The first documented request of `o` that decodes as `T` and passes validation.
fn valid_example<T: WriteJson + DeserializeOwned>(client: &gs::Client, o: &Operation) -> T {
    // the documented requests first, then their variants
    let documented = examples("global_solutions", o);
    let varied = documented.iter().flat_map(variants);
    documented
        .clone()
        .into_iter()
        .chain(varied)
        .filter_map(|e| serde_json::from_value::<T>(e).ok())
        .find(|r| paygen_runtime::request_tree(r, client.engine(), gs::EXPONENTS).is_ok())
        .unwrap_or_else(|| panic!("{}: a valid documented request", o.rust))
}

#[tokio::test]
async fn operations_that_write_their_body_directly_send_their_dry_run() {
    let p = provider("global_solutions");
    let mut sent = 0;
    macro_rules! ops {
        ($($op:literal => $ty:ty, $_meta:ident, $call:ident, $dry:ident;)*) => {$(
            let server = paygen_testkit::Server::start(vec![paygen_testkit::Reply::json(200, "{}")]).await;
            let credentials = gs::Credentials {
                public_id: "pbid_2kajhh9oqhmpwjqgd529rg".into(),
                api_secret: paygen_runtime::Secret::new("secret"),
            };
            let client = gs::Client::with_base_url(&server.url(), credentials, EngineConfig::default())
                .expect("client");
            let o = p.operations.iter().find(|o| o.rust == $op).expect("listed");
            let request: $ty = valid_example(&client, o);
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
    gs_direct_ops!(ops);
    assert_eq!(sent, 11);
}
