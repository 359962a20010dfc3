//! Generated docs: no field of any spec (shipped or fixture) carries the filler "`x` on the wire."
//! (docs come from the providers' own text, or the referred type's, or are absent), and every money
//! field of the shipped specs states its Rust unit and wire form (issue 10).

use std::path::Path;

const SPECS: [&str; 4] = [
    "specs/cabbagino.yaml",
    "specs/cactusgino.yaml",
    "specs/global_solutions.yaml",
    "specs/pockyt.yaml",
];

fn generated(spec: &str) -> String {
    match paygen_codegen::generate_file(Path::new(spec)) {
        Ok(g) => g.source,
        Err(d) => panic!("{spec}:\n{}", paygen_codegen::spec::diag::render(&d)),
    }
}

/// Every spec that passes `check`: the shipped ones and the `tests/specs/ok` fixtures.
fn all_ok_specs() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path.display().to_string());
            }
        }
    }
    let mut specs: Vec<String> = SPECS.iter().map(|s| s.to_string()).collect();
    walk(Path::new("tests/specs/ok"), &mut specs);
    specs.sort();
    specs
}

/// A filler doc line: "`wire_name` on the wire." and nothing else.
fn is_filler(line: &str) -> bool {
    line.strip_prefix("/// `")
        .and_then(|rest| rest.strip_suffix("` on the wire."))
        .is_some_and(|name| !name.contains('`'))
}

#[test]
fn no_field_doc_is_a_placeholder() {
    let specs = all_ok_specs();
    assert!(specs.len() > SPECS.len(), "fixtures found: {specs:?}");
    for spec in &specs {
        let source = generated(spec);
        let placeholders: Vec<&str> = source
            .lines()
            .map(str::trim)
            .filter(|l| is_filler(l))
            .collect();
        assert!(
            placeholders.is_empty(),
            "{spec}: {} placeholder field docs, e.g. {:?}",
            placeholders.len(),
            &placeholders[..placeholders.len().min(5)]
        );
    }
}

#[test]
fn the_filler_detector_tells_filler_from_spec_text() {
    assert!(is_filler("/// `order_id` on the wire."));
    assert!(!is_filler("/// Signing salt. Never sent on the wire."));
    assert!(!is_filler("/// `a` and `b` on the wire."));
}

#[test]
fn every_money_field_doc_states_the_rust_unit_and_the_wire_form() {
    for spec in SPECS {
        let source = generated(spec);
        let lines: Vec<&str> = source.lines().map(str::trim).collect();
        for (i, line) in lines.iter().enumerate() {
            let money = line.starts_with("pub ")
                && (line.ends_with(": rt::MinorUnits,")
                    || line.ends_with(": Option<rt::MinorUnits>,"));
            if !money {
                continue;
            }
            let docs: Vec<&str> = lines[..i]
                .iter()
                .rev()
                .skip_while(|l| l.starts_with("#["))
                .take_while(|l| l.starts_with("///"))
                .copied()
                .collect();
            let text = docs.join(" ");
            assert!(
                text.contains("Rust: `MinorUnits`") && text.contains("Wire: "),
                "{spec}: `{line}` lacks its unit / wire form: {text}"
            );
            assert!(
                !text.contains("Payment amount in major units"),
                "{spec}: `{line}` contradicts its type: {text}"
            );
        }
    }
}
