//! Benchmark: generating the Global Solutions client as a ratio to a baseline that only parses
//! the same YAML into a generic value, measured in the same run; and how spec loading scales with
//! the number of keys (time per doubling, a ratio that stays near 2 when loading is linear).
//! Times are this thread's CPU time where Linux reports it (`/proc/thread-self/schedstat`), so a
//! busy machine's waiting does not count; wall time elsewhere. Run: `cargo bench -p paygen-codegen`.

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
    loading_scales_linearly();
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
