//! Insta snapshots of the generated source of every shipped spec: the code users get. Review
//! every change to them as you would a colleague's code.

use std::path::Path;

fn generate(spec: &str) -> String {
    match paygen_codegen::generate_file(Path::new(spec)) {
        Ok(g) => g.source,
        Err(d) => panic!("{spec}:\n{}", paygen_codegen::spec::diag::render(&d)),
    }
}

#[test]
fn global_solutions_client() {
    insta::assert_snapshot!("global_solutions", generate("specs/global_solutions.yaml"));
}

#[test]
fn cabbagino_client() {
    insta::assert_snapshot!("cabbagino", generate("specs/cabbagino.yaml"));
}

#[test]
fn cactusgino_client() {
    insta::assert_snapshot!("cactusgino", generate("specs/cactusgino.yaml"));
}

#[test]
fn pockyt_client() {
    insta::assert_snapshot!("pockyt", generate("specs/pockyt.yaml"));
}

#[test]
fn minimal_fixture_client() {
    insta::assert_snapshot!("minimal", generate("tests/specs/ok/minimal.yaml"));
}

#[test]
fn generation_is_deterministic() {
    for spec in [
        "specs/global_solutions.yaml",
        "specs/cabbagino.yaml",
        "specs/cactusgino.yaml",
        "specs/pockyt.yaml",
    ] {
        assert_eq!(
            generate(spec),
            generate(spec),
            "{spec}: same input, same bytes"
        );
    }
}
