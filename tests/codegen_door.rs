//! One door, one door only: the runtime's generated-code door (`codegen_door.rs`) re-exports
//! exactly the runtime items the emitters name (`rt::Name` in `codegen/src/emit/**`), and
//! hand-written code never goes through it (only the runtime's root, the door itself, the
//! emitters and generated code may name it).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The door's module name, spelled in two halves so this file is not itself a hit.
const DOOR: &str = concat!("__", "codegen");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && !name.to_string_lossy().starts_with('.') {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Identifiers following `rt::` in code (comments skipped), the first path segment only.
fn names_after_rt(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("rt") {
            let before_ok = !rest[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            rest = &rest[i + 2..];
            let after = rest.trim_start();
            let Some(after) = after.strip_prefix("::") else {
                continue;
            };
            let ident: String = after
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if before_ok && !ident.is_empty() {
                names.insert(ident);
            }
        }
    }
    names
}

/// The names the door re-exports: `pub use x;`, `pub use crate::m::{a, b as c, self};`.
fn door_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    for statement in code.split(';') {
        let Some(body) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let (prefix, items) = match body.find('{') {
            Some(open) => (
                &body[..open],
                &body[open + 1..body.rfind('}').unwrap_or(body.len())],
            ),
            None => match body.rfind("::") {
                Some(i) => (&body[..i + 2], &body[i + 2..]),
                None => ("", body),
            },
        };
        let module = prefix
            .trim_end_matches("::")
            .rsplit("::")
            .next()
            .unwrap_or("");
        for item in items.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let name = match item {
                "self" => module,
                _ => item.rsplit(" as ").next().unwrap_or(item),
            };
            names.insert(name.trim().to_string());
        }
    }
    names
}

#[test]
fn the_door_holds_exactly_what_the_emitters_name() {
    let mut files = Vec::new();
    rust_files(&root().join("codegen/src/emit"), &mut files);
    assert!(!files.is_empty(), "no emitter sources found");
    let mut emitted = BTreeSet::new();
    for f in &files {
        emitted.extend(names_after_rt(
            &fs::read_to_string(f).expect("emitter source"),
        ));
    }
    let door_file = root().join("runtime/src/codegen_door.rs");
    let door = door_names(&fs::read_to_string(door_file).expect("door source"));
    let unused: Vec<_> = door.difference(&emitted).collect();
    let missing: Vec<_> = emitted.difference(&door).collect();
    assert!(
        unused.is_empty(),
        "door items no emitter names (remove them from runtime/src/codegen_door.rs): {unused:?}"
    );
    assert!(
        missing.is_empty(),
        "names the emitters use that the door lacks: {missing:?}"
    );
    for expected in ["Engine", "OperationMeta", "request_body", "serde"] {
        assert!(door.contains(expected), "{expected} missing from {door:?}");
    }
}

#[test]
fn the_emitted_snapshots_name_only_door_items() {
    let door_file = root().join("runtime/src/codegen_door.rs");
    let door = door_names(&fs::read_to_string(door_file).expect("door source"));
    let mut seen = 0;
    for entry in fs::read_dir(root().join("tests/snapshots"))
        .expect("snapshots")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.starts_with("generated_snapshots__") {
            continue;
        }
        let text = fs::read_to_string(entry.path()).expect("snapshot");
        let outside: Vec<_> = names_after_rt(&text)
            .into_iter()
            .filter(|n| !door.contains(n))
            .collect();
        assert!(
            outside.is_empty(),
            "{name} names {outside:?} outside the door"
        );
        seen += 1;
    }
    assert!(seen > 0, "no generated snapshots found");
}

#[test]
fn hand_written_code_never_goes_through_the_door() {
    let allowed = |rel: &str| {
        rel == "runtime/src/lib.rs"
            || rel == "runtime/src/codegen_door.rs"
            || rel.starts_with("codegen/src/emit/")
    };
    let mut files = Vec::new();
    rust_files(&root(), &mut files);
    let mut offenders = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(root())
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(f).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if line.contains(DOOR) && !allowed(&rel) {
                offenders.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "hand-written code uses the generated-code door; use the runtime's root or its public \
         modules:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_scanners_read_what_they_should() {
    let emitted = names_after_rt("let x = rt::request_body(a); // rt::Commented\nstart::Not");
    assert_eq!(emitted.into_iter().collect::<Vec<_>>(), ["request_body"]);
    let door =
        door_names("//! doc\npub use http;\npub use crate::json_path::{self, at as find, has};");
    assert_eq!(
        door.into_iter().collect::<Vec<_>>(),
        ["find", "has", "http", "json_path"]
    );
}
