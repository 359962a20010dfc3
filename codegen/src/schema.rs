//! The JSON Schema of the spec language, generated from the serde model (`specs/schema.json`).

use crate::spec::model::Spec;

/// Pretty JSON text of the schema, ending with a newline.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Spec);
    let mut text =
        serde_json::to_string_pretty(&schema).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
