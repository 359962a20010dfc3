//! Benchmark: generating the Global Solutions client as a ratio to a baseline that only parses
//! the same YAML into a generic value, measured in the same run; and how spec loading scales with
//! the number of keys (time per doubling, a ratio that stays near 2 when loading is linear).
//! Times are this thread's CPU time where Linux reports it (`/proc/thread-self/schedstat`), so a
//! busy machine's waiting does not count; wall time elsewhere. Also: each seed spec's
//! generation time (goal <= 10 ms each) and 200 specs (the seeds cycled; goal <= 2 s) with
//! their linearity (time for 200 / 50 x time for the 4 seeds; 1.0 is linear). Run:
//! `cargo bench -p paygen-codegen`; `PAYGEN_BENCH_SMOKE=1` runs each once on fewer specs.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// Nanoseconds this thread has run on a CPU, when the kernel tells.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut samples: Vec<f64> = (0..runs)
        .map(|_| {
            let (start, cpu) = (Instant::now(), thread_cpu_ns());
            f();
            match (cpu, thread_cpu_ns()) {
                (Some(a), Some(b)) => (b - a) as f64 / 1e6,
                _ => start.elapsed().as_secs_f64() * 1000.0,
            }
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
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
        println!("generate {name}: {ms:.1} ms (goal <= 10 ms)");
    }
    let count = if smoke { 8 } else { 200 };
    let all = |n: usize| {
        for spec in seeds.iter().cycle().take(n) {
            black_box(paygen_codegen::generate_file(black_box(spec)).ok());
        }
    };
    let once = median_ms(runs, || all(seeds.len()));
    let many = median_ms(if smoke { 1 } else { 3 }, || all(count));
    let linearity = many / (once * count as f64 / seeds.len().max(1) as f64);
    println!(
        "generate {count} specs: {:.2} s (goal <= 2 s), linearity {linearity:.2} (1.00 is linear)",
        many / 1000.0
    );
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

fn loading_scales_linearly() {
    let file = Path::new("wide.yaml");
    let mut previous: Option<f64> = None;
    for keys in [12_500, 25_000, 50_000, 100_000] {
        let text = wide_spec(keys);
        let ms = median_ms(5, || {
            black_box(paygen_codegen::spec::load_str_outcome(
                file,
                black_box(&text),
            ));
        });
        let parse = median_ms(5, || {
            black_box(paygen_codegen::spec::yaml::parse(black_box(&text)).ok());
        });
        let tree = paygen_codegen::spec::yaml::parse(&text).map(|t| t.value);
        let schema = median_ms(5, || {
            if let Ok(tree) = &tree {
                black_box(paygen_codegen::spec::structure::problems(black_box(tree)));
            }
        });
        let ratio = previous.map_or_else(String::new, |p| format!(", x{:.2} per doubling", ms / p));
        println!("load {keys} keys: {ms:.1} ms{ratio} (YAML parse {parse:.1} ms, schema check {schema:.1} ms)");
        previous = Some(ms);
    }
}
