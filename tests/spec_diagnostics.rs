//! Spec checking: the shipped specs and `tests/specs/ok` are clean; every `tests/specs/err` case
//! reports located diagnostics (snapshotted cargo-style, with the source line and a caret) and
//! never panics.

use std::path::{Path, PathBuf};

use paygen_codegen::spec::diag::{render, render_snippets};

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn shipped_specs_are_clean() {
    let specs = yaml_files(Path::new("specs"));
    assert!(
        specs.len() >= 4,
        "expected the four provider specs, found {specs:?}"
    );
    for spec in specs {
        if let Err(diags) = paygen_codegen::check_file(&spec) {
            panic!("{} has problems:\n{}", spec.display(), render(&diags));
        }
    }
}

#[test]
fn ok_fixtures_are_clean() {
    for spec in yaml_files(Path::new("tests/specs/ok")) {
        if let Err(diags) = paygen_codegen::check_file(&spec) {
            panic!("{} has problems:\n{}", spec.display(), render(&diags));
        }
    }
}

/// The code every error category must report at least once.
fn expected_code(category: &str) -> &'static str {
    match category {
        "yaml_syntax" => "E0001",
        "unknown_key" => "E0002",
        "missing_key" => "E0003",
        "bad_regex" => "E0101",
        "unknown_type" | "several_problems" => "E0102",
        "duplicate_operation" => "E0103",
        "signed_field_missing" => "E0104",
        "vector_mismatch" => "E0105",
        "name_collision" => "E0106",
        "reserved_keyword" => "E0107",
        "unknown_credential" => "E0108",
        "unknown_reconcile_operation" => "E0109",
        "money_currency_field" => "E0110",
        "money_moving_safe" => "E0111",
        "type_shape" => "E0112",
        "list_without_items" => "E0113",
        "bad_base_url" => "E0114",
        "incoherent_recipe" => "E0115",
        "example_unknown_variant" => "E0116",
        "enum_duplicate_value" => "E0117",
        "not_snake_case" => "E0118",
        "path_without_slash" => "E0119",
        "response_and_responses" => "E0120",
        "rule_on_wrong_type" => "E0121",
        "empty_condition" => "E0122",
        "bad_clock_format" => "E0123",
        "variant_not_object" => "E0124",
        "container_in_request" => "E0125",
        "constant_not_scalar" => "E0126",
        "public_key_signs"
        | "tolerance_without_timestamp"
        | "generated_value_unused"
        | "key_not_asymmetric" => "E0115",
        "template_unknown_variable" | "secret_outside_message" | "value_without_signature" => {
            "E0140"
        }
        "template_unknown_field" | "unknown_path_param" | "unknown_dedup_field" => "E0141",
        "structural_and_semantic" => "E0002",
        "reconcile_lookup_unsafe" => "E0170",
        "reconcile_optional_key" => "E0171",
        "await_unknown_event" => "E0172",
        "plain_http_base_url" => "E0173",
        "reserved_generated_name" | "reserved_generated_item" => "E0107",
        "oauth2_public_secret" => "E0160",
        "answers_without_json" => "E0161",
        "timeout_out_of_range" => "E0162",
        "bad_request_id_header" => "E0163",
        "sandbox_unknown_state" => "E0150",
        "requirement_bad_path" => "E0130",
        "page_bad_path" => "E0132",
        other => panic!("error category `{other}` has no expected code: add it here"),
    }
}

#[test]
fn err_fixtures_report_located_diagnostics() {
    let mut categories: Vec<PathBuf> = std::fs::read_dir("tests/specs/err")
        .expect("tests/specs/err exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    categories.sort();
    assert!(
        categories.len() >= 15,
        "at least 15 error kinds, found {}",
        categories.len()
    );
    for dir in categories {
        let category = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        for spec in yaml_files(&dir) {
            let checked = paygen_codegen::check_file_all(&spec);
            let diags = checked.diags;
            assert!(!diags.is_empty(), "{} should have problems", spec.display());
            let code = expected_code(&category);
            assert!(
                diags.iter().any(|d| d.code == code),
                "{category}: expected {code}, got:\n{}",
                render(&diags)
            );
            assert!(
                diags.iter().all(|d| d.line > 0 && d.col > 0),
                "{category}: every diagnostic is located:\n{}",
                render(&diags)
            );
            let shown = render_snippets(&diags, checked.text.as_deref(), false);
            insta::assert_snapshot!(format!("diag_{category}"), shown);
        }
    }
}

/// `tests/specs/warn/<case>/spec.yaml`: usable specs (no error) that `check` warns about, each
/// warning a `W` code, located, snapshotted like the errors.
#[test]
fn warn_fixtures_report_located_warnings_and_no_error() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir("tests/specs/warn")
        .expect("tests/specs/warn exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for dir in cases {
        let case = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        for spec in yaml_files(&dir) {
            let checked = paygen_codegen::check_file_all(&spec);
            assert!(
                checked.diags.is_empty(),
                "{case}: no error:\n{}",
                render(&checked.diags)
            );
            let w = &checked.warnings;
            assert!(!w.is_empty(), "{} should have warnings", spec.display());
            assert!(
                w.iter().all(|d| d.is_warning() && d.line > 0 && d.col > 0),
                "{case}: located warnings:\n{}",
                render(w)
            );
            let shown = render_snippets(w, checked.text.as_deref(), false);
            insta::assert_snapshot!(format!("warn_{case}"), shown);
        }
    }
}

#[test]
fn shipped_specs_and_ok_fixtures_have_no_warnings() {
    for dir in ["specs", "tests/specs/ok", "tests/specs/ok/schemes"] {
        for spec in yaml_files(Path::new(dir)) {
            let w = paygen_codegen::check_file_all(&spec).warnings;
            assert!(w.is_empty(), "{}:\n{}", spec.display(), render(&w));
        }
    }
}

#[test]
fn several_problems_are_reported_in_one_run() {
    let diags = paygen_codegen::check_file(Path::new("tests/specs/err/several_problems/spec.yaml"))
        .expect_err("invalid");
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0101", "E0102", "E0119"]);
}

#[test]
fn structural_and_semantic_problems_are_reported_together_with_snippets() {
    let spec = Path::new("tests/specs/err/structural_and_semantic/spec.yaml");
    let checked = paygen_codegen::check_file_all(spec);
    let found: Vec<(&str, &str)> = checked
        .diags
        .iter()
        .map(|d| (d.code, d.path.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("E0002", "signing.request.digets"),
            ("E0002", "types.StatusRequest.fields.order_id.requird"),
            ("E0002", "operations.pay.retries"),
            ("E0102", "types.PayRequest.fields.phone.type"),
            ("E0119", "operations.status.path"),
        ]
    );
    let shown = render_snippets(&checked.diags, checked.text.as_deref(), false);
    for line in [
        "    digets: sha1",
        "      order_id: { type: string, requird: true }",
        "    retries: 3",
        "      phone: { type: Phone99 }",
        "    path: status/",
    ] {
        assert!(shown.contains(line), "snippet `{line}` in:\n{shown}");
    }
    assert!(
        shown.matches('^').count() >= 5,
        "a caret under each problem:\n{shown}"
    );
}

#[test]
fn garbage_input_gives_diagnostics_not_panics() {
    let inputs = [
        "",
        "[]",
        "- a\n- b",
        "provider: [",
        "\t\tprovider: x",
        "operations: 5",
        ":\n:\n",
        "a: &x [*x]",
        "{{{{",
    ];
    for text in inputs {
        let result = paygen_codegen::spec::load_str(Path::new("garbage.yaml"), text);
        assert!(result.is_err(), "`{text}` must not load as a spec");
    }
}
