//! Loads one generated spec with N type keys (`load_wide N`, default 100000), the same shape as
//! the loading bench's. Meant to run under an instruction counter, which counts the same on a
//! loaded machine: `valgrind --tool=cachegrind --cache-sim=yes target/release/examples/load_wide N`
//! for N = 12500, 25000, 50000, 100000 shows whether loading's work is linear (instructions per
//! doubling) apart from where its memory stops fitting in the caches. Only the load counted:
//! `valgrind --tool=callgrind --toggle-collect='*load_str_outcome*' target/release/examples/load_wide N`.

fn main() {
    let keys: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mut text = String::from(
        "provider: wide\ntitle: Wide\nenvironments:\n  sandbox: https://sandbox.example.com\noperations: {}\ntypes:\n",
    );
    for i in 0..keys {
        text.push_str(&format!("  T{i}: {{ type: string }}\n"));
    }
    let outcome = paygen_codegen::spec::load_str_outcome(std::path::Path::new("wide.yaml"), &text);
    println!(
        "{keys} keys loaded: {}",
        std::hint::black_box(&outcome).loaded.is_some()
    );
}
