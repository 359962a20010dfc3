//! Generated docs of the shipped specs: no field carries the placeholder "`x` on the wire."
//! (docs come from the providers' own text), and every money field states its Rust unit and wire
//! form (issue 10).

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

#[test]
fn no_field_doc_is_a_placeholder() {
    for spec in SPECS {
        let source = generated(spec);
        let placeholders: Vec<&str> = source
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("/// `") && l.ends_with("` on the wire."))
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
