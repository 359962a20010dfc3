//! House rules checked on every Rust file of the repository: each module opens with a `//!`
//! line saying what it owns, no file is over 800 lines, and every `allow` of a lint says why
//! (a `//` comment on its line or the line above).

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;
const ROOTS: [&str; 10] = [
    "src",
    "codegen",
    "runtime",
    "generated",
    "sandbox",
    "testkit",
    "fixtures",
    "record",
    "examples",
    "tests",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let skipped =
            name == "target" || name == "snapshots" || name.to_string_lossy().starts_with('.');
        if path.is_dir() && !skipped && !path.is_symlink() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

fn all_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for r in ROOTS {
        rust_files(&root.join(r), &mut files);
    }
    files.sort();
    assert!(
        files.len() > 50,
        "the walk found the sources ({} files)",
        files.len()
    );
    files
}

fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A file written by a tool (the hostile corpus's generated sources) is not a module of ours.
fn generated(text: &str) -> bool {
    text.lines().take(3).any(|l| l.contains("@generated"))
}

#[test]
fn every_module_opens_with_a_doc_line() {
    let mut missing = Vec::new();
    for f in all_files() {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        if !first.starts_with("//!") && !generated(&text) {
            missing.push(relative(&f));
        }
    }
    assert!(
        missing.is_empty(),
        "modules without an opening `//!` line: {missing:#?}"
    );
}

#[test]
fn no_file_is_over_800_lines() {
    let mut long = Vec::new();
    for f in all_files() {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let n = text.lines().count();
        if n > MAX_LINES && !generated(&text) {
            long.push(format!("{} ({n} lines)", relative(&f)));
        }
    }
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:#?}");
}

#[test]
fn every_allow_says_why() {
    let mut silent = Vec::new();
    for f in all_files() {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            if !(t.starts_with("#[allow(") || t.starts_with("#![allow(")) {
                continue;
            }
            let same_line = line.contains("//");
            let above = i > 0 && lines[i - 1].trim_start().starts_with("//");
            if !same_line && !above {
                silent.push(format!("{}:{}", relative(&f), i + 1));
            }
        }
    }
    assert!(
        silent.is_empty(),
        "`allow` without a reason comment: {silent:#?}"
    );
}
