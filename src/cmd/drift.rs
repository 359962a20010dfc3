//! `paygen drift --spec SPEC CASSETTES...`: lists every difference between recorded traffic and
//! the spec, located in the spec; exit 1 when the spec is contradicted.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paygen_codegen::spec::diag::render;
use paygen_codegen::spec::Diagnostic;
use paygen_runtime::cassette::{self, Exchange};

/// Output form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: error[D00xx]: message` lines.
    Text,
    /// One JSON object per difference.
    Json,
}

/// Cassette files named directly, or the `*.jsonl` files of named folders, sorted.
fn cassette_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "jsonl"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    if files.is_empty() {
        return Err("no cassette given (files or folders of *.jsonl)".into());
    }
    Ok(files)
}

fn read_all(files: &[PathBuf]) -> Result<Vec<Exchange>, String> {
    let mut all = Vec::new();
    for f in files {
        all.extend(cassette::read(f)?);
    }
    Ok(all)
}

fn json_line(d: &Diagnostic) -> String {
    serde_json::json!({
        "code": d.code,
        "message": d.message,
        "file": d.file.display().to_string(),
        "line": d.line,
        "column": d.col,
        "spec_path": d.path,
        "suggestion": d.hint,
    })
    .to_string()
}

/// Runs the comparison; 0 when the traffic agrees with the spec, 1 when it contradicts it,
/// 2 when the spec or a cassette cannot be read.
pub fn run(spec: &Path, cassettes: &[PathBuf], suggest: bool, format: Format) -> ExitCode {
    let loaded = match paygen_codegen::check_file(spec) {
        Ok(l) => l,
        Err(diags) => {
            eprint!("{}", render(&diags));
            return ExitCode::from(2);
        }
    };
    let exchanges = match cassette_files(cassettes).and_then(|f| read_all(&f)) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let found = paygen_codegen::drift::drift(&loaded, &exchanges, suggest);
    match format {
        Format::Text => {
            print!("{}", render(&found));
            println!(
                "{} difference(s) between {} recorded exchange(s) and {}",
                found.len(),
                exchanges.len(),
                spec.display()
            );
        }
        Format::Json => found.iter().for_each(|d| println!("{}", json_line(d))),
    }
    if found.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
