//! Spec discovery for the tests that run once per spec: every `specs/*.yaml` and every
//! `tests/specs/ok/**/*.yaml` of the workspace, so a spec dropped into either is tested with no
//! Rust edit.

use std::path::{Path, PathBuf};

/// One spec found in the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFile {
    /// The spec's path (under the root given to [`discover`]).
    pub path: PathBuf,
    /// A name unique among the discovered specs, for snapshots and labels: the file stem for
    /// `specs/<id>.yaml`, the path under `tests/specs/ok` without `.yaml` and with `/` written
    /// `__` for a fixture (`minimal`, `schemes__stripe`).
    pub name: String,
    /// Whether it is a shipped spec (`specs/`) rather than a test fixture.
    pub shipped: bool,
}

/// Every shipped spec and every clean fixture under `root` (the workspace directory), sorted by
/// path. Panics when a directory cannot be read or two specs would get the same name: a test
/// that silently covered fewer specs would prove nothing.
pub fn discover(root: &Path) -> Vec<SpecFile> {
    let mut found = Vec::new();
    for path in yaml_files(&root.join("specs"), false) {
        found.push(SpecFile {
            name: stem(&path),
            path,
            shipped: true,
        });
    }
    let ok = root.join("tests/specs/ok");
    for path in yaml_files(&ok, true) {
        let rel = path.strip_prefix(&ok).unwrap_or(&path).with_extension("");
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("__");
        found.push(SpecFile {
            name,
            path,
            shipped: false,
        });
    }
    let mut names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        panic!("two specs would share the test name `{}`: rename one", w[0]);
    }
    found
}

/// The shipped specs only (`specs/*.yaml`).
pub fn shipped(root: &Path) -> Vec<SpecFile> {
    discover(root).into_iter().filter(|s| s.shipped).collect()
}

/// `.yaml` (or `.yml`) files of `dir` (and of its subdirectories when `deep`), sorted.
pub fn yaml_files(dir: &Path, deep: bool) -> Vec<PathBuf> {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            if deep {
                files.extend(yaml_files(&path, true));
            }
        } else if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
