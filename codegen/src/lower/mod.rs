//! Lowering: a validated spec model becomes the IR (names resolved to ids, types normalised,
//! the facts emitters need computed once).

mod facts;
mod vocab;

use std::collections::BTreeSet;

use crate::ir::{
    self, Condition, Field, MoneyCurrency, Scalar, Source, Type, TypeId, TypeKind, TypeRef,
    WireLiteral,
};
use crate::naming::{pascal, snake};
use crate::spec::builtin::Builtin;
use crate::spec::model::{self as m, EnumValue, Spec};

/// Lowers a spec that passed validation. Names that could not convert fall back to the raw text,
/// a reference to an undeclared type to `json`, and a variant of an undeclared type is left out
/// (validation has already reported them).
pub fn lower(spec: &Spec, spec_file: &str) -> ir::Provider {
    let reach = reachability(spec);
    let ix = Index { spec };
    let mut types: Vec<Type> = spec
        .types
        .iter()
        .map(|(n, d)| lower_type(&ix, n, d, &reach))
        .collect();
    facts::fill(&mut types);
    let operations = spec
        .operations
        .iter()
        .map(|(n, o)| operation(&ix, &types, n, o))
        .collect();
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
        oauth2: spec
            .auth
            .as_ref()
            .and_then(|a| a.oauth2_client_credentials.as_ref())
            .map(oauth2),
        request_id_header: spec.request_id_header.clone(),
        recipes: recipes(spec),
        exponents: spec
            .money
            .iter()
            .flat_map(|m| m.exponents.iter().map(|(k, v)| (k.clone(), *v)))
            .collect(),
        types,
        operations,
        errors: spec.errors.iter().map(error_rule).collect(),
        webhooks: spec.webhooks.as_ref().map(|w| webhooks(&ix, w)),
        pages: spec
            .pages
            .iter()
            .map(|(name, pg)| ir::Page {
                name: name.clone(),
                doc: with_assumption(&pg.doc, &pg.assumed),
                path: pg.path.clone(),
                host: pg.host.clone().unwrap_or_else(|| "default".into()),
                request: p(&pg.request),
            })
            .collect(),
    }
}

/// Declared type names to ids.
struct Index<'a> {
    spec: &'a Spec,
}

impl Index<'_> {
    /// The id of the type a spec declares under `name`.
    fn id(&self, name: &str) -> Option<TypeId> {
        self.spec.types.get_index_of(name).map(TypeId)
    }
}

fn p(raw: &str) -> String {
    pascal(raw).unwrap_or_else(|_| raw.to_string())
}

fn s(raw: &str) -> String {
    snake(raw).unwrap_or_else(|_| raw.to_string())
}

fn environment(name: &str, env: &m::Environment) -> ir::Environment {
    let mut hosts: Vec<(String, String)> = env.hosts();
    hosts.sort_by_key(|(h, _)| h != "default");
    ir::Environment {
        name: name.to_string(),
        rust: p(name),
        hosts,
        local_simulator: env.is_local_simulator(),
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

fn oauth2(o: &m::OAuth2ClientCredentials) -> ir::OAuth2 {
    ir::OAuth2 {
        host: o.host.clone().unwrap_or_else(|| "default".into()),
        path: o.path.clone(),
        client_id: o.client_id.clone(),
        client_secret: o.client_secret.clone(),
        scope: o.scope.clone(),
        client_auth: vocab::client_auth(o.client_auth),
    }
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

fn lower_type(ix: &Index, name: &str, def: &m::TypeDef, reach: &Reach) -> Type {
    let kind = if let Some(values) = &def.values {
        enum_kind(values)
    } else if let Some(fields) = &def.fields {
        TypeKind::Object {
            fields: fields.iter().map(|(w, f)| field(ix, w, f)).collect(),
        }
    } else if let Some(variants) = &def.variants {
        TypeKind::OneOf {
            variants: variants
                .iter()
                .filter_map(|(n, v)| variant(ix, n, v))
                .collect(),
        }
    } else if let Some(base) = def
        .base
        .as_deref()
        .filter(|b| matches!(Builtin::parse(b), Some(Builtin::List | Builtin::Map)))
    {
        TypeKind::Alias(type_ref(ix, base, def.items.as_deref(), None))
    } else {
        TypeKind::Scalar {
            base: def.base.as_deref().map_or(Scalar::String, scalar),
            rules: vocab::rules(def.rules()),
        }
    };
    Type {
        rust: p(name),
        doc: with_assumption(&def.doc, &def.assumed),
        kind,
        in_request: reach.request.contains(name),
        requires: def.requires.iter().map(requirement).collect(),
        defaultable: false,
        sensitive_paths: Vec::new(),
    }
}

fn requirement(r: &m::Requirement) -> ir::Requirement {
    ir::Requirement {
        when: r
            .when
            .iter()
            .map(|(f, vs)| (f.clone(), vs.iter().map(|v| v.text()).collect()))
            .collect(),
        required: r.required.clone(),
        forbidden: r.forbidden.clone(),
        at_least_one_of: r.at_least_one_of.clone(),
        doc: r.doc.clone(),
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
        EnumValue::Full(d) => (
            d.wire.clone(),
            d.name.clone(),
            with_assumption(&d.doc, &d.assumed),
            d.common,
        ),
    };
    let text = wire.text();
    let raw = name.as_deref().unwrap_or(&text);
    // `Unknown(raw)` is the catch-all of every generated enum: `naming::enum_variant` renames.
    let rust = crate::naming::enum_variant(raw).unwrap_or_else(|_| p(raw));
    ir::EnumValue {
        rust,
        wire: vocab::wire_literal(&wire),
        doc,
        common,
    }
}

fn scalar(base: &str) -> Scalar {
    match Builtin::parse(base) {
        Some(Builtin::Integer) => Scalar::Integer,
        Some(Builtin::Boolean) => Scalar::Boolean,
        Some(Builtin::Decimal) => Scalar::Decimal,
        Some(Builtin::Json) => Scalar::Json,
        _ => Scalar::String,
    }
}

fn type_ref(ix: &Index, ty: &str, items: Option<&str>, f: Option<&m::Field>) -> TypeRef {
    let json = Builtin::Json.name();
    let Some(builtin) = Builtin::parse(ty) else {
        return ix
            .id(ty)
            .map_or(TypeRef::Scalar(Scalar::Json), TypeRef::Named);
    };
    let inner = || Box::new(type_ref(ix, items.unwrap_or(json), None, None));
    match builtin {
        Builtin::List => TypeRef::List(inner()),
        Builtin::Map => TypeRef::Map(inner()),
        Builtin::Money => match f.and_then(|f| f.money.as_ref()) {
            Some(mf) => TypeRef::Money {
                currency: match (&mf.currency_field, &mf.currency) {
                    (Some(f), _) => MoneyCurrency::Field(f.clone()),
                    (None, Some(c)) => MoneyCurrency::Fixed(c.clone()),
                    (None, None) => MoneyCurrency::Field(String::new()),
                },
                wire: mf.wire,
            },
            None => TypeRef::Scalar(Scalar::Decimal),
        },
        Builtin::String => match f.and_then(|f| f.sensitive) {
            Some(k) => TypeRef::Sensitive(vocab::sensitivity(k)),
            None => TypeRef::Scalar(Scalar::String),
        },
        Builtin::Integer | Builtin::Boolean | Builtin::Decimal | Builtin::Json => {
            TypeRef::Scalar(scalar(ty))
        }
    }
}

fn field(ix: &Index, wire: &str, f: &m::Field) -> Field {
    let source = f.from.as_ref().map(|src| match src {
        m::FieldSource::Credential(c) => Source::Credential(c.clone()),
        m::FieldSource::Clock(fmt) => Source::Clock(fmt.clone()),
        m::FieldSource::Value(v) => Source::Const(v.clone()),
    });
    Field {
        wire: wire.to_string(),
        rust: s(f.rust_name.as_deref().unwrap_or(wire)),
        doc: with_assumption(&f.doc, &f.assumed),
        ty: type_ref(ix, &f.ty, f.items.as_deref(), Some(f)),
        required: f.required,
        rules: vocab::rules(f.rules()),
        source,
        local: f.local,
    }
}

/// The variant (none when its type is not declared).
fn variant(ix: &Index, name: &str, v: &m::Variant) -> Option<ir::Variant> {
    Some(ir::Variant {
        rust: p(name),
        ty: ix.id(&v.ty)?,
        when: v.when.as_ref().map(condition),
        doc: with_assumption(&v.doc, &v.assumed),
        replies: v
            .replies
            .iter()
            .map(|(name, r)| ir::Reply {
                rust: p(name),
                doc: r.doc.clone(),
                status: r.status,
                content_type: r.content_type.clone(),
                body: r.body.clone(),
                params: r
                    .params
                    .iter()
                    .map(|(k, t)| (k.clone(), s(k), Builtin::parse(t) == Some(Builtin::Integer)))
                    .collect(),
            })
            .collect(),
    })
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

fn operation(ix: &Index, types: &[Type], name: &str, o: &m::Operation) -> ir::Operation {
    let spec = ix.spec;
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
        (_, Some(vs)) => {
            ir::Response::Variants(vs.iter().filter_map(|(n, v)| variant(ix, n, v)).collect())
        }
        (Some(r), None) => ir::Response::Single(p(r)),
        (None, None) => ir::Response::None,
    };
    let mut op = ir::Operation {
        name: name.to_string(),
        rust: s(name),
        doc: with_assumption(&o.doc, &o.assumed),
        method: vocab::method(o.method),
        host: o.host.clone().unwrap_or_else(|| "default".into()),
        path: o.path.clone(),
        encoding: vocab::encoding(o.encoding.unwrap_or(default_encoding)),
        request: o.request.as_deref().map(p),
        response,
        safe: o.idempotency.safe,
        reconcile_with: o.idempotency.reconcile_with.clone(),
        reconcile_note: o.idempotency.reconcile_note.clone(),
        resolution: vocab::resolution(crate::spec::resolution::resolve(spec, name, o).0),
        sensitive_paths: o
            .request
            .as_deref()
            .and_then(|r| ix.id(r))
            .map(|id| types[id.index()].sensitive_paths.clone())
            .unwrap_or_default(),
        money_moving: o.money_moving,
        sign: o.sign.unwrap_or(has_request_recipe && o.request.is_some()),
        verify_response: o.verify_response,
        examples: o.examples.iter().map(example).collect(),
        answers: o.answers.as_ref().map_or_else(
            || vec![ir::AnswerKind::Json],
            |a| a.iter().copied().map(vocab::answer).collect(),
        ),
        timeout_ms: o.timeout_ms,
        typed_error_statuses: false,
    };
    op.typed_error_statuses = facts::typed_error_statuses(&op);
    op
}

fn example(e: &m::Example) -> ir::Example {
    ir::Example {
        name: e.name.clone(),
        request: e.request.clone(),
        status: e.status.unwrap_or(200),
        response: e.response.clone(),
        expect: e.expect.clone(),
        stand_ins: e
            .stand_ins
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

fn error_rule(r: &m::ErrorRule) -> ir::ErrorRule {
    ir::ErrorRule {
        when: condition(&r.when),
        code: r.code.clone(),
        code_type: r.code_type.as_deref().map(p),
        message: r.message.clone(),
    }
}

fn webhooks(ix: &Index, w: &m::Webhooks) -> ir::Webhooks {
    ir::Webhooks {
        doc: with_assumption(&w.doc, &w.assumed),
        form: w.encoding == m::BodyEncoding::Form,
        verify: w.verify,
        events: w
            .events
            .iter()
            .filter_map(|(n, v)| variant(ix, n, v))
            .collect(),
        ack: (w.ack.status, w.ack.content_type.clone(), w.ack.body.clone()),
        dedup_key: w.dedup_key.clone(),
        ack_doc: with_assumption(&None, &w.ack.assumed),
    }
}

/// The item's docs followed by what the spec assumes there ("Assumed, not documented: ...").
fn with_assumption(doc: &Option<String>, assumed: &Option<String>) -> Option<String> {
    match (doc, assumed) {
        (_, None) => doc.clone(),
        (None, Some(a)) => Some(format!("Assumed, not documented: {}", a.trim())),
        (Some(d), Some(a)) => Some(format!(
            "{}\n\nAssumed, not documented: {}",
            d.trim_end(),
            a.trim()
        )),
    }
}
