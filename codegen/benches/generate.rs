//! Benchmark: generating the Global Solutions client as a ratio to a baseline that only parses
//! the same YAML into a generic value, measured in the same run; and how spec loading scales with
//! the number of keys, stage by stage (time per doubling, a ratio that stays near 2 when loading
//! is linear; medians of several interleaved rounds in one process).
//! Times are this thread's CPU time where Linux reports it (`/proc/thread-self/schedstat`, whose
//! resolution may be a scheduler tick, ~4 ms), so a busy machine's waiting does not count; wall
//! time elsewhere. Generation times are medians of samples of at least 100 ms each (as many calls
//! in a row as that takes, divided by their number), so one tick is at most 4 % of a sample; the
//! loading bench's smallest sizes time one call each and are rough. Also: each seed spec's generation time
//! (goal <= 10 ms each) and 200 specs (the seeds cycled; goal <= 2 s) with their linearity (time
//! for 200 / 50 x time for the 4 seeds; 1.0 is linear). Run: `cargo bench -p paygen-codegen`;
//! `PAYGEN_BENCH_SMOKE=1` runs each once on fewer specs. For profiling one seed alone:
//! `PAYGEN_BENCH_ONE=global_solutions PAYGEN_BENCH_CALLS=10` only generates that seed, unformatted,
//! that many times (in `generate_one_plain`, a name for callgrind's `--toggle-collect`).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// Nanoseconds this thread has run on a CPU, when the kernel tells.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// CPU (or wall) milliseconds of one call of `f`.
fn time_ms(f: &mut impl FnMut()) -> f64 {
    let (start, cpu) = (Instant::now(), thread_cpu_ns());
    f();
    match (cpu, thread_cpu_ns()) {
        (Some(a), Some(b)) => (b - a) as f64 / 1e6,
        _ => start.elapsed().as_secs_f64() * 1000.0,
    }
}

/// Shortest sample, in milliseconds: 25 ticks of a 4 ms thread clock, so one tick is 4 %.
const SAMPLE_MS: f64 = 100.0;

/// Median milliseconds per call of `f` over `runs` samples; each sample times enough calls in
/// a row to last [`SAMPLE_MS`] (so a clock that counts in scheduler ticks still resolves calls
/// of a few milliseconds) and divides by their number. `runs == 1` (smoke) times one call.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let first = time_ms(&mut f);
    if runs <= 1 {
        return first;
    }
    // calls per sample from the wall time (never below the CPU time; the CPU clock may read 0)
    let wall = start.elapsed().as_secs_f64() * 1000.0;
    let calls = (SAMPLE_MS / wall.max(0.1)).ceil().clamp(1.0, 1000.0) as usize;
    // a first call that lasts a whole sample is one
    let kept = usize::from(calls == 1);
    let mut samples: Vec<f64> = std::iter::repeat_n(first, kept)
        .chain((kept..runs).map(|_| {
            time_ms(&mut || {
                for _ in 0..calls {
                    f();
                }
            }) / calls as f64
        }))
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Generates `specs/<stem>.yaml` unformatted `calls` times (the profiling knob).
#[inline(never)]
fn generate_one_plain(spec: &Path, calls: usize) {
    for _ in 0..calls {
        black_box(paygen_codegen::generate_file_plain(black_box(spec)).ok());
    }
}

fn main() {
    if let Some(stem) = std::env::var_os("PAYGEN_BENCH_ONE") {
        let mut spec = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs")).join(stem);
        spec.set_extension("yaml");
        let calls = std::env::var("PAYGEN_BENCH_CALLS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(1);
        generate_one_plain(&spec, calls);
        return;
    }
    let spec = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../specs/global_solutions.yaml"
    ));
    let text = std::fs::read_to_string(spec).unwrap_or_default();
    let generate = median_ms(9, || {
        black_box(paygen_codegen::generate_file(black_box(spec)).ok());
    });
    let baseline = median_ms(9, || {
        black_box(paygen_codegen::spec::yaml::parse(black_box(&text)).ok());
    });
    println!("generate global_solutions.yaml: {generate:.1} ms, YAML parse baseline {baseline:.1} ms, ratio {:.1}x", generate / baseline);
    let smoke = std::env::var_os("PAYGEN_BENCH_SMOKE").is_some_and(|v| v != "0")
        || std::env::args().any(|a| a == "--test");
    per_seed_and_many(smoke);
    if !smoke {
        loading_scales_linearly();
    }
}

/// Each seed spec's generation time, then 200 specs (the seeds cycled) and the linearity.
fn per_seed_and_many(smoke: bool) {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs"));
    let mut seeds: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    seeds.retain(|p| p.extension().is_some_and(|x| x == "yaml"));
    seeds.sort();
    let runs = if smoke { 1 } else { 5 };
    for spec in &seeds {
        let ms = median_ms(runs, || {
            black_box(paygen_codegen::generate_file(black_box(spec)).ok());
        });
        let name = spec
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let plain = median_ms(runs, || {
            black_box(paygen_codegen::generate_file_plain(black_box(spec)).ok());
        });
        println!(
            "generate {name}: {ms:.1} ms, unformatted (build.rs) {plain:.1} ms (goal <= 10 ms){}",
            stages(spec, runs)
        );
    }
    let count = if smoke { 8 } else { 200 };
    for (mode, generate) in [
        ("formatted", paygen_codegen::generate_file as Generate),
        (
            "unformatted (build.rs)",
            paygen_codegen::generate_file_plain,
        ),
    ] {
        let all = |n: usize| {
            for spec in seeds.iter().cycle().take(n) {
                black_box(generate(black_box(spec)).ok());
            }
        };
        let once = median_ms(runs, || all(seeds.len()));
        let many = median_ms(if smoke { 1 } else { 3 }, || all(count));
        let linearity = many / (once * count as f64 / seeds.len().max(1) as f64);
        println!(
            "generate {count} specs, {mode}: {:.2} s (goal <= 2 s), linearity {linearity:.2} (1.00 is linear)",
            many / 1000.0
        );
    }
}

type Generate = fn(&Path) -> Result<paygen_codegen::Generated, Vec<paygen_codegen::Diagnostic>>;

/// Where one spec's generation time goes: load + validate, lower + emit, format (medians).
fn stages(spec: &Path, runs: usize) -> String {
    let Ok(loaded) = paygen_codegen::check_file(spec) else {
        return String::new();
    };
    let name = "spec.yaml";
    let check = median_ms(runs, || {
        black_box(paygen_codegen::check_file(black_box(spec)).ok());
    });
    let emit = median_ms(runs, || {
        let ir = paygen_codegen::lower::lower(&loaded.spec, name);
        black_box(paygen_codegen::emit::emit_provider(&ir));
    });
    let tokens =
        paygen_codegen::emit::emit_provider(&paygen_codegen::lower::lower(&loaded.spec, name));
    let format = median_ms(runs, || {
        black_box(paygen_codegen::format::format_file(tokens.clone(), name).ok());
    });
    format!(": check {check:.1} ms, lower+emit {emit:.1} ms, format {format:.1} ms")
}

/// A spec whose `types` mapping has `keys` entries (valid YAML, structurally checked in full).
fn wide_spec(keys: usize) -> String {
    let mut text = String::from(
        "provider: wide\ntitle: Wide\nenvironments:\n  sandbox: https://sandbox.example.com\noperations: {}\ntypes:\n",
    );
    for i in 0..keys {
        text.push_str(&format!("  T{i}: {{ type: string }}\n"));
    }
    text
}

/// Sizes of the loading bench, each twice the one before.
const SIZES: [usize; 4] = [12_500, 25_000, 50_000, 100_000];

/// Rounds of the loading bench: every round times every size once (so load from other
/// processes drifting over the run hits every size alike); the median per size is reported.
const ROUNDS: usize = 7;

/// CPU milliseconds of one call (`setup` runs untimed first).
fn once<T>(setup: impl FnOnce() -> T, f: impl FnOnce(T)) -> f64 {
    let input = setup();
    let (start, cpu) = (Instant::now(), thread_cpu_ns());
    f(input);
    match (cpu, thread_cpu_ns()) {
        (Some(a), Some(b)) => (b - a) as f64 / 1e6,
        _ => start.elapsed().as_secs_f64() * 1000.0,
    }
}

/// The stages of loading, timed apart, after two floors: `json` builds the same JSON tree from its
/// JSON text with serde_json (no YAML, no positions: what building a tree of this many nodes costs
/// on this machine, memory effects included), `scan` is YAML scanning alone (saphyr events); then
/// the parse into a
/// JSON tree with its position log, the schema check, deserializing the model, the whole
/// `load_str_outcome`, and (apart: only a spec with something to report needs it) the path index
/// built from the position log by the first position asked.
const STAGES: [&str; 7] = ["json", "scan", "parse", "schema", "model", "load", "index"];

fn stage_times(file: &Path, text: &str, json: &str) -> [f64; 7] {
    use paygen_codegen::spec::{structure, yaml};
    let tree = yaml::parse(text).map(|t| t.value).unwrap_or_default();
    [
        once(
            || (),
            |_| {
                black_box(serde_json::from_str::<serde_json::Value>(black_box(json)).ok());
            },
        ),
        once(
            || (),
            |_| {
                black_box(saphyr_parser::Parser::new_from_str(black_box(text)).count());
            },
        ),
        once(
            || (),
            |_| {
                black_box(yaml::parse(black_box(text)).ok());
            },
        ),
        once(
            || (),
            |_| {
                black_box(structure::problems(black_box(&tree)));
            },
        ),
        once(
            || tree.clone(),
            |value| {
                black_box(serde_json::from_value::<paygen_codegen::Spec>(value).ok());
            },
        ),
        once(
            || (),
            |_| {
                black_box(paygen_codegen::spec::load_str_outcome(
                    file,
                    black_box(text),
                ));
            },
        ),
        once(
            || yaml::parse(text).map(|t| t.source).unwrap_or_default(),
            |source| {
                black_box(source.position(black_box("types.T0.type")));
            },
        ),
    ]
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn loading_scales_linearly() {
    let file = Path::new("wide.yaml");
    let texts: Vec<String> = SIZES.iter().map(|&k| wide_spec(k)).collect();
    let jsons: Vec<String> = texts
        .iter()
        .map(|t| {
            let tree = paygen_codegen::spec::yaml::parse(t).map(|t| t.value);
            serde_json::to_string(&tree.unwrap_or_default()).unwrap_or_default()
        })
        .collect();
    // samples[size][stage][round]
    let mut samples = vec![vec![Vec::new(); STAGES.len()]; SIZES.len()];
    for _ in 0..ROUNDS {
        for (i, (text, json)) in texts.iter().zip(&jsons).enumerate() {
            for (s, ms) in stage_times(file, text, json).into_iter().enumerate() {
                samples[i][s].push(ms);
            }
        }
    }
    let medians: Vec<Vec<f64>> = samples
        .into_iter()
        .map(|stages| stages.into_iter().map(median).collect())
        .collect();
    for (i, keys) in SIZES.iter().enumerate() {
        let line: Vec<String> = STAGES
            .iter()
            .enumerate()
            .map(|(s, name)| {
                let ms = medians[i][s];
                // a stage below the clock's resolution (a scheduler tick) has no ratio
                match i.checked_sub(1).map(|p| medians[p][s]) {
                    Some(before) if before > 0.0 => {
                        format!("{name} {ms:.1} ms (x{:.2})", ms / before)
                    }
                    _ => format!("{name} {ms:.1} ms"),
                }
            })
            .collect();
        println!("load {keys} keys: {}", line.join(", "));
    }
    let load = STAGES.len() - 2;
    let worst = (1..SIZES.len())
        .map(|i| medians[i][load] / medians[i - 1][load])
        .fold(0.0, f64::max);
    println!("loading: worst x{worst:.2} per doubling of keys (median of {ROUNDS} rounds; linear = 2.00)");
}
