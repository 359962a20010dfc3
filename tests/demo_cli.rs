//! `paygen demo --verbose`: every flow as documented, each flow's lines once and in order, money
//! in one format, and a wire transcript (request lines, statuses) that shows no card number,
//! CVV or secret of the specs.

use std::process::Command;
use std::sync::OnceLock;

use base64::Engine as _;

const PROVIDERS: [&str; 4] = ["global_solutions", "cabbagino", "cactusgino", "pockyt"];

/// The specs' secret sandbox credentials, and the Basic header a client would build from them.
fn secret_canaries() -> Vec<String> {
    let mut out = Vec::new();
    for provider in PROVIDERS {
        let file = format!("{}/specs/{provider}.yaml", env!("CARGO_MANIFEST_DIR"));
        let loaded = paygen_codegen::check_file(std::path::Path::new(&file))
            .unwrap_or_else(|d| panic!("{}", paygen_codegen::spec::diag::render(&d)));
        let values = loaded
            .spec
            .sandbox
            .map(|s| s.credentials)
            .unwrap_or_default();
        let all: Vec<&String> = values.values().collect();
        for (name, value) in &values {
            let secret = loaded.spec.credentials.get(name).is_none_or(|c| c.secret);
            if secret {
                out.push(value.clone());
                for user in &all {
                    let basic = format!("{user}:{value}");
                    out.push(base64::engine::general_purpose::STANDARD.encode(basic));
                }
            }
        }
    }
    assert!(
        out.len() >= 5,
        "the specs name their secret test credentials: {out:?}"
    );
    out
}

/// The verbose demo's output, run once for both tests.
fn verbose_demo() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(run_verbose_demo)
}

fn run_verbose_demo() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_paygen"))
        .args(["demo", "--verbose"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("paygen runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "demo failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn verbose_demo_shows_the_wire_without_cards_cvvs_or_secrets() {
    let text = verbose_demo();
    assert!(text.contains("27/27 flows as documented"), "{text}");

    // the wire: a request line and an answer per step, for every provider
    for provider in PROVIDERS {
        assert!(
            text.contains(&format!("> POST /{provider}/")),
            "no request line of {provider}:\n{text}"
        );
    }
    assert!(text.contains("> POST /global_solutions/payments/charge/card HTTP/1.1"));
    assert!(text.contains("< HTTP 200"));

    // no canary: full card numbers, CVV values, secrets (raw or in a Basic header)
    for card in [
        "4242424242424242",
        "4111111111111111",
        "4242 4242",
        "4111 1111",
    ] {
        assert!(!text.contains(card), "card {card} shown:\n{text}");
    }
    for secret in secret_canaries() {
        assert!(!text.contains(&secret), "a secret of the specs is shown");
    }
    let cvvs_removed = text.matches(r#""cvv":"[removed]""#).count();
    assert!(
        cvvs_removed >= 4,
        "the CVV fields were sent and removed: {cvvs_removed}"
    );
    assert_eq!(
        text.matches(r#""cvv":"#).count(),
        cvvs_removed,
        "a CVV shown:\n{text}"
    );
    assert!(text.contains("authorization: ***"), "{text}");
    assert!(text.contains("424242******4242"));
}

#[test]
fn each_flow_once_in_order_with_money_in_one_format() {
    let text = verbose_demo();
    // callbacks are shown once each, after the steps that caused them
    for event in [
        "Success demo-cb-1",
        "Decline demo-cb-2",
        "Success demo-ct-1",
        "PayoutSucceeded demo-pk-1",
    ] {
        let line = format!("callback verified and acknowledged: {event}");
        assert_eq!(text.matches(&line).count(), 1, "{line}:\n{text}");
    }
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing:\n{text}"))
    };
    assert!(at("invoice demo-gs-3 -> Declined (Insufficient Funds)") < at("PaymentFailure #"));
    assert!(at("payout demo-cb-payout-1") < at("Success demo-cb-payout-1"));
    assert!(
        !text.contains("declined:"),
        "a decline is printed apart from its charge"
    );
    // one money format: decimal text with the currency's exponent, then the code
    assert!(!text.contains(" minor"), "{text}");
    for amount in [
        "40.11 EUR",
        "12.30 EUR",
        "20.00 USD",
        "10.99 USD",
        "9985.00 USD",
    ] {
        assert!(text.contains(amount), "{amount} missing:\n{text}");
    }
}
