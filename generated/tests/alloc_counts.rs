//! Heap allocations per request of the generated path, pinned (they are deterministic, unlike
//! timings): a prepared and signed Cactusgino payout and Global Solutions card charge (the
//! clients' dry runs `prepare_<operation>`: validate, encode, sign, auth, write: everything a
//! call does before the first byte is sent; the call's error guard only borrows), a
//! verified and decoded signed answer, a received and decoded card charge answer (its variant
//! picked by the spec's rules), and a verified and parsed 2 KB webhook. Counted by a
//! counting global allocator (`stats_alloc`); this binary holds one test so no other test
//! thread allocates while counting. The inputs are the request-path benchmark's
//! (`generated/benches/request_path/inputs.rs`).
//!
//! When a change moves a count, run `cargo test -p paygen-connectors --test alloc_counts`, read
//! the printed counts, and update `PINNED` in the same commit, saying why the number moved.

#[path = "../benches/request_path/inputs.rs"]
mod inputs;

use std::alloc::System;

use inputs::*;
use paygen_connectors::{cactusgino as cg, global_solutions as gs};
use paygen_runtime::engine::decode;
use paygen_runtime::http::{HeaderMap, HeaderValue};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocations per call (row, count), measured on the commit that last changed them.
const PINNED: &[(&str, usize)] = &[
    // 21 before the compiled canonical plan and the borrowed signature field name; 13 before
    // the amount's currency text was borrowed from the enum (rt::wire_text_ref); 12 before
    // the signature was moved into the body instead of copied (Signer::place); 11 before the
    // body was written and signed straight from the request (rt::WriteSigned); 8 before its
    // signature was written into the body from the stack: the body, the URL, the header list
    // and two headers' names and values
    ("cactusgino payout prepared+signed", 7),
    // 16 with the request tree; 9 with the body written straight from the request
    // (rt::WriteJson): the body, the URL, the header list and three headers' names and values
    ("global_solutions charge prepared", 9),
    // 38 with the answer parsed into a serde_json::Value tree; 9 on the tape (wire_parse) with
    // the canonical string, digest and signature text on the stack
    ("cactusgino signed answer verified+decoded", 9),
    // 53 with the serde_json::Value tree; 14 decoded from the bytes; 12 decoded from the tape
    // (its two integers read without serde_json's number buffer)
    ("global_solutions charge answer received+decoded", 12),
    // 37 before the typed decode read numbers without a Value and signing borrowed the headers
    ("global_solutions 2 KB webhook verified+parsed", 15),
];

/// Allocations made by the second call of `f` (the first warms lazily built state).
fn allocations(mut f: impl FnMut()) -> usize {
    f();
    let region = Region::new(GLOBAL);
    f();
    region.change().allocations
}

/// The generated methods' futures stay `Send` (the call's error guard borrows only `Sync`
/// data), so callers can spawn them: checked when this file compiles.
fn calls_are_send(cactus: &cg::Client, payout: &cg::PayoutRequest) {
    fn send<T: Send>(_: T) {}
    send(cactus.payout(payout));
}

#[test]
fn allocations_per_request_are_pinned() {
    let base = "http://127.0.0.1:9";
    let cactus =
        cg::Client::with_base_url(base, cg_credentials(), Default::default()).expect("client");
    let globals =
        gs::Client::with_base_url(base, gs_credentials(), Default::default()).expect("client");
    let (payout, charge) = (cg_payout(), gs_charge());
    calls_are_send(&cactus, &payout);
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    let answer = bytes::Bytes::from_static(T2_RESPONSE.as_bytes());
    let op = &cg::operations::CASH_INVOICE_CANCEL;
    let charge_answer = bytes::Bytes::from_static(CHARGE_ANSWER.as_bytes());
    let charged = &gs::operations::CHARGE_CARD;
    let notification = gs_notification();
    let mut hooked = headers.clone();
    hooked.insert(
        "content-hmac",
        HeaderValue::from_str(&content_hmac(GS_SECRET, notification.as_bytes())).expect("header"),
    );
    let verifier = gs::webhook_verifier(&gs_credentials()).expect("verifier");

    let measured = [
        allocations(|| {
            assert!(cactus.prepare_payout(&payout).is_ok(), "payout prepared");
        }),
        allocations(|| {
            assert!(
                globals.prepare_charge_card(&charge).is_ok(),
                "charge prepared"
            );
        }),
        allocations(|| {
            let decoded =
                cactus
                    .engine()
                    .receive(op, 200, headers.clone(), answer.clone(), |raw| {
                        decode::<cg::CashUpdateResult>(op.name, raw)
                    });
            assert!(decoded.is_ok(), "T2 verifies");
        }),
        allocations(|| {
            let decoded = globals.engine().receive(
                charged,
                200,
                headers.clone(),
                charge_answer.clone(),
                gs::ChargeCardResponse::from_response,
            );
            assert!(
                matches!(decoded, Ok(gs::ChargeCardResponse::Completed(_))),
                "the charge answer decodes"
            );
        }),
        allocations(|| {
            let event = gs::receive_webhook(&verifier, &hooked, notification.as_bytes());
            assert!(event.is_ok(), "the notification verifies");
        }),
    ];
    let got: Vec<(&str, usize)> = PINNED
        .iter()
        .zip(measured)
        .map(|((row, _), n)| (*row, n))
        .collect();
    println!("allocations per call: {got:#?}");
    assert_eq!(got, PINNED);
}
