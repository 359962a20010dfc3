//! The corpus of real providers' signing, auth and webhook schemes (`tests/specs/ok/schemes`,
//! sources in its SOURCES.md): every spec is `check`-clean (which verifies its vectors with the
//! engine), and every vector is reproduced here by an independent reference (strings assembled by
//! hand, the RustCrypto crates called directly), published ones also against the published text.

#[path = "schemes/reference.rs"]
mod reference;

use std::process::{Command, Output};

use reference::*;

fn paygen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paygen"))
        .args(args)
        .output()
        .expect("run paygen")
}

fn scheme_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(DIR)
        .expect("corpus folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_corpus_has_at_least_15_providers_each_with_a_sourced_vector() {
    let files = scheme_files();
    assert!(files.len() >= 15, "{files:?}");
    let sources = std::fs::read_to_string(format!("{DIR}/SOURCES.md")).expect("SOURCES.md");
    for file in &files {
        let provider = file.trim_end_matches(".yaml");
        assert!(
            sources.contains(&format!("`{file}`")),
            "SOURCES.md lacks {file}"
        );
        let spec = spec(provider);
        assert_eq!(spec["provider"].as_str(), Some(provider), "{file}");
        let vectors = spec["signing"]["vectors"].as_sequence().expect("vectors");
        assert!(!vectors.is_empty(), "{file} has no vector");
        for v in vectors {
            let source = v["source"].as_str().unwrap_or_default();
            assert!(!source.is_empty(), "{file}: a vector without `source`");
        }
    }
}

#[test]
fn check_is_clean_on_every_corpus_spec() {
    let out = paygen(&["check", DIR]);
    // like cargo, `check` reports on stderr
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    let summary = format!("{} spec(s) checked, no problems", scheme_files().len());
    assert!(text.contains(&summary), "{text}");
}

/// Asserts the spec's vector holds `expected` (computed by the reference in the caller).
fn assert_vector(provider: &str, name: &str, expected: &str) {
    let v = vector(provider, name);
    assert_eq!(text(&v, "signature"), expected, "{provider} / {name}");
}

// --- Published vectors: the reference reproduces the published value, the spec carries it. ---

#[test]
fn adyen_published_hmac_over_colon_joined_values_with_a_hex_key() {
    let key = ::hex::decode("44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056")
        .expect("hex key");
    // originalReference is absent: it stays empty between the colons.
    let message = [
        "7914073381342284",
        "",
        "TestMerchant",
        "TestPayment-1407325143704",
        "1130",
        "EUR",
        "AUTHORISATION",
        "true",
    ]
    .join(":");
    let v = vector("adyen", "AUTHORISATION");
    assert_eq!(text(&v, "canonical"), message);
    let signature = b64(&hmac_sha256(&key, message.as_bytes()));
    assert_eq!(signature, "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=");
    assert_vector("adyen", "AUTHORISATION", &signature);
}

#[test]
fn square_published_hmac_over_the_notification_url_and_body() {
    let message = r#"https://example.com/webhook{"hello":"world"}"#;
    let signature = b64(&hmac_sha256(b"asdf1234", message.as_bytes()));
    assert_eq!(signature, "2kRE5qRU2tR+tBGlDwMEw2avJ7QM4ikPYD/PJ3bd9Og=");
    assert_vector("square", "validation sample", &signature);
}

#[test]
fn gocardless_published_hmac_of_the_raw_body() {
    let v = vector("gocardless", "SDK fixture");
    let raw = text(&v, "raw");
    assert_eq!(
        raw.len(),
        550,
        "the fixture's exact bytes (stripped of its final newline)"
    );
    let signature = lower_hex(&hmac_sha256(
        b"ED7D658C-D8EB-4941-948B-3973214F2D49",
        raw.as_bytes(),
    ));
    assert_eq!(
        signature,
        "2693754819d3e32d7e8fcb13c729631f316c6de8dc1cf634d6527f1c07276e7e"
    );
    assert_vector("gocardless", "SDK fixture", &signature);
}

#[test]
fn cryptoprocessing_published_hmac_sha512_of_the_body() {
    let signature = lower_hex(&hmac_sha512(
        b"AbCdEfG123456",
        br#"{"currency":"BTC","foreign_id":"123456"}"#,
    ));
    assert_eq!(
        signature,
        "03c25fcf7cd35e7d995e402cd5d51edd72d48e1471e865907967809a0c189ba55b90815f20e2bb10f82c7a9e9d865546fda58989c2ae9e8e2ff7bc29195fa1ec"
    );
    assert_vector("cryptoprocessing", "Verify your implementation", &signature);
}

#[test]
fn faspay_published_sha1_of_hash_joined_values_with_the_password_inside() {
    let request = upper_hex(&sha1(b"##TEST01##059B8125F##20061123_003##100.00##50126##"));
    assert_eq!(request, "537BDA3DBD1D7F5D763F9880E18AFC1C83BC9353");
    assert_vector("faspay", "request signature", &request);
    let response = upper_hex(&sha1(b"##TEST01##4E62f498C##OID00001##192.00##A##"));
    assert_eq!(response, "D8F437D951EC1DABB52127A22F91748B473658DC");
    assert_vector("faspay", "response signature", &response);
}

// --- Independent vectors: no published signature exists; the reference is the authority. ---

#[test]
fn stripe_timestamped_hmac_in_a_structured_header() {
    let v = vector("stripe", "payment_intent.succeeded");
    let message = format!("{}.{}", text(&v, "timestamp"), text(&v, "raw"));
    assert_eq!(text(&v, "canonical"), message);
    let signature = lower_hex(&hmac_sha256(b"whsec_test_secret", message.as_bytes()));
    assert_vector("stripe", "payment_intent.succeeded", &signature);
    assert_eq!(text(&v, "placed"), format!("t=1700000000,v1={signature}"));
}

#[test]
fn paddle_timestamped_hmac_with_semicolon_pairs() {
    let v = vector("paddle", "transaction.completed");
    let message = format!("{}:{}", text(&v, "timestamp"), text(&v, "raw"));
    let key = text(&v, "webhook_secret");
    let signature = lower_hex(&hmac_sha256(key.as_bytes(), message.as_bytes()));
    assert_vector("paddle", "transaction.completed", &signature);
    assert_eq!(text(&v, "placed"), format!("ts=1671552777;h1={signature}"));
}

#[test]
fn binance_pay_hmac_sha512_upper_hex_over_timestamp_nonce_body() {
    let v = vector("binance_pay", "create order");
    let message = format!(
        "{}\n{}\n{}\n",
        text(&v, "timestamp"),
        text(&v, "nonce"),
        text(&v, "raw")
    );
    let key = text(&v, "secret_key");
    let signature = upper_hex(&hmac_sha512(key.as_bytes(), message.as_bytes()));
    assert_vector("binance_pay", "create order", &signature);
}

#[test]
fn payu_sha512_keeps_absent_udfs_as_empty_strings() {
    let v = vector("payu", "one udf set");
    let values = [
        "merchant_key_test",
        "txn123",
        "10.00",
        "iPhone",
        "Ashish",
        "test@example.com",
        "u1",
        "",
        "",
        "",
        "",
    ];
    let canonical = values.join("|");
    assert_eq!(text(&v, "canonical"), canonical);
    // key|...|udf1|udf2|udf3|udf4|udf5||||||SALT (five reserved empty slots before the salt).
    let hashed = format!("{canonical}||||||salt_test");
    assert_eq!(hashed.matches('|').count(), 16);
    assert_vector(
        "payu",
        "one udf set",
        &lower_hex(&sha512(hashed.as_bytes())),
    );
}

#[test]
fn cybersource_http_signature_with_a_base64_secret() {
    let v = vector("cybersource", "POST /pts/v2/payments");
    let body = text(&v, "raw");
    let digest = format!("SHA-256={}", b64(&sha256(body.as_bytes())));
    let message = format!(
        "host: apitest.cybersource.com\ndate: {}\nrequest-target: post /pts/v2/payments\ndigest: {digest}\nv-c-merchant-id: testrest",
        text(&v, "timestamp")
    );
    assert_eq!(text(&v, "canonical"), message);
    let key = unb64(&text(&v, "shared_secret"));
    assert_vector(
        "cybersource",
        "POST /pts/v2/payments",
        &b64(&hmac_sha256(&key, message.as_bytes())),
    );
}

#[test]
fn doku_hmac_over_header_components_and_body_digest() {
    let v = vector("doku", "checkout payment");
    let digest = b64(&sha256(text(&v, "raw").as_bytes()));
    let message = format!(
        "Client-Id:{}\nRequest-Id:{}\nRequest-Timestamp:{}\nRequest-Target:/checkout/v1/payment\nDigest:{digest}",
        text(&v, "client_id"),
        text(&v, "nonce"),
        text(&v, "timestamp")
    );
    let key = text(&v, "secret_key");
    let signature = b64(&hmac_sha256(key.as_bytes(), message.as_bytes()));
    assert_vector("doku", "checkout payment", &signature);
    assert_eq!(text(&v, "placed"), format!("HMACSHA256={signature}"));
}

#[test]
fn doku_notification_hmac_over_its_headers_and_the_notification_path() {
    let v = vector("doku", "payment notification");
    let header = |name: &str| v["headers"][name].as_str().expect("header").to_string();
    let message = format!(
        "Client-Id:{}\nRequest-Id:{}\nRequest-Timestamp:{}\nRequest-Target:/payments/notifications\nDigest:{}",
        header("Client-Id"),
        header("Request-Id"),
        header("Request-Timestamp"),
        b64(&sha256(text(&v, "raw").as_bytes()))
    );
    let signature = b64(&hmac_sha256(
        b"SK-hCJ42G28TA0MKG9LE2E_1",
        message.as_bytes(),
    ));
    assert_vector("doku", "payment notification", &signature);
    assert_eq!(text(&v, "placed"), format!("HMACSHA256={signature}"));
}

#[test]
fn cybersource_webhook_hmac_over_timestamp_and_body_with_a_base64_key() {
    let v = vector("cybersource", "webhook notification");
    let key = unb64(&text(&v, "webhook_key"));
    assert_eq!(key, b"cybersource webhook test key 32b");
    let message = format!("1617830804768.{}", text(&v, "raw"));
    let signature = b64(&hmac_sha256(&key, message.as_bytes()));
    assert_vector("cybersource", "webhook notification", &signature);
    assert_eq!(
        text(&v, "placed"),
        format!("t=1617830804768;keyId=bf44c857-b182-bb05-e053-34b8d30a7a72;sig={signature}")
    );
}

#[test]
fn midtrans_sha512_with_the_server_key_inside_the_message() {
    let message = "ZT-M1-I1201650000.00SB-Mid-server-TEST";
    assert_vector(
        "midtrans",
        "bank transfer pending",
        &lower_hex(&sha512(message.as_bytes())),
    );
}

#[test]
fn razorpay_and_checkout_com_hmac_of_the_raw_body() {
    let v = vector("razorpay", "payment.captured");
    let signature = lower_hex(&hmac_sha256(
        b"razorpay_webhook_secret",
        text(&v, "raw").as_bytes(),
    ));
    assert_vector("razorpay", "payment.captured", &signature);
    let v = vector("checkout_com", "payment_captured");
    let signature = lower_hex(&hmac_sha256(
        b"checkout_signature_key",
        text(&v, "raw").as_bytes(),
    ));
    assert_vector("checkout_com", "payment_captured", &signature);
}

// --- Asymmetric schemes: RustCrypto's rsa / p256 / ed25519-dalek called directly. ---

#[test]
fn circle_published_ecdsa_p256_signature_verifies_with_the_published_key() {
    use p256::ecdsa::signature::Verifier as _;
    use p256::pkcs8::DecodePublicKey as _;
    let v = vector("circle", "webhooks.test");
    let key = p256::ecdsa::VerifyingKey::from_public_key_pem(&text(&v, "notification_public_key"))
        .expect("published public key");
    let published = "MEQCIBlJPX7t0FDOcozsRK6qIQwik5Fq6mhAtCSSgIB/yQO7AiB9U5lVpdufKvPhk3cz4TH2f5MP7ArnmPRBmhPztpsIFQ==";
    assert_eq!(text(&v, "signature"), published);
    let signature = p256::ecdsa::Signature::from_der(&unb64(published)).expect("DER signature");
    let raw = text(&v, "raw");
    assert!(key.verify(raw.as_bytes(), &signature).is_ok());
    let tampered = raw.replace("world", "earth");
    assert!(key.verify(tampered.as_bytes(), &signature).is_err());
}

#[test]
fn wechat_pay_rsa_sha256_pkcs1v15_over_method_url_timestamp_nonce_body() {
    use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
    use rsa::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _};
    use rsa::signature::{SignatureEncoding as _, Signer as _, Verifier as _};
    let v = vector("wechat_pay", "native order");
    let message = format!(
        "POST\n/v3/pay/transactions/native\n{}\n{}\n{}\n",
        text(&v, "timestamp"),
        text(&v, "nonce"),
        text(&v, "raw")
    );
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&text(&v, "merchant_private_key")).expect("key");
    let signature = SigningKey::<sha2::Sha256>::new(key).sign(message.as_bytes());
    assert_vector("wechat_pay", "native order", &b64(&signature.to_bytes()));

    let n = vector("wechat_pay", "notification");
    let message = format!(
        "{}\n{}\n{}\n",
        n["headers"]["Wechatpay-Timestamp"]
            .as_str()
            .expect("timestamp"),
        n["headers"]["Wechatpay-Nonce"].as_str().expect("nonce"),
        text(&n, "raw")
    );
    let public = rsa::RsaPublicKey::from_public_key_pem(&text(&n, "platform_public_key"))
        .expect("platform key");
    let signature = Signature::try_from(unb64(&text(&n, "signature")).as_slice()).expect("sig");
    let verifier = VerifyingKey::<sha2::Sha256>::new(public);
    assert!(verifier.verify(message.as_bytes(), &signature).is_ok());
}

#[test]
fn revolut_x_ed25519_over_timestamp_method_path_body() {
    use ed25519_dalek::pkcs8::DecodePrivateKey as _;
    use ed25519_dalek::Signer as _;
    let v = vector("revolut_x", "place order");
    let message = format!(
        "{}POST/api/1.0/orders{}",
        text(&v, "timestamp"),
        text(&v, "raw")
    );
    let key = ed25519_dalek::SigningKey::from_pkcs8_pem(&text(&v, "private_key")).expect("key");
    let signature = key.sign(message.as_bytes());
    assert_vector("revolut_x", "place order", &b64(&signature.to_bytes()));
}

// --- `paygen sign` reproduces every vector of the corpus (the integrator's debugging tool). ---

/// `paygen sign` arguments that replay one vector (all its request parts and generated values).
fn sign_args(file: &str, v: &serde_yaml::Value) -> Vec<String> {
    let mut args = vec!["sign".to_string(), format!("{DIR}/{file}")];
    args.push(v["recipe"].as_str().expect("recipe").to_string());
    let body = match v["raw"].as_str() {
        Some(raw) => raw.to_string(),
        None => serde_json::to_string(&v["input"]).expect("input as JSON"),
    };
    args.extend(["--body-text".to_string(), body]);
    let flags = [
        ("method", "--method"),
        ("path", "--path"),
        ("query", "--query"),
    ];
    for (key, flag) in flags.into_iter().chain([
        ("host", "--host"),
        ("timestamp", "--timestamp"),
        ("nonce", "--nonce"),
    ]) {
        if let Some(value) = v[key].as_str() {
            args.extend([flag.to_string(), value.to_string()]);
        }
    }
    let pairs = |key: &str| v[key].as_mapping().cloned().unwrap_or_default();
    for (k, value) in pairs("credentials") {
        let (k, value) = (
            k.as_str().unwrap_or_default(),
            value.as_str().unwrap_or_default(),
        );
        args.extend(["--credential".to_string(), format!("{k}={value}")]);
    }
    for (k, value) in pairs("headers") {
        let (k, value) = (
            k.as_str().unwrap_or_default(),
            value.as_str().unwrap_or_default(),
        );
        args.extend(["--header".to_string(), format!("{k}:{value}")]);
    }
    for (k, value) in pairs("path_params") {
        let (k, value) = (
            k.as_str().unwrap_or_default(),
            value.as_str().unwrap_or_default(),
        );
        args.extend(["--path-param".to_string(), format!("{k}={value}")]);
    }
    args
}

/// Whether the vector's recipe verifies with a public key (it can only verify, not sign).
fn is_public_key_recipe(provider: &str, recipe: &str) -> bool {
    spec(provider)["signing"][recipe]["secret"]["use"].as_str() == Some("public_key")
}

#[test]
fn paygen_sign_reproduces_every_corpus_vector() {
    let mut replayed = 0;
    for file in scheme_files() {
        let provider = file.trim_end_matches(".yaml").to_string();
        let spec = spec(&provider);
        for v in spec["signing"]["vectors"].as_sequence().expect("vectors") {
            let name = v["name"].as_str().unwrap_or_default();
            let expected = v["signature"].as_str().expect("signature");
            let mut args = sign_args(&file, v);
            let public = is_public_key_recipe(&provider, v["recipe"].as_str().unwrap_or_default());
            if public {
                args.extend(["--verify".to_string(), expected.to_string()]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = paygen(&args);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{provider} / {name}: {stderr}");
            let wanted = if public {
                "verified: yes".to_string()
            } else {
                format!("signature: {expected}")
            };
            assert!(
                stdout.lines().any(|l| l == wanted),
                "{provider} / {name}:\n{stdout}"
            );
            if let Some(placed) = v["placed"].as_str() {
                assert!(
                    stdout.contains(&format!("placed: {placed}")),
                    "{provider} / {name}:\n{stdout}"
                );
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 21, "{replayed} vectors replayed");
}

// --- `paygen request` prints the exact request, signed as the references say. ---

/// Runs `paygen request --reveal` and returns (request line, headers, body).
fn request(
    spec: &str,
    operation: &str,
    body: &str,
    creds: &[(&str, &str)],
    pins: &[&str],
) -> (String, Vec<(String, String)>, String) {
    let path = format!("{DIR}/{spec}.yaml");
    let mut args = vec![
        "request",
        path.as_str(),
        operation,
        "--body-text",
        body,
        "--reveal",
    ];
    let pairs: Vec<String> = creds.iter().map(|(k, v)| format!("{k}={v}")).collect();
    for p in &pairs {
        args.extend(["--credential", p.as_str()]);
    }
    args.extend(pins);
    let out = paygen(&args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{spec} {operation}: {}{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (head, body) = text.split_once("\n\n").expect("blank line before the body");
    let mut lines = head.lines();
    let line = lines.next().unwrap_or_default().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (line, headers, body.trim_end_matches('\n').to_string())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no header {name} in {headers:?}"))
}

#[test]
fn paygen_request_prints_published_and_independent_signatures() {
    // CryptoProcessing: the provider's published body and signature.
    let (_, headers, body) = request(
        "cryptoprocessing",
        "take_address",
        r#"{"currency":"BTC","foreign_id":"123456"}"#,
        &[("public_key", "pk"), ("secret_key", "AbCdEfG123456")],
        &[],
    );
    assert_eq!(body, r#"{"currency":"BTC","foreign_id":"123456"}"#);
    assert_eq!(header(&headers, "X-Processing-Signature"), "03c25fcf7cd35e7d995e402cd5d51edd72d48e1471e865907967809a0c189ba55b90815f20e2bb10f82c7a9e9d865546fda58989c2ae9e8e2ff7bc29195fa1ec");

    // Binance Pay, pinned to the vector's timestamp and nonce: the same bytes as the vector.
    let v = vector("binance_pay", "create order");
    let (_, headers, body) = request(
        "binance_pay",
        "create_order",
        r#"{"env":{"terminalType":"WEB"},"merchantTradeNo":"9825382937292","orderAmount":2517000000,"currency":"USDT","description":"Ice cream"}"#,
        &[
            ("api_key", "sn"),
            ("secret_key", "binance_pay_test_secret_key"),
        ],
        &[
            "--now",
            "1700000000",
            "--nonce",
            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        ],
    );
    assert_eq!(body, text(&v, "raw"));
    assert_eq!(header(&headers, "BinancePay-Timestamp"), "1700000000000");
    assert_eq!(
        header(&headers, "BinancePay-Signature"),
        text(&v, "signature")
    );

    // DOKU at the vector's time and Request-Id.
    let v = vector("doku", "checkout payment");
    let (_, headers, body) = request(
        "doku",
        "checkout_payment",
        &text(&v, "raw"),
        &[
            ("client_id", "MCH-0001-10791114622547"),
            ("secret_key", "SK-hCJ42G28TA0MKG9LE2E_1"),
        ],
        &[
            "--now",
            "1597135542",
            "--nonce",
            "d895fb53-479c-4f77-a76a-ab81b40d77cb",
        ],
    );
    assert_eq!(body, text(&v, "raw"));
    assert_eq!(header(&headers, "Signature"), text(&v, "placed"));
}

#[test]
fn paygen_request_prints_http_signatures_and_form_hashes() {
    let v = vector("cybersource", "POST /pts/v2/payments");
    let (line, headers, body) = request(
        "cybersource",
        "create_payment",
        r#"{"clientReferenceInformation":{"code":"TC50171_3"},"orderInformation":{"amountDetails":{"totalAmount":10221,"currency":"USD"}}}"#,
        &[
            ("merchant_id", "testrest"),
            ("key_id", "08c94330-f618-42a3-b09d-e1e43be5efda"),
            (
                "shared_secret",
                "yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE=",
            ),
        ],
        &["--now", "1563409083"],
    );
    assert_eq!(
        line,
        "POST https://apitest.cybersource.com/pts/v2/payments HTTP/1.1"
    );
    assert_eq!(body, text(&v, "raw"));
    assert_eq!(header(&headers, "Date"), "Thu, 18 Jul 2019 00:18:03 GMT");
    let signature = format!("signature=\"{}\"", text(&v, "signature"));
    assert!(
        header(&headers, "Signature").ends_with(&signature),
        "{headers:?}"
    );

    // Money in minor units, as the typed client takes it: 1000 paise of the spec's fixed INR.
    let (_, _, body) = request(
        "payu",
        "payment",
        r#"{"txnid":"txn123","amount":1000,"productinfo":"iPhone","firstname":"Ashish","email":"test@example.com","phone":"9876543210","surl":"https://shop.example/ok","furl":"https://shop.example/ko","udf1":"u1"}"#,
        &[("merchant_key", "merchant_key_test"), ("salt", "salt_test")],
        &[],
    );
    let hash = format!("hash={}", text(&vector("payu", "one udf set"), "signature"));
    assert!(body.split('&').any(|p| p == hash), "{body}");
    assert!(body.split('&').any(|p| p == "amount=10.00"), "{body}");

    let (_, headers, body) = request(
        "faspay",
        "payment",
        r#"{"MERCHANT_TRANID":"20061123_003","AMOUNT":10000,"CUSTNAME":"Budi","CUSTEMAIL":"budi@example.com","RETURN_URL":"https://shop.example/ret"}"#,
        &[("merchant_id", "TEST01"), ("txn_password", "059B8125F")],
        &[],
    );
    let expected = upper_hex(&sha1(b"##TEST01##059B8125F##20061123_003##100.00##0##"));
    assert!(
        body.split('&')
            .any(|p| p == format!("SIGNATURE={expected}")),
        "{body}"
    );
    // The operation answers an HTML page: the request asks for one.
    assert_eq!(header(&headers, "Accept"), "text/html");
}

#[test]
fn paygen_request_refuses_a_wire_decimal_where_the_client_takes_minor_units() {
    let path = format!("{DIR}/payu.yaml");
    let out = paygen(&[
        "request",
        &path,
        "payment",
        "--body-text",
        r#"{"txnid":"t1","amount":"10.00","productinfo":"p","firstname":"A","email":"a@example.com","phone":"9876543210","surl":"https://s.example/ok","furl":"https://s.example/ko"}"#,
        "--credential",
        "merchant_key=k",
        "--credential",
        "salt=s",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no request is printed");
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(
        errors.contains("amount [type]: must be an integer amount in minor units"),
        "{errors}"
    );
}

#[test]
fn paygen_request_signs_path_parameters_and_private_key_schemes() {
    use rsa::pkcs8::DecodePrivateKey as _;
    use rsa::signature::{SignatureEncoding as _, Signer as _};
    let v = vector("wechat_pay", "native order");
    let pem = text(&v, "merchant_private_key");
    let creds = [
        ("mchid", "1230000109"),
        ("serial_no", "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"),
        ("merchant_private_key", pem.as_str()),
        ("platform_public_key", "unused"),
    ];
    let pins = [
        "--now",
        "1554208460",
        "--nonce",
        "593BEC0C930BF1AFEB40B4A08C8FB242",
    ];
    let (_, headers, body) = request(
        "wechat_pay",
        "native_order",
        r#"{"appid":"wxd678efh567hg6787","description":"QQ doll","out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php","amount":{"total":100,"currency":"CNY"}}"#,
        &creds,
        &pins,
    );
    assert_eq!(body, text(&v, "raw"));
    let wanted = format!("signature=\"{}\"", text(&v, "signature"));
    assert!(
        header(&headers, "Authorization").contains(&wanted),
        "{headers:?}"
    );

    // GET with the order number in the path and mchid in the query, both signed; the body is empty.
    let (line, headers, body) = request(
        "wechat_pay",
        "query_order",
        r#"{"out_trade_no":"1217752501201407033233368018"}"#,
        &creds,
        &pins,
    );
    let target = "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1230000109";
    assert_eq!(
        line,
        format!("GET https://api.mch.weixin.qq.com{target} HTTP/1.1")
    );
    assert_eq!(body, "");
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&pem).expect("key");
    let message = format!("GET\n{target}\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
    let signature = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key).sign(message.as_bytes());
    let wanted = format!("signature=\"{}\"", b64(&signature.to_bytes()));
    assert!(
        header(&headers, "Authorization").contains(&wanted),
        "{headers:?}"
    );

    // Revolut X: Ed25519 over timestamp + method + path + body (same pkcs8/signature traits).
    let pem = text(&vector("revolut_x", "place order"), "private_key");
    let (_, headers, body) = request(
        "revolut_x",
        "place_order",
        r#"{"client_order_id":"3b364427-1f4f-4f66-9935-86b6fb115d26","symbol":"BTC-USD","side":"buy","order_configuration":{"limit":{"base_size":"0.1","price":"90000.1"}}}"#,
        &[("api_key", "k"), ("private_key", pem.as_str())],
        &["--now", "1746007718"],
    );
    let message = format!("1746007718000POST/api/1.0/orders{body}");
    let key = ed25519_dalek::SigningKey::from_pkcs8_pem(&pem).expect("key");
    assert_eq!(
        header(&headers, "X-Revx-Signature"),
        b64(&key.sign(message.as_bytes()).to_bytes())
    );
}
