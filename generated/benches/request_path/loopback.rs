//! Requests per second against one loopback server (`paygen-http-server` answering a fixed
//! body on 127.0.0.1) at concurrency 1 and 8: the generated client's method against a
//! hand-written reqwest client sending the same bytes and reading the same answer, in
//! alternating windows. Two more rows per comparison read the goal rows: the same comparison
//! against a hand-written client that bounds each call by the engine's default deadline (a
//! `tokio::time::timeout`, as the engine bounds every attempt); then, for Global Solutions, an
//! A/A control (the hand-written client against itself on a second connection), whose ratio is
//! the harness's own bias, and the hand-written client with that deadline against without,
//! whose ratio is what the deadline alone costs.
//!
//! A focused mode for profilers (`strace -c -f`, `perf`, `valgrind`):
//! `PAYGEN_BENCH_LOOPBACK_SIDE=<hand|generated>-<cactusgino|global_solutions>` with
//! `PAYGEN_BENCH_CALLS=N` (default 2000) makes N sequential calls of that one side only (after
//! 50 warm-up calls, so the connection is open) and prints the time per call; nothing else runs.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use paygen_connectors::{cactusgino as cg, global_solutions as gs};
use paygen_http_server::{Limits, Reply, Request, Response, Server};
use tokio::runtime::Runtime;

use super::hand;
use super::inputs::CHARGE_ANSWER;
use super::measure::Plan;

/// The documented payout answer, signed.
const PAYOUT_ANSWER: &str = r#"{"message":"Payout initialized","request_id":"request_id123","success":true,"status":3,"amount":900000,"site_login":"user_login","site_id":21,"invoice_id":"1314","currency":"KZT"}"#;

async fn fixed_server(body: String) -> Server {
    let body = Arc::new(body.into_bytes());
    let handler = move |_req: Request| {
        let body = body.clone();
        async move { Reply::Respond(Response::json(200, body.to_vec())) }
    };
    Server::start(0, Limits::default(), Arc::new(handler))
        .await
        .expect("loopback server")
}

/// Calls completed in `window` by `tasks` concurrent loops of `call`.
async fn throughput<F, Fut>(tasks: usize, window: Duration, call: F) -> f64
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let call = Arc::new(call);
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (call, stop, done) = (call.clone(), stop.clone(), done.clone());
        handles.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                assert!(call().await, "a call failed");
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(window).await;
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        h.await.expect("task");
    }
    done.load(Ordering::Relaxed) as f64 / window.as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Which side one focused run calls (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The hand-written reqwest client.
    Hand,
    /// The generated client.
    Generated,
}

/// One side of one provider, for a profiler: `PAYGEN_BENCH_LOOPBACK_SIDE` parsed.
#[derive(Debug, Clone, Copy)]
pub struct Focus {
    side: Side,
    provider: &'static str,
    calls: u64,
}

impl Focus {
    /// The focused run the environment asks for, if any.
    pub fn from_env() -> Option<Focus> {
        let v = std::env::var("PAYGEN_BENCH_LOOPBACK_SIDE").ok()?;
        let (side, provider) = v
            .split_once('-')
            .expect("PAYGEN_BENCH_LOOPBACK_SIDE=<hand|generated>-<cactusgino|global_solutions>");
        let side = match side {
            "hand" => Side::Hand,
            "generated" => Side::Generated,
            other => panic!("unknown side `{other}` (hand or generated)"),
        };
        let provider = match provider {
            "cactusgino" => "cactusgino",
            "global_solutions" => "global_solutions",
            other => panic!("unknown provider `{other}` (cactusgino or global_solutions)"),
        };
        let calls = std::env::var("PAYGEN_BENCH_CALLS")
            .ok()
            .map_or(2000, |n| n.parse().expect("PAYGEN_BENCH_CALLS is a number"));
        Some(Focus {
            side,
            provider,
            calls,
        })
    }
}

/// `focus.calls` sequential calls of one side after a warm-up; prints µs per call.
async fn one_side<H, HF, G, GF>(focus: Focus, hand: H, generated: G)
where
    H: Fn() -> HF,
    HF: std::future::Future<Output = bool>,
    G: Fn() -> GF,
    GF: std::future::Future<Output = bool>,
{
    async fn run<F: Fn() -> Fut, Fut: std::future::Future<Output = bool>>(n: u64, call: F) {
        for _ in 0..n {
            assert!(call().await, "a call failed");
        }
    }
    let started = match focus.side {
        Side::Hand => {
            run(50, &hand).await;
            let started = std::time::Instant::now();
            run(focus.calls, &hand).await;
            started
        }
        Side::Generated => {
            run(50, &generated).await;
            let started = std::time::Instant::now();
            run(focus.calls, &generated).await;
            started
        }
    };
    println!(
        "{} {:?}: {} calls, {:.1} µs per call",
        focus.provider,
        focus.side,
        focus.calls,
        started.elapsed().as_secs_f64() * 1e6 / focus.calls as f64
    );
}

/// Concurrencies every loopback row is measured at.
const CONCURRENCIES: [usize; 2] = [1, 8];

/// What a row's ratio is read against.
#[derive(Debug, Clone, Copy)]
enum Goal {
    /// The issue's goal, against the plain hand-written client.
    AtLeast90,
    /// Context for the goal: the baseline also bounds each call by the engine's deadline.
    SameDeadline,
    /// Both sides run the same code: the ratio shows the harness's own bias.
    Control,
    /// The same hand-written code with and without a deadline: what bounding a call costs.
    DeadlineCost,
}

impl Goal {
    fn text(self) -> &'static str {
        match self {
            Goal::AtLeast90 => "(goal >= 0.9x)",
            Goal::SameDeadline => "(same deadline both sides)",
            Goal::Control => "(control: 1.00x)",
            Goal::DeadlineCost => "(the deadline's own cost)",
        }
    }
}

/// At each of [`CONCURRENCIES`], alternating windows of `hand` and `generated`; prints
/// requests/s and generated / hand.
async fn compare<H, HF, G, GF>(name: &str, plan: Plan, goal: Goal, hand: H, generated: G)
where
    H: Fn() -> HF + Send + Sync + Clone + 'static,
    HF: std::future::Future<Output = bool> + Send,
    G: Fn() -> GF + Send + Sync + Clone + 'static,
    GF: std::future::Future<Output = bool> + Send,
{
    let (window, rounds) = if plan.is_smoke() {
        (Duration::from_millis(50), 1)
    } else {
        (Duration::from_millis(400), 7)
    };
    for tasks in CONCURRENCIES {
        throughput(tasks, window / 4, hand.clone()).await;
        throughput(tasks, window / 4, generated.clone()).await;
        let (mut hs, mut gs, mut rs) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            let h = throughput(tasks, window, hand.clone()).await;
            let g = throughput(tasks, window, generated.clone()).await;
            hs.push(h);
            gs.push(g);
            rs.push(g / h);
        }
        println!(
            "{:<58} hand {:>9.0} /s  generated {:>9.0} /s  ratio {:>5.2}x  {}",
            format!("{name}, concurrency {tasks}"),
            median(hs),
            median(gs),
            median(rs),
            goal.text()
        );
    }
}

/// What one provider's rows do: compare both sides, or call one side alone.
#[derive(Debug, Clone, Copy)]
enum Mode {
    Compare(Plan),
    One(Focus),
}

/// One provider's goal rows: the hand-written client `hand_on(client, None)` against
/// `generated`, then (comparing) the same against the hand-written client bounded by
/// [`ENGINE_TIMEOUT`]; or, focused, the one side alone. `hand_on` builds the hand-written
/// call on an HTTP client, with a deadline when given.
async fn goal_rows<M, H, HF, G, GF>(name: &str, mode: Mode, hand_on: &M, generated: G)
where
    M: Fn(reqwest::Client, Option<Duration>) -> H,
    H: Fn() -> HF + Send + Sync + Clone + 'static,
    HF: std::future::Future<Output = bool> + Send,
    G: Fn() -> GF + Send + Sync + Clone + 'static,
    GF: std::future::Future<Output = bool> + Send,
{
    let http = reqwest::Client::new();
    let plan = match mode {
        Mode::One(focus) => return one_side(focus, hand_on(http, None), generated).await,
        Mode::Compare(plan) => plan,
    };
    let plain = hand_on(http.clone(), None);
    compare(name, plan, Goal::AtLeast90, plain, generated.clone()).await;
    let bounded = hand_on(http, Some(ENGINE_TIMEOUT));
    let name = format!("{name}, baseline with the engine's deadline");
    compare(&name, plan, Goal::SameDeadline, bounded, generated).await;
}

/// The harness's own rows, on one provider's hand-written call (`hand_on`, as in
/// [`goal_rows`]): an A/A control (the same code on a second client, its own connection, in the
/// generated side's windows) and the deadline's own cost (bounded by [`ENGINE_TIMEOUT`] against
/// not).
async fn harness_rows<M, H, HF>(provider: &str, plan: Plan, hand_on: &M)
where
    M: Fn(reqwest::Client, Option<Duration>) -> H,
    H: Fn() -> HF + Send + Sync + Clone + 'static,
    HF: std::future::Future<Output = bool> + Send,
{
    let (first, second) = (
        hand_on(reqwest::Client::new(), None),
        hand_on(reqwest::Client::new(), None),
    );
    let control = format!("A/A control: hand-written against itself ({provider})");
    compare(&control, plan, Goal::Control, first, second).await;
    let (plain, bounded) = (
        hand_on(reqwest::Client::new(), None),
        hand_on(reqwest::Client::new(), Some(ENGINE_TIMEOUT)),
    );
    let deadline = format!("hand-written with the engine's deadline against without ({provider})");
    compare(&deadline, plan, Goal::DeadlineCost, plain, bounded).await;
}

async fn cactusgino_rows(mode: Mode) {
    let server = fixed_server(hand::sign_answer(super::inputs::SALT, PAYOUT_ANSWER)).await;
    let url = format!("http://127.0.0.1:{}", server.port());
    let client = Arc::new(
        cg::Client::with_base_url(&url, super::inputs::cg_credentials(), Default::default())
            .expect("client"),
    );
    let mine = Arc::new(hand::Cactus {
        base: url,
        merchant_id: "test_api_v2".into(),
        salt: super::inputs::SALT.into(),
    });
    let (req, hreq) = (
        Arc::new(super::inputs::cg_payout()),
        Arc::new(super::hand_payout()),
    );
    // the hand-written payout on `http`, bounded by `deadline` when given
    let hand_on = |http: reqwest::Client, deadline: Option<Duration>| {
        let (mine, hreq) = (mine.clone(), hreq.clone());
        move || {
            let (mine, http, hreq) = (mine.clone(), http.clone(), hreq.clone());
            async move {
                let Ok(r) = mine.payout(&hreq) else {
                    return false;
                };
                let answer = send(&http, r, deadline).await;
                answer.is_some_and(|body| mine.answer::<hand::PayoutAnswer>(&body).is_ok())
            }
        }
    };
    let gen_call = move || {
        let (client, req) = (client.clone(), req.clone());
        async move { client.payout(&req).await.is_ok() }
    };
    let name = "signed payout over loopback (Cactusgino)";
    goal_rows(name, mode, &hand_on, gen_call).await;
    server.stop().await;
}

async fn global_solutions_rows(mode: Mode) {
    let server = fixed_server(CHARGE_ANSWER.to_string()).await;
    let url = format!("http://127.0.0.1:{}", server.port());
    let client = Arc::new(
        gs::Client::with_base_url(&url, super::inputs::gs_credentials(), Default::default())
            .expect("client"),
    );
    let mine = Arc::new(hand::Gs::new(
        &url,
        super::inputs::GS_PUBLIC_ID,
        super::inputs::GS_SECRET,
    ));
    let (req, hreq) = (
        Arc::new(super::inputs::gs_charge()),
        Arc::new(super::hand_charge()),
    );
    // the hand-written charge on `http`, bounded by `deadline` when given
    let hand_on = |http: reqwest::Client, deadline: Option<Duration>| {
        let (mine, hreq) = (mine.clone(), hreq.clone());
        move || {
            let (mine, http, hreq) = (mine.clone(), http.clone(), hreq.clone());
            async move {
                let Ok(r) = mine.charge(&hreq) else {
                    return false;
                };
                let answer = send(&http, r, deadline).await;
                answer
                    .is_some_and(|body| serde_json::from_slice::<hand::ChargeAnswer>(&body).is_ok())
            }
        }
    };
    let gen_call = move || {
        let (client, req) = (client.clone(), req.clone());
        async move { client.charge_card(&req).await.is_ok() }
    };
    let name = "card charge over loopback (Global Solutions)";
    goal_rows(name, mode, &hand_on, gen_call).await;
    if let Mode::Compare(plan) = mode {
        harness_rows("Global Solutions", plan, &hand_on).await;
    }
    server.stop().await;
}

/// The per-attempt deadline the generated clients apply by default (`EngineConfig::timeout`),
/// given to the hand-written client in the rows that compare against one with a deadline.
const ENGINE_TIMEOUT: Duration = Duration::from_secs(60);

/// Sends a hand-built request with the baseline's plain reqwest client; the answer's body.
/// With `deadline`, the whole exchange (head and body) runs under a `tokio::time::timeout`, as
/// a hand-written client that bounds its calls would.
async fn send(
    http: &reqwest::Client,
    r: hand::Request,
    deadline: Option<Duration>,
) -> Option<bytes::Bytes> {
    let mut b = http.post(&r.url).body(r.body);
    for (k, v) in r.headers {
        b = b.header(k, v);
    }
    let exchange = async { b.send().await.ok()?.bytes().await.ok() };
    match deadline {
        None => exchange.await,
        Some(limit) => tokio::time::timeout(limit, exchange).await.ok()?,
    }
}

/// Both providers' loopback rows.
pub fn rows(runtime: &Runtime, plan: Plan) {
    runtime.block_on(async {
        cactusgino_rows(Mode::Compare(plan)).await;
        global_solutions_rows(Mode::Compare(plan)).await;
    });
}

/// The focused run: one side of one provider alone (see the module docs).
pub fn focused(runtime: &Runtime, focus: Focus) {
    runtime.block_on(async {
        match focus.provider {
            "cactusgino" => cactusgino_rows(Mode::One(focus)).await,
            _ => global_solutions_rows(Mode::One(focus)).await,
        }
    });
}
