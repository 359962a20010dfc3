//! `paygen request` as a user runs it: the printed request is byte for byte the one the generated
//! client prepares for the same typed request; credentials are masked unless `--reveal`; an
//! invalid body names every bad field and prints no request; credentials come from the command
//! line, or from the spec's test values in the sandbox environment only.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use paygen_runtime::engine::{Engine, OperationMeta, PreparedRequest, ProviderMeta};
use paygen_runtime::{encode, ToWire, WireContext};
use paygen_runtime::{Credentials, EngineConfig, FixedClock, MinorUnits};
use paygen_testkit::scratch::ScratchFile;

const NOW: i64 = 1_700_000_000;

fn paygen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paygen"))
        .args(args)
        .output()
        .expect("run paygen")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn temp_file(name: &str, content: &str) -> ScratchFile {
    ScratchFile::new(name, content)
}

/// The request the generated client prepares for a typed request, printed as `paygen request
/// --reveal` prints one.
fn client_request<T: ToWire>(
    meta: ProviderMeta,
    base_urls: &[(&str, &str)],
    op: &OperationMeta,
    request: &T,
    creds: Credentials,
    exponents: &[(&str, u8)],
) -> String {
    let clock = FixedClock(NOW);
    let ctx = WireContext {
        credentials: &creds,
        clock: &clock,
        exponents,
    };
    let body = encode(request, &ctx).expect("valid typed request");
    let urls = base_urls
        .iter()
        .map(|(h, u)| (h.to_string(), u.to_string()))
        .collect();
    let engine =
        Engine::new(meta, urls, creds, EngineConfig::default(), Arc::new(clock)).expect("engine");
    render(&engine.prepare(op, Some(body)).expect("prepared"))
}

fn render(r: &PreparedRequest) -> String {
    let mut out = format!("{} {} HTTP/1.1\n", r.method, r.url);
    for (k, v) in &r.headers {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out.push('\n');
    out.push_str(&text(&r.body));
    if !r.body.is_empty() {
        out.push('\n');
    }
    out
}

const CHARGE: &str = r#"{"amount":4011,"currency":"EUR","name":"JOHN DOE","description":"Order 42","accountId":"payer@example.com","invoiceId":"INV-42","ip":"203.0.113.7","card":{"pan":"4242424242424242","cvv":"123","expiryMonth":12,"expiryYear":2030}}"#;

#[test]
fn the_printed_request_is_the_generated_clients_request_byte_for_byte() {
    use paygen_connectors::global_solutions::{self as gs, Card, ChargeCardRequest};
    let typed = ChargeCardRequest {
        amount: MinorUnits(4011),
        currency: "EUR".into(),
        name: "JOHN DOE".into(),
        description: "Order 42".into(),
        account_id: "payer@example.com".into(),
        invoice_id: "INV-42".into(),
        ip: "203.0.113.7".into(),
        card: Card {
            pan: "4242424242424242".into(),
            cvv: "123".into(),
            expiry_month: 12,
            expiry_year: 2030,
        },
        ..Default::default()
    };
    let creds = Credentials::new()
        .with("public_id", "pbid_2kajhh9oqhmpwjqgd529rg")
        .with("api_secret", "1234ABCD");
    let expected = client_request(
        gs::provider_meta(),
        &[("default", "https://api.global-solutions.io")],
        &gs::operations::CHARGE_CARD,
        &typed,
        creds,
        gs::EXPONENTS,
    );
    let now = NOW.to_string();
    let out = paygen(&[
        "request",
        "specs/global_solutions.yaml",
        "charge_card",
        "--body-text",
        CHARGE,
        "--reveal",
        "--now",
        &now,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), expected);
    assert!(expected
        .starts_with("POST https://api.global-solutions.io/payments/charge/card HTTP/1.1\n"));
    assert!(expected.contains(r#""amount":40.11"#));
}

#[test]
fn a_signed_body_matches_the_client_and_only_secrets_are_masked() {
    use paygen_connectors::cabbagino::{self as cb, Customer, DepositRequest};
    let typed = DepositRequest {
        payment_system: "TEST_PS".into(),
        external_id: "1234512123124".into(),
        customer: Customer {
            customer_id: "test".into(),
            country: "LV".into(),
            first_name: "Test".into(),
            last_name: "Test".into(),
            ..Default::default()
        },
        payment_data: None,
        amount: MinorUnits(2000),
        currency: "USD".into(),
    };
    let creds = Credentials::new()
        .with("merchant_key", "test_merchant_key")
        .with("salt", "test_salt");
    let expected = client_request(
        cb::provider_meta(),
        &[
            ("default", "https://api.mvpgateways.com"),
            ("banks", "https://x.cabbagino.com"),
        ],
        &cb::operations::DEPOSIT,
        &typed,
        creds,
        cb::EXPONENTS,
    );
    let body = temp_file(
        "deposit.json",
        r#"{"payment_system":"TEST_PS","external_id":"1234512123124","customer":{"customer_id":"test","country":"LV","first_name":"Test","last_name":"Test"},"amount":2000,"currency":"USD","signature":"stale"}"#,
    );
    let body = body.to_str().unwrap_or_default();
    let revealed = paygen(&[
        "request",
        "specs/cabbagino.yaml",
        "deposit",
        "--body",
        body,
        "--reveal",
    ]);
    assert!(revealed.status.success(), "{}", text(&revealed.stderr));
    assert_eq!(text(&revealed.stdout), expected);
    assert!(text(&revealed.stderr).contains("`signature` is the signature the client computes"));

    let masked =
        text(&paygen(&["request", "specs/cabbagino.yaml", "deposit", "--body", body]).stdout);
    assert!(masked.contains("MERCHANT_KEY: ***\n"), "{masked}");
    assert!(!masked.contains("test_merchant_key") && !masked.contains("test_salt"));
    let signature = expected
        .rsplit("\"signature\":\"")
        .next()
        .and_then(|s| s.split('"').next())
        .unwrap_or_default();
    assert_eq!(signature.len(), 40, "{expected}");
    assert!(
        masked.contains(signature),
        "the signature is shown: {masked}"
    );
}

#[test]
fn an_invalid_body_names_every_bad_field_and_prints_no_request() {
    let out = paygen(&[
        "request",
        "specs/global_solutions.yaml",
        "charge_card",
        "--body-text",
        r#"{"amount":-5,"currency":"EUQ","name":" ","accountId":"payer","card":{"pan":"4242424242424241","cvv":"12","expiryMonth":13,"expiryYear":2030},"amout":1}"#,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: invalid request: 12 problems: amount: "),
        "{err}"
    );
    for line in [
        "  amount [range]: amount must be at least 0 minor units",
        "  currency [currency]: must be an ISO 4217 currency code (e.g. EUR)",
        "  name [required]: is required",
        "  description [required]: is required",
        "  invoiceId [required]: is required",
        "  ip [required]: is required",
        "  accountId [email]: must be an e-mail address",
        "  card.pan [card_number]: must be a card number (12-19 digits passing the Luhn check)",
        "  card.cvv [pattern]: must match the pattern `^\\d{3,4}$`",
        "  card.expiryMonth [range]: must be between 1 and 12",
        "  amout [unknown]: is not a field of `ChargeCardRequest`",
        "  amount [currency]: must be an ISO 4217 currency code with a known exponent",
    ] {
        assert!(err.contains(line), "missing `{line}` in:\n{err}");
    }
    assert!(
        !err.contains("4242424242424241"),
        "no card number in errors"
    );
}

#[test]
fn outside_the_sandbox_every_missing_credential_is_named() {
    let args = [
        "request",
        "specs/global_solutions.yaml",
        "charge_card",
        "--env",
        "production",
        "--body-text",
        CHARGE,
    ];
    let out = paygen(&args);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("missing credentials `api_secret`, `public_id`"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    let mut given = args.to_vec();
    given.extend([
        "--credential",
        "public_id=pbid_live",
        "--credential",
        "api_secret=live-secret",
    ]);
    let out = paygen(&given);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    // the API secret is masked; the public id (declared `secret: false`) is shown as sent
    assert!(!printed.contains("live-secret"), "{printed}");
    assert!(printed.contains(r#""publicId":"pbid_live""#), "{printed}");
}

#[test]
fn a_signature_over_a_path_parameter_is_right_and_the_body_leaves_it_out() {
    let spec = temp_file(
        "pathparam.yaml",
        r#"provider: pathparam
title: Path parameter
environments:
  sandbox: https://sandbox.example.com
credentials:
  control_key: { secret: true }
signing:
  request:
    over: { message: "{path.endpoint_id}{field.client_orderid}{field.amount}{field.email}{secret}" }
    digest: sha1
    secret: { credential: control_key, use: in_message }
    encoding: hex
    place: { body_field: control }
types:
  DepositRequest:
    fields:
      endpoint_id: { type: string, required: true, pattern: '^\d+$' }
      client_orderid: { type: string, required: true }
      amount: { type: money, required: true, money: { currency_field: currency, wire: decimal_string } }
      currency: { type: string, required: true, format: currency }
      email: { type: string, format: email }
  StatusRequest:
    fields:
      client_orderid: { type: string, required: true }
operations:
  deposit:
    method: POST
    path: /deposit/{endpoint_id}/
    encoding: form
    request: DepositRequest
    money_moving: true
    idempotency: { safe: false, reconcile_with: status }
  status:
    method: POST
    path: /status/
    encoding: form
    request: StatusRequest
    sign: false
    idempotency: { safe: true }
"#,
    );
    let spec = spec.to_str().unwrap_or_default();
    let out = paygen(&[
        "request",
        spec,
        "deposit",
        "--credential",
        "control_key=k3y-value",
        "--body-text",
        r#"{"endpoint_id":"42","client_orderid":"o-1","amount":1050,"currency":"EUR","email":"a@b.co"}"#,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(
        printed.starts_with("POST https://sandbox.example.com/deposit/42/ HTTP/1.1\n"),
        "{printed}"
    );
    // sha1(endpoint_id + client_orderid + amount + email + key), by an independent implementation.
    use sha1::Digest as _;
    let expected = hex::encode(sha1::Sha1::digest(b"42o-110.50a@b.cok3y-value"));
    let body = printed.lines().last().unwrap_or_default();
    assert_eq!(
        body,
        // the e-mail is personal data: masked in the printout (`--reveal` shows it), signed as sent
        format!("client_orderid=o-1&amount=10.50&currency=EUR&email=***&control={expected}")
    );

    let bad = paygen(&[
        "request",
        spec,
        "deposit",
        "--credential",
        "control_key=k3y-value",
        "--body-text",
        r#"{"endpoint_id":"4x2","client_orderid":"o-1","amount":1050,"currency":"EUR"}"#,
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("  endpoint_id [pattern]: "));
}

#[test]
fn generated_timestamp_and_nonce_are_pinned_and_sent_as_headers() {
    let spec = temp_file(
        "nonce.yaml",
        r#"provider: noncey
title: Timestamp and nonce
environments:
  sandbox: https://sandbox.example.com
credentials:
  api_secret: { secret: true }
signing:
  request:
    over: { message: "{timestamp}\n{nonce}\n{raw_body}\n" }
    generate: { timestamp: unix_millis, nonce: { hex: 32 } }
    digest: hmac_sha512
    secret: { credential: api_secret, use: hmac_key }
    encoding: hex_upper
    place: { header: X-Signature }
    headers: { X-Timestamp: "{timestamp}", X-Nonce: "{nonce}" }
types:
  OrderRequest:
    fields:
      order_id: { type: string, required: true }
operations:
  order:
    method: POST
    path: /orders
    request: OrderRequest
    idempotency: { safe: true }
"#,
    );
    let spec = spec.to_str().unwrap_or_default();
    let nonce = "0123456789abcdef0123456789abcdef";
    let out = paygen(&[
        "request",
        spec,
        "order",
        "--credential",
        "api_secret=s3cret-key",
        "--now",
        "1700000000",
        "--nonce",
        nonce,
        "--body-text",
        r#"{"order_id":"o-1"}"#,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    use hmac::Mac as _;
    let mut mac =
        hmac::Hmac::<sha2::Sha512>::new_from_slice(b"s3cret-key").expect("any key length");
    mac.update(format!("1700000000000\n{nonce}\n{{\"order_id\":\"o-1\"}}\n").as_bytes());
    let expected = hex::encode_upper(mac.finalize().into_bytes());
    for line in [
        "X-Timestamp: 1700000000000".to_string(),
        format!("X-Nonce: {nonce}"),
        format!("X-Signature: {expected}"),
    ] {
        assert!(
            printed.contains(&format!("{line}\n")),
            "missing `{line}` in:\n{printed}"
        );
    }
    assert!(!printed.contains("s3cret-key"));
}

#[test]
fn the_body_may_come_from_standard_input_and_unknown_names_are_listed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paygen"))
        .args([
            "request",
            "specs/global_solutions.yaml",
            "charge_card",
            "--body",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(CHARGE.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Authorization: ***\n"));

    let out = paygen(&[
        "request",
        "specs/global_solutions.yaml",
        "charge",
        "--body-text",
        "{}",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("has no operation `charge` (operations: "));
    let out = paygen(&[
        "request",
        "specs/global_solutions.yaml",
        "charge_card",
        "--body-text",
        "{",
    ]);
    assert!(text(&out.stderr).starts_with("error: the body is not JSON"));
    let out = paygen(&["request", "specs/global_solutions.yaml", "charge_card"]);
    assert!(text(&out.stderr).contains("takes a `ChargeCardRequest` body"));
}

/// DOKU sends its client id (declared `secret: false`) in a `Client-Id` header: shown; the
/// secret key (the HMAC key) never appears.
#[test]
fn a_public_credential_is_shown_and_a_secret_one_masked() {
    let out = paygen(&[
        "request",
        "tests/specs/ok/schemes/doku.yaml",
        "checkout_payment",
        "--body-text",
        r#"{"order":{"amount":20000,"invoice_number":"INV-1"}}"#,
        "--credential",
        "client_id=MCH-0001-10791114622547",
        "--credential",
        "secret_key=SK-hCJ42G28TA0MKG9LE2E_1",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.contains("\nClient-Id: MCH-0001-10791114622547\n"),
        "{shown}"
    );
    assert!(!shown.contains("SK-hCJ42G28TA0MKG9LE2E_1"), "{shown}");
}
