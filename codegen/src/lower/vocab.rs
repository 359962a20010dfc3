//! The spec model's small enums and rule sets converted to the IR's own vocabulary.

use crate::ir;
use crate::spec::model as m;
use crate::spec::resolution::Resolution;

/// The IR method of a spec method.
pub fn method(mt: m::HttpMethod) -> ir::HttpMethod {
    match mt {
        m::HttpMethod::GET => ir::HttpMethod::Get,
        m::HttpMethod::POST => ir::HttpMethod::Post,
        m::HttpMethod::PUT => ir::HttpMethod::Put,
        m::HttpMethod::DELETE => ir::HttpMethod::Delete,
        m::HttpMethod::PATCH => ir::HttpMethod::Patch,
    }
}

/// The IR body encoding of a spec body encoding.
pub fn encoding(e: m::BodyEncoding) -> ir::BodyEncoding {
    match e {
        m::BodyEncoding::Json => ir::BodyEncoding::Json,
        m::BodyEncoding::Form => ir::BodyEncoding::Form,
        m::BodyEncoding::None => ir::BodyEncoding::None,
    }
}

/// The IR sensitivity of a spec sensitivity.
pub fn sensitivity(k: m::Sensitivity) -> ir::Sensitivity {
    match k {
        m::Sensitivity::Pan => ir::Sensitivity::Pan,
        m::Sensitivity::Cvv => ir::Sensitivity::Cvv,
        m::Sensitivity::Password => ir::Sensitivity::Password,
        m::Sensitivity::Secret => ir::Sensitivity::Secret,
        m::Sensitivity::Pii => ir::Sensitivity::Pii,
    }
}

/// The IR wire literal of a spec wire literal.
pub fn wire_literal(w: &m::WireLiteral) -> ir::WireLiteral {
    match w {
        m::WireLiteral::Int(n) => ir::WireLiteral::Int(*n),
        m::WireLiteral::Str(s) => ir::WireLiteral::Str(s.clone()),
    }
}

/// The IR rules of spec rules.
pub fn rules(r: m::Rules) -> ir::Rules {
    ir::Rules {
        pattern: r.pattern,
        min_length: r.min_length,
        max_length: r.max_length,
        minimum: r.minimum,
        maximum: r.maximum,
        allowed: r.allowed,
        format: r.format,
        sensitive: r.sensitive.map(sensitivity),
    }
}

/// The IR answer kind of a spec answer kind.
pub fn answer(a: m::AnswerKind) -> ir::AnswerKind {
    match a {
        m::AnswerKind::Json => ir::AnswerKind::Json,
        m::AnswerKind::Redirect => ir::AnswerKind::Redirect,
        m::AnswerKind::Html => ir::AnswerKind::Html,
        m::AnswerKind::Text => ir::AnswerKind::Text,
        m::AnswerKind::AutoPostForm => ir::AnswerKind::AutoPostForm,
    }
}

/// The IR client authentication of a spec one.
pub fn client_auth(c: m::ClientAuth) -> ir::ClientAuth {
    match c {
        m::ClientAuth::Basic => ir::ClientAuth::Basic,
        m::ClientAuth::Body => ir::ClientAuth::Body,
    }
}

/// The IR resolution of the spec's resolution of an operation.
pub fn resolution(r: Resolution) -> ir::Resolution {
    match r {
        Resolution::Lookup { operation, key } => ir::Resolution::Lookup { operation, key },
        Resolution::AwaitCallback { events, key } => ir::Resolution::AwaitCallback { events, key },
        Resolution::Unspecified => ir::Resolution::Unspecified,
    }
}
