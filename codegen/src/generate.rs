//! Generation: spec file -> checked model -> IR -> formatted source, and the `build.rs` Builder.

use std::path::{Path, PathBuf};

use crate::spec::Diagnostic;

/// Generated source of one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Provider id (module and feature name).
    pub provider: String,
    /// Output file name (`<provider>.rs`).
    pub file_name: String,
    /// Formatted source.
    pub source: String,
}

/// Checks, lowers, emits and formats one spec file.
pub fn generate_file(file: &Path) -> Result<Generated, Vec<Diagnostic>> {
    generate_loaded(&crate::check_file(file)?, true)
}

/// [`generate_file`] without formatting: the same tokens, one statement or item per line
/// ([`crate::format::plain_file`]), clippy-clean like the formatted source, for `build.rs`.
pub fn generate_file_plain(file: &Path) -> Result<Generated, Vec<Diagnostic>> {
    generate_loaded(&crate::check_file(file)?, false)
}

/// Lowers, emits and formats (or only prints, `formatted == false`) one checked spec.
fn generate_loaded(
    loaded: &crate::spec::Loaded,
    formatted: bool,
) -> Result<Generated, Vec<Diagnostic>> {
    let spec_file = loaded
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ir = crate::lower::lower(&loaded.spec, &spec_file);
    let tokens = crate::emit::emit_provider(&ir);
    let source = if formatted {
        crate::format::format_file(tokens, &spec_file).map_err(|message| {
            vec![loaded.diag(
                "E0900",
                "",
                format!("internal error, please report: {message}"),
            )]
        })?
    } else {
        crate::format::plain_file(tokens, &spec_file)
    };
    Ok(Generated {
        provider: ir.id.clone(),
        file_name: format!("{}.rs", ir.id),
        source,
    })
}

/// Generates clients from a folder of specs, for `build.rs` (in the style of prost-build).
///
/// ```no_run
/// // build.rs
/// paygen_codegen::Builder::new("../specs").compile().expect("specs are valid");
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    spec_dir: PathBuf,
    out_dir: Option<PathBuf>,
    providers: Option<Vec<String>>,
    formatted: bool,
}

/// Why a build failed: located diagnostics, or an I/O problem.
#[derive(Debug)]
pub enum BuildError {
    /// The specs have problems.
    Specs(Vec<Diagnostic>),
    /// Reading or writing failed.
    Io(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Specs(d) => write!(f, "invalid specs:\n{}", crate::spec::diag::render(d)),
            BuildError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl Builder {
    /// A builder over every `*.yaml` spec of `spec_dir`.
    pub fn new(spec_dir: impl Into<PathBuf>) -> Self {
        Builder {
            spec_dir: spec_dir.into(),
            out_dir: None,
            providers: None,
            formatted: true,
        }
    }

    /// Whether to pretty-print the generated files (default: yes). Without, generation skips
    /// its largest part (parsing the tokens back and pretty-printing them) and writes the same
    /// code one statement or item per line: it compiles and is clippy-clean alike, but is not
    /// for reading; `paygen generate` writes formatted sources for that.
    pub fn formatted(mut self, yes: bool) -> Self {
        self.formatted = yes;
        self
    }

    /// Where to write (default: `$OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Only these providers (default: all).
    pub fn providers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.providers = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Checks every spec (a problem in any is reported), generates the selected ones; prints
    /// `cargo:rerun-if-changed` for each and writes a file only when its content changed.
    /// Returns the files written or kept.
    pub fn compile(&self) -> Result<Vec<PathBuf>, BuildError> {
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| BuildError::Io("OUT_DIR is not set; call out_dir()".into()))?,
        };
        println!("cargo:rerun-if-changed={}", self.spec_dir.display());
        let mut written = Vec::new();
        let mut diags = Vec::new();
        for spec in self.spec_files()? {
            println!("cargo:rerun-if-changed={}", spec.display());
            let loaded = match crate::check_file(&spec) {
                Ok(loaded) if self.wanted(&loaded.spec.provider) => loaded,
                Ok(_) => continue,
                Err(d) => {
                    diags.extend(d);
                    continue;
                }
            };
            match generate_loaded(&loaded, self.formatted) {
                Ok(g) => written.push(write_if_changed(&out_dir.join(&g.file_name), &g.source)?),
                Err(d) => diags.extend(d),
            }
        }
        if diags.is_empty() {
            Ok(written)
        } else {
            Err(BuildError::Specs(diags))
        }
    }

    fn wanted(&self, provider: &str) -> bool {
        self.providers
            .as_ref()
            .is_none_or(|p| p.iter().any(|x| x == provider))
    }

    fn spec_files(&self) -> Result<Vec<PathBuf>, BuildError> {
        let entries = std::fs::read_dir(&self.spec_dir)
            .map_err(|e| BuildError::Io(format!("{}: {e}", self.spec_dir.display())))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        Ok(files)
    }
}

/// Writes `content` to `path` unless the file already holds exactly that.
pub fn write_if_changed(path: &Path, content: &str) -> Result<PathBuf, BuildError> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(content) {
        std::fs::write(path, content)
            .map_err(|e| BuildError::Io(format!("{}: {e}", path.display())))?;
    }
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory, removed when the test drops it.
    fn temp_dir() -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix("paygen-builder-")
            .tempdir()
            .expect("temp dir")
    }

    const SPECS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/specs/ok");

    #[test]
    fn builder_writes_only_the_selected_providers_and_only_when_changed() {
        let scratch = temp_dir();
        let out = scratch.path();
        let written = Builder::new(SPECS)
            .out_dir(out)
            .providers(["minimal"])
            .compile()
            .expect("clean fixtures");
        assert_eq!(written, vec![out.join("minimal.rs")]);
        let first = std::fs::metadata(&written[0])
            .and_then(|m| m.modified())
            .expect("mtime");
        std::thread::sleep(std::time::Duration::from_millis(20));
        Builder::new(SPECS)
            .out_dir(out)
            .providers(["minimal"])
            .compile()
            .expect("again");
        let second = std::fs::metadata(&written[0])
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(
            first, second,
            "unchanged content is not rewritten (no needless rebuilds)"
        );
        let none = Builder::new(SPECS)
            .out_dir(out)
            .providers(["no_such_provider"])
            .compile()
            .expect("ok");
        assert!(none.is_empty());
    }

    #[test]
    fn builder_reports_located_diagnostics_for_bad_specs() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/specs/err/unknown_type"
        );
        let scratch = temp_dir();
        match Builder::new(dir).out_dir(scratch.path()).compile() {
            Err(BuildError::Specs(d)) => assert!(d.iter().any(|d| d.code == "E0102" && d.line > 0)),
            other => panic!("expected diagnostics, got {other:?}"),
        }
    }

    #[test]
    fn write_if_changed_rewrites_different_content() {
        let scratch = temp_dir();
        let path = scratch.path().join("x.rs");
        write_if_changed(&path, "a").expect("write");
        write_if_changed(&path, "b").expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "b");
    }
}
