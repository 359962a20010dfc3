//! Struct members pushed token by token: per field its doc lines, its `#[serde(...)]` attribute
//! and `pub name: Type,`, from words made once per struct (the tokens of the `quote!` emitter
//! kept in `members_tests.rs` as the reference, without a `quote!` and a stream per field).

use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};

use super::arms::Tokens;
use super::docs::{field_doc, push_doc, string_literal};
use super::fields::{base_type, is_optional};
use crate::ir::{Field, Provider, Scalar, TypeRef};
use crate::naming::ident;

/// The identifiers and literal every member may use, made once per struct.
struct Words {
    public: Ident,
    serde: Ident,
    rename: Ident,
    default: Ident,
    skip: Ident,
    is_none: Literal,
    option: Ident,
    string: Ident,
    integer: Ident,
    boolean: Ident,
}

impl Words {
    fn new() -> Self {
        let word = |w: &str| Ident::new(w, Span::call_site());
        Words {
            public: word("pub"),
            serde: word("serde"),
            rename: word("rename"),
            default: word("default"),
            skip: word("skip_serializing_if"),
            is_none: Literal::string("Option::is_none"),
            option: word("Option"),
            string: word("String"),
            integer: word("i64"),
            boolean: word("bool"),
        }
    }
}

/// The members of a struct of `fields` (those the caller supplies, `source`d ones, are not
/// members); `strict`: the type is used in requests; `serialized`: it derives `Serialize`
/// (serialize-only attributes are emitted only then).
pub fn members(p: &Provider, fields: &[Field], strict: bool, serialized: bool) -> TokenStream {
    let w = Words::new();
    let mut t = Tokens::with_capacity(fields.len() * 12);
    for f in fields.iter().filter(|f| f.source.is_none()) {
        member(&mut t, &w, p, f, strict, serialized);
    }
    t.finish()
}

/// `/// doc #[serde(...)] pub name: Type,`.
fn member(t: &mut Tokens, w: &Words, p: &Provider, f: &Field, strict: bool, serialized: bool) {
    push_doc(t, &field_doc(p, f, strict));
    let rename = (f.rust != f.wire).then(|| string_literal(&f.wire));
    let optional = is_optional(f, strict);
    serde_attr(t, w, rename, optional, optional && serialized);
    t.ident(&w.public).tree(TokenTree::Ident(ident(&f.rust)));
    t.punct(':');
    if optional {
        t.ident(&w.option).punct('<');
        base(t, w, p, &f.ty, strict);
        t.punct('>');
    } else {
        base(t, w, p, &f.ty, strict);
    }
    t.punct(',');
}

/// A field's type without `Option`: a named type or a one-word scalar pushed as its word,
/// anything else as [`base_type`] writes it.
fn base(t: &mut Tokens, w: &Words, p: &Provider, ty: &TypeRef, strict: bool) {
    match ty {
        TypeRef::Named(id) => t.tree(TokenTree::Ident(ident(&p.ty(*id).rust))),
        TypeRef::Scalar(Scalar::String) => t.ident(&w.string),
        TypeRef::Scalar(Scalar::Integer) => t.ident(&w.integer),
        TypeRef::Scalar(Scalar::Boolean) => t.ident(&w.boolean),
        _ => t.stream(base_type(p, ty, strict)),
    };
}

/// `#[serde(rename = "wire", default, skip_serializing_if = "Option::is_none")]` with only the
/// arguments that apply (nothing when none does).
fn serde_attr(t: &mut Tokens, w: &Words, rename: Option<Literal>, default: bool, skip: bool) {
    if rename.is_none() && !default {
        return;
    }
    let mut args = Tokens::with_capacity(9);
    if let Some(wire) = rename {
        args.ident(&w.rename)
            .punct('=')
            .tree(TokenTree::Literal(wire));
        if default {
            args.punct(',');
        }
    }
    if default {
        args.ident(&w.default);
        if skip {
            args.punct(',')
                .ident(&w.skip)
                .punct('=')
                .literal(&w.is_none);
        }
    }
    let mut attr = Tokens::with_capacity(2);
    attr.ident(&w.serde).parens(args.finish());
    t.punct('#').brackets(attr.finish());
}

#[cfg(test)]
#[path = "members_tests.rs"]
mod tests;
