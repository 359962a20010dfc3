//! The scheme corpus' notifications: each provider's published (or independently computed)
//! notification is accepted by the generated `verify_webhook` / the generated recipe with the
//! runtime's verifier and an injected clock, parsed into the documented event, and refused once
//! tampered with, outside the tolerance window, or under an unknown key.

mod schemes_support;

include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/adyen.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/circle.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/gocardless.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/midtrans.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/paddle.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/square.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/stripe.rs"));
include!(concat!(env!("OUT_DIR"), "/fixtures/schemes/wechat_pay.rs"));

use std::sync::Arc;

use paygen_runtime::__codegen::WebhookEncoding;
use paygen_runtime::{Error, Secret, WebhookVerifier};
use schemes_support::reference::*;
use schemes_support::*;

fn is_bad_signature<T: std::fmt::Debug>(r: Result<T, Error>) -> bool {
    matches!(r, Err(Error::BadSignature { .. }))
}

#[test]
fn adyen_accepts_its_published_notification_item() {
    let creds = adyen::Credentials {
        api_key: Secret::new("k"),
        hmac_key: Secret::new("44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"),
    };
    let body = r#"{"additionalData":{"hmacSignature":"coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="},"amount":{"value":1130,"currency":"EUR"},"pspReference":"7914073381342284","eventCode":"AUTHORISATION","merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704","paymentMethod":"visa","success":"true"}"#;
    match adyen::verify_webhook(&creds, &header_map(&[]), body.as_bytes()) {
        Ok(adyen::WebhookEvent::Notification(item)) => {
            assert_eq!(item.event_code.as_deref(), Some("AUTHORISATION"));
            assert_eq!(item.amount.and_then(|a| a.value), Some(1130));
        }
        other => panic!("{other:?}"),
    }
    let tampered = body.replace("1130", "1131");
    assert!(is_bad_signature(adyen::verify_webhook(
        &creds,
        &header_map(&[]),
        tampered.as_bytes()
    )));
}

#[test]
fn square_accepts_its_published_sample() {
    let creds = square::Credentials {
        access_token: Secret::new("t"),
        signature_key: Secret::new("asdf1234"),
        notification_url: "https://example.com/webhook".into(),
    };
    let headers = header_map(&[(
        "x-square-hmacsha256-signature",
        "2kRE5qRU2tR+tBGlDwMEw2avJ7QM4ikPYD/PJ3bd9Og=",
    )]);
    assert!(square::verify_webhook(&creds, &headers, br#"{"hello":"world"}"#).is_ok());
    let elsewhere = square::Credentials {
        notification_url: "https://example.com/other".into(),
        ..creds
    };
    assert!(is_bad_signature(square::verify_webhook(
        &elsewhere,
        &headers,
        br#"{"hello":"world"}"#
    )));
}

#[test]
fn gocardless_accepts_its_published_fixture() {
    let creds = gocardless::Credentials {
        access_token: Secret::new("t"),
        webhook_secret: Secret::new("ED7D658C-D8EB-4941-948B-3973214F2D49"),
    };
    let raw = text(&vector("gocardless", "SDK fixture"), "raw");
    let headers = header_map(&[(
        "Webhook-Signature",
        "2693754819d3e32d7e8fcb13c729631f316c6de8dc1cf634d6527f1c07276e7e",
    )]);
    match gocardless::verify_webhook(&creds, &headers, raw.as_bytes()) {
        Ok(gocardless::WebhookEvent::Events(batch)) => {
            let ids: Vec<_> = batch
                .events
                .unwrap_or_default()
                .into_iter()
                .filter_map(|e| e.id)
                .collect();
            assert_eq!(ids, ["EV00BD05S5VM2T", "EV00BD05TB8K63"]);
        }
        other => panic!("{other:?}"),
    }
    let headers = header_map(&[("Webhook-Signature", "00")]);
    assert!(is_bad_signature(gocardless::verify_webhook(
        &creds,
        &headers,
        raw.as_bytes()
    )));
}

#[test]
fn circle_accepts_its_published_ecdsa_signature() {
    let v = vector("circle", "webhooks.test");
    let creds = circle::Credentials {
        api_key: Secret::new("TEST_API_KEY:x:y"),
        notification_public_key: text(&v, "notification_public_key"),
    };
    let raw = text(&v, "raw");
    let headers = header_map(&[
        ("X-Circle-Key-Id", "879dc113-5ca4-4ff7-a6b7-54652083fcf8"),
        ("X-Circle-Signature", &text(&v, "signature")),
    ]);
    match circle::verify_webhook(&creds, &headers, raw.as_bytes()) {
        Ok(circle::WebhookEvent::Notification(n)) => {
            assert_eq!(n.notification_type.as_deref(), Some("webhooks.test"))
        }
        other => panic!("{other:?}"),
    }
    let tampered = raw.replace("world", "earth");
    assert!(is_bad_signature(circle::verify_webhook(
        &creds,
        &headers,
        tampered.as_bytes()
    )));
}

fn stripe_verifier(now: i64) -> WebhookVerifier {
    let creds = stripe::Credentials {
        secret_key: Secret::new("sk_test"),
        webhook_secret: Secret::new("whsec_test_secret"),
        webhook_secret_previous: Secret::new("whsec_previous_secret"),
    };
    WebhookVerifier::new(
        &stripe::webhook_recipe(),
        &creds.to_runtime(),
        WebhookEncoding::Json,
    )
    .expect("verifier")
    .with_clock(Arc::new(FixedClock(now)))
}

#[test]
fn stripe_checks_candidates_rotation_and_tolerance_both_ways() {
    let v = vector("stripe", "payment_intent.succeeded");
    let raw = text(&v, "raw");
    let current = text(&v, "signature");
    let message = format!("1700000000.{raw}");
    let previous = lower_hex(&hmac_sha256(b"whsec_previous_secret", message.as_bytes()));
    let header = |value: String| header_map(&[("Stripe-Signature", value.as_str())]);
    let verifier = stripe_verifier(1_700_000_100);
    // The current secret, a signature from the previous secret alone, or either of several v1.
    let fields = verifier
        .verify(
            &header(format!("t=1700000000,v1={current}")),
            raw.as_bytes(),
        )
        .expect("current");
    match stripe::WebhookEvent::from_fields(fields) {
        Ok(stripe::WebhookEvent::Event(e)) => {
            assert_eq!(e.id.as_deref(), Some("evt_1NG8Du2eZvKYlo2CUI79vXWy"))
        }
        other => panic!("{other:?}"),
    }
    assert!(verifier
        .verify(
            &header(format!("t=1700000000,v1={previous}")),
            raw.as_bytes()
        )
        .is_ok());
    assert!(verifier
        .verify(
            &header(format!("t=1700000000,v1=00ff,v1={current}")),
            raw.as_bytes()
        )
        .is_ok());
    // Unknown key, too old, too far in the future.
    let stranger = lower_hex(&hmac_sha256(b"whsec_other", message.as_bytes()));
    assert!(is_bad_signature(verifier.verify(
        &header(format!("t=1700000000,v1={stranger}")),
        raw.as_bytes()
    )));
    let signed = header(format!("t=1700000000,v1={current}"));
    assert!(is_bad_signature(
        stripe_verifier(1_700_000_301).verify(&signed, raw.as_bytes())
    ));
    assert!(is_bad_signature(
        stripe_verifier(1_699_999_699).verify(&signed, raw.as_bytes())
    ));
    assert!(stripe_verifier(1_699_999_700)
        .verify(&signed, raw.as_bytes())
        .is_ok());
}

#[test]
fn paddle_reads_semicolon_pairs_within_its_tolerance() {
    let v = vector("paddle", "transaction.completed");
    let creds = paddle::Credentials {
        api_key: Secret::new("k"),
        webhook_secret: Secret::new(text(&v, "webhook_secret")),
    };
    let verifier = |now: i64| {
        WebhookVerifier::new(
            &paddle::webhook_recipe(),
            &creds.to_runtime(),
            WebhookEncoding::Json,
        )
        .expect("verifier")
        .with_clock(Arc::new(FixedClock(now)))
    };
    let raw = text(&v, "raw");
    let headers = header_map(&[("Paddle-Signature", &text(&v, "placed"))]);
    assert!(verifier(1_671_552_780)
        .verify(&headers, raw.as_bytes())
        .is_ok());
    assert!(is_bad_signature(
        verifier(1_671_552_790).verify(&headers, raw.as_bytes())
    ));
}

#[test]
fn midtrans_verifies_the_field_signed_notification() {
    let creds = midtrans::Credentials {
        server_key: Secret::new("SB-Mid-server-TEST"),
        basic_password: String::new(),
    };
    let signature = text(&vector("midtrans", "bank transfer pending"), "signature");
    let body = format!(
        r#"{{"transaction_status":"pending","status_code":"201","order_id":"ZT-M1-I1","gross_amount":"650000.00","payment_type":"echannel","signature_key":"{signature}"}}"#
    );
    match midtrans::verify_webhook(&creds, &header_map(&[]), body.as_bytes()) {
        Ok(midtrans::WebhookEvent::Notification(n)) => {
            assert_eq!(n.order_id.as_deref(), Some("ZT-M1-I1"))
        }
        other => panic!("{other:?}"),
    }
    let tampered = body.replace("650000.00", "1.00");
    assert!(is_bad_signature(midtrans::verify_webhook(
        &creds,
        &header_map(&[]),
        tampered.as_bytes()
    )));
}

#[test]
fn wechat_pay_verifies_notifications_with_the_platform_public_key() {
    let n = vector("wechat_pay", "notification");
    let v = vector("wechat_pay", "native order");
    let creds = wechat_pay::Credentials {
        mchid: "1230000109".into(),
        serial_no: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C".into(),
        merchant_private_key: Secret::new(text(&v, "merchant_private_key")),
        platform_public_key: text(&n, "platform_public_key"),
    };
    let raw = text(&n, "raw");
    let headers = header_map(&[
        ("Wechatpay-Timestamp", "1554209980"),
        ("Wechatpay-Nonce", "c5ac7061fccab6bf3e254dcf98995b8c"),
        ("Wechatpay-Signature", &text(&n, "signature")),
    ]);
    assert!(wechat_pay::verify_webhook(&creds, &headers, raw.as_bytes()).is_ok());
    let replayed = header_map(&[
        ("Wechatpay-Timestamp", "1554209981"),
        ("Wechatpay-Nonce", "c5ac7061fccab6bf3e254dcf98995b8c"),
        ("Wechatpay-Signature", &text(&n, "signature")),
    ]);
    assert!(is_bad_signature(wechat_pay::verify_webhook(
        &creds,
        &replayed,
        raw.as_bytes()
    )));
}

#[test]
fn notifications_expose_the_declared_deduplication_key() {
    // Midtrans: reference + status (a redelivery of the same transition has the same key).
    let creds = midtrans::Credentials {
        server_key: Secret::new("SB-Mid-server-TEST"),
        basic_password: String::new(),
    };
    let signature = text(&vector("midtrans", "bank transfer pending"), "signature");
    let body = format!(
        r#"{{"transaction_status":"pending","status_code":"201","order_id":"ZT-M1-I1","gross_amount":"650000.00","transaction_id":"11676935-0fe2","signature_key":"{signature}"}}"#
    );
    let verifier = midtrans::webhook_verifier(&creds).expect("verifier");
    let received =
        midtrans::receive_webhook(&verifier, &header_map(&[]), body.as_bytes()).expect("verified");
    assert_eq!(
        received.dedup_key.as_deref(),
        Some("11676935-0fe2\u{1f}pending")
    );

    // Stripe: the event id.
    let v = vector("stripe", "payment_intent.succeeded");
    let creds = stripe::Credentials {
        secret_key: Secret::new("sk_test"),
        webhook_secret: Secret::new("whsec_test_secret"),
        webhook_secret_previous: Secret::new("whsec_previous_secret"),
    };
    let verifier = stripe::webhook_verifier(&creds)
        .expect("verifier")
        .with_clock(Arc::new(FixedClock(1_700_000_000)));
    let headers = header_map(&[("Stripe-Signature", &text(&v, "placed"))]);
    let received =
        stripe::receive_webhook(&verifier, &headers, text(&v, "raw").as_bytes()).expect("verified");
    assert_eq!(
        received.dedup_key.as_deref(),
        Some("evt_1NG8Du2eZvKYlo2CUI79vXWy")
    );
}
