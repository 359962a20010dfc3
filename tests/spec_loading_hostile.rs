//! Hostile input to the spec loader: endless and oversized files, invalid UTF-8, alias bombs,
//! deep nesting and huge values all get a located diagnostic (never file:0:0, a panic or a hang);
//! loading does work proportional to the input (allocation counts per doubling); random
//! mutations of real specs always end in Ok or located diagnostics.

// A counting global allocator needs `unsafe impl GlobalAlloc`; it only forwards to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use paygen_codegen::spec::diag::{render_snippets, Diagnostic};
use paygen_codegen::spec::load::MAX_SPEC_BYTES;
use paygen_testkit::scratch::ScratchFile;
use proptest::prelude::*;

/// Counts this thread's allocations and allocated bytes (other test threads do not disturb it).
struct Counting;

thread_local! {
    static ALLOCS: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are touched.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| {
            let (n, bytes) = c.get();
            c.set((n + 1, bytes + layout.size() as u64));
        });
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn located(diags: &[Diagnostic]) -> bool {
    !diags.is_empty() && diags.iter().all(|d| d.line > 0 && d.col > 0)
}

fn load(text: &str) -> Vec<Diagnostic> {
    paygen_codegen::check_str_all(Path::new("hostile.yaml"), text).diags
}

fn temp_file(name: &str, bytes: &[u8]) -> ScratchFile {
    ScratchFile::new(name, bytes)
}

#[test]
fn an_endless_file_is_refused_after_the_size_cap() {
    let diags = paygen_codegen::check_file_all(Path::new("/dev/zero")).diags;
    assert_eq!(diags.len(), 1);
    assert_eq!(
        (diags[0].code, diags[0].line, diags[0].col),
        ("E0005", 1, 1)
    );
}

#[test]
fn a_file_over_10_mb_is_refused() {
    let mut big = b"provider: big\ndoc: '".to_vec();
    big.resize(MAX_SPEC_BYTES as usize + 10, b'x');
    let path = temp_file("big.yaml", &big);
    let diags = paygen_codegen::check_file_all(&path).diags;
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, "E0005");
    assert!(located(&diags));
}

#[test]
fn invalid_utf8_is_located_at_the_bad_byte() {
    let path = temp_file("latin1.yaml", b"provider: x\ntitle: caf\xe9\n");
    let diags = paygen_codegen::check_file_all(&path).diags;
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(
        (diags[0].code, diags[0].line, diags[0].col),
        ("E0001", 2, 11)
    );
}

#[test]
fn an_alias_bomb_is_refused_at_the_alias() {
    let mut text =
        String::from("provider: x\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let diags = load(&text);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, "E0005");
    assert!(diags[0].line > 2, "at an alias line: {diags:?}");
}

#[test]
fn deep_nesting_is_refused_with_a_position() {
    for text in [
        format!("provider: {}", "[".repeat(20_000)),
        format!("provider: {}", "{a: ".repeat(20_000)),
        (0..5_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect(),
    ] {
        let diags = load(&text);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, "E0005");
        assert!(located(&diags), "{diags:?}");
    }
}

#[test]
fn huge_values_are_cut_in_diagnostics() {
    let huge = "Q".repeat(2_000_000);
    let text = std::fs::read_to_string("tests/specs/ok/minimal.yaml")
        .expect("minimal spec")
        .replace(
            "phone: { type: Phone994 }",
            &format!("phone: {{ type: {huge} }}"),
        )
        .replace(
            "title: Minimal Example",
            &format!("title: Minimal\n{huge}: 1"),
        );
    let checked = paygen_codegen::check_str_all(Path::new("huge.yaml"), &text);
    assert!(located(&checked.diags), "{:?}", checked.diags.len());
    let shown = render_snippets(&checked.diags, checked.text.as_deref(), false);
    let json: String = checked
        .diags
        .iter()
        .map(|d| d.to_json().to_string())
        .collect();
    assert!(shown.len() < 20_000, "rendered {} bytes", shown.len());
    assert!(json.len() < 20_000, "json {} bytes", json.len());
}

/// A spec whose `types` mapping has `keys` entries.
fn wide_spec(keys: usize) -> String {
    let mut text = String::from(
        "provider: wide\ntitle: Wide\nenvironments:\n  sandbox: https://sandbox.example.com\noperations: {}\ntypes:\n",
    );
    for i in 0..keys {
        text.push_str(&format!("  T{i}: {{ type: string }}\n"));
    }
    text
}

/// Allocations and allocated bytes of loading (parse, schema check, deserialize) on this thread.
fn allocations_to_load(text: &str) -> (u64, u64) {
    let before = ALLOCS.with(Cell::get);
    let outcome = paygen_codegen::spec::load_str_outcome(Path::new("wide.yaml"), text);
    let after = ALLOCS.with(Cell::get);
    assert!(outcome.loaded.is_some(), "{:?}", outcome.diags.first());
    drop(outcome);
    (after.0 - before.0, after.1 - before.1)
}

#[test]
fn loading_work_grows_linearly_with_keys() {
    allocations_to_load(&wide_spec(10));
    let (small, big) = (wide_spec(20_000), wide_spec(40_000));
    let (n1, b1) = allocations_to_load(&small);
    let (n2, b2) = allocations_to_load(&big);
    let count_ratio = n2 as f64 / n1 as f64;
    let bytes_ratio = b2 as f64 / b1 as f64;
    eprintln!("20k -> 40k keys: allocations {n1} -> {n2} (x{count_ratio:.3}), bytes {b1} -> {b2} (x{bytes_ratio:.3})");
    assert!(
        count_ratio < 2.1 && bytes_ratio < 2.1,
        "20k -> 40k keys: allocations x{count_ratio:.2} ({n1} -> {n2}), bytes x{bytes_ratio:.2} ({b1} -> {b2})"
    );
}

/// Runs a check on another thread and fails if it does not finish in time (a hang).
fn check_within(text: String, limit: Duration) -> Vec<Diagnostic> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(load(&text));
    });
    match rx.recv_timeout(limit) {
        Ok(diags) => diags,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("loading hung past {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("loading panicked"),
    }
}

fn seeds() -> Vec<String> {
    [
        "specs/pockyt.yaml",
        "specs/cactusgino.yaml",
        "tests/specs/ok/minimal.yaml",
    ]
    .iter()
    .map(|p| std::fs::read_to_string(p).expect("seed spec"))
    .collect()
}

/// One edit of a seed: delete, duplicate or replace a byte range, or insert YAML punctuation.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Insert(usize, String),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let noise = prop::collection::vec(
        prop::sample::select(vec![
            "[", "]", "{", "}", ":", "- ", "&a ", "*a", "!!str ", "!x ", "\"", "'", "\n", "  ",
            "\t", "#", "|", ">", "? ", "---\n", "~", "0x", "1e999", "\u{202e}", "\u{0}", "é",
        ]),
        1..12,
    )
    .prop_map(|parts| parts.concat());
    prop_oneof![
        (any::<usize>(), 0usize..200).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), 0usize..400).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
        (any::<usize>(), noise).prop_map(|(at, s)| Mutation::Insert(at, s)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(seed: &str, edits: &[Mutation]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for edit in edits {
        let len = bytes.len().max(1);
        match edit {
            Mutation::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            Mutation::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                let copy = bytes[at.min(end)..end].to_vec();
                bytes.splice(at.min(end)..at.min(end), copy);
            }
            Mutation::Insert(at, s) => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, s.bytes());
            }
            Mutation::Truncate(at) => bytes.truncate(at % len),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_load_or_get_located_diagnostics(
        seed in 0usize..3,
        edits in prop::collection::vec(mutation(), 1..6),
    ) {
        let text = apply(&seeds()[seed], &edits);
        let diags = check_within(text, Duration::from_secs(20));
        prop_assert!(
            diags.is_empty() || diags.iter().all(|d| d.line > 0 && d.col > 0),
            "unlocated: {:?}",
            diags.iter().find(|d| d.line == 0 || d.col == 0)
        );
    }
}
