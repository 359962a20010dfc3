//! Insta snapshots of the generated source of every spec the workspace holds (`specs/*.yaml` and
//! `tests/specs/ok/**/*.yaml`, found by listing, so a new spec gets its snapshot with no Rust
//! edit): the code users get. Review every change to them as you would a colleague's code.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use paygen_testkit::specs::{discover, SpecFile};

fn generate(spec: &Path) -> String {
    match paygen_codegen::generate_file(spec) {
        Ok(g) => g.source,
        Err(d) => panic!(
            "{}:\n{}",
            spec.display(),
            paygen_codegen::spec::diag::render(&d)
        ),
    }
}

fn specs() -> Vec<SpecFile> {
    discover(Path::new("."))
}

/// One snapshot per spec, named by [`SpecFile::name`] (`pockyt`, `minimal`, `schemes__stripe`).
/// Every spec is compared before the test fails, so one run writes every `.snap.new` to review.
#[test]
fn generated_source_of_every_spec() {
    let specs = specs();
    assert!(
        specs.iter().filter(|s| s.shipped).count() >= 4,
        "the shipped specs are found: {specs:?}"
    );
    let mut failed = Vec::new();
    for spec in &specs {
        let source = generate(&spec.path);
        let compared = catch_unwind(AssertUnwindSafe(|| {
            insta::assert_snapshot!(spec.name.as_str(), source);
        }));
        if compared.is_err() {
            failed.push(spec.path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} snapshots differ or are new (review with `cargo insta review`): {failed:?}",
        failed.len(),
        specs.len()
    );
}

#[test]
fn generation_is_deterministic() {
    for spec in specs() {
        assert_eq!(
            generate(&spec.path),
            generate(&spec.path),
            "{}: same input, same bytes",
            spec.path.display()
        );
    }
}
