//! Timing for the request-path benchmark: each row runs its hand-written baseline and the
//! generated path interleaved (A, B, A, B, ...) in short batches, so a shared machine's noise
//! falls on both, and reports the median of the per-round ratios.

use std::time::{Duration, Instant};

/// How long and how often to measure.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Rounds (one batch of each side per round).
    pub rounds: usize,
    /// Length of one batch.
    pub batch: Duration,
}

impl Plan {
    /// `PAYGEN_BENCH_SMOKE=1` (or `--test`, as `cargo bench -- --test` passes): one tiny round per
    /// row, which checks that every row runs and its outputs agree, not how fast it is.
    pub fn from_env() -> Plan {
        let smoke = std::env::var_os("PAYGEN_BENCH_SMOKE").is_some_and(|v| v != "0")
            || std::env::args().any(|a| a == "--test");
        if smoke {
            Plan {
                rounds: 1,
                batch: Duration::from_millis(2),
            }
        } else {
            Plan {
                rounds: 15,
                batch: Duration::from_millis(30),
            }
        }
    }

    /// Whether this is the smoke mode.
    pub fn is_smoke(&self) -> bool {
        self.rounds == 1
    }
}

/// One row's result: nanoseconds per call of each side (medians) and the median ratio.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Hand-written, ns per call.
    pub hand: f64,
    /// Generated, ns per call.
    pub generated: f64,
    /// Median of generated / hand over the rounds.
    pub ratio: f64,
}

/// Nanoseconds per call of `f` over one batch.
fn batch(len: Duration, f: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < len {
        for _ in 0..16 {
            f();
        }
        n += 16;
    }
    start.elapsed().as_nanos() as f64 / f64::from(n)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Interleaved measurement of `hand` and `generated`.
pub fn compare(plan: Plan, mut hand: impl FnMut(), mut generated: impl FnMut()) -> Row {
    // warm-up: caches, allocator pools
    batch(plan.batch, &mut hand);
    batch(plan.batch, &mut generated);
    let (mut hs, mut gs, mut rs) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..plan.rounds {
        // alternate which side goes first
        let (h, g) = if round.is_multiple_of(2) {
            let h = batch(plan.batch, &mut hand);
            (h, batch(plan.batch, &mut generated))
        } else {
            let g = batch(plan.batch, &mut generated);
            (batch(plan.batch, &mut hand), g)
        };
        hs.push(h);
        gs.push(g);
        rs.push(g / h);
    }
    Row {
        hand: median(hs),
        generated: median(gs),
        ratio: median(rs),
    }
}

/// Prints one row: name, both timings, the ratio and the goal.
pub fn print_row(name: &str, row: Row, goal: &str) {
    println!(
        "{name:<58} hand {:>9.0} ns  generated {:>9.0} ns  ratio {:>5.2}x  (goal {goal})",
        row.hand, row.generated, row.ratio
    );
}

/// Median nanoseconds per call of `f` alone (stage timings, no baseline).
pub fn alone(plan: Plan, mut f: impl FnMut()) -> f64 {
    batch(plan.batch, &mut f);
    median(
        (0..plan.rounds)
            .map(|_| batch(plan.batch, &mut f))
            .collect(),
    )
}
