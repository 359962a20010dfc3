//! The byte scan accepts exactly what the regular expression accepts.

use super::*;

/// The patterns of the seed specs and the test specs, and shapes the scan must refuse to take
/// (where taking the most bytes is not the only way to match) or must get right at the edges.
const PATTERNS: &[&str] = &[
    r"^994\d{9}$",
    r"^\d+$",
    r"^[A-Z]{2}$",
    r"^\d{3,4}$",
    r"^\d+(\.\d+)?$",
    r"^[A-Za-z0-9]{1,32}$",
    r"^[A-Z]{3}$",
    r"^[A-Z0-9]+-[A-Z0-9]+$",
    r"^[0-9a-f-]{36}$",
    r"^[0-9A-Za-z_*|-]{6,32}$",
    r"^MD[0-9A-Z]+$",
    r"^txn_[a-z0-9]+$",
    r"^ord-\d+$",
    r"^https://.+$",
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
    r"^\d{2}/\d{2}$",
    r"^(0[1-9]|1[0-2])$",
    r"^[A-Za-z0-9_-]{1,25}$",
    r"^[\w\s-]+$",
    r"^[a-z]+a$",
    r"^a*b?a$",
    r"^a*b?c$",
    r"^x?\d*$",
    r"^$",
    r"^a{0}$",
    r"^\d{2,}$",
    r"(?i)^[a-c]{2}$",
    r"^caf\u{e9}\d$",
    r"^é{1,2}$",
    r"^\S+$",
    r"^[^0-9]{1,3}$",
    r"[A-Z]{2}",
    r"^\d{3}",
    r"\d$",
    r"^(?m)\d$",
    r"^\d{1,2000}$",
];

/// Every string of up to `len` characters over `alphabet`.
fn strings(alphabet: &[char], len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..len {
        last = last
            .iter()
            .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

fn candidates() -> Vec<String> {
    let mut all = strings(&['a', 'A', '1', '-', 'é', ' ', '\n'], 4);
    all.extend(strings(&['0', '9', 'Z', '/', '.'], 5));
    for s in [
        "994501234567",
        "9945012345678",
        "99450123456",
        "994\u{669}\u{663}\u{664}\u{663}\u{663}\u{661}\u{665}\u{660}\u{664}",
        "123",
        "1234",
        "12345",
        "07/23",
        "0723",
        "UK",
        "uk",
        "U\u{212a}",
        "ABC-123",
        "ABC--123",
        "-ABC",
        "MD12AB",
        "txn_abc123",
        "ord-5",
        "https://x.y/z",
        "2026-01-11 12:28:28",
        "2026-01-11T12:28:28",
        "café1",
        "caf\u{65}\u{301}1",
        "éé",
        "ééé",
        "0b3c5d7e-1234-5678-9abc-def012345678",
        "abc_DEF*|-g",
        "Jane Doe_1",
        "a\u{2003}b",
        "123\n",
        "\n123",
    ] {
        all.push(s.to_string());
    }
    all.push("7".repeat(2000));
    all.push("7".repeat(2001));
    all.push("A".repeat(40));
    all
}

#[test]
fn the_scan_accepts_exactly_what_the_regular_expression_accepts() {
    let values = candidates();
    for source in PATTERNS {
        let matcher = Matcher::new(source).expect("compiles");
        let regex = compile_pattern(source).expect("compiles");
        for value in &values {
            assert_eq!(
                matcher.is_match(value),
                regex.is_match(value),
                "{source} on {value:?}"
            );
        }
    }
}

#[test]
fn the_seed_specs_common_shapes_take_the_scan_and_ambiguous_ones_do_not() {
    let fast = |source: &str| matches!(Matcher::new(source), Ok(Matcher::Anchored(_)));
    for source in [
        r"^994\d{9}$",
        r"^\d{3,4}$",
        r"^[A-Z]{2}$",
        r"^\d{2}/\d{2}$",
        r"^[A-Z0-9]+-[A-Z0-9]+$",
        r"^[0-9a-f-]{36}$",
        r"^MD[0-9A-Z]+$",
        r"^caf\u{e9}\d$",
        r"^a*b?c$",
        r"^\d+$",
    ] {
        assert!(fast(source), "{source}");
    }
    for source in [
        r"^[a-z]+a$",
        r"^a*b?a$",
        r"^x?\d*x$",
        r"^\d+(\.\d+)?$",
        r"^https://.+$",
        r"^é{1,2}$",
        r"[A-Z]{2}",
        r"^(?m)\d$",
        r"^\d{1,2000}$",
        r"^(0[1-9]|1[0-2])$",
    ] {
        assert!(!fast(source), "{source}");
    }
}

#[test]
fn a_broken_pattern_keeps_the_regex_compilers_message() {
    let broken = "([unclosed";
    let Err(message) = Matcher::new(broken) else {
        panic!("does not compile");
    };
    assert_eq!(Err(message), compile_pattern(broken).map(|_| ()));
}
