//! The workspace's `rust-version` is honest: it equals the highest `rust-version` declared by any
//! locked dependency, computed from `cargo metadata` (so it fails when the lockfile drifts).

use std::process::Command;

/// `1.88` and `1.88.0` are the same version: three components, missing ones 0.
fn version_tuple(text: &str) -> Vec<u64> {
    let mut v: Vec<u64> = text.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    v.resize(3, 0);
    v
}

#[test]
fn rust_version_matches_the_locked_dependencies() {
    // not `--offline`: the metadata holds every locked package's manifest, other platforms'
    // included, which a build on this one never downloads (a fresh machine lacks them);
    // `--locked` has cargo fetch exactly the lockfile's versions from the registry
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .expect("members")
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    let packages = meta["packages"].as_array().expect("packages");
    let (mut highest, mut who) = (Vec::new(), String::new());
    let mut declared = None;
    for p in packages {
        let Some(rv) = p["rust_version"].as_str() else {
            continue;
        };
        let id = p["id"].as_str().unwrap_or_default();
        if members.contains(&id) {
            declared = Some(rv.to_string());
            continue;
        }
        let v = version_tuple(rv);
        if v > highest {
            highest = v;
            who = format!("{} {}", p["name"].as_str().unwrap_or("?"), p["version"]);
        }
    }
    let declared = declared.expect("the workspace declares a rust-version");
    let highest_text = highest
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".");
    assert_eq!(
        version_tuple(&declared),
        highest,
        "workspace rust-version is {declared}, but the lockfile needs {highest_text} ({who}): \
         set [workspace.package] rust-version = \"{highest_text}\""
    );
}
