//! Loading a spec file: the only module that calls the YAML deserializer.

use std::path::{Path, PathBuf};

use super::diag::Diagnostic;
use super::locate::SourceMap;
use super::model::Spec;

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

/// Reads and deserializes one spec file; every problem comes back as a diagnostic.
pub fn load_file(file: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        vec![plain(
            file,
            "E0000",
            format!("cannot read the spec: {e}"),
            None,
        )]
    })?;
    load_str(file, &text)
}

/// Deserializes spec text that claims to come from `file`.
pub fn load_str(file: &Path, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let source = SourceMap::build(text);
    match deserialize(text) {
        Ok(spec) => Ok(Loaded {
            file: file.to_path_buf(),
            text: text.to_string(),
            source,
            spec,
        }),
        Err(e) => {
            let mut diags = duplicate_keys(file, &source);
            diags.push(from_yaml_error(file, &e));
            Err(diags)
        }
    }
}

/// Enums are written as one-key maps (`place: { body_field: signature }`), not YAML tags.
fn deserialize(text: &str) -> Result<Spec, serde_yaml::Error> {
    serde_yaml::with::singleton_map_recursive::deserialize(serde_yaml::Deserializer::from_str(text))
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

fn plain(file: &Path, code: &'static str, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic {
        file: file.to_path_buf(),
        line: 0,
        col: 0,
        code,
        message,
        path: String::new(),
        hint,
    }
}

/// Classifies a deserializer error: syntax, unknown key, or shape.
fn from_yaml_error(file: &Path, e: &serde_yaml::Error) -> Diagnostic {
    let full = e.to_string();
    let (line, col) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let message = strip_location(&full);
    let (path, message) = split_path(&message);
    let (code, hint) = classify(&message);
    Diagnostic {
        file: file.to_path_buf(),
        line,
        col,
        code,
        message,
        path,
        hint,
    }
}

fn strip_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// serde_yaml prefixes nested errors with `path.to.key: `.
fn split_path(msg: &str) -> (String, String) {
    match msg.split_once(": ") {
        Some((p, rest)) if !p.contains(' ') && !p.is_empty() => (p.to_string(), rest.to_string()),
        _ => (String::new(), msg.to_string()),
    }
}

fn classify(message: &str) -> (&'static str, Option<String>) {
    if message.starts_with("unknown field") || message.starts_with("unknown variant") {
        let hint = "check the spelling against specs/schema.json (your editor can autocomplete it)";
        ("E0002", Some(hint.into()))
    } else if message.starts_with("missing field") {
        ("E0003", Some("add the required key".into()))
    } else if message.starts_with("invalid type") || message.starts_with("data did not match") {
        (
            "E0003",
            Some("the value has the wrong shape; see specs/schema.json".into()),
        )
    } else {
        ("E0001", None)
    }
}
