//! Unit tests of the request-types interpreter on a small hand-written table.

use serde_json::{json, Map, Value};

use super::*;
use crate::clock::FixedClock;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::towire::WireContext;

fn field(wire: &str, required: bool, ty: ValueType) -> FieldDef {
    FieldDef {
        wire: wire.into(),
        required,
        ty,
        rules: Rules::default(),
        source: None,
        local: false,
    }
}

fn money(currency_field: &str, wire: MoneyWire) -> ValueType {
    ValueType::Money {
        currency: MoneyCurrency::Field(currency_field.into()),
        wire,
    }
}

/// Encodes `body` as `ty` with no credentials, the clock at 0 and no exponent overrides.
fn encode_bare(t: &RequestTable, ty: &str, body: &Value) -> Result<Map<String, Value>, Error> {
    let creds = Credentials::new();
    let ctx = WireContext {
        credentials: &creds,
        clock: &FixedClock(0),
        exponents: &[],
    };
    encode_request(t, ty, body, &ctx)
}

fn table() -> RequestTable {
    let mut order_id = field("order_id", true, ValueType::Text);
    order_id.rules.pattern = Some(RulePattern::new("^[A-Z0-9]{1,8}$"));
    let mut currency = field("currency", true, ValueType::Text);
    currency.rules.format = Some(Format::Currency);
    let mut qty = field("qty", false, ValueType::Integer);
    qty.rules.minimum = Some(1);
    let mut merchant = field("merchant", true, ValueType::Text);
    merchant.source = Some(FieldSource::Credential("merchant_no".into()));
    let mut at = field("at", true, ValueType::Text);
    at.source = Some(FieldSource::Clock("%Y-%m-%d".into()));
    let mut version = field("version", true, ValueType::Text);
    version.source = Some(FieldSource::Const(json!("2")));
    let pay = TypeDef::Object(vec![
        merchant,
        order_id,
        field("amount", true, money("currency", MoneyWire::DecimalString)),
        currency,
        qty,
        field("kind", false, ValueType::Named("Kind".into())),
        field("method", false, ValueType::Named("Method".into())),
        field(
            "items",
            false,
            ValueType::List(Box::new(ValueType::Named("Item".into()))),
        ),
        at,
        version,
    ]);
    let mut sku = field("sku", true, ValueType::Text);
    sku.rules.max_length = Some(4);
    let card = TypeDef::Object(vec![field("pan", true, ValueType::Text)]);
    let wallet = TypeDef::Object(vec![field("wallet", true, ValueType::Text)]);
    let methods = TypeDef::OneOf(vec![
        VariantDef {
            name: "Card".into(),
            ty: "Card".into(),
            when: None,
        },
        VariantDef {
            name: "Wallet".into(),
            ty: "Wallet".into(),
            when: None,
        },
    ]);
    let kind = TypeDef::Enum(EnumDef {
        int: true,
        values: vec![WireScalar::Int(1), WireScalar::Int(4)],
    });
    RequestTable::new(
        vec![
            ("Pay".into(), pay),
            ("Item".into(), TypeDef::Object(vec![sku])),
            ("Kind".into(), kind),
            ("Method".into(), methods),
            ("Card".into(), card),
            ("Wallet".into(), wallet),
        ],
        vec![("ECS".into(), 0)],
    )
}

fn encode(body: Value, creds: &Credentials) -> Result<Value, Vec<(String, String)>> {
    let t = table();
    let clock = FixedClock(1_676_285_458);
    let exponents = t.exponents();
    let ctx = WireContext {
        credentials: creds,
        clock: &clock,
        exponents: &exponents,
    };
    match encode_request(&t, "Pay", &body, &ctx) {
        Ok(map) => Ok(Value::Object(map)),
        Err(Error::InvalidRequest(errs)) => {
            Err(errs.errors.into_iter().map(|e| (e.path, e.rule)).collect())
        }
        Err(other) => panic!("unexpected error {other}"),
    }
}

fn merchant() -> Credentials {
    Credentials::new().with("merchant_no", "M-1")
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, r)| (p.to_string(), r.to_string()))
        .collect()
}

#[test]
fn a_valid_body_is_encoded_in_field_order_with_what_the_client_fills() {
    let body = json!({
        "order_id": "A1", "amount": 4011, "currency": "EUR", "kind": "4",
        "method": { "wallet": "w-1" }, "items": [{ "sku": "ab" }]
    });
    let wire = encode(body, &merchant()).expect("valid");
    assert_eq!(
        wire.to_string(),
        r#"{"merchant":"M-1","order_id":"A1","amount":"40.11","currency":"EUR","kind":4,"method":{"wallet":"w-1"},"items":[{"sku":"ab"}],"at":"2023-02-13","version":"2"}"#
    );
}

#[test]
fn exponent_overrides_apply_to_currency_checks_and_amounts() {
    let body = json!({ "order_id": "A1", "amount": 2000, "currency": "ECS" });
    let wire = encode(body, &merchant()).expect("valid");
    assert_eq!(wire["amount"], json!("2000"));
}

#[test]
fn every_bad_field_is_named_validation_first_then_encoding_errors() {
    let body = json!({
        "order_id": "a b", "amount": -1, "currency": "QQQ", "qty": 0, "kind": 2,
        "items": [{ "sku": "toolong" }, { "sku": 5 }], "extra": true
    });
    let errs = encode(body, &Credentials::new()).expect_err("invalid");
    assert_eq!(
        errs,
        pairs(&[
            ("order_id", "pattern"),
            ("amount", "range"),
            ("currency", "currency"),
            ("qty", "range"),
            ("kind", "enum"),
            ("items[0].sku", "length"),
            ("items[1].sku", "type"),
            ("extra", "unknown"),
            ("merchant", "credential"),
            ("amount", "currency"),
        ])
    );
}

#[test]
fn missing_blank_and_mistyped_required_fields_are_reported() {
    let errs =
        encode(json!({ "order_id": " ", "amount": "12.00" }), &merchant()).expect_err("invalid");
    assert_eq!(
        errs,
        pairs(&[
            ("order_id", "required"),
            ("order_id", "pattern"),
            ("amount", "type"),
            ("currency", "required"),
            ("amount", "currency"),
        ])
    );
    let errs = encode(json!([1]), &merchant()).expect_err("not an object");
    assert_eq!(errs[0], ("body".to_string(), "type".to_string()));
}

#[test]
fn a_one_of_is_the_variant_whose_fields_fit_and_reports_inside_it() {
    let base = json!({ "order_id": "A1", "amount": 1, "currency": "EUR" });
    let with = |method: Value| {
        let mut b = base.clone();
        b["method"] = method;
        b
    };
    let wire = encode(with(json!({ "pan": "4111" })), &merchant()).expect("card");
    assert_eq!(wire["method"], json!({ "pan": "4111" }));
    let errs = encode(with(json!({ "pan": " " })), &merchant()).expect_err("blank pan");
    assert_eq!(errs, pairs(&[("method.pan", "required")]));
    let errs = encode(with(json!({ "iban": "x" })), &merchant()).expect_err("no variant");
    assert_eq!(errs, pairs(&[("method", "one_of")]));
}

#[test]
fn conditions_hold_like_the_generated_expressions() {
    let c = Condition {
        equals: vec![("kind".into(), json!("card")), ("n".into(), json!(3))],
        none: vec![Condition {
            has: vec!["error".into()],
            ..Condition::default()
        }],
        ..Condition::default()
    };
    assert!(c.holds(&json!({ "kind": "card", "n": 3 }), 200));
    assert!(!c.holds(&json!({ "kind": "card", "n": 3, "error": 1 }), 200));
    assert!(!c.holds(&json!({ "kind": "sepa", "n": 3 }), 200));
    let any = Condition {
        any: vec![
            Condition {
                has: vec!["a".into()],
                ..Condition::default()
            },
            Condition {
                http_status: Some((400, 499)),
                ..Condition::default()
            },
        ],
        ..Condition::default()
    };
    assert!(any.holds(&json!({ "a": 1 }), 200) && any.holds(&json!({}), 404));
    assert!(!any.holds(&json!({}), 200));
}

#[test]
fn a_broken_spec_pattern_is_a_field_error_and_unknown_types_are_config_errors() {
    let mut f = field("x", true, ValueType::Text);
    f.rules.pattern = Some(RulePattern::new("([unclosed"));
    let t = RequestTable::new(vec![("T".into(), TypeDef::Object(vec![f]))], vec![]);
    let mut errs = crate::validate::ValidationErrors::new();
    validate_request(&t, "T", &json!({ "x": "y" }), &mut errs);
    assert_eq!(errs.errors[0].rule, "pattern");
    assert!(matches!(
        encode_bare(&t, "Nope", &json!({})),
        Err(Error::Config(_))
    ));
    assert!(deserializes(&t, "T", &json!({ "x": "y" })));
    assert!(!deserializes(&t, "T", &json!({ "x": 1 })));
}

#[test]
fn a_fixed_or_local_currency_gives_the_exponent_and_a_local_field_is_not_sent() {
    let mut currency = field("currency", true, ValueType::Text);
    currency.rules.format = Some(Format::Currency);
    currency.local = true;
    let fee = ValueType::Money {
        currency: MoneyCurrency::Fixed("JPY".into()),
        wire: MoneyWire::DecimalNumber,
    };
    let t = RequestTable::new(
        vec![(
            "Refund".into(),
            TypeDef::Object(vec![
                field("amount", true, money("currency", MoneyWire::DecimalNumber)),
                field("fee", true, fee),
                currency,
            ]),
        )],
        vec![],
    );
    let body = json!({ "amount": 1050, "fee": 300, "currency": "BHD" });
    let wire = encode_bare(&t, "Refund", &body).expect("valid");
    assert_eq!(
        Value::Object(wire).to_string(),
        r#"{"amount":1.05,"fee":300}"#
    );
    let bad = json!({ "amount": 1050, "fee": 300, "currency": "QQQ" });
    let Err(Error::InvalidRequest(errs)) = encode_bare(&t, "Refund", &bad) else {
        panic!("an unknown local currency is refused");
    };
    let rules: Vec<(&str, &str)> = errs
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.rule.as_str()))
        .collect();
    assert_eq!(rules, [("currency", "currency"), ("amount", "currency")]);
}

#[test]
fn a_received_body_is_read_back_into_typed_form() {
    let t = RequestTable::new(
        vec![(
            "Payout".into(),
            TypeDef::Object(vec![
                {
                    let mut f = field("merchant", true, ValueType::Text);
                    f.source = Some(FieldSource::Credential("merchant_no".into()));
                    f
                },
                field("amount", true, money("currency", MoneyWire::DecimalString)),
                field("currency", true, ValueType::Text),
                field("qty", false, ValueType::Integer),
                field("urgent", false, ValueType::Boolean),
            ]),
        )],
        vec![],
    );
    let mut errs = crate::validate::ValidationErrors::new();
    let form = json!({ "merchant": "M-1", "amount": "40.10", "currency": "EUR", "qty": "3", "urgent": "true" });
    let received = typed_from_wire(&t, "Payout", &form, &mut errs);
    assert!(errs.is_empty(), "{errs}");
    assert_eq!(
        received.typed,
        json!({ "amount": 4010, "currency": "EUR", "qty": 3, "urgent": true })
    );
    assert_eq!(
        received.credentials,
        [(
            "merchant".to_string(),
            "merchant_no".to_string(),
            "M-1".to_string()
        )]
    );
    let bad = json!({ "amount": "40.105", "currency": "EUR" });
    typed_from_wire(&t, "Payout", &bad, &mut errs);
    let unknown = json!({ "amount": "1.00", "currency": "QQQ" });
    typed_from_wire(&t, "Payout", &unknown, &mut errs);
    let rules: Vec<&str> = errs.errors.iter().map(|e| e.rule.as_str()).collect();
    assert_eq!(rules, ["money", "currency"]);
}

#[test]
fn one_ofs_and_aliases_in_a_cycle_end_in_an_error_not_a_stack_overflow() {
    let t = RequestTable::new(
        vec![
            (
                "Loop".into(),
                TypeDef::OneOf(vec![VariantDef {
                    name: "Again".into(),
                    ty: "Alias".into(),
                    when: None,
                }]),
            ),
            (
                "Alias".into(),
                TypeDef::Alias(ValueType::Named("Loop".into())),
            ),
        ],
        vec![],
    );
    assert!(matches!(
        encode_bare(&t, "Loop", &json!({ "a": 1 })),
        Err(Error::InvalidRequest(_))
    ));
    let mut errs = crate::validate::ValidationErrors::new();
    typed_from_wire(&t, "Loop", &json!({ "a": 1 }), &mut errs);
    assert!(!deserializes(&t, "Loop", &json!({ "a": 1 })));
}

#[test]
fn nested_one_ofs_on_a_deep_body_are_answered_once_per_value() {
    // Node { child: NodeOrLeaf }, NodeOrLeaf = Node | Leaf: every level tries both variants;
    // without the memo a deep body that fails at the bottom would take 2^depth steps.
    let t = RequestTable::new(
        vec![
            (
                "Node".into(),
                TypeDef::Object(vec![field(
                    "child",
                    true,
                    ValueType::Named("NodeOrLeaf".into()),
                )]),
            ),
            (
                "NodeOrLeaf".into(),
                TypeDef::OneOf(vec![
                    VariantDef {
                        name: "Node".into(),
                        ty: "Node".into(),
                        when: None,
                    },
                    VariantDef {
                        name: "Leaf".into(),
                        ty: "Leaf".into(),
                        when: None,
                    },
                ]),
            ),
            (
                "Leaf".into(),
                TypeDef::Object(vec![field("leaf", true, ValueType::Integer)]),
            ),
        ],
        vec![],
    );
    let mut body = json!({ "leaf": "not an integer" });
    for _ in 0..60 {
        body = json!({ "child": body });
    }
    let mut errs = crate::validate::ValidationErrors::new();
    validate_request(&t, "Node", &body, &mut errs);
    assert!(!errs.is_empty());
    assert!(!deserializes(&t, "Node", &body));
}
