//! `paygen assumptions [PATHS]`: every assumption each spec marks (`assumed: "reason"`), per
//! provider, so a merchant sees what is documented and what is inferred.

use std::path::PathBuf;
use std::process::ExitCode;

use paygen_codegen::spec::diag::render;
use paygen_codegen::spec::model::{EnumValue, Spec, Variant};

/// One assumption: the spec path of the item and the reason given.
pub type Assumption = (String, String);

/// Every `assumed` item of a spec, in spec order.
pub fn assumptions(spec: &Spec) -> Vec<Assumption> {
    let mut out = Vec::new();
    let mut note = |path: String, reason: &Option<String>| {
        if let Some(r) = reason {
            out.push((path, r.trim().to_string()));
        }
    };
    for (name, t) in &spec.types {
        let path = format!("types.{name}");
        note(path.clone(), &t.assumed);
        for (f, field) in t.fields.iter().flatten() {
            note(format!("{path}.fields.{f}"), &field.assumed);
        }
        for v in t.values.iter().flatten() {
            if let EnumValue::Full(d) = v {
                note(format!("{path}.values.{}", d.wire.text()), &d.assumed);
            }
        }
        for (v, variant) in t.variants.iter().flatten() {
            note(format!("{path}.variants.{v}"), &variant.assumed);
        }
    }
    for (name, op) in &spec.operations {
        let path = format!("operations.{name}");
        note(path.clone(), &op.assumed);
        for (v, variant) in op.responses.iter().flatten() {
            note(format!("{path}.responses.{v}"), &variant.assumed);
        }
    }
    if let Some(w) = &spec.webhooks {
        note("webhooks".into(), &w.assumed);
        let events: Vec<(&String, &Variant)> = w.events.iter().collect();
        for (e, variant) in events {
            note(format!("webhooks.events.{e}"), &variant.assumed);
        }
        note("webhooks.ack".into(), &w.ack.assumed);
    }
    out
}

/// Prints each provider's assumptions; exit 1 when a spec does not load or validate.
pub fn run(paths: &[PathBuf]) -> ExitCode {
    let files = match super::check::spec_files(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for file in files {
        match paygen_codegen::check_file(&file) {
            Ok(loaded) => {
                let found = assumptions(&loaded.spec);
                println!(
                    "{} ({}): {} assumption(s)",
                    loaded.spec.provider,
                    file.display(),
                    found.len()
                );
                for (path, reason) in found {
                    println!("  {path}: {reason}");
                }
            }
            Err(diags) => {
                failed = true;
                eprint!("{}", render(&diags));
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
