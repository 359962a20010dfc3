//! A user's `build.rs` compiles no HTTP stack: `paygen-codegen` depends on the transport-free
//! core of `paygen-runtime` (no `transport` feature), read from `cargo tree` over the lockfile.

use std::process::Command;

/// Crates of an HTTP stack or async runtime (exact names, or these families by prefix).
const HTTP_STACK: &[&str] = &["reqwest", "tokio", "hyper", "rustls", "ring", "h2", "mio"];

fn is_http_stack(name: &str) -> bool {
    HTTP_STACK
        .iter()
        .any(|f| name == *f || name.starts_with(&format!("{f}-")))
}

/// `cargo tree` lines as `(depth, crate name)`, with `--prefix depth`.
fn tree(args: &[&str]) -> Vec<(usize, String)> {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--locked", "--offline", "--prefix", "depth"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            let digits = line.find(|c: char| !c.is_ascii_digit())?;
            let depth = line[..digits].parse().ok()?;
            let name = line[digits..].split_whitespace().next()?.to_string();
            Some((depth, name))
        })
        .collect()
}

fn http_crates(lines: &[(usize, String)]) -> Vec<String> {
    let mut found: Vec<String> = lines
        .iter()
        .map(|(_, n)| n.clone())
        .filter(|n| is_http_stack(n))
        .collect();
    found.sort();
    found.dedup();
    found
}

fn names(lines: &[(usize, String)]) -> Vec<&str> {
    lines.iter().map(|(_, n)| n.as_str()).collect()
}

#[test]
fn codegen_depends_on_no_http_stack() {
    let lines = tree(&["-p", "paygen-codegen", "-e", "normal"]);
    assert!(names(&lines).contains(&"paygen-runtime"), "{lines:?}");
    assert_eq!(http_crates(&lines), Vec::<String>::new());
}

#[test]
fn a_users_build_script_compiles_no_http_stack() {
    // The example merchant crate: paygen-runtime (with transport) for its client, paygen-codegen
    // in its build.rs. Its build dependencies are resolved apart from its normal ones.
    let lines = tree(&["-p", "paygen-example-shop", "-e", "normal,build"]);
    let mut build_deps = Vec::new();
    let mut inside = false;
    for (depth, name) in &lines {
        if *depth == 1 {
            inside = name == "paygen-codegen";
        }
        if inside {
            build_deps.push((*depth, name.clone()));
        }
    }
    assert!(
        names(&build_deps).contains(&"paygen-runtime"),
        "no codegen subtree found: {lines:?}"
    );
    assert_eq!(http_crates(&build_deps), Vec::<String>::new());
    // The same crate's run-time client does carry the transport (the check can see it).
    assert!(names(&lines).contains(&"reqwest"), "{lines:?}");
}

#[test]
fn the_runtime_core_has_neither_transport_nor_schemars() {
    let core = tree(&[
        "-p",
        "paygen-runtime",
        "-e",
        "normal",
        "--no-default-features",
    ]);
    assert_eq!(http_crates(&core), Vec::<String>::new());
    assert!(!names(&core).contains(&"schemars"), "{core:?}");
    let full = tree(&["-p", "paygen-runtime", "-e", "normal"]);
    for needed in ["reqwest", "tokio"] {
        assert!(names(&full).contains(&needed), "transport lacks {needed}");
    }
    assert!(!names(&full).contains(&"schemars"), "{full:?}");
}
