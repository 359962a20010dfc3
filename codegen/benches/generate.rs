//! Benchmark: generating the Global Solutions client as a ratio to a baseline that only parses
//! the same YAML into a generic value, measured in the same run. Run: `cargo bench -p paygen-codegen`.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut samples: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
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
        black_box(serde_yaml::from_str::<serde_yaml::Value>(black_box(&text)).ok());
    });
    println!("generate global_solutions.yaml: {generate:.1} ms, YAML parse baseline {baseline:.1} ms, ratio {:.1}x", generate / baseline);
}
