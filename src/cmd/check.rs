//! `paygen check [PATHS]`: validates specs and prints located diagnostics.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paygen_codegen::spec::diag::render;

/// Spec files named directly, or the `*.yaml` files of named folders, sorted.
pub fn spec_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let default = [PathBuf::from("specs")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            files.extend(yaml_files_in(p)?);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    Ok(files)
}

fn yaml_files_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Runs the check; exit 0 when every spec is clean, 1 otherwise.
pub fn run(paths: &[PathBuf]) -> ExitCode {
    let files = match spec_files(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut problems = 0;
    for file in &files {
        match paygen_codegen::check_file(file) {
            Ok(_) => println!("{}: ok", file.display()),
            Err(diags) => {
                problems += diags.len();
                print!("{}", render(&diags));
            }
        }
    }
    if problems == 0 {
        println!("{} spec(s) checked, no problems", files.len());
        ExitCode::SUCCESS
    } else {
        println!("{problems} problem(s) in {} spec(s)", files.len());
        ExitCode::from(1)
    }
}
