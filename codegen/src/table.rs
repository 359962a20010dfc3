//! Lowering of the IR to run-time data: the request-types table the runtime's interpreter reads
//! (`paygen_runtime::schema`), and what the runtime's request preparation takes of an operation
//! and of the provider's auth, built from a spec at run time (for `paygen request` and tests).

use paygen_runtime::engine::{AuthPlan, BodyEncoding, Method, Operation};
use paygen_runtime::schema::{
    Condition, EnumDef, FieldDef, FieldSource, MoneyCurrency, OwnedRequirement, RequestTable,
    RulePattern, Rules, TypeDef, ValueType, VariantDef,
};
use paygen_runtime::WireScalar;

use crate::ir::{self, HttpMethod, Scalar, Source, TypeKind, TypeRef, WireLiteral};

/// Every named type of the provider as data, keyed by the name the generated code gives it.
pub fn request_table(p: &ir::Provider) -> RequestTable {
    let types = p
        .types
        .iter()
        .map(|t| (t.rust.clone(), type_def(p, &t.kind)))
        .collect();
    let requires = p
        .types
        .iter()
        .map(|t| (t.rust.clone(), t.requires.iter().map(requirement).collect()))
        .collect();
    RequestTable::new(types, p.exponents.clone()).with_requirements(requires)
}

fn requirement(r: &ir::Requirement) -> OwnedRequirement {
    OwnedRequirement {
        when: r.when.clone(),
        required: r.required.clone(),
        forbidden: r.forbidden.clone(),
        at_least_one_of: r.at_least_one_of.clone(),
    }
}

fn type_def(p: &ir::Provider, kind: &TypeKind) -> TypeDef {
    match kind {
        TypeKind::Object { fields } => {
            TypeDef::Object(fields.iter().map(|f| field_def(p, f)).collect())
        }
        TypeKind::OneOf { variants } => TypeDef::OneOf(
            variants
                .iter()
                .map(|v| VariantDef {
                    name: v.rust.clone(),
                    ty: p.ty(v.ty).rust.clone(),
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
        TypeKind::Alias(target) => TypeDef::Alias(value_type(p, target)),
    }
}

fn field_def(p: &ir::Provider, f: &ir::Field) -> FieldDef {
    FieldDef {
        wire: f.wire.clone(),
        required: f.required,
        ty: value_type(p, &f.ty),
        rules: rules_of(&f.rules),
        source: f.source.as_ref().map(|s| match s {
            Source::Credential(c) => FieldSource::Credential(c.clone()),
            Source::Clock(pattern) => FieldSource::Clock(pattern.clone()),
            Source::Const(v) => FieldSource::Const(v.clone()),
        }),
        local: f.local,
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
fn value_type(p: &ir::Provider, ty: &TypeRef) -> ValueType {
    match ty {
        TypeRef::Scalar(s) => scalar(*s),
        TypeRef::Sensitive(_) => ValueType::Text,
        TypeRef::Money { currency, wire } => ValueType::Money {
            currency: match currency {
                ir::MoneyCurrency::Field(f) => MoneyCurrency::Field(f.clone()),
                ir::MoneyCurrency::Fixed(c) => MoneyCurrency::Fixed(c.clone()),
            },
            wire: *wire,
        },
        TypeRef::Named(id) => ValueType::Named(p.ty(*id).rust.clone()),
        TypeRef::List(inner) => ValueType::List(Box::new(value_type(p, inner))),
        TypeRef::Map(inner) => ValueType::Map(Box::new(value_type(p, inner))),
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

/// The provider's authentication as the runtime's request preparation takes it.
pub fn auth_plan(p: &ir::Provider) -> AuthPlan {
    AuthPlan {
        headers: p.auth_headers.clone(),
        basic: p.auth_basic.clone(),
    }
}

/// What request preparation needs of an operation, borrowed from the IR (the generated
/// `operations::<OP>` constant gives the same through `Operation::from`).
pub fn operation(op: &ir::Operation) -> Operation<'_> {
    Operation {
        name: &op.name,
        method: match op.method {
            HttpMethod::Get => Method::Get,
            HttpMethod::Post => Method::Post,
            HttpMethod::Put => Method::Put,
            HttpMethod::Delete => Method::Delete,
            HttpMethod::Patch => Method::Patch,
        },
        path: &op.path,
        accept: op.accept().into(),
        encoding: match op.encoding {
            ir::BodyEncoding::Json => BodyEncoding::Json,
            ir::BodyEncoding::Form => BodyEncoding::Form,
            ir::BodyEncoding::None => BodyEncoding::None,
        },
        signed: op.sign,
    }
}
