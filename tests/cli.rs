//! The `paygen` command line as a user runs it: `check` exit codes and located output, `sign`
//! reproducing every official signature vector stage by stage, `schema`, `generate`.

use paygen_testkit::scratch::ScratchFile;
use std::path::Path;
use std::process::{Command, Output};

fn paygen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paygen"))
        .args(args)
        .output()
        .expect("run paygen")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn body_file(name: &str, content: &str) -> ScratchFile {
    ScratchFile::new(name, content)
}

/// Runs `paygen sign` and returns (canonical, signature).
fn sign(spec: &str, recipe: &str, creds: &[&str], body: &str) -> (String, String, String) {
    let file = body_file(&format!("{recipe}-{}.body", body.len()), body);
    let mut args = vec![
        "sign",
        spec,
        recipe,
        "--body",
        file.to_str().unwrap_or_default(),
    ];
    for c in creds {
        args.extend(["--credential", c]);
    }
    let out = paygen(&args);
    assert!(
        out.status.success(),
        "sign failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    let line = |prefix: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_default()
            .to_string()
    };
    (line("canonical: "), line("signature: "), text)
}

#[test]
fn check_is_clean_on_the_shipped_specs() {
    let shipped = paygen_testkit::specs::shipped(Path::new(".")).len();
    assert!(shipped >= 4, "the seed specs are found");
    let out = paygen(&["check", "specs"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = format!("{shipped} spec(s) checked, no problems");
    assert!(
        stderr(&out).contains(&summary),
        "{summary}: {}",
        stderr(&out)
    );
}

#[test]
fn check_locates_problems_and_exits_1() {
    let out = paygen(&["check", "tests/specs/err/several_problems/spec.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains("error[E0102]: unknown type `Phone99`"),
        "{text}"
    );
    assert!(
        text.contains("--> tests/specs/err/several_problems/spec.yaml:41:16"),
        "{text}"
    );
    assert!(
        text.contains("41 |       phone: { type: Phone99 }"),
        "{text}"
    );
    assert!(
        text.contains("at: types.PayRequest.fields.phone.type"),
        "{text}"
    );
    assert!(text.contains("3 problem(s) in 1 spec(s)"), "{text}");
    assert!(stdout(&out).is_empty(), "diagnostics go to stderr");
    assert!(
        !text.contains("\u{1b}["),
        "no colour when stderr is not a terminal"
    );
}

#[test]
fn check_prints_json_lines_with_message_format_json() {
    let out = paygen(&[
        "check",
        "--message-format",
        "json",
        "tests/specs/err/structural_and_semantic/spec.yaml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let codes: Vec<&str> = lines.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["E0002", "E0002", "E0002", "E0102", "E0119"]);
    let first = &lines[0];
    assert_eq!(
        first["file"],
        "tests/specs/err/structural_and_semantic/spec.yaml"
    );
    assert_eq!(first["path"], "signing.request.digets");
    assert!(first["line"].as_u64().is_some_and(|l| l > 0));
    assert!(first["column"].as_u64().is_some_and(|c| c > 0));
    assert!(first["message"]
        .as_str()
        .is_some_and(|m| m.contains("digets")));
    assert!(first["hint"].is_string());
}

#[test]
fn check_of_a_missing_file_is_a_usage_error() {
    let out = paygen(&["check", "no/such/spec.yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sign_reproduces_global_solutions_content_hmac() {
    let body = r#"{"transactionId":512,"amount":30.45,"currency":"EUR"}"#;
    let (canonical, signature, text) = sign(
        "specs/global_solutions.yaml",
        "webhook",
        &["api_secret=1234ABCD"],
        body,
    );
    assert_eq!(canonical, body);
    assert_eq!(
        signature,
        "MzVkMzBlMTdmMmVkNGJkNjFhMzFmNTdhODU0ZGQwZTYwZGU5MDg5MDRiODYyMTAzZmI0ZDAzMjRiMWJmNmM3Mw=="
    );
    assert!(
        text.contains("digest: 35d30e17f2ed4bd61a31f57a854dd0e60de908904b862103fb4d0324b1bf6c73")
    );
    assert!(!text.contains("1234ABCD"), "the secret never prints");
}

#[test]
fn sign_reproduces_cactusgino_t1_and_t2() {
    let t1 = r#"{"merchant_id":"test_api_v2","request_id":"test20240430132039","site_id":"101","update_type":"delete"}"#;
    let (canonical, signature, text) = sign(
        "specs/cactusgino.yaml",
        "request",
        &["salt=test_api_v2"],
        t1,
    );
    assert_eq!(
        canonical,
        "merchant_id:test_api_v2;request_id:test20240430132039;site_id:101;update_type:delete;"
    );
    assert_eq!(signature, "7b71ef53367785053e8e3bb3300ac4458884428f");
    assert!(text.contains("digested: merchant_id:test_api_v2;request_id:test20240430132039;site_id:101;update_type:delete;<salt>"), "{text}");
    let t2 = r#"{"amount":10000000,"currency":"RUB","invoice_id":23249,"request_id":"test20240430132039","site_id":101,"site_login":"user_4","success":true,"signature":"5520cc4d1ec1433f8ff01470f0d95c3b9a363000"}"#;
    let (canonical, signature, _) = sign(
        "specs/cactusgino.yaml",
        "response",
        &["salt=test_api_v2"],
        t2,
    );
    assert_eq!(canonical, "amount:10000000;currency:RUB;invoice_id:23249;request_id:test20240430132039;site_id:101;site_login:user_4;success:True;");
    assert_eq!(signature, "5520cc4d1ec1433f8ff01470f0d95c3b9a363000");
}

#[test]
fn sign_reproduces_pockyt_p1_and_p2() {
    let token = "api_token=5cbfb079f15b150122261c8537086d77a";
    let p1 = r#"{"amount":"1.00","storeNo":"300014","currency":"USD","merchantNo":"200043","callbackUrl":"https://wx.yuansfer.yunkeguan.com/wx","terminal":"ONLINE","ipnUrl":"https://wx.yuansfer.yunkeguan.com/wx","reference":"seq_1525922323","vendor":"alipay","goodsInfo":"[{\"goods_name\":\"Yuansfer\",\"quantity\":\"1\"}]","timeout":"120"}"#;
    let (canonical, signature, text) = sign("specs/pockyt.yaml", "request", &[token], p1);
    assert!(canonical.starts_with("amount=1.00&callbackUrl=https://wx.yuansfer.yunkeguan.com/wx&currency=USD&goodsInfo=[{\"goods_name\""), "{canonical}");
    assert_eq!(signature, "b6bfd66531ae7c9499115c7480a2c8aa");
    assert!(
        !text.contains("186abea4b8610d7ff03768255588597a"),
        "md5 of the token is derived from the secret: masked"
    );
    let p2 = "transactionNo=305680500880311923&status=success&amount=0.01&currency=USD&settleCurrency=USD&reference=test1666247277861&time=20221020142817";
    let (canonical, signature, _) = sign("specs/pockyt.yaml", "webhook", &[token], p2);
    assert_eq!(canonical, "amount=0.01&currency=USD&reference=test1666247277861&settleCurrency=USD&status=success&time=20221020142817&transactionNo=305680500880311923");
    assert_eq!(signature, "435d01c5d5fa88cfe8168fbfbf732519");
}

#[test]
fn sign_reproduces_the_cabbagino_reference_vectors() {
    let c1 = r#"{"payment_system":"TEST_PS","external_id":"ext-0001","customer":{"customer_id":"test","country":"LV","first_name":"Test","last_name":"Test"},"amount":1100000,"currency":"USD"}"#;
    let (canonical, signature, _) =
        sign("specs/cabbagino.yaml", "request", &["salt=test_salt"], c1);
    assert_eq!(canonical, "amount:1100000;currency:USD;customer:country:LV;customer_id:test;first_name:Test;last_name:Test;external_id:ext-0001;payment_system:TEST_PS;");
    assert_eq!(signature, "ef30bc1fddd85ec204c8265f34c3a63c72a5c28e");
    let c5 = r#"{"b":"","a":" ","C":[3,1,2],"d":{"z":"","y":null},"e":null,"f":true,"g":1.5}"#;
    let (canonical, signature, _) =
        sign("specs/cabbagino.yaml", "request", &["salt=test_salt"], c5);
    assert_eq!(canonical, "c:1;2;3;d:y:None;z:;e:None;f:True;g:1.5;");
    assert_eq!(signature, "04d87ca86be3d899da7f1f9b1a15a2c45a636e9a");
}

#[test]
fn sign_names_a_missing_credential() {
    let file = body_file("missing.json", "{}");
    let out = paygen(&[
        "sign",
        "specs/cabbagino.yaml",
        "request",
        "--body",
        file.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("salt"));
}

#[test]
fn schema_command_prints_the_checked_in_schema() {
    let out = paygen(&["schema"]);
    let current = std::fs::read_to_string("specs/schema.json").expect("schema.json");
    assert_eq!(stdout(&out), current);
}

#[test]
fn generate_writes_one_file_per_spec() {
    let scratch = paygen_testkit::scratch::scratch_dir();
    let dir = scratch.path();
    let out = paygen(&[
        "generate",
        "--out",
        dir.to_str().unwrap_or_default(),
        "specs",
    ]);
    assert!(out.status.success(), "{}", stdout(&out));
    let shipped = paygen_testkit::specs::shipped(Path::new("."));
    assert!(shipped.len() >= 4, "the seed specs are found");
    for spec in shipped {
        let expected = paygen_codegen::generate_file(&spec.path).expect("a shipped spec generates");
        let text = std::fs::read_to_string(dir.join(&expected.file_name)).expect("generated file");
        let file = spec
            .path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned());
        let header = format!(
            "// @generated by paygen from specs/{}",
            file.unwrap_or_default()
        );
        assert!(
            text.starts_with(&header),
            "{header}: {}",
            &text[..text.len().min(120)]
        );
        assert_eq!(
            text, expected.source,
            "{}: `generate` writes what codegen generates",
            spec.name
        );
    }
    let written = std::fs::read_dir(dir)
        .map(|d| d.count())
        .unwrap_or_default();
    assert_eq!(
        written,
        paygen_testkit::specs::shipped(Path::new(".")).len(),
        "one file per spec"
    );
}

/// Reads the port from `paygen sandbox`'s first line (`paygen sandbox on 127.0.0.1:PORT ...`).
fn sandbox_port(line: &str) -> Option<u16> {
    let rest = line.split("127.0.0.1:").nth(1)?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// Sends one raw HTTP request to 127.0.0.1 and returns the whole answer.
fn http(port: u16, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[test]
fn sandbox_command_serves_the_specs_on_loopback() {
    use std::io::BufRead;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_paygen"))
        .args(["sandbox", "--specs", "specs", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start paygen sandbox");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    let _ = std::io::BufReader::new(stdout).read_line(&mut first);
    let port = sandbox_port(&first);
    let body = r#"{"transactionId":1}"#;
    let answers = port.map(|port| {
        let unknown = http(port, "POST /global_solutions/payments/nope HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        let unauthorized = http(port, &format!("POST /global_solutions/payments/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()));
        (unknown, unauthorized)
    });
    let _ = child.kill();
    let _ = child.wait();
    let (unknown, unauthorized) = answers.unwrap_or_else(|| panic!("no port in {first:?}"));
    assert!(unknown.starts_with("HTTP/1.1 404"), "{unknown}");
    assert!(
        unknown.contains(r#""success":false"#),
        "provider-style 404: {unknown}"
    );
    assert!(
        unauthorized.starts_with("HTTP/1.1 401"),
        "Basic auth is checked: {unauthorized}"
    );
}

/// v2: a timestamped webhook header from inline body text (`--body-text`), and a signature over
/// a path parameter from standard input (`--body -`); expected values computed with Python's
/// hmac / hashlib (tests/specs/ok/signing_v2.yaml).
#[test]
fn sign_v2_messages_from_inline_text_and_stdin() {
    let body = r#"{"id":"evt_1","type":"payment.succeeded","order":"ord-1"}"#;
    let out = paygen(&[
        "sign",
        "tests/specs/ok/signing_v2.yaml",
        "webhook",
        "--credential",
        "whsec=whsec_test",
        "--timestamp",
        "1700000000",
        "--body-text",
        body,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    let sig = "b88eb9aa26eb10459c13415710cf1f182be788cd4bb141f5d761d58c0d210039";
    assert!(
        text.contains(&format!("canonical: 1700000000.{body}\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!("placed: t=1700000000,v1={sig}\n")),
        "{text}"
    );
    assert!(
        !text.contains("whsec_test"),
        "the secret is never printed: {text}"
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_paygen"))
        .args([
            "sign",
            "tests/specs/ok/signing_v2.yaml",
            "request",
            "--credential",
            "merchant_control=CONTROL-KEY",
            "--path-param",
            "endpoint_id=4711",
            "--body",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run paygen");
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(br#"{"client_orderid":"ord-1","amount":"10.42","email":"a@b.c"}"#)
            .expect("write stdin");
    }
    let out = child.wait_with_output().expect("paygen ends");
    let text = stdout(&out);
    assert!(
        text.contains("canonical: 4711ord-110.42a@b.c<merchant_control>\n"),
        "{text}"
    );
    assert!(
        text.contains("signature: 95f264c08940d518d125725002ed7dc31a9d8162\n"),
        "{text}"
    );
    assert!(!text.contains("CONTROL-KEY"), "{text}");
}

/// `sign` shows a credential declared `secret: false` in the canonical string (it is what the
/// provider sees in a header) and keeps the secret key out of every stage.
#[test]
fn sign_shows_public_credentials_and_masks_secret_ones() {
    let out = paygen(&[
        "sign",
        "tests/specs/ok/schemes/doku.yaml",
        "request",
        "--body-text",
        r#"{"order":{"amount":20000}}"#,
        "--credential",
        "client_id=MCH-0001-10791114622547",
        "--credential",
        "secret_key=SK-hCJ42G28TA0MKG9LE2E_1",
        "--timestamp",
        "2020-08-11T08:45:42Z",
        "--nonce",
        "n1",
    ]);
    assert!(out.status.success(), "{}", stdout(&out));
    let shown = stdout(&out);
    assert!(
        shown.contains("canonical: Client-Id:MCH-0001-10791114622547\n"),
        "{shown}"
    );
    assert!(!shown.contains("SK-hCJ42G28TA0MKG9LE2E_1"), "{shown}");
}
