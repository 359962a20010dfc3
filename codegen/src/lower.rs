//! Lowering: a validated spec model becomes the IR (names resolved, types normalised).

use std::collections::BTreeSet;

use crate::ir::{self, Condition, Field, Scalar, Source, Type, TypeKind, TypeRef, WireLiteral};
use crate::naming::{pascal, snake};
use crate::spec::model::{self as m, EnumValue, Spec};

/// Lowers a spec that passed validation. Names that could not convert fall back to the raw text
/// (validation has already reported them).
pub fn lower(spec: &Spec, spec_file: &str) -> ir::Provider {
    let reach = reachability(spec);
    ir::Provider {
        id: spec.provider.clone(),
        title: spec.title.clone(),
        docs: spec.docs.clone(),
        description: spec.description.clone(),
        spec_file: spec_file.to_string(),
        environments: spec
            .environments
            .iter()
            .map(|(n, e)| environment(n, e))
            .collect(),
        credentials: spec
            .credentials
            .iter()
            .map(|(n, c)| credential(n, c))
            .collect(),
        auth_headers: auth_headers(spec),
        auth_basic: spec
            .auth
            .as_ref()
            .and_then(|a| a.basic.as_ref())
            .map(|b| (b.user.clone(), b.password.clone())),
        recipes: recipes(spec),
        exponents: spec
            .money
            .iter()
            .flat_map(|m| m.exponents.iter().map(|(k, v)| (k.clone(), *v)))
            .collect(),
        types: spec
            .types
            .iter()
            .map(|(n, d)| lower_type(n, d, &reach))
            .collect(),
        operations: spec
            .operations
            .iter()
            .map(|(n, o)| operation(spec, n, o))
            .collect(),
        errors: spec.errors.iter().map(error_rule).collect(),
        webhooks: spec.webhooks.as_ref().map(webhooks),
    }
}

fn p(raw: &str) -> String {
    pascal(raw).unwrap_or_else(|_| raw.to_string())
}

fn s(raw: &str) -> String {
    snake(raw).unwrap_or_else(|_| raw.to_string())
}

fn environment(name: &str, env: &m::Environment) -> ir::Environment {
    let mut hosts: Vec<(String, String)> = match env {
        m::Environment::Url(u) => vec![("default".into(), u.clone())],
        m::Environment::Hosts(h) => h.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    };
    hosts.sort_by_key(|(h, _)| h != "default");
    ir::Environment {
        name: name.to_string(),
        rust: p(name),
        hosts,
    }
}

fn credential(name: &str, c: &m::CredentialDef) -> ir::Credential {
    ir::Credential {
        name: name.to_string(),
        rust: s(name),
        secret: c.secret,
        doc: c.doc.clone(),
    }
}

fn auth_headers(spec: &Spec) -> Vec<(String, String)> {
    let Some(auth) = &spec.auth else {
        return Vec::new();
    };
    auth.headers
        .iter()
        .map(|(h, r)| (h.clone(), r.credential.clone()))
        .collect()
}

fn recipes(spec: &Spec) -> ir::Recipes {
    let Some(sg) = &spec.signing else {
        return ir::Recipes::default();
    };
    ir::Recipes {
        request: sg.request.clone(),
        response: sg.response.clone(),
        webhook: sg.webhook.clone(),
    }
}

/// Named types reachable from requests (strict); the others are read leniently.
struct Reach {
    request: BTreeSet<String>,
}

fn reachability(spec: &Spec) -> Reach {
    Reach {
        request: crate::spec::reach::request_types(spec),
    }
}

fn lower_type(name: &str, def: &m::TypeDef, reach: &Reach) -> Type {
    let kind = if let Some(values) = &def.values {
        enum_kind(values)
    } else if let Some(fields) = &def.fields {
        TypeKind::Object {
            fields: fields.iter().map(|(w, f)| field(w, f)).collect(),
        }
    } else if let Some(variants) = &def.variants {
        TypeKind::OneOf {
            variants: variants.iter().map(|(n, v)| variant(n, v)).collect(),
        }
    } else if matches!(def.base.as_deref(), Some("map" | "list")) {
        let base = def.base.as_deref().unwrap_or("map");
        TypeKind::Alias(type_ref(base, def.items.as_deref(), None))
    } else {
        TypeKind::Scalar {
            base: scalar(def.base.as_deref().unwrap_or("string")),
            rules: def.rules(),
        }
    };
    Type {
        rust: p(name),
        doc: def.doc.clone(),
        kind,
        in_request: reach.request.contains(name),
    }
}

fn enum_kind(values: &[EnumValue]) -> TypeKind {
    let values: Vec<ir::EnumValue> = values.iter().map(enum_value).collect();
    let int = values.iter().all(|v| matches!(v.wire, WireLiteral::Int(_)));
    TypeKind::Enum { int, values }
}

fn enum_value(v: &EnumValue) -> ir::EnumValue {
    let (wire, name, doc, common) = match v {
        EnumValue::Short(w) => (w.clone(), None, None, None),
        EnumValue::Full(d) => (d.wire.clone(), d.name.clone(), d.doc.clone(), d.common),
    };
    let text = wire.text();
    let mut rust = p(name.as_deref().unwrap_or(&text));
    if rust == "Unknown" {
        // `Unknown(raw)` is the catch-all of every generated enum.
        rust = "ProviderUnknown".into();
    }
    ir::EnumValue {
        rust,
        wire,
        doc,
        common,
    }
}

fn scalar(base: &str) -> Scalar {
    match base {
        "integer" => Scalar::Integer,
        "boolean" => Scalar::Boolean,
        "decimal" => Scalar::Decimal,
        "json" => Scalar::Json,
        _ => Scalar::String,
    }
}

fn type_ref(ty: &str, items: Option<&str>, f: Option<&m::Field>) -> TypeRef {
    match ty {
        "list" => TypeRef::List(Box::new(type_ref(items.unwrap_or("json"), None, None))),
        "map" => TypeRef::Map(Box::new(type_ref(items.unwrap_or("json"), None, None))),
        "money" => match f.and_then(|f| f.money.as_ref()) {
            Some(mf) => TypeRef::Money {
                currency_field: mf.currency_field.clone(),
                wire: mf.wire,
            },
            None => TypeRef::Scalar(Scalar::Decimal),
        },
        "string" => match f.and_then(|f| f.sensitive) {
            Some(k) => TypeRef::Sensitive(k),
            None => TypeRef::Scalar(Scalar::String),
        },
        "integer" | "boolean" | "decimal" | "json" => TypeRef::Scalar(scalar(ty)),
        named => TypeRef::Named(p(named)),
    }
}

fn field(wire: &str, f: &m::Field) -> Field {
    let source = f.from.as_ref().map(|src| match src {
        m::FieldSource::Credential(c) => Source::Credential(c.clone()),
        m::FieldSource::Clock(fmt) => Source::Clock(fmt.clone()),
        m::FieldSource::Value(v) => Source::Const(v.clone()),
    });
    Field {
        wire: wire.to_string(),
        rust: s(f.rust_name.as_deref().unwrap_or(wire)),
        doc: f.doc.clone(),
        ty: type_ref(&f.ty, f.items.as_deref(), Some(f)),
        required: f.required,
        rules: f.rules(),
        source,
    }
}

fn variant(name: &str, v: &m::Variant) -> ir::Variant {
    ir::Variant {
        rust: p(name),
        ty: p(&v.ty),
        when: v.when.as_ref().map(condition),
        doc: v.doc.clone(),
    }
}

fn condition(c: &m::Condition) -> Condition {
    Condition {
        has: c.has.iter().cloned().collect(),
        absent: c.absent.iter().cloned().collect(),
        equals: c
            .equals
            .iter()
            .flat_map(|e| e.iter().map(|(k, v)| (k.clone(), v.clone())))
            .collect(),
        http_status: c.http_status.map(|[a, b]| (a, b)),
        any: c.any.iter().flatten().map(condition).collect(),
        none: c.none.iter().flatten().map(condition).collect(),
    }
}

fn operation(spec: &Spec, name: &str, o: &m::Operation) -> ir::Operation {
    let body_method = matches!(
        o.method,
        m::HttpMethod::POST | m::HttpMethod::PUT | m::HttpMethod::PATCH
    );
    let default_encoding = if body_method {
        m::BodyEncoding::Json
    } else {
        m::BodyEncoding::None
    };
    let has_request_recipe = spec.signing.as_ref().is_some_and(|s| s.request.is_some());
    let response = match (&o.response, &o.responses) {
        (_, Some(vs)) => ir::Response::Variants(vs.iter().map(|(n, v)| variant(n, v)).collect()),
        (Some(r), None) => ir::Response::Single(p(r)),
        (None, None) => ir::Response::None,
    };
    ir::Operation {
        name: name.to_string(),
        rust: s(name),
        doc: o.doc.clone(),
        method: o.method,
        host: o.host.clone().unwrap_or_else(|| "default".into()),
        path: o.path.clone(),
        encoding: o.encoding.unwrap_or(default_encoding),
        request: o.request.as_deref().map(p),
        response,
        safe: o.idempotency.safe,
        reconcile_with: o.idempotency.reconcile_with.clone(),
        reconcile_note: o.idempotency.reconcile_note.clone(),
        money_moving: o.money_moving,
        sign: o.sign.unwrap_or(has_request_recipe && o.request.is_some()),
        verify_response: o.verify_response,
        examples: o.examples.iter().map(example).collect(),
    }
}

fn example(e: &m::Example) -> ir::Example {
    ir::Example {
        name: e.name.clone(),
        request: e.request.clone(),
        status: e.status.unwrap_or(200),
        response: e.response.clone(),
        expect: e.expect.clone(),
    }
}

fn error_rule(r: &m::ErrorRule) -> ir::ErrorRule {
    ir::ErrorRule {
        when: condition(&r.when),
        code: r.code.clone(),
        message: r.message.clone(),
    }
}

fn webhooks(w: &m::Webhooks) -> ir::Webhooks {
    ir::Webhooks {
        doc: w.doc.clone(),
        form: w.encoding == m::BodyEncoding::Form,
        verify: w.verify,
        events: w.events.iter().map(|(n, v)| variant(n, v)).collect(),
        ack: (w.ack.status, w.ack.content_type.clone(), w.ack.body.clone()),
        dedup_key: w.dedup_key.clone(),
    }
}
