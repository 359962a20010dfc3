//! Spec checking: the shipped specs and `tests/specs/ok` are clean; every `tests/specs/err` case
//! reports located diagnostics (snapshotted cargo-style, with the source line and a caret) and
//! never panics.

use std::path::{Path, PathBuf};

use paygen_codegen::diagnostic_codes::{lookup, Fixture, CODES};
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

/// The fixture cases under `root`: every directory, sorted, with its name (a new fixture is a
/// directory holding a spec and its accepted snapshot; no Rust edit).
fn fixture_cases(root: &str) -> Vec<(PathBuf, String)> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{root}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let name = dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            (dir, name)
        })
        .collect()
}

/// The error kinds: every directory of `tests/specs/err` (each also holds its `expected_code`).
fn err_fixture_dirs() -> Vec<PathBuf> {
    fixture_cases("tests/specs/err")
        .into_iter()
        .map(|(dir, _)| dir)
        .collect()
}

/// The code an error fixture must report at least once: its `expected_code` file.
fn expected_code(dir: &Path) -> String {
    let file = dir.join("expected_code");
    std::fs::read_to_string(&file)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (write the code the fixture must report)",
                file.display()
            )
        })
        .trim()
        .to_string()
}

#[test]
fn err_fixtures_report_located_diagnostics() {
    let categories = fixture_cases("tests/specs/err");
    assert!(
        categories.len() >= 15,
        "at least 15 error kinds, found {}",
        categories.len()
    );
    for (dir, category) in categories {
        for spec in yaml_files(&dir) {
            let checked = paygen_codegen::check_file_all(&spec);
            let diags = checked.diags;
            assert!(!diags.is_empty(), "{} should have problems", spec.display());
            let code = expected_code(&dir);
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
    let cases = fixture_cases("tests/specs/warn");
    assert!(!cases.is_empty());
    for (dir, case) in cases {
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

/// Every code of the diagnostic table with a fixture is reported by that fixture; every fixture
/// expects a code of the table.
#[test]
fn every_diagnostic_code_has_its_fixture() {
    for row in CODES {
        let dir = match row.fixture {
            Fixture::Dir(dir) => Path::new("tests/specs/err").join(dir),
            Fixture::Warn(dir) => Path::new("tests/specs/warn").join(dir),
            Fixture::None(_) => continue,
        };
        let specs = yaml_files(&dir);
        assert!(
            !specs.is_empty(),
            "{}: no fixture in {}",
            row.code,
            dir.display()
        );
        for spec in specs {
            let checked = paygen_codegen::check_file_all(&spec);
            let diags: Vec<_> = checked.diags.into_iter().chain(checked.warnings).collect();
            assert!(
                diags.iter().any(|d| d.code == row.code),
                "{} ({}): {} does not report it:\n{}",
                row.code,
                row.meaning,
                spec.display(),
                render(&diags)
            );
        }
    }
    for dir in err_fixture_dirs() {
        let code = expected_code(&dir);
        assert!(
            lookup(&code).is_some(),
            "{}: `{code}` is not in codegen/src/diagnostic_codes.rs",
            dir.display()
        );
    }
}

/// Every code string written in the sources that report diagnostics is in the table, and every
/// code of the table is written somewhere (no stale rows).
#[test]
fn every_code_in_the_sources_is_in_the_table() {
    let mut found = std::collections::BTreeSet::new();
    for dir in [
        "codegen/src",
        "runtime/src",
        "src",
        "sandbox/src",
        "record/src",
    ] {
        for file in rust_files(Path::new(dir)) {
            if file.ends_with("diagnostic_codes.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("source");
            for c in quoted_codes(&text) {
                found.insert((c.to_string(), file.display().to_string()));
            }
        }
    }
    assert!(found.len() > 50, "the scan finds the codes: {found:?}");
    for (c, file) in &found {
        assert!(
            lookup(c).is_some(),
            "{c} (written in {file}) is not in codegen/src/diagnostic_codes.rs"
        );
    }
    for row in CODES {
        assert!(
            found.iter().any(|(c, _)| c == row.code),
            "{} is in the table but no source reports it",
            row.code
        );
    }
}

/// Every `"E0123"` / `"W0123"` / `"D0123"` string literal in a source text.
fn quoted_codes(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('"').filter_map(move |(i, _)| {
        let code = text.get(i + 1..i + 6)?;
        let closed = text.get(i + 6..i + 7) == Some("\"");
        let shaped =
            code.starts_with(['E', 'W', 'D']) && code[1..].bytes().all(|b| b.is_ascii_digit());
        (closed && shaped).then_some(code)
    })
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn an_unreadable_spec_is_e0000() {
    let diags = paygen_codegen::check_file(Path::new("tests/specs/err/no_such_file.yaml"))
        .expect_err("missing");
    assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["E0000"]);
}
