//! The outcome tables in `sandbox/README.md` are generated from `specs/*.yaml`: this test fails
//! when they are stale and rewrites them, so the fix is one commit.

use std::path::Path;

const START: &str =
    "<!-- outcome tables: generated from specs/*.yaml by sandbox/tests/readme.rs -->";
const END: &str = "<!-- end of outcome tables -->";

#[test]
fn readme_outcome_tables_match_the_specs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs: Vec<_> = std::fs::read_dir(root.join("../specs"))
        .expect("specs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    let mut tables = String::new();
    for path in &specs {
        let loaded = paygen_codegen::check_file(path).expect("shipped specs are clean");
        tables.push_str(&paygen_sandbox::docs::outcome_tables(&loaded.spec));
    }
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md lacks the markers `{START}` ... `{END}`");
    };
    let fresh = format!("{}{START}\n\n{tables}{}", &readme[..start], &readme[end..]);
    if fresh != readme {
        std::fs::write(&readme_path, fresh).expect("write README.md");
        panic!("sandbox/README.md outcome tables were stale and have been rewritten: review and commit");
    }
}
