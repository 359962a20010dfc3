//! Benchmark of the generated request path against hand-written code, one row per line of
//! issue 11's table, each a ratio to a baseline measured in the same run (interleaved):
//! signed payout build -> validate -> serialize -> sign without I/O (Cactusgino), card charge
//! the same (Global Solutions), signed answer verify + decode (Cactusgino), requests/s against
//! one loopback server at concurrency 1 and 8 (both), webhook verify + typed parse of a 2 KB
//! body (Global Solutions). Before timing, every row checks that both sides produce the same
//! request bytes or the same values. Run: `cargo bench -p paygen-connectors --bench
//! request_path`; `PAYGEN_BENCH_SMOKE=1` (or `-- --test`) runs each row once, quickly;
//! `PAYGEN_BENCH_ONLY=prepare|answer|webhook|loopback` runs those rows alone; the loopback
//! module's docs describe a one-side mode for profilers, and `PAYGEN_BENCH_PREPARE_SIDE`
//! (below, [`prepare_side`]) one for the two no-I/O rows.

mod hand;
mod inputs;
mod loopback;
mod measure;

use std::hint::black_box;

use paygen_connectors::{cactusgino as cg, global_solutions as gs};
use paygen_runtime::engine::decode;
use paygen_runtime::http::{HeaderMap, HeaderValue};
use paygen_runtime::{ToWire as _, ValidationErrors, WireContext};

use inputs::*;
use measure::{alone, compare, print_row, Plan};

fn hand_payout() -> hand::CardPayout {
    hand::CardPayout {
        site_login: "user_login".into(),
        site_id: 21,
        request_id: "request_id123".into(),
        amount: 900_000,
        currency: "KZT".into(),
        bank_name: "Morgan".into(),
        card_holder: " John Wick".into(),
        card_number: "4242424242424242".into(),
        expiry_date: "07/23".into(),
    }
}

fn hand_charge() -> hand::Charge {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let browser = s(&[
        "24",
        "false",
        "600",
        "800",
        "en_US",
        "text/html,application/xhtml+xml,application/xml",
        "+120",
        "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0",
    ]);
    let payer = s(&[
        "UK",
        "London",
        "Wall Street 15",
        "12384",
        "441632960909",
        "",
        "1980-04-25",
        "John",
        "Doe",
    ]);
    hand::Charge {
        amount_minor: 4011,
        currency: "EUR".into(),
        name: "John Doe".into(),
        invoice_id: "927829".into(),
        description: "Payment for products".into(),
        account_id: "john@doe.com".into(),
        ip: "203.0.113.7".into(),
        pan: "4242424242424242".into(),
        cvv: "123".into(),
        expiry_month: 12,
        expiry_year: 2023,
        browser: browser.try_into().expect("8 browser fields"),
        payer: payer.try_into().expect("9 payer fields"),
    }
}

fn same_request(
    row: &str,
    generated: &paygen_runtime::engine::PreparedRequest,
    hand: &hand::Request,
) {
    assert_eq!(generated.url, hand.url, "{row}: URL");
    assert_eq!(
        String::from_utf8_lossy(&generated.body),
        String::from_utf8_lossy(&hand.body),
        "{row}: body bytes"
    );
    for (name, value) in &hand.headers {
        assert_eq!(
            generated.header(name),
            Some(value.as_str()),
            "{row}: {name}"
        );
    }
}

fn payout_row(plan: Plan) {
    let client =
        cg::Client::with_base_url("http://127.0.0.1:9", cg_credentials(), Default::default())
            .expect("client");
    let mine = hand::Cactus {
        base: "http://127.0.0.1:9".into(),
        merchant_id: "test_api_v2".into(),
        salt: SALT.into(),
    };
    let (req, hreq) = (cg_payout(), hand_payout());
    let run = || client.prepare_payout(&req).expect("prepared");
    same_request("payout", &run(), &mine.payout(&hreq).expect("hand payout"));
    let row = compare(
        plan,
        || {
            black_box(mine.payout(black_box(&hreq)).ok());
        },
        || {
            black_box(client.prepare_payout(black_box(&req)).ok());
        },
    );
    print_row("signed payout, no I/O (Cactusgino)", row, "<= 1.15x");
}

/// Where the generated payout's time goes, stage by stage (the profile of the first row).
fn payout_stages(plan: Plan) {
    let client =
        cg::Client::with_base_url("http://127.0.0.1:9", cg_credentials(), Default::default())
            .expect("client");
    let engine = client.engine();
    let req = cg_payout();
    let ctx = WireContext {
        credentials: engine.credentials(),
        clock: engine.clock(),
        exponents: cg::EXPONENTS,
    };
    let body = paygen_runtime::encode_tree(&req, &ctx).expect("valid");
    let op = &cg::operations::PAYOUT;
    let stages = [
        (
            "validate",
            alone(plan, || {
                let mut errs = ValidationErrors::default();
                black_box(&req).validate("", &mut errs);
                black_box(errs);
            }),
        ),
        (
            "encode (to_wire)",
            alone(plan, || {
                let mut errs = ValidationErrors::default();
                black_box(black_box(&req).to_wire(&ctx, "", &mut errs));
            }),
        ),
        (
            "body clone (bench only)",
            alone(plan, || {
                black_box(body.clone());
            }),
        ),
        (
            "prepare (sign, write) incl. clone",
            alone(plan, || {
                black_box(engine.prepare_tree(op, Some(body.clone())).ok());
            }),
        ),
    ];
    for (name, ns) in stages {
        println!("  payout stage {name:<40} {ns:>9.0} ns");
    }
}

fn charge_row(plan: Plan) {
    let client =
        gs::Client::with_base_url("http://127.0.0.1:9", gs_credentials(), Default::default())
            .expect("client");
    let mine = hand::Gs::new("http://127.0.0.1:9", GS_PUBLIC_ID, GS_SECRET);
    let (req, hreq) = (gs_charge(), hand_charge());
    let generated = client.prepare_charge_card(&req).expect("prepared");
    same_request(
        "charge",
        &generated,
        &mine.charge(&hreq).expect("hand charge"),
    );
    let row = compare(
        plan,
        || {
            black_box(mine.charge(black_box(&hreq)).ok());
        },
        || {
            black_box(client.prepare_charge_card(black_box(&req)).ok());
        },
    );
    print_row("card charge, no I/O (Global Solutions)", row, "<= 1.15x");
}

fn answer_row(plan: Plan) {
    let client =
        cg::Client::with_base_url("http://127.0.0.1:9", cg_credentials(), Default::default())
            .expect("client");
    let engine = client.engine();
    let mine = hand::Cactus {
        base: String::new(),
        merchant_id: "test_api_v2".into(),
        salt: SALT.into(),
    };
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    let body = bytes::Bytes::from_static(T2_RESPONSE.as_bytes());
    let op = &cg::operations::CASH_INVOICE_CANCEL;
    let run = || {
        engine.receive(op, 200, headers.clone(), body.clone(), |raw| {
            decode::<cg::CashUpdateResult>(op.name, raw)
        })
    };
    let generated = run().expect("T2 verifies (generated)");
    let mine_answer: hand::CashUpdate = mine
        .answer(T2_RESPONSE.as_bytes())
        .expect("T2 verifies (hand)");
    assert_eq!(generated.invoice_id, mine_answer.invoice_id);
    assert_eq!(generated.amount.map(|m| m.0), mine_answer.amount);
    let row = compare(
        plan,
        || {
            black_box(
                mine.answer::<hand::CashUpdate>(black_box(T2_RESPONSE.as_bytes()))
                    .ok(),
            );
        },
        || {
            black_box(run().ok());
        },
    );
    print_row(
        "signed answer verify + decode (Cactusgino)",
        row,
        "<= 1.15x",
    );
}

fn webhook_row(plan: Plan) {
    let body = gs_notification();
    let signature = content_hmac(GS_SECRET, body.as_bytes());
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    headers.insert(
        "content-hmac",
        HeaderValue::from_str(&signature).expect("header"),
    );
    let verifier = gs::webhook_verifier(&gs_credentials()).expect("verifier");
    let mine = hand::Gs::new("", GS_PUBLIC_ID, GS_SECRET);
    let generated = gs::receive_webhook(&verifier, &headers, body.as_bytes()).expect("verifies");
    let gs::WebhookEvent::PaymentSuccess(event) = generated.event else {
        panic!("a payment success");
    };
    let mine_event = mine
        .webhook(&signature, body.as_bytes())
        .expect("hand verifies");
    assert_eq!(event.transaction_id, mine_event.transaction_id);
    assert_eq!(event.invoice_id, mine_event.invoice_id);
    let row = compare(
        plan,
        || {
            black_box(mine.webhook(&signature, black_box(body.as_bytes())).ok());
        },
        || {
            black_box(gs::receive_webhook(&verifier, &headers, black_box(body.as_bytes())).ok());
        },
    );
    print_row(
        "webhook verify + typed parse, 2 KB (Global Solutions)",
        row,
        "<= 1.3x",
    );
    println!(
        "{:<58} {:.0}/s per core (goal >= 150k/s)",
        "  generated webhooks",
        1e9 / row.generated
    );
}

/// The runtime the loopback rows run on (two workers, as the machine has two cores).
fn loopback_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// `PAYGEN_BENCH_PREPARE_SIDE=<hand|generated>-<payout|charge>`: one warm-up call, then
/// `PAYGEN_BENCH_CALLS=N` (default 1000) calls of that one side inside `prepare_side_calls`,
/// for instruction counts per call that do not depend on timing
/// (`valgrind --tool=callgrind --toggle-collect='*prepare_side_calls*'`: "Collected" / N).
fn prepare_side() -> Option<(String, u32)> {
    let side = std::env::var("PAYGEN_BENCH_PREPARE_SIDE").ok()?;
    let calls = std::env::var("PAYGEN_BENCH_CALLS")
        .map_or(1000, |n| n.parse().expect("PAYGEN_BENCH_CALLS is a number"));
    Some((side, calls))
}

/// `calls` calls of `f` (the function a profiler's toggle names).
#[inline(never)]
fn prepare_side_calls(calls: u32, f: &mut dyn FnMut()) {
    for _ in 0..calls {
        f();
    }
}

fn prepare_focused(side: &str, calls: u32) {
    let cactus =
        cg::Client::with_base_url("http://127.0.0.1:9", cg_credentials(), Default::default())
            .expect("client");
    let globals =
        gs::Client::with_base_url("http://127.0.0.1:9", gs_credentials(), Default::default())
            .expect("client");
    let mine_cg = hand::Cactus {
        base: "http://127.0.0.1:9".into(),
        merchant_id: "test_api_v2".into(),
        salt: SALT.into(),
    };
    let mine_gs = hand::Gs::new("http://127.0.0.1:9", GS_PUBLIC_ID, GS_SECRET);
    let (payout, hpayout, charge, hcharge) =
        (cg_payout(), hand_payout(), gs_charge(), hand_charge());
    let mut f: Box<dyn FnMut()> = match side {
        "hand-payout" => Box::new(|| {
            black_box(mine_cg.payout(black_box(&hpayout)).ok());
        }),
        "generated-payout" => Box::new(|| {
            black_box(cactus.prepare_payout(black_box(&payout)).ok());
        }),
        "hand-charge" => Box::new(|| {
            black_box(mine_gs.charge(black_box(&hcharge)).ok());
        }),
        "generated-charge" => Box::new(|| {
            black_box(globals.prepare_charge_card(black_box(&charge)).ok());
        }),
        other => panic!("PAYGEN_BENCH_PREPARE_SIDE: unknown side `{other}`"),
    };
    f();
    prepare_side_calls(calls, &mut f);
    println!("{side}: {calls} calls");
}

fn main() {
    if let Some(focus) = loopback::Focus::from_env() {
        loopback::focused(&loopback_runtime(), focus);
        return;
    }
    if let Some((side, calls)) = prepare_side() {
        prepare_focused(&side, calls);
        return;
    }
    let plan = Plan::from_env();
    if plan.is_smoke() {
        println!("smoke mode: each row runs once; the ratios below are not measurements");
    }
    // `PAYGEN_BENCH_ONLY=answer` or `=loopback` runs those rows alone (re-measuring one row
    // without the others' minutes); unset runs every row.
    let only = std::env::var("PAYGEN_BENCH_ONLY").ok();
    let runs = |row: &str| only.as_deref().is_none_or(|o| o == row);
    if runs("prepare") {
        payout_row(plan);
        payout_stages(plan);
        charge_row(plan);
    }
    if runs("answer") {
        answer_row(plan);
    }
    if runs("webhook") {
        webhook_row(plan);
    }
    if runs("loopback") {
        loopback::rows(&loopback_runtime(), plan);
    }
}
