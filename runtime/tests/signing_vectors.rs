//! Official (and documented self-computed) provider signature vectors, run through the engine.
//!
//! Recipes are written as the YAML would be (via `serde_json::from_value`), which also proves
//! the documented recipe keys deserialize. Sources: /work/shared/providers/*.md.

use paygen_runtime::signing::{
    canonicalize, check_recipe, sign, sign_stages, verify, Recipe, SignInput, SigningError,
};
use paygen_runtime::Credentials;
use serde_json::{json, Map, Value};

/// Sha1 `key:value;` recipe shared by Cactusgino and Cabbagino (Python reference function).
fn sha1_salt_recipe() -> Recipe {
    recipe(json!({
        "over": "body_fields",
        "exclude": ["signature"],
        "canonical": {
            "sort": "keys",
            "key_case": "lower",
            "pair": "{key}:{value}",
            "join": ";",
            "prefix": "",
            "suffix": ";",
            "skip": "blank",
            "null": {"render": "None"},
            "bools": {"true": "True", "false": "False"},
            "nested": {"flatten_one_level": {"pair": "{key}:{value}", "join": ";"}},
            "lists": {"sorted_join": ";"},
            "deep": "python_repr"
        },
        "digest": "sha1",
        "secret": {"credential": "salt", "use": "append"},
        "encoding": "hex",
        "place": {"body_field": "signature"}
    }))
}

/// Pockyt `verifySign`: md5 of sorted `k=v&...` + `&` + md5_hex(api_token).
fn pockyt_recipe() -> Recipe {
    recipe(json!({
        "over": "body_fields",
        "canonical": {"sort": "keys", "pair": "{key}={value}", "join": "&", "skip": "never", "null": "skip"},
        "digest": "md5",
        "secret": {"credential": "api_token", "use": "append", "transform": "md5_hex", "separator": "&"},
        "encoding": "hex",
        "place": {"body_field": "verifySign"}
    }))
}

/// Global Solutions `Content-HMAC`: base64 of the hex HMAC-SHA256 of the raw body.
fn content_hmac_recipe() -> Recipe {
    recipe(json!({
        "over": "raw_body",
        "digest": "hmac_sha256",
        "secret": {"credential": "api_secret", "use": "hmac_key"},
        "encoding": "base64_of_hex",
        "place": {"header": "Content-HMAC"}
    }))
}

fn recipe(value: Value) -> Recipe {
    let parsed: Result<Recipe, _> = serde_json::from_value(value);
    match parsed {
        Ok(r) => {
            assert_eq!(
                check_recipe(&r),
                Vec::<String>::new(),
                "recipe must be coherent"
            );
            r
        }
        Err(e) => panic!("recipe does not deserialize: {e}"),
    }
}

/// Parses JSON text (not `json!`) so numbers keep their exact wire text.
fn fields(text: &str) -> Map<String, Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        other => panic!("test input is not a JSON object: {other:?}"),
    }
}

fn creds(name: &str, value: &str) -> Credentials {
    Credentials::new().with(name, value)
}

/// Asserts canonical and signature of a field vector, and that verify accepts it.
fn assert_vector(r: &Recipe, c: &Credentials, body: &str, canonical: &str, signature: &str) {
    let map = fields(body);
    let input = SignInput::Fields(&map);
    let signed = sign(r, c, &input).map_err(|e| e.to_string());
    let signed = signed
        .as_ref()
        .map(|s| (s.canonical.as_str(), s.signature.as_str()));
    assert_eq!(signed, Ok((canonical, signature)));
    assert_eq!(canonicalize(r, &input), Ok(canonical.to_string()));
    assert_eq!(verify(r, c, &input, signature), Ok(()));
}

/// Named `signing` so `cargo test -p paygen-runtime signing` selects these vectors.
mod signing {
    use super::*;

    // ---- Global Solutions §6 ------------------------------------------------------------------

    const GS_BODY: &[u8] = br#"{"transactionId":512,"amount":30.45,"currency":"EUR"}"#;
    const GS_SIGNATURE: &str =
        "MzVkMzBlMTdmMmVkNGJkNjFhMzFmNTdhODU0ZGQwZTYwZGU5MDg5MDRiODYyMTAzZmI0ZDAzMjRiMWJmNmM3Mw==";

    #[test]
    fn global_solutions_content_hmac() {
        let r = content_hmac_recipe();
        let c = creds("api_secret", "1234ABCD");
        let input = SignInput::Raw(GS_BODY);
        let stages = sign_stages(&r, &c, &input).map_err(|e| e.to_string());
        let stages = stages.as_ref().map(|s| {
            (
                s.canonical.as_str(),
                s.digest_hex.as_str(),
                s.signature.as_str(),
            )
        });
        assert_eq!(
            stages,
            Ok((
                r#"{"transactionId":512,"amount":30.45,"currency":"EUR"}"#,
                "35d30e17f2ed4bd61a31f57a854dd0e60de908904b862103fb4d0324b1bf6c73",
                GS_SIGNATURE
            ))
        );
        assert_eq!(verify(&r, &c, &input, GS_SIGNATURE), Ok(()));
    }

    #[test]
    fn global_solutions_rejects_base64_of_raw_digest_and_field_input() {
        let r = content_hmac_recipe();
        let c = creds("api_secret", "1234ABCD");
        let raw_digest_form = "NdMOF/LtS9YaMfV6hU3Q5g3pCJBLhiED+00DJLG/bHM=";
        let got = verify(&r, &c, &SignInput::Raw(GS_BODY), raw_digest_form);
        assert_eq!(got, Err(SigningError::Mismatch { expected_len: 88 }));
        let lower = GS_SIGNATURE.to_lowercase();
        let got = verify(&r, &c, &SignInput::Raw(GS_BODY), &lower);
        assert!(
            matches!(got, Err(SigningError::Mismatch { .. })),
            "base64 compares case-sensitively"
        );
        let map = fields(r#"{"transactionId":512}"#);
        let got = sign(&r, &c, &SignInput::Fields(&map));
        assert_eq!(
            got,
            Err(SigningError::WrongInput(
                "recipe signs raw_body but fields were given"
            ))
        );
    }

    // ---- Cactusgino §3 --------------------------------------------------------------------------

    #[test]
    fn cactusgino_t1_request() {
        assert_vector(
            &sha1_salt_recipe(),
            &creds("salt", "test_api_v2"),
            r#"{"merchant_id":"test_api_v2","request_id":"test20240430132039","site_id":"101","update_type":"delete","signature":"ignored"}"#,
            "merchant_id:test_api_v2;request_id:test20240430132039;site_id:101;update_type:delete;",
            "7b71ef53367785053e8e3bb3300ac4458884428f",
        );
    }

    #[test]
    fn cactusgino_t2_response_with_python_bool() {
        assert_vector(
        &sha1_salt_recipe(),
        &creds("salt", "test_api_v2"),
        r#"{"amount":10000000,"currency":"RUB","invoice_id":23249,"request_id":"test20240430132039","site_id":101,"site_login":"user_4","success":true}"#,
        "amount:10000000;currency:RUB;invoice_id:23249;request_id:test20240430132039;site_id:101;site_login:user_4;success:True;",
        "5520cc4d1ec1433f8ff01470f0d95c3b9a363000",
    );
    }

    #[test]
    fn cactusgino_reference_with_additional_fields() {
        assert_vector(
        &sha1_salt_recipe(),
        &creds("salt", "test_salt"),
        r#"{"site_id":"1","site_login":"test_login","merchant_id":"merch_id","customer_ip":"1.2.3.4","currency":"USD","additional_fields":{"bank_name":"Citibank","card_holder":"John Wick","card_number":"0000000000000"}}"#,
        "additional_fields:bank_name:Citibank;card_holder:John Wick;card_number:0000000000000;currency:USD;customer_ip:1.2.3.4;merchant_id:merch_id;site_id:1;site_login:test_login;",
        "ef326e97eb904bad472cdb46e6c907a2baff66f3",
    );
    }

    // ---- Pockyt §3 ------------------------------------------------------------------------------

    const POCKYT_TOKEN: &str = "5cbfb079f15b150122261c8537086d77a";

    #[test]
    fn pockyt_p1_signing_example() {
        assert_vector(
            &pockyt_recipe(),
            &creds("api_token", POCKYT_TOKEN),
            r#"{"amount":"1.00","storeNo":"300014","currency":"USD","merchantNo":"200043","callbackUrl":"https://wx.yuansfer.yunkeguan.com/wx","terminal":"ONLINE","ipnUrl":"https://wx.yuansfer.yunkeguan.com/wx","reference":"seq_1525922323","vendor":"alipay","goodsInfo":"[{\"goods_name\":\"Yuansfer\",\"quantity\":\"1\"}]","timeout":"120"}"#,
            r#"amount=1.00&callbackUrl=https://wx.yuansfer.yunkeguan.com/wx&currency=USD&goodsInfo=[{"goods_name":"Yuansfer","quantity":"1"}]&ipnUrl=https://wx.yuansfer.yunkeguan.com/wx&merchantNo=200043&reference=seq_1525922323&storeNo=300014&terminal=ONLINE&timeout=120&vendor=alipay"#,
            "b6bfd66531ae7c9499115c7480a2c8aa",
        );
    }

    #[test]
    fn pockyt_p1_with_json_numbers_keeps_number_text() {
        // Same vector with `amount` and `timeout` as JSON numbers: `1.00` must stay `1.00`.
        assert_vector(
            &pockyt_recipe(),
            &creds("api_token", POCKYT_TOKEN),
            r#"{"amount":1.00,"storeNo":300014,"currency":"USD","merchantNo":200043,"callbackUrl":"https://wx.yuansfer.yunkeguan.com/wx","terminal":"ONLINE","ipnUrl":"https://wx.yuansfer.yunkeguan.com/wx","reference":"seq_1525922323","vendor":"alipay","goodsInfo":"[{\"goods_name\":\"Yuansfer\",\"quantity\":\"1\"}]","timeout":120,"verifySign":"x"}"#,
            r#"amount=1.00&callbackUrl=https://wx.yuansfer.yunkeguan.com/wx&currency=USD&goodsInfo=[{"goods_name":"Yuansfer","quantity":"1"}]&ipnUrl=https://wx.yuansfer.yunkeguan.com/wx&merchantNo=200043&reference=seq_1525922323&storeNo=300014&terminal=ONLINE&timeout=120&vendor=alipay"#,
            "b6bfd66531ae7c9499115c7480a2c8aa",
        );
    }

    #[test]
    fn pockyt_p2_ipn_verification() {
        let body = r#"{"transactionNo":"305680500880311923","status":"success","amount":"0.01","currency":"USD","settleCurrency":"USD","reference":"test1666247277861","time":"20221020142817","verifySign":"435d01c5d5fa88cfe8168fbfbf732519"}"#;
        assert_vector(
        &pockyt_recipe(),
        &creds("api_token", POCKYT_TOKEN),
        body,
        "amount=0.01&currency=USD&reference=test1666247277861&settleCurrency=USD&status=success&time=20221020142817&transactionNo=305680500880311923",
        "435d01c5d5fa88cfe8168fbfbf732519",
    );
    }

    #[test]
    fn pockyt_stages_show_md5_token_placeholder_only() {
        let map = fields(r#"{"amount":"0.01","street2":"","note":null}"#);
        let c = creds("api_token", POCKYT_TOKEN);
        let stages =
            sign_stages(&pockyt_recipe(), &c, &SignInput::Fields(&map)).map_err(|e| e.to_string());
        let masked = stages
            .as_ref()
            .map(|s| (s.canonical.as_str(), s.digested_masked.as_str()));
        assert_eq!(
            masked,
            Ok((
                "amount=0.01&street2=",
                "amount=0.01&street2=&<md5_hex(api_token)>"
            ))
        );
        let text = format!("{stages:?}");
        assert!(!text.contains(POCKYT_TOKEN));
        assert!(
            !text.contains("186abea4b8610d7ff03768255588597a"),
            "md5(token) must not leak"
        );
    }

    // ---- Cabbagino §3 (self-computed with the documented Python function) -------------------------

    fn cabbagino(body: &str, canonical: &str, signature: &str) {
        assert_vector(
            &sha1_salt_recipe(),
            &creds("salt", "test_salt"),
            body,
            canonical,
            signature,
        );
    }

    #[test]
    fn cabbagino_c1_nested_customer() {
        cabbagino(
        r#"{"payment_system":"TEST_PS","external_id":"ext-0001","customer":{"customer_id":"test","country":"LV","first_name":"Test","last_name":"Test"},"amount":1100000,"currency":"USD"}"#,
        "amount:1100000;currency:USD;customer:country:LV;customer_id:test;first_name:Test;last_name:Test;external_id:ext-0001;payment_system:TEST_PS;",
        "ef30bc1fddd85ec204c8265f34c3a63c72a5c28e",
    );
    }

    #[test]
    fn cabbagino_c2_two_nested_objects() {
        cabbagino(
        r#"{"payment_system":"TEST_PS","external_id":"ext-0001","customer":{"customer_id":"test","country":"LV","first_name":"Test","last_name":"Test"},"amount":2000,"currency":"USD","payment_data":{"card_number":"4111111111111111","card_holder":"John Doe","exp_year":"2028","exp_month":"06","cvv":"123"}}"#,
        "amount:2000;currency:USD;customer:country:LV;customer_id:test;first_name:Test;last_name:Test;external_id:ext-0001;payment_data:card_holder:John Doe;card_number:4111111111111111;cvv:123;exp_month:06;exp_year:2028;payment_system:TEST_PS;",
        "9d31107dc5ae18d87c82bfda677192b10356171c",
    );
    }

    #[test]
    fn cabbagino_c3_single_field() {
        cabbagino(
            r#"{"order_id":"173020046562736927738477393445"}"#,
            "order_id:173020046562736927738477393445;",
            "ac9503d1726f9ed3d6629d461f1267f55c59ce6e",
        );
    }

    #[test]
    fn cabbagino_c4_decline_callback() {
        cabbagino(
        r#"{"status":5,"type":1,"external_id":"example_external_id","order_id":"173805987126016235868313296401","amount":10000,"currency":"USD","customer_id":"307354","reason_code":"001","reason":"General decline","signature":"611c31bbb64d165be78cd6a86af81ee44f6de97f"}"#,
        "amount:10000;currency:USD;customer_id:307354;external_id:example_external_id;order_id:173805987126016235868313296401;reason:General decline;reason_code:001;status:5;type:1;",
        "611c31bbb64d165be78cd6a86af81ee44f6de97f",
    );
    }

    #[test]
    fn cabbagino_c5_edge_quirks() {
        cabbagino(
            r#"{"b":"","a":" ","C":[3,1,2],"d":{"z":"","y":null},"e":null,"f":true,"g":1.5}"#,
            "c:1;2;3;d:y:None;z:;e:None;f:True;g:1.5;",
            "04d87ca86be3d899da7f1f9b1a15a2c45a636e9a",
        );
    }

    #[test]
    fn cabbagino_verify_rejects_tampered_body_and_missing_salt() {
        let r = sha1_salt_recipe();
        let map = fields(r#"{"order_id":"173020046562736927738477393446"}"#);
        let input = SignInput::Fields(&map);
        let c = creds("salt", "test_salt");
        let got = verify(&r, &c, &input, "ac9503d1726f9ed3d6629d461f1267f55c59ce6e");
        assert_eq!(got, Err(SigningError::Mismatch { expected_len: 40 }));
        let got = sign(&r, &creds("other", "x"), &input);
        assert_eq!(got, Err(SigningError::MissingCredential("salt".into())));
    }
}
