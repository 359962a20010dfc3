//! Generates one spec N times (`generate_n SPEC N [plain|formatted|stages]`), for an instruction
//! counter, which counts the same on a loaded machine. One whole unformatted generation:
//! `valgrind --tool=callgrind --toggle-collect='*generate_file_plain*' target/release/examples/generate_n specs/global_solutions.yaml N plain`
//! for N = 1 and 6: the difference of "Collected" over 5 is one generation (without the first
//! call's one-time work, e.g. compiling the spec schema). Per stage, mode `stages` with one toggle
//! per stage (`--toggle-collect='*stage_check*'`, `*stage_lower*`, `*stage_emit*`,
//! `*stage_print*`, `*stage_format*`), the same difference; `callgrind_annotate` on the output
//! shows where a stage's instructions go.
//! `dump-plain` / `dump-formatted` print the generated source once (to compare outputs).

use std::hint::black_box;
use std::path::Path;

use proc_macro2::TokenStream;

#[inline(never)]
fn stage_check(spec: &Path) -> paygen_codegen::Loaded {
    match paygen_codegen::check_file(spec) {
        Ok(loaded) => loaded,
        Err(d) => {
            eprintln!("{}", paygen_codegen::spec::diag::render(&d));
            std::process::exit(1)
        }
    }
}

#[inline(never)]
fn stage_lower(loaded: &paygen_codegen::Loaded) -> paygen_codegen::ir::Provider {
    paygen_codegen::lower::lower(&loaded.spec, "spec.yaml")
}

#[inline(never)]
fn stage_emit(ir: &paygen_codegen::ir::Provider) -> TokenStream {
    paygen_codegen::emit::emit_provider(ir)
}

#[inline(never)]
fn stage_print(tokens: TokenStream) -> String {
    paygen_codegen::format::plain_file(tokens, "spec.yaml")
}

#[inline(never)]
fn stage_format(tokens: TokenStream) -> String {
    paygen_codegen::format::format_file(tokens, "spec.yaml").unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let spec = Path::new(args.get(1).map_or("specs/global_solutions.yaml", |s| s));
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    let mode = args.get(3).map_or("stages", |s| s.as_str());
    let start = std::time::Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        bytes += match mode {
            "plain" => {
                paygen_codegen::generate_file_plain(black_box(spec)).map_or(0, |g| g.source.len())
            }
            "formatted" => {
                paygen_codegen::generate_file(black_box(spec)).map_or(0, |g| g.source.len())
            }
            "dump-plain" | "dump-formatted" => {
                let generated = if mode == "dump-plain" {
                    paygen_codegen::generate_file_plain(spec)
                } else {
                    paygen_codegen::generate_file(spec)
                };
                print!("{}", generated.map(|g| g.source).unwrap_or_default());
                return;
            }
            _ => {
                let loaded = stage_check(black_box(spec));
                let ir = stage_lower(&loaded);
                let tokens = stage_emit(&ir);
                // emitted again, uncounted: a clone would share its groups with `tokens`, and
                // printing shared groups copies them, which generation never does
                let again = paygen_codegen::emit::emit_provider(&ir);
                stage_print(tokens).len() + stage_format(again).len()
            }
        };
    }
    let per = start.elapsed().as_secs_f64() * 1000.0 / n.max(1) as f64;
    println!(
        "{} x{n} ({mode}): {per:.2} ms each (wall), {bytes} bytes",
        spec.display()
    );
}
