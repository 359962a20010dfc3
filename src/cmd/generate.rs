//! `paygen generate --out DIR [PATHS]`: writes generated client sources.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paygen_codegen::generate::write_if_changed;
use paygen_codegen::spec::diag::render;

/// Generates every spec; exit 1 when any spec has problems (nothing is written for it).
pub fn run(out: &Path, paths: &[PathBuf]) -> ExitCode {
    let files = match super::check::spec_files(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("error: {}: {e}", out.display());
        return ExitCode::from(2);
    }
    let mut failed = false;
    for file in &files {
        match paygen_codegen::generate_file(file) {
            Ok(g) => match write_if_changed(&out.join(&g.file_name), &g.source) {
                Ok(path) => println!("{} -> {}", file.display(), path.display()),
                Err(e) => {
                    eprintln!("error: {e}");
                    failed = true;
                }
            },
            Err(diags) => {
                print!("{}", render(&diags));
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
