//! The canary leak test: a provider (a scripted server on 127.0.0.1) echoes the request's card
//! number, CVV, cardholder name and the merchant's secret back in every form a careless
//! provider might (raw, JSON-escaped, percent-encoded, grouped with dots or spaces, glued to
//! other digits, next to terminal control sequences), under every error kind; and every Debug
//! output of the objects a user holds is printed. None of it may show a canary.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use paygen_connectors::global_solutions::{
    self as gs, ChargeCardRequest, Client, Credentials, StatusRequest,
};
use paygen_runtime::{Cvv, EngineConfig, Error, OutcomeClass, Pii, Secret};
use support::{config, Reply, Server};

const PAN: &str = "4000056655665556";
const CVV: &str = "917";
const NAME: &str = "Zelda Canarysdottir";
const SECRET: &str = "Cn4ry/S3cret+Xq9";
const PUBLIC_ID: &str = "pbid_canary_public";

fn credentials() -> Credentials {
    Credentials {
        public_id: PUBLIC_ID.into(),
        api_secret: Secret::new(SECRET),
    }
}

fn client(server: &Server, cfg: EngineConfig) -> Client {
    Client::with_base_url(&server.url(), credentials(), cfg).expect("client")
}

fn charge() -> ChargeCardRequest {
    ChargeCardRequest {
        name: Pii::new(NAME),
        invoice_id: "canary-1".into(),
        description: "canary".into(),
        account_id: "canary@example.com".into(),
        ..support::global_solutions::charge(PAN, CVV, "EUR", 1000)
    }
}

/// Every way the canaries are echoed: raw, JSON-escaped (`\/`, `\"`), percent-encoded, grouped,
/// glued, next to control characters.
fn echo() -> String {
    let json_secret = SECRET.replace('/', "\\/");
    let pct_secret = SECRET.replace('/', "%2F").replace('+', "%2B");
    format!(
        "raw {PAN} {CVV} {NAME} {SECRET} | json {json_secret} \\\"{NAME}\\\" | \
         pct pan%3D{PAN}%26cvv%3D{CVV}%26name%3DZelda%20Canarysdottir%26k%3D{pct_secret} | \
         dots 4000.0566.5566.5556 spaces 4000 0566 5566 5556 dashes 4000-0566-5566-5556 | \
         glued {PAN}1230 ref99{PAN} | harmless {{\\\"note\\\":\\\"{PAN}\\\",\\\"memo\\\":\\\"{CVV}\\\"}} | \
         esc \u{1b}[2J\u{202e}"
    )
}

fn json_echo(prefix: &str) -> String {
    let text = serde_json::to_string(&echo()).expect("json");
    format!("{{\"success\":false,\"message\":{text}{prefix}")
}

/// What a provider might echo in the answer to *another* call (a status query): card numbers
/// in every form, the merchant's secret, control characters. (That call's runtime cannot know
/// the CVV or the name of an earlier request: only pattern masking applies.)
fn echo_elsewhere() -> String {
    let json_secret = SECRET.replace('/', "\\/");
    format!(
        "raw {PAN} {SECRET} | json {json_secret} | dots 4000.0566.5566.5556 \
         spaces 4000 0566 5566 5556 glued {PAN}1230 ref9912{PAN} | esc \u{1b}[2J\u{202e}"
    )
}

/// The canaries that must not appear in `text`, in any form.
fn leaks(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.contains(&PAN[6..12]) {
        found.push(format!(
            "card digits {} (digits seen: {digits})",
            &PAN[6..12]
        ));
    }
    for needle in [
        CVV,
        "Zelda",
        "Canarysdottir",
        "S3cret",
        "Xq9",
        "\u{1b}",
        "\u{202e}",
    ] {
        if text.contains(needle) {
            found.push(format!("{needle:?}"));
        }
    }
    found
}

fn assert_clean(what: &str, text: &str) {
    let l = leaks(text);
    assert!(l.is_empty(), "{what} leaks {l:?}:\n{text}");
}

/// One charge against a server answering `reply`: the error, checked in Display and Debug.
async fn charge_error(reply: Reply, cfg: EngineConfig) -> Error {
    let server = Server::start(vec![reply, Reply::Hang]).await;
    let e = client(&server, cfg)
        .charge_card(&charge())
        .await
        .expect_err("an error");
    assert_clean(
        &format!("charge error {:?}", e.class()),
        &format!("{e} {e:?}"),
    );
    e
}

#[tokio::test]
async fn no_error_kind_shows_a_canary() {
    let mut classes = BTreeSet::new();
    let mut record = |e: &Error| {
        classes.insert(format!("{:?}", e.class()));
    };
    // declined: the provider's error envelope echoes everything
    record(&charge_error(Reply::json(400, &json_echo("}")), config()).await);
    // a truncated answer to a money-moving call: unknown outcome, with an excerpt
    record(&charge_error(Reply::json(200, &json_echo("")), config()).await);
    // a 5xx to a money-moving call: unknown outcome
    record(&charge_error(Reply::typed(502, "text/plain", &echo()), config()).await);
    // an unexpected status with an HTML page
    record(&charge_error(Reply::typed(418, "text/html", &echo()), config()).await);
    // a timeout
    let short = EngineConfig {
        timeout: Duration::from_millis(200),
        ..config()
    };
    record(&charge_error(Reply::Hang, short).await);
    // safe operations: HTTP error, server error, undecodable answer
    for reply in [
        Reply::typed(404, "text/plain", &echo_elsewhere()),
        Reply::typed(503, "text/plain", &echo_elsewhere()),
        Reply::json(
            200,
            &format!(
                "[{}]",
                serde_json::to_string(&echo_elsewhere()).expect("json")
            ),
        ),
    ] {
        let server = Server::start(vec![reply]).await;
        let e = client(&server, config())
            .status(&StatusRequest { transaction_id: 7 })
            .await
            .expect_err("an error");
        assert_clean("status error", &format!("{e} {e:?}"));
        record(&e);
    }
    // nothing sent: invalid request (the CVV breaks its pattern), connection refused
    let mut bad = charge();
    bad.card.cvv = Cvv::new(format!("{CVV}x"));
    let server = Server::start(vec![]).await;
    let e = client(&server, config())
        .charge_card(&bad)
        .await
        .expect_err("invalid");
    assert_clean("invalid request", &format!("{e} {e:?}"));
    record(&e);
    let closed =
        Client::with_base_url("http://127.0.0.1:9", credentials(), config()).expect("client");
    let e = closed.charge_card(&charge()).await.expect_err("refused");
    assert_clean("not connected", &format!("{e} {e:?}"));
    record(&e);
    // a notification with a bad signature that echoes everything
    let body = format!(
        "{{\"transactionId\":1,\"cardFirstSix\":\"{}\",\"name\":\"{NAME}\",\"memo\":{}}}",
        &PAN[..6],
        serde_json::to_string(&echo_elsewhere()).expect("json")
    );
    let e = gs::verify_webhook(&credentials(), &Default::default(), body.as_bytes())
        .expect_err("unsigned");
    assert_clean("webhook", &format!("{e} {e:?}"));
    record(&e);
    // configuration: a blank secret, a plain-http base URL
    let blank = Credentials {
        public_id: PUBLIC_ID.into(),
        api_secret: Secret::new(" "),
    };
    let e = Client::with_base_url("http://127.0.0.1:9", blank, config()).expect_err("blank");
    assert_clean("config", &format!("{e} {e:?}"));
    let e = Client::with_base_url("http://pay.example.com", credentials(), config())
        .expect_err("plain http");
    assert_clean("config", &format!("{e} {e:?}"));
    for want in [
        OutcomeClass::NotSent,
        OutcomeClass::Declined,
        OutcomeClass::Refused,
        OutcomeClass::ServerError,
        OutcomeClass::Undecodable,
        OutcomeClass::BadSignature,
        OutcomeClass::Unknown,
    ] {
        assert!(
            classes.contains(&format!("{want:?}")),
            "error class {want:?} not exercised: {classes:?}"
        );
    }
}

#[tokio::test]
async fn no_debug_output_shows_a_canary() {
    let server = Server::start(vec![Reply::typed(502, "text/plain", &echo())]).await;
    let c = client(&server, config());
    let request = charge();
    let err = c.charge_card(&request).await.expect_err("unknown");
    let resolution = c.resolve(&err).await;
    let creds = credentials();
    let runtime_creds = creds.to_runtime();
    let prepared = c.engine().prepare(
        &gs::operations::CHARGE_CARD,
        Some(paygen_runtime::request_body(&request, c.engine(), gs::EXPONENTS).expect("body")),
    );
    for (what, text) in [
        ("credentials", format!("{creds:?}")),
        ("runtime credentials", format!("{runtime_creds:?}")),
        ("client", format!("{c:?}")),
        ("engine", format!("{:?}", c.engine())),
        ("request", format!("{request:?}")),
        ("card", format!("{:?} {}", request.card, request.card.pan)),
        ("error", format!("{err:?} {err}")),
        ("reconcile", format!("{:?}", err.reconcile())),
        ("resolution", format!("{resolution:?}")),
        ("prepared request", format!("{prepared:?}")),
        (
            "recorded request",
            format!("{:?}", server.seen().first().map(|r| r.body_text().len())),
        ),
    ] {
        assert_clean(what, &text);
    }
    // the provider did receive the real values: the canaries are in the request, not lost
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "the charge, then resolve's one lookup");
    assert!(seen[0].body_text().contains(PAN) && seen[0].body_text().contains(CVV));
    assert!(
        seen[1].path.ends_with("/status/invoice"),
        "{}",
        seen[1].path
    );
}
