//! Structural checking: the YAML tree against the spec language's own JSON Schema (generated from
//! the model by schemars), every problem at once, each located through the position index.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::model::Spec;

const UNKNOWN_HINT: &str =
    "check the spelling against specs/schema.json (your editor can autocomplete it)";
const SHAPE_HINT: &str = "the value has the wrong shape; see specs/schema.json";

/// One structural problem: code, dotted path, message, hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `E0002` (unknown key or variant) or `E0003` (shape, missing key).
    pub code: &'static str,
    /// Dotted spec path of the offending node (for an unknown key: the key).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// An unknown key that can be dropped to go on to semantic validation.
    pub droppable: bool,
}

/// The schema, as JSON, and its compiled validator (built once per process).
fn schema() -> &'static (Value, Option<Validator>) {
    static SCHEMA: OnceLock<(Value, Option<Validator>)> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema = serde_json::to_value(schemars::schema_for!(Spec)).unwrap_or(Value::Null);
        let validator = jsonschema::options()
            .should_validate_formats(false)
            .build(&schema)
            .ok();
        (schema, validator)
    })
}

/// Every structural problem of a document, in document order of the schema's walk.
pub fn problems(doc: &Value) -> Vec<Problem> {
    let (schema, validator) = schema();
    let Some(validator) = validator else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for error in validator.iter_errors(doc) {
        convert(&error, doc, schema, &mut out);
    }
    out
}

/// The document without the unknown keys of `problems` (what serde would have ignored). Keys
/// are grouped by parent and each parent filtered once, so thousands of unknown keys in one
/// mapping cost one pass over it (not one shifting removal each).
pub fn drop_unknown_keys(mut doc: Value, problems: &[Problem]) -> Value {
    let mut by_parent: BTreeMap<&str, HashSet<&str>> = BTreeMap::new();
    for p in problems.iter().filter(|p| p.droppable) {
        let (parent, key) = p.path.rsplit_once('.').unwrap_or(("", p.path.as_str()));
        by_parent.entry(parent).or_default().insert(key);
    }
    for (parent, keys) in by_parent {
        let node = if parent.is_empty() {
            Some(&mut doc)
        } else {
            lookup_mut(&mut doc, parent)
        };
        if let Some(Value::Object(obj)) = node {
            obj.retain(|k, _| !keys.contains(k.as_str()));
        }
    }
    doc
}

fn convert(error: &ValidationError<'_>, doc: &Value, schema: &Value, out: &mut Vec<Problem>) {
    let pointer = error.instance_path().as_str();
    let path = dotted(doc, pointer);
    let shape = |message: String| Problem {
        code: "E0003",
        path: path.clone(),
        message,
        hint: Some(SHAPE_HINT.into()),
        droppable: false,
    };
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let expected = expected_keys(schema, error.schema_path().as_str());
            for key in unexpected {
                out.push(Problem {
                    code: "E0002",
                    path: join(&path, key),
                    message: format!("unknown field `{key}`{expected}"),
                    hint: Some(UNKNOWN_HINT.into()),
                    droppable: true,
                });
            }
        }
        ValidationErrorKind::Required { property } => out.push(Problem {
            code: "E0003",
            path: path.clone(),
            message: format!("missing field `{}`", property.as_str().unwrap_or("?")),
            hint: Some("add the required key".into()),
            droppable: false,
        }),
        ValidationErrorKind::Enum { options } => out.push(Problem {
            code: "E0002",
            message: format!(
                "unknown variant {}, expected one of {}",
                describe(error.instance()),
                list(options)
            ),
            hint: Some(UNKNOWN_HINT.into()),
            droppable: false,
            path: path.clone(),
        }),
        ValidationErrorKind::Type { .. } => out.push(shape(format!(
            "invalid type: {}, expected {}",
            describe(error.instance()),
            schema
                .pointer(error.schema_path().as_str())
                .map_or_else(|| "another type".into(), list)
        ))),
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            match closest_branch(context, pointer) {
                Some(branch) => branch.iter().for_each(|e| convert(e, doc, schema, out)),
                None => out.push(shape(format!(
                    "{} matches none of the accepted shapes{}",
                    describe(error.instance()),
                    description(schema, error.schema_path().as_str())
                ))),
            }
        }
        _ => out.push(shape(error.masked_with("the value").to_string())),
    }
}

/// The alternative that got furthest into the value (its deepest error lies below the value
/// itself), whose errors are then the useful ones; `None` when every alternative fails at once.
fn closest_branch<'a>(
    context: &'a [Vec<ValidationError<'static>>],
    pointer: &str,
) -> Option<&'a [ValidationError<'static>]> {
    let depth = |e: &ValidationError<'_>| {
        let keyed = matches!(
            e.kind(),
            ValidationErrorKind::AdditionalProperties { .. } | ValidationErrorKind::Required { .. }
        );
        e.instance_path().as_str().len() * 2 + usize::from(keyed)
    };
    let own = pointer.len() * 2;
    context
        .iter()
        .filter(|branch| !branch.is_empty())
        .map(|branch| (branch.iter().map(depth).max().unwrap_or(0), branch))
        .filter(|(d, _)| *d > own)
        .max_by_key(|(d, branch)| (*d, usize::MAX - branch.len()))
        .map(|(_, branch)| branch.as_slice())
}

/// `, expected one of `a`, `b`` from the `properties` next to a failed `additionalProperties`.
fn expected_keys(schema: &Value, keyword_pointer: &str) -> String {
    let parent = keyword_pointer
        .strip_suffix("/additionalProperties")
        .unwrap_or(keyword_pointer);
    match schema.pointer(parent).and_then(|s| s.get("properties")) {
        Some(Value::Object(props)) if !props.is_empty() => {
            let keys: Vec<String> = props.keys().map(|k| format!("`{k}`")).collect();
            format!(", expected one of {}", keys.join(", "))
        }
        _ => String::new(),
    }
}

/// `: <description>` of the schema node holding a failed `anyOf`/`oneOf`, when it has one.
fn description(schema: &Value, keyword_pointer: &str) -> String {
    let parent = keyword_pointer
        .rsplit_once('/')
        .map_or(keyword_pointer, |(p, _)| p);
    schema
        .pointer(parent)
        .and_then(|s| s.get("description"))
        .and_then(Value::as_str)
        .map(|d| format!(" ({})", super::diag::cut(d, 160)))
        .unwrap_or_default()
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => format!("number `{}`", super::diag::cut(&n.to_string(), 40)),
        Value::String(s) => format!("string `{}`", super::diag::cut(s, 60)),
        Value::Array(_) => "a sequence".into(),
        Value::Object(_) => "a map".into(),
    }
}

fn list(options: &Value) -> String {
    match options {
        Value::Array(items) => items
            .iter()
            .map(|v| {
                format!(
                    "`{}`",
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::String(s) => format!("`{s}`"),
        other => other.to_string(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A JSON pointer as a dotted spec path (`/a/b/0/c` -> `a.b[0].c`), walking the document to tell
/// sequence indexes from keys that look like numbers.
pub fn dotted(doc: &Value, pointer: &str) -> String {
    let mut path = String::new();
    let mut node = Some(doc);
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        match node {
            Some(Value::Array(items)) => {
                path.push_str(&format!("[{seg}]"));
                node = seg.parse::<usize>().ok().and_then(|i| items.get(i));
            }
            _ => {
                path = join(&path, &seg);
                node = node.and_then(|n| n.get(&seg));
            }
        }
    }
    path
}

/// The node at a dotted path (keys and `[i]` indexes), mutably.
fn lookup_mut<'a>(doc: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut node = doc;
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            node = node.get_mut(key)?;
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().ok()?;
            node = node.get_mut(i)?;
        }
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_become_dotted_paths() {
        let doc = json!({"a": {"200": [1, {"b": 2}]}});
        assert_eq!(dotted(&doc, "/a/200/1/b"), "a.200[1].b");
        assert_eq!(dotted(&doc, ""), "");
    }

    #[test]
    fn unknown_keys_are_dropped_by_path() {
        let doc = json!({"a": [{"x": 1, "y": 2}], "z": 3});
        let problem = |path: &str| Problem {
            code: "E0002",
            path: path.into(),
            message: String::new(),
            hint: None,
            droppable: true,
        };
        let pruned = drop_unknown_keys(doc, &[problem("a[0].y"), problem("z")]);
        assert_eq!(pruned, json!({"a": [{"x": 1}]}));
    }

    #[test]
    fn many_unknown_keys_of_one_mapping_are_dropped_keeping_the_order_of_the_rest() {
        let mut types = serde_json::Map::new();
        for i in 0..1000 {
            types.insert(format!("k{i}"), json!(i));
        }
        let doc = json!({ "types": types });
        let unknown: Vec<Problem> = (0..1000)
            .filter(|i| i % 3 != 0)
            .map(|i| Problem {
                code: "E0002",
                path: format!("types.k{i}"),
                message: String::new(),
                hint: None,
                droppable: true,
            })
            .collect();
        let pruned = drop_unknown_keys(doc, &unknown);
        let kept: Vec<&String> = pruned["types"]
            .as_object()
            .map_or(vec![], |m| m.keys().collect());
        let expected: Vec<String> = (0..1000)
            .filter(|i| i % 3 == 0)
            .map(|i| format!("k{i}"))
            .collect();
        assert_eq!(kept, expected.iter().collect::<Vec<_>>());
    }
}
