//! Non-JSON answers typed by status and content type (issue 7 item 7): redirects, HTML and
//! text pages, auto-post forms, never `Ok(Null)`; the `Accept` header follows the spec.

mod support;

use std::sync::Arc;
use std::time::Duration;

use paygen_runtime::{
    engine::decode, engine::decode_answer, engine::Answer, engine::Answers, engine::AuthSpec,
    engine::BodyEncoding, engine::Method, engine::OperationMeta, engine::ProviderMeta,
    engine::Repeat, CallOptions, Credentials, Engine, EngineConfig, Error, FixedClock,
};
use paygen_runtime::{OutcomeClass, UnknownCause};
use serde_json::{json, Value};
use support::{start, Reply};

const ALL: Answers = Answers {
    json: true,
    redirect: true,
    html: true,
    text: true,
    form: true,
};

fn op(answers: Answers, accept: &'static str, repeat: Repeat) -> OperationMeta {
    OperationMeta {
        name: "start_3ds",
        method: Method::Post,
        host: "default",
        path: "/3ds",
        encoding: BodyEncoding::Json,
        repeat,
        money_moving: false,
        sign_request: false,
        verify_response: false,
        provider_error: None,
        typed_error_statuses: false,
        accept,
        answers,
        timeout: None,
    }
}

fn engine(url: String) -> Engine {
    let provider = ProviderMeta {
        name: "pages",
        auth: AuthSpec::default(),
        request_recipe: None,
        response_recipe: None,
        request_id_header: None,
    };
    let config = EngineConfig {
        timeout: Duration::from_millis(500),
        max_retries: 0,
        ..EngineConfig::default()
    };
    Engine::new(
        provider,
        vec![("default".into(), url)],
        Credentials::new(),
        config,
        Arc::new(FixedClock(0)),
    )
    .expect("engine")
}

async fn answer(reply: Reply, o: &OperationMeta) -> (Result<Answer<Value>, Error>, String) {
    let server = start(vec![reply]).await;
    let result = engine(server.url())
        .call(o, None, &CallOptions::default(), |raw| {
            decode_answer(o, raw, |raw| decode(o.name, raw))
        })
        .await;
    let accept = server
        .only()
        .header("accept")
        .unwrap_or_default()
        .to_string();
    (result, accept)
}

const FORM_PAGE: &str = r#"<html><body onload="document.forms[0].submit()">
<form method="POST" action="https://acs.example/pareq"><input type="hidden" name="PaReq" value="abc&amp;def"><input name="MD" value="42"></form></body></html>"#;

#[tokio::test]
async fn each_declared_kind_is_typed_by_status_and_content_type() {
    let o = op(ALL, "application/json, text/html, text/plain", Repeat::Safe);
    let (r, accept) = answer(Reply::typed(200, "application/json", r#"{"a":1}"#), &o).await;
    assert_eq!(r.expect("json"), Answer::Data(json!({"a": 1})));
    assert_eq!(accept, "application/json, text/html, text/plain");

    let redirect =
        Reply::typed(303, "text/html", "").with_header("Location", "https://pay.example/x?t=1");
    let (r, _) = answer(redirect, &o).await;
    assert_eq!(
        r.expect("redirect"),
        Answer::Redirect {
            status: 303,
            location: "https://pay.example/x?t=1".into()
        }
    );

    let (r, _) = answer(Reply::typed(200, "text/html; charset=utf-8", FORM_PAGE), &o).await;
    let Answer::Form(form) = r.expect("form") else {
        panic!("expected a form")
    };
    assert_eq!(form.action, "https://acs.example/pareq");
    assert_eq!(form.method, "POST");
    assert_eq!(form.field("PaReq"), Some("abc&def"));
    assert_eq!(form.field("MD"), Some("42"));

    let (r, _) = answer(Reply::typed(200, "text/html", "<p>Thanks</p>"), &o).await;
    assert_eq!(r.expect("html"), Answer::Html("<p>Thanks</p>".into()));

    let (r, _) = answer(Reply::typed(200, "text/plain", "OK"), &o).await;
    assert_eq!(r.expect("text"), Answer::Text("OK".into()));
}

#[tokio::test]
async fn json_only_operations_never_turn_a_page_into_null() {
    let o = op(Answers::JSON, "application/json", Repeat::Safe);
    let (r, accept) = answer(Reply::typed(200, "text/html", "<html>login</html>"), &o).await;
    assert_eq!(accept, "application/json");
    assert!(
        matches!(&r, Err(Error::Undecodable { reason, .. }) if reason.contains("HTML")),
        "{r:?}"
    );
    let (r, _) = answer(Reply::typed(200, "text/plain", "OK"), &o).await;
    assert!(matches!(r, Err(Error::Undecodable { .. })), "{r:?}");
    // an empty 2xx body is still fine (decodes as null)
    let (r, _) = answer(Reply::typed(204, "text/plain", ""), &o).await;
    assert_eq!(r.expect("empty"), Answer::Data(Value::Null));
}

#[tokio::test]
async fn an_undeclared_kind_of_a_money_moving_call_is_an_unknown_outcome() {
    let only_form = Answers {
        json: false,
        redirect: false,
        html: false,
        text: false,
        form: true,
    };
    let once = Repeat::Once {
        resolve: paygen_runtime::Resolve::Lookup {
            operation: "status",
            key: &[("id", "id")],
        },
    };
    let o = op(only_form, "text/html", once);
    let (r, accept) = answer(Reply::typed(200, "text/html", FORM_PAGE), &o).await;
    assert_eq!(accept, "text/html");
    assert!(matches!(r, Ok(Answer::Form(_))), "{r:?}");
    for reply in [
        Reply::typed(200, "text/html", "<p>no form</p>"),
        Reply::typed(200, "application/json", "{}"),
        Reply::typed(302, "text/html", "").with_header("Location", "/x"),
    ] {
        let (r, _) = answer(reply, &o).await;
        let e = r.expect_err("undeclared");
        assert_eq!(e.class(), OutcomeClass::Unknown, "{e:?}");
        assert!(matches!(
            e,
            Error::OutcomeUnknown {
                cause: UnknownCause::Undecodable | UnknownCause::UnexpectedStatus(302),
                ..
            }
        ));
    }
}
