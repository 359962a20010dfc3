//! Every shipped spec and every clean fixture validates against `specs/schema.json` with a
//! standard JSON Schema validator (the `jsonschema` crate), read the way an editor's YAML language
//! server or a YAML-to-JSON converter reads it: so no key may be one YAML reads as a non-string
//! (`null:`, `true:`, `404:`), and the schema must describe every form the loader accepts.

use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string("specs/schema.json").expect("read specs/schema.json");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema.json is JSON");
    jsonschema::validator_for(&schema).expect("schema.json is a valid JSON Schema")
}

/// Problems of one file: a key YAML does not read as a string, or a schema violation.
fn problems(validator: &jsonschema::Validator, path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("read spec");
    let value: serde_json::Value = match serde_yaml::from_str(&text) {
        Ok(v) => v,
        Err(e) => return vec![format!("not representable as JSON: {e}")],
    };
    validator
        .iter_errors(&value)
        .map(|e| {
            let text = e.to_string();
            let short: String = text
                .chars()
                .rev()
                .take(300)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("{}: ...{short}", e.instance_path())
        })
        .collect()
}

#[test]
fn every_spec_validates_against_the_schema_with_a_standard_validator() {
    let validator = schema_validator();
    let mut files = Vec::new();
    yaml_files(Path::new("specs"), &mut files);
    let shipped = files.len();
    yaml_files(Path::new("tests/specs/ok"), &mut files);
    assert!(shipped >= 4, "the four seed specs are found");
    assert!(files.len() > shipped, "the clean fixtures are found");
    let mut report = Vec::new();
    for file in &files {
        for problem in problems(&validator, file) {
            report.push(format!("{}: {problem}", file.display()));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn a_null_key_is_caught() {
    let validator = schema_validator();
    let dir = std::env::temp_dir().join(format!("paygen-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("null_key.yaml");
    let text = std::fs::read_to_string("specs/cabbagino.yaml")
        .expect("read")
        .replacen("nulls: { render: None }", "null: { render: None }", 1);
    std::fs::write(&file, text).expect("write");
    let found = problems(&validator, &file);
    std::fs::remove_dir_all(&dir).ok();
    assert!(!found.is_empty(), "a `null:` key must not validate");
}
