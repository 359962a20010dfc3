//! Lowering of the IR to run-time data: the request-types table the runtime's interpreter reads
//! (`paygen_runtime::schema`), and the operation / provider descriptions the runtime's request
//! preparation takes, built from a spec at run time (for `paygen request` and tests).

use paygen_runtime::engine::{AuthSpec, BodyEncoding, Method, OperationMeta, ProviderMeta, Repeat};
use paygen_runtime::schema::{
    Condition, EnumDef, FieldDef, FieldSource, MoneyCurrency, RequestTable, RulePattern, Rules,
    TypeDef, ValueType, VariantDef,
};
use paygen_runtime::WireScalar;

use crate::ir::{self, HttpMethod, Scalar, Source, TypeKind, TypeRef, WireLiteral};

/// Every named type of the provider as data, keyed by the name the generated code gives it.
pub fn request_table(p: &ir::Provider) -> RequestTable {
    let types = p
        .types
        .iter()
        .map(|t| (t.rust.clone(), type_def(&t.kind)))
        .collect();
    RequestTable::new(types, p.exponents.clone())
}

fn type_def(kind: &TypeKind) -> TypeDef {
    match kind {
        TypeKind::Object { fields } => TypeDef::Object(fields.iter().map(field_def).collect()),
        TypeKind::OneOf { variants } => TypeDef::OneOf(
            variants
                .iter()
                .map(|v| VariantDef {
                    name: v.rust.clone(),
                    ty: v.ty.clone(),
                    when: v.when.as_ref().map(condition),
                })
                .collect(),
        ),
        TypeKind::Scalar { base, rules } => TypeDef::Checked {
            base: scalar(*base),
            rules: rules_of(rules),
        },
        TypeKind::Enum { int, values } => TypeDef::Enum(EnumDef {
            int: *int,
            values: values
                .iter()
                .map(|v| match &v.wire {
                    WireLiteral::Int(n) => WireScalar::Int(*n),
                    WireLiteral::Str(s) => WireScalar::Str(s.clone()),
                })
                .collect(),
        }),
        TypeKind::Alias(target) => TypeDef::Alias(value_type(target)),
    }
}

fn field_def(f: &ir::Field) -> FieldDef {
    FieldDef {
        wire: f.wire.clone(),
        required: f.required,
        ty: value_type(&f.ty),
        rules: rules_of(&f.rules),
        source: f.source.as_ref().map(|s| match s {
            Source::Credential(c) => FieldSource::Credential(c.clone()),
            Source::Clock(pattern) => FieldSource::Clock(pattern.clone()),
            Source::Const(v) => FieldSource::Const(v.clone()),
        }),
        local: false,
    }
}

fn scalar(s: Scalar) -> ValueType {
    match s {
        Scalar::String => ValueType::Text,
        Scalar::Integer => ValueType::Integer,
        Scalar::Boolean => ValueType::Boolean,
        Scalar::Decimal => ValueType::Decimal,
        Scalar::Json => ValueType::Json,
    }
}

/// The request-side type of a reference (money is always integer minor units in requests).
fn value_type(ty: &TypeRef) -> ValueType {
    match ty {
        TypeRef::Scalar(s) => scalar(*s),
        TypeRef::Sensitive(_) => ValueType::Text,
        TypeRef::Money {
            currency_field,
            wire,
        } => ValueType::Money {
            currency: MoneyCurrency::Field(currency_field.clone()),
            wire: *wire,
        },
        TypeRef::Named(n) => ValueType::Named(n.clone()),
        TypeRef::List(inner) => ValueType::List(Box::new(value_type(inner))),
        TypeRef::Map(inner) => ValueType::Map(Box::new(value_type(inner))),
    }
}

fn rules_of(r: &ir::Rules) -> Rules {
    Rules {
        pattern: r.pattern.as_deref().map(RulePattern::new),
        min_length: r.min_length,
        max_length: r.max_length,
        minimum: r.minimum,
        maximum: r.maximum,
        allowed: r.allowed.clone().unwrap_or_default(),
        format: r.format,
    }
}

fn condition(c: &ir::Condition) -> Condition {
    Condition {
        has: c.has.clone(),
        absent: c.absent.clone(),
        equals: c.equals.clone(),
        http_status: c.http_status,
        any: c.any.iter().map(condition).collect(),
        none: c.none.iter().map(condition).collect(),
    }
}

/// The environment's base URLs by host name (`default` first), or `None` for an unknown name.
pub fn base_urls(p: &ir::Provider, env: &str) -> Option<Vec<(String, String)>> {
    p.environments
        .iter()
        .find(|e| e.name == env)
        .map(|e| e.hosts.clone())
}

/// A string that lives as long as the program. The runtime's descriptions are `&'static` because
/// generated clients hold them as constants; a tool that builds them from a spec at run time
/// builds a handful per run, so the few bytes leaked are bounded by the spec's size.
fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

/// The provider description the generated `provider_meta()` returns, built at run time (leaks
/// its auth names: see [`leak`]; call it once per spec).
pub fn provider_meta(p: &ir::Provider) -> ProviderMeta {
    let headers: Vec<(&'static str, &'static str)> = p
        .auth_headers
        .iter()
        .map(|(h, c)| (leak(h), leak(c)))
        .collect();
    ProviderMeta {
        name: leak(&p.id),
        auth: AuthSpec {
            headers: Box::leak(headers.into_boxed_slice()),
            basic: p.auth_basic.as_ref().map(|(u, pw)| (leak(u), leak(pw))),
        },
        request_recipe: p.recipes.request.clone(),
        response_recipe: p.recipes.response.clone(),
    }
}

/// The operation description the generated `operations::<OP>` constant holds, as far as request
/// preparation reads it (answers are not interpreted: no error envelope). Leaks its names.
pub fn operation_meta(op: &ir::Operation) -> OperationMeta {
    OperationMeta {
        name: leak(&op.name),
        method: match op.method {
            HttpMethod::GET => Method::Get,
            HttpMethod::POST => Method::Post,
            HttpMethod::PUT => Method::Put,
            HttpMethod::DELETE => Method::Delete,
            HttpMethod::PATCH => Method::Patch,
        },
        host: leak(&op.host),
        path: leak(&op.path),
        encoding: match op.encoding {
            ir::BodyEncoding::Json => BodyEncoding::Json,
            ir::BodyEncoding::Form => BodyEncoding::Form,
            ir::BodyEncoding::None => BodyEncoding::None,
        },
        repeat: if op.safe {
            Repeat::Safe
        } else {
            Repeat::Once {
                reconcile_with: op.reconcile_with.as_deref().map(leak),
            }
        },
        money_moving: op.money_moving,
        sign_request: op.sign,
        verify_response: op.verify_response,
        provider_error: None,
        typed_error_statuses: false,
    }
}
