//! The answer's tape (`wire_parse`) against `serde_json`: the same acceptance, the same
//! lookups, the same text.

use bytes::Bytes;
use serde_json::Value;

use crate::json_path::{self, at, equals_bool, equals_i64, equals_str, has, text_at};
use crate::wire_parse::AnswerJson;

fn parsed(text: &str) -> Option<AnswerJson> {
    AnswerJson::parse(&Bytes::copy_from_slice(text.as_bytes()))
}

fn on_tape(text: &str) -> bool {
    parsed(text).is_some_and(|j| j.tape_body().is_some())
}

/// Bodies the tape takes, and the paths read from each.
const TAPE: [&str; 9] = [
    r#"{"status":1,"code":"E12","ok":true,"amt":40.10,"n":"200","nil":null,
        "data":{"items":[{"id":"a"},{"id":7}],"0":"zero"},"errors":[{"code":"X"}]}"#,
    r#"{"success":true,"message":null,"model":{"transactionId":524,"amount":40.11,"statusCode":4}}"#,
    r#"[1, -0, 2.50, -0.001, 123456789012345678901234567890, "a\"b\\c\/d\n\t"]"#,
    " {\"a\" : [ ] , \"b\" : { } , \"c\":[[[]]], \"d\":\"caf\u{e9} \u{1F600}\"}\r\n",
    r#""just a string""#,
    "42",
    "null",
    r#"{"x":{"y":{"z":[0,{"w":false}]}},"q":"true","r":"-7"}"#,
    r#"{"e":"","big":-120.000000000000000000001,"t":"a\bb\fc\rd"}"#,
];

/// Paths beyond `json_path::FIELD_PATHS` (which the tests read too).
const PATHS: [&str; 29] = [
    "[0]",
    "[1]",
    "[2]",
    "[3]",
    "[4]",
    "big",
    "",
    "code",
    "ok",
    "amt",
    "n",
    "nil",
    "missing",
    "data",
    "model.statusCode",
    "x.y.z[1].w",
    "x.y.z.0",
    "[5]",
    "0",
    "e",
    "t",
    "data.items[1].id",
    "data.items[1]id",
    "data..items",
    "data.",
    ".data",
    "x.y.z[1][0]",
    "errors[0.5]",
    "[1][0]",
];

#[test]
fn the_tape_reads_as_the_tree_reads() {
    for text in TAPE {
        assert!(on_tape(text), "not on the tape: {text}");
        let tape = parsed(text).expect("parsed");
        let tree: Value = serde_json::from_str(text).expect("serde_json takes it");
        assert_eq!(tape.value().as_ref(), &tree, "{text}");
        assert_eq!(tape.is_object(), tree.is_object());
        assert_eq!(tape.is_array(), tree.is_array());
        // what signing reads: the same wire tree as converted from the serde_json map
        let from_tree = tree
            .as_object()
            .map(crate::wire_tree::WireObject::from_json);
        assert_eq!(tape.wire_object(), from_tree, "{text}");
        for path in PATHS.into_iter().chain(super::FIELD_PATHS) {
            let ctx = format!("{text} @ {path}");
            assert_eq!(has(&tape, path), has(&tree, path), "{ctx}");
            assert_eq!(text_at(&tape, path), text_at(&tree, path), "{ctx}");
            let shown = at(&tape, path).map(|v| v.to_string());
            assert_eq!(shown, at(&tree, path).map(|v| v.to_string()), "{ctx}");
            for lit in ["1", "E12", "true", "false", "zero", "7", "a", "40.10", ""] {
                assert_eq!(
                    equals_str(&tape, path, lit),
                    equals_str(&tree, path, lit),
                    "{ctx} = {lit}"
                );
            }
            for lit in [0, 1, 4, 7, 200, 524, -7] {
                let same = equals_i64(&tape, path, lit) == equals_i64(&tree, path, lit);
                assert!(same, "{ctx} = {lit}");
            }
            for lit in [true, false] {
                let same = equals_bool(&tape, path, lit) == equals_bool(&tree, path, lit);
                assert!(same, "{ctx} = {lit}");
            }
        }
    }
}

#[test]
fn what_the_tape_does_not_take_goes_to_serde_json_unchanged() {
    let tree_only = [
        r#"{"a":1,"a":2}"#,
        r#"{"k\"ey":1}"#,
        r#"{"s":"\u00e9"}"#,
        r#"{"n":1E5}"#,
        r#"[2.5e-3]"#,
        r#"{"s":"\ud83d\ude00"}"#,
        &format!("{}1{}", "[".repeat(100), "]".repeat(100)),
        &format!(
            "{{{}}}",
            (0..80)
                .map(|i| format!("\"k{i}\":{i}"))
                .collect::<Vec<_>>()
                .join(",")
        ),
    ];
    for text in tree_only {
        let json = parsed(text).expect("serde_json takes it");
        assert!(json.tape_body().is_none(), "{text}");
        let tree: Value = serde_json::from_str(text).expect("parsed");
        assert_eq!(json.value().as_ref(), &tree);
    }
    // a key met again after many others (whose filter bits are then mostly set), at every
    // place: serde_json's tree; the same keys once each: the tape
    let keys: Vec<String> = (0..60)
        .map(|i| format!("k{}{}", "x".repeat(i % 7), i))
        .collect();
    for again in [0, 1, 30, 58, 59] {
        let mut fields: Vec<String> = keys.iter().map(|k| format!("\"{k}\":1")).collect();
        assert!(on_tape(&format!("{{{}}}", fields.join(","))));
        fields.push(format!("\"{}\":2", keys[again]));
        let text = format!("{{{}}}", fields.join(","));
        assert!(!on_tape(&text), "{text}");
        let json = parsed(&text).expect("serde_json takes it");
        assert!(equals_i64(&json, &keys[again], 2));
    }
    // duplicates keep serde_json's answer: the last value, in the first one's place
    let dup = parsed(r#"{"a":1,"b":0,"a":2}"#).expect("parsed");
    assert!(equals_i64(&dup, "a", 2));
}

#[test]
fn what_serde_json_refuses_is_not_json() {
    let refused: [&[u8]; 18] = [
        b"{",
        b"{\"a\":1,}",
        b"[1,]",
        b"01",
        b"1.",
        b"1e",
        b"-",
        b".5",
        b"{\"a\" 1}",
        b"{a:1}",
        b"\"tab\there\"",
        b"\"\\x\"",
        b"\"\\ud800\"",
        b"tru",
        b"[1] 2",
        b"\"\xff\"",
        b"\xef\xbb\xbf{}",
        b"NaN",
    ];
    for body in refused {
        assert!(
            serde_json::from_slice::<Value>(body).is_err(),
            "serde_json takes {body:?}"
        );
        assert!(
            AnswerJson::parse(&Bytes::copy_from_slice(body)).is_none(),
            "{body:?}"
        );
    }
    let too_deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    assert!(parsed(&too_deep).is_none());
    assert!(parsed(" \n\t").is_none());
}

#[test]
fn the_tape_and_the_tree_decode_alike() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Model {
        #[serde(rename = "statusCode")]
        status_code: i64,
        amount: f64,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Answer {
        success: bool,
        message: Option<String>,
        model: Model,
    }
    let text = TAPE[1];
    let tape = parsed(text).expect("parsed");
    let tree = AnswerJson::from(serde_json::from_str::<Value>(text).expect("parsed"));
    let a: Answer = crate::decode::decode_value("op", &tape).expect("decodes");
    let b: Answer = crate::decode::decode_value("op", &tree).expect("decodes");
    assert_eq!(a, b);
    // a misfit reports the tree's error, as before
    let bad = parsed(r#"{"success":"yes"}"#).expect("parsed");
    let from_tape = crate::decode::decode_value::<Answer>("op", &bad).expect_err("misfit");
    let from_tree =
        crate::decode::decode_value::<Answer>("op", bad.value().as_ref()).expect_err("misfit");
    assert_eq!(from_tape.to_string(), from_tree.to_string());
    let _ = json_path::text_ref;
}

#[test]
fn debug_output_shows_no_value() {
    let json = parsed(r#"{"card":"4111111111111111"}"#).expect("parsed");
    assert_eq!(format!("{json:?}"), "AnswerJson(tape)");
}

/// Types read from answers, in the shapes generated code and tools use.
mod typed {
    use std::collections::{BTreeMap, HashMap};

    use serde::Deserialize;
    use serde_json::value::RawValue;
    use serde_json::Value;

    use crate::money::Decimal;
    use crate::wire::WireScalar;

    #[derive(Deserialize, Debug, PartialEq)]
    pub struct Model {
        #[serde(rename = "transactionId", default)]
        pub transaction_id: Option<i64>,
        #[serde(default)]
        pub amount: Option<Decimal>,
        #[serde(default)]
        pub currency: Option<String>,
        #[serde(rename = "statusCode", default)]
        pub status_code: Option<WireScalar>,
        #[serde(default)]
        pub token: Option<Token>,
        #[serde(default)]
        pub kind: Option<Kind>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    pub struct Token(pub String);

    #[derive(Deserialize, Debug, PartialEq)]
    pub enum Kind {
        #[serde(rename = "card")]
        Card,
        Wallet,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    pub struct Envelope {
        #[serde(default)]
        pub success: Option<bool>,
        #[serde(default)]
        pub message: Option<String>,
        #[serde(default)]
        pub model: Option<Model>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    pub struct Strict {
        pub success: bool,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(tag = "type")]
    pub enum Tagged {
        #[serde(rename = "a")]
        A { n: Option<u8> },
        #[serde(rename = "b")]
        B { s: Option<String> },
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    pub enum Loose {
        Num(f64),
        Text(String),
        List(Vec<Value>),
        Map(BTreeMap<String, Value>),
        Nothing(()),
        Flag(bool),
    }

    #[derive(Deserialize, Debug, PartialEq)]
    pub struct Flat {
        #[serde(default)]
        pub success: Option<bool>,
        #[serde(flatten)]
        pub rest: HashMap<String, Value>,
    }

    #[derive(Deserialize, Debug)]
    pub struct Raw {
        pub model: Option<Box<RawValue>>,
    }

    impl PartialEq for Raw {
        fn eq(&self, other: &Raw) -> bool {
            let text = |r: &Raw| r.model.as_ref().map(|m| m.get().to_string());
            text(self) == text(other)
        }
    }
}

/// Every reading the tape makes equals `serde_json`'s over the bytes; a reading the tape
/// leaves to serde_json (an error here) is decoded from the bytes by the caller.
fn decodes_as_serde_json<T>(text: &str) -> bool
where
    T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = parsed(text).expect("parsed");
    let from_bytes = serde_json::from_str::<T>(text);
    match json.decode_tape::<T>().expect("on the tape") {
        Ok(v) => {
            let expected = from_bytes.unwrap_or_else(|e| panic!("{text}: tape took it, {e}"));
            assert_eq!(v, expected, "{text}");
            true
        }
        Err(_) => false,
    }
}

#[test]
fn the_typed_decode_from_the_tape_is_serde_json_s() {
    use typed::*;
    let bodies = [
        TAPE[0],
        TAPE[1],
        TAPE[2],
        TAPE[3],
        TAPE[4],
        TAPE[5],
        TAPE[6],
        TAPE[7],
        TAPE[8],
        r#"{"success":true,"message":null,"model":{"transactionId":524,"amount":40.11,"currency":"EUR","statusCode":4,"token":"8163-KS17","kind":"card","extra":{"deep":[1,{"x":null}]}}}"#,
        r#"{"success":false,"message":"a\"b\\c\nd","model":{"transactionId":-1,"amount":"12.50","statusCode":"Declined","kind":"Wallet"}}"#,
        r#"{"model":{"transactionId":1.5}}"#,
        r#"{"model":{"transactionId":"1"}}"#,
        r#"{"model":{"amount":123456789012345678901234567890.123}}"#,
        r#"{"model":{"kind":"other"}}"#,
        r#"{"model":{"statusCode":18446744073709551616}}"#,
        r#"{"model":[1,2,"EUR"]}"#,
        r#"{"model":null,"success":null}"#,
        r#"{"success":"true"}"#,
        r#"{"type":"a","n":7}"#,
        r#"{"type":"a","n":300}"#,
        r#"{"type":"b","s":"x","more":[true,false]}"#,
        r#"{"type":"c"}"#,
        r#"[{"success":true},{"success":false,"x":1}]"#,
        r#"[]"#,
        r#"{}"#,
        r#""text""#,
        "-0.5",
        "true",
        "null",
    ];
    let mut from_tape = 0;
    for body in bodies {
        let taken = [
            decodes_as_serde_json::<Envelope>(body),
            decodes_as_serde_json::<Option<Envelope>>(body),
            decodes_as_serde_json::<Strict>(body),
            decodes_as_serde_json::<Tagged>(body),
            decodes_as_serde_json::<Loose>(body),
            decodes_as_serde_json::<Flat>(body),
            decodes_as_serde_json::<Raw>(body),
            decodes_as_serde_json::<serde_json::Value>(body),
            decodes_as_serde_json::<Vec<Envelope>>(body),
            decodes_as_serde_json::<(bool, Option<String>)>(body),
            decodes_as_serde_json::<std::collections::BTreeMap<String, WireScalarOrAny>>(body),
            decodes_as_serde_json::<std::collections::HashMap<u32, Value>>(body),
            decodes_as_serde_json::<Option<crate::money::Decimal>>(body),
            decodes_as_serde_json::<String>(body),
            decodes_as_serde_json::<f64>(body),
            decodes_as_serde_json::<()>(body),
        ];
        from_tape += taken.iter().filter(|t| **t).count();
    }
    // the readings generated answers make are taken from the tape
    assert!(decodes_as_serde_json::<Envelope>(TAPE[1]));
    assert!(decodes_as_serde_json::<Envelope>(bodies[9]));
    assert!(decodes_as_serde_json::<Envelope>(bodies[10]));
    assert!(decodes_as_serde_json::<Flat>(bodies[9]));
    assert!(decodes_as_serde_json::<Tagged>(bodies[19]));
    assert!(decodes_as_serde_json::<serde_json::Value>(TAPE[0]));
    assert!(from_tape > 60, "{from_tape}");
}

/// A map value read as any JSON scalar or container.
#[derive(serde::Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum WireScalarOrAny {
    Scalar(crate::wire::WireScalar),
    Any(serde_json::Value),
}

#[test]
fn a_misfit_on_the_tape_reports_what_serde_json_reports() {
    let json = parsed(r#"{"success":"yes"}"#).expect("parsed");
    let from_tape = crate::decode::decode_value::<typed::Strict>("op", &json).expect_err("misfit");
    let from_bytes = crate::decode::decode_value::<typed::Strict>("op", json.value().as_ref())
        .expect_err("misfit");
    assert_eq!(from_tape.to_string(), from_bytes.to_string());
    // a key read as a number is left to serde_json, which reads it
    let json = parsed(r#"{"7":true}"#).expect("parsed");
    let map: std::collections::HashMap<u32, bool> =
        crate::decode::decode_value("op", &json).expect("serde_json reads numeric keys");
    assert_eq!(map.get(&7), Some(&true));
}

#[test]
fn numbers_read_without_a_hint_are_serde_json_s() {
    use crate::money::Decimal;
    use crate::wire::WireScalar;
    let numbers = [
        "0",
        "-0",
        "-1",
        "7",
        "40.11",
        "40.10",
        "-0.0",
        "0.000",
        "1.5",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890.123",
    ];
    for n in numbers {
        let body = format!(r#"{{"n":{n},"list":[{n},{{"m":{n}}}]}}"#);
        assert!(decodes_as_serde_json::<Value>(&body), "{body}");
        assert!(decodes_as_serde_json::<
            std::collections::BTreeMap<String, Value>,
        >(&body));
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Scalars {
            n: WireScalar,
            list: (Decimal, std::collections::HashMap<String, WireScalarOrAny>),
        }
        assert!(decodes_as_serde_json::<Scalars>(&body), "{body}");
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Loose {
            n: typed::Loose,
        }
        assert!(decodes_as_serde_json::<Loose>(&body), "{body}");
        // hinted readings are serde_json's own, whether they take the number or not
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Hinted<T> {
            n: T,
        }
        decodes_as_serde_json::<Hinted<i64>>(&body);
        decodes_as_serde_json::<Hinted<u64>>(&body);
        decodes_as_serde_json::<Hinted<f64>>(&body);
        decodes_as_serde_json::<Hinted<Option<u8>>>(&body);
    }
}

#[test]
fn hinted_integers_and_bools_are_serde_json_s() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Hinted<T> {
        n: T,
    }
    let texts = [
        "0",
        "-0",
        "-1",
        "7",
        "127",
        "128",
        "-128",
        "-129",
        "255",
        "256",
        "65535",
        "65536",
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "4294967295",
        "4294967296",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "1.5",
        "-0.0",
        "10.0",
        "true",
        "false",
        "null",
        r#""7""#,
        r#""true""#,
        "[7]",
        r#"{"n":7}"#,
    ];
    for text in texts {
        let body = format!(r#"{{"n":{text}}}"#);
        decodes_as_serde_json::<Hinted<i8>>(&body);
        decodes_as_serde_json::<Hinted<i16>>(&body);
        decodes_as_serde_json::<Hinted<i32>>(&body);
        decodes_as_serde_json::<Hinted<i64>>(&body);
        decodes_as_serde_json::<Hinted<u8>>(&body);
        decodes_as_serde_json::<Hinted<u16>>(&body);
        decodes_as_serde_json::<Hinted<u32>>(&body);
        decodes_as_serde_json::<Hinted<u64>>(&body);
        decodes_as_serde_json::<Hinted<i128>>(&body);
        decodes_as_serde_json::<Hinted<u128>>(&body);
        decodes_as_serde_json::<Hinted<Option<i64>>>(&body);
        decodes_as_serde_json::<Hinted<bool>>(&body);
        decodes_as_serde_json::<Hinted<Option<bool>>>(&body);
        decodes_as_serde_json::<Hinted<f64>>(&body);
    }
    // plain integers and bools are read from the tape
    assert!(decodes_as_serde_json::<Hinted<i64>>(r#"{"n":-5}"#));
    assert!(decodes_as_serde_json::<Hinted<u8>>(r#"{"n":255}"#));
    assert!(decodes_as_serde_json::<Hinted<Option<u64>>>(
        r#"{"n":18446744073709551615}"#
    ));
    assert!(decodes_as_serde_json::<Hinted<bool>>(r#"{"n":false}"#));
    // what serde_json reads as a float is left to it
    assert!(!decodes_as_serde_json::<Hinted<i64>>(r#"{"n":-0}"#));
}
