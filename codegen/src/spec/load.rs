//! Loading a spec file: bounded reading, the one YAML parse (`yaml`), structural checking against
//! the schema (`structure`), then deserializing the model from the checked tree.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::diag::Diagnostic;
use super::locate::SourceMap;
use super::model::Spec;
use super::{structure, yaml};

/// Largest spec file read, in bytes; larger (or endless) input is refused before it fills memory.
pub const MAX_SPEC_BYTES: u64 = 10 * 1024 * 1024;

/// A spec as read from disk, with what is needed to locate problems in it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The spec file.
    pub file: PathBuf,
    /// The file's text.
    pub text: String,
    /// Positions of dotted paths.
    pub source: SourceMap,
    /// The deserialized model.
    pub spec: Spec,
}

impl Loaded {
    /// A diagnostic located at a dotted spec path.
    pub fn diag(&self, code: &'static str, path: &str, message: String) -> Diagnostic {
        let (line, col) = self.source.position(path);
        Diagnostic {
            file: self.file.clone(),
            line,
            col,
            code,
            message,
            path: path.to_string(),
            hint: None,
        }
    }
}

/// What loading produced: the text (when it could be read), structural problems, and the model
/// when one could be built. With only unknown keys wrong, the model is built without them, so
/// semantic validation can still report its problems in the same run.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The spec's text, for snippets (absent when it could not be read).
    pub text: Option<String>,
    /// Every problem found while loading (and validating, for `check_file_all`).
    pub diags: Vec<Diagnostic>,
    /// Warnings (`W` codes): reported by `check`, never a reason to refuse the spec.
    pub warnings: Vec<Diagnostic>,
    /// The model, unless a problem prevented building it.
    pub loaded: Option<Loaded>,
}

/// Reads and deserializes one spec file; every problem comes back as a diagnostic.
pub fn load_file(file: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    strict(load_file_outcome(file))
}

/// Deserializes spec text that claims to come from `file`.
pub fn load_str(file: &Path, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    strict(load_str_outcome(file, text))
}

fn strict(outcome: Outcome) -> Result<Loaded, Vec<Diagnostic>> {
    match outcome.loaded {
        Some(loaded) if outcome.diags.is_empty() => Ok(loaded),
        _ => Err(outcome.diags),
    }
}

/// Loads a file as far as it goes: at most [`MAX_SPEC_BYTES`] are read, UTF-8 is checked with a
/// located error, then [`load_str_outcome`].
pub fn load_file_outcome(file: &Path) -> Outcome {
    let bytes = match read_bounded(file) {
        Ok(bytes) => bytes,
        Err(diag) => return failed(None, *diag),
    };
    match String::from_utf8(bytes) {
        Ok(text) => load_str_outcome(file, &text),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let (line, col) = line_col(valid);
            let mut diag = at(
                file,
                "E0001",
                (line, col),
                "the spec is not valid UTF-8".into(),
            );
            diag.hint = Some("save the file as UTF-8".into());
            failed(Some(text), diag)
        }
    }
}

/// Loads spec text as far as it goes (see [`Outcome`]).
pub fn load_str_outcome(file: &Path, text: &str) -> Outcome {
    let owned = Some(text.to_string());
    let tree = match yaml::parse(text) {
        Ok(tree) => tree,
        Err(r) => {
            let mut diag = at(file, r.code, r.pos, r.message);
            diag.path = r.path;
            diag.hint = r.hint;
            return failed(owned, diag);
        }
    };
    let problems = structure::problems(&tree.value);
    let mut diags: Vec<Diagnostic> = Vec::new();
    diags.extend(problems.iter().map(|p| {
        let mut d = at(
            file,
            p.code,
            tree.source.position(&p.path),
            p.message.clone(),
        );
        d.path = p.path.clone();
        d.hint = p.hint.clone();
        d
    }));
    if !problems.iter().all(|p| p.droppable) {
        return unbuilt(owned, diags, file, &tree.source);
    }
    let value = structure::drop_unknown_keys(tree.value, &problems);
    // the common case, a spec that deserializes, without tracking the path of every value
    let spec = serde_json::from_value(value).or_else(|_| located_error(text, &problems));
    match spec {
        Ok(spec) => Outcome {
            text: owned,
            diags,
            warnings: Vec::new(),
            loaded: Some(Loaded {
                file: file.to_path_buf(),
                text: text.to_string(),
                source: tree.source,
                spec,
            }),
        },
        Err((path, message)) => {
            let (code, hint) = classify(&message);
            let mut d = at(file, code, tree.source.position(&path), message);
            d.path = path;
            d.hint = hint;
            diags.push(d);
            unbuilt(owned, diags, file, &tree.source)
        }
    }
}

/// No model: duplicate keys (otherwise reported by validation) join the structural problems.
fn unbuilt(
    text: Option<String>,
    diags: Vec<Diagnostic>,
    file: &Path,
    source: &SourceMap,
) -> Outcome {
    let mut all = duplicate_keys(file, source);
    all.extend(diags);
    Outcome {
        text,
        diags: all,
        warnings: Vec::new(),
        loaded: None,
    }
}

/// The deserializer's error at its dotted path: the tree is parsed again and deserialized with
/// path tracking, which only a spec that fails needs (the same text gives the same tree).
fn located_error(text: &str, problems: &[structure::Problem]) -> Result<Spec, (String, String)> {
    let tree = yaml::parse(text).map_err(|r| (r.path, r.message))?;
    deserialize(structure::drop_unknown_keys(tree.value, problems))
}

/// The model from a structurally checked tree; an error names its dotted path.
fn deserialize(value: Value) -> Result<Spec, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        (path, e.into_inner().to_string())
    })
}

/// Reads at most [`MAX_SPEC_BYTES`] (plus one to tell), whatever the file is (FIFO, device).
fn read_bounded(file: &Path) -> Result<Vec<u8>, Box<Diagnostic>> {
    let cannot =
        |e: std::io::Error| at(file, "E0000", (1, 1), format!("cannot read the spec: {e}"));
    let handle = std::fs::File::open(file).map_err(cannot)?;
    let mut bytes = Vec::new();
    handle
        .take(MAX_SPEC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SPEC_BYTES {
        let mut diag = at(
            file,
            "E0005",
            (1, 1),
            format!(
                "the spec is larger than {} MB; refused before reading it all",
                MAX_SPEC_BYTES / (1024 * 1024)
            ),
        );
        diag.hint = Some("a spec is a hand-written document of a few hundred KB at most".into());
        return Err(Box::new(diag));
    }
    Ok(bytes)
}

/// 1-based line and column (in characters) just after a valid UTF-8 prefix.
fn line_col(valid: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(valid);
    let line = text.matches('\n').count() + 1;
    let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn failed(text: Option<String>, diag: Diagnostic) -> Outcome {
    Outcome {
        text,
        diags: vec![diag],
        warnings: Vec::new(),
        loaded: None,
    }
}

/// Keys given twice in one mapping (the deserializer would silently keep the last one).
pub fn duplicate_keys(file: &Path, source: &SourceMap) -> Vec<Diagnostic> {
    let diag = |path: &String, (line, col): (usize, usize)| {
        let key = path.rsplit('.').next().unwrap_or(path);
        let operation = path.starts_with("operations.") && path.matches('.').count() == 1;
        let (code, what) = if operation {
            ("E0103", "operation")
        } else {
            ("E0004", "key")
        };
        Diagnostic {
            file: file.to_path_buf(),
            line,
            col,
            code,
            message: format!("duplicate {what} `{key}`"),
            path: path.clone(),
            hint: Some("each name may appear once in a mapping; remove or rename one".into()),
        }
    };
    source
        .duplicates
        .iter()
        .map(|(p, pos)| diag(p, *pos))
        .collect()
}

fn at(file: &Path, code: &'static str, (line, col): (usize, usize), message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_path_buf(),
        line,
        col,
        code,
        message,
        path: String::new(),
        hint: None,
    }
}

/// Classifies a deserializer error the schema did not catch: unknown key, or shape.
fn classify(message: &str) -> (&'static str, Option<String>) {
    if message.starts_with("unknown field") || message.starts_with("unknown variant") {
        let hint = "check the spelling against specs/schema.json (your editor can autocomplete it)";
        ("E0002", Some(hint.into()))
    } else if message.starts_with("missing field") {
        ("E0003", Some("add the required key".into()))
    } else {
        (
            "E0003",
            Some("the value has the wrong shape; see specs/schema.json".into()),
        )
    }
}
