//! `paygen check [PATHS]`: validates specs and reports every located diagnostic, cargo-style on
//! stderr (source line and caret, colour only on a terminal) or as JSON lines on stdout.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How diagnostics are printed (`--message-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// Cargo-style on stderr: header, `--> file:line:col`, the source line with a caret, hint.
    Human,
    /// One JSON object per diagnostic on stdout (code, message, file, line, column, path, hint).
    Json,
}

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

/// Runs the check; exit 0 when every spec is clean (warnings are shown, and do not fail it), 1
/// otherwise, 2 on a usage error.
pub fn run(paths: &[PathBuf], format: MessageFormat) -> ExitCode {
    let files = match spec_files(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let color = std::io::stderr().is_terminal();
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let (mut problems, mut warnings) = (0, 0);
    for file in &files {
        let checked = paygen_codegen::check_file_all(file);
        if checked.diags.is_empty() {
            let _ = writeln!(stderr, "{}: ok", file.display());
        }
        problems += checked.diags.len();
        warnings += checked.warnings.len();
        for d in checked.diags.iter().chain(&checked.warnings) {
            let _ = match format {
                MessageFormat::Json => writeln!(stdout, "{}", d.to_json()),
                MessageFormat::Human => writeln!(
                    stderr,
                    "{}\n",
                    d.render_snippet(checked.text.as_deref(), color)
                ),
            };
        }
    }
    if warnings > 0 {
        let _ = writeln!(stderr, "{warnings} warning(s)");
    }
    if problems == 0 {
        let _ = writeln!(stderr, "{} spec(s) checked, no problems", files.len());
        ExitCode::SUCCESS
    } else {
        let _ = writeln!(stderr, "{problems} problem(s) in {} spec(s)", files.len());
        ExitCode::from(1)
    }
}
