//! Signed bodies written and signed straight from the typed request (issue 11): which signed
//! operations qualify, and the `rt::WriteSigned` / `rt::WriteFlatPairs` impls that write a
//! request's canonical pairs in the recipe's order with no request tree.
//!
//! The generator fixes only the keys and their order (the byte order of the wire keys, which
//! the runtime sorts a tree's keys by); each value goes to the runtime as the same wire value
//! the tree holds (`rt::AsWire`, `rt::money_value`, the credential's text), rendered there by
//! the recipe's rules; excluded keys are left out and keys lower-cased there too. A recipe
//! reading anything but the sorted body fields, a field filled from the clock, a list or map of
//! objects, a checked scalar or a nested object that is not a flat object (or one-of of flat
//! objects) keeps the operation on the tree path.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::fields::{is_optional, money_currency, money_wire, named_kind, NamedKind};
use super::moved::moved;
use crate::ir::{
    BodyEncoding, Field, HttpMethod, Operation, Provider, Scalar, Source, Type, TypeKind, TypeRef,
    Variant,
};
use crate::naming::ident;
use paygen_runtime::signing::{NestedRule, Over, Placement, Recipe, SortOrder};

/// The body field a request recipe places the signature in, when the recipe signs exactly the
/// sorted body fields (what the runtime's `signs_written_pairs` asks of the compiled recipe).
fn placement(r: &Recipe) -> Option<&str> {
    let plain = r.over == Over::BodyFields
        && r.canonical.sort == SortOrder::Keys
        && r.value.is_none()
        && r.headers.is_empty()
        && r.fields.is_empty()
        && r.generate.is_empty();
    match &r.place {
        Placement::BodyField(name) if plain && !name.contains(['.', '[']) => Some(name),
        _ => None,
    }
}

/// Whether the signed operation's body is written as JSON from the request and signed from
/// its pairs: a JSON body, not in the query, no path parameter read from it, a recipe over the
/// sorted body fields, a request type whose pairs can be written (`top_pairs`).
pub fn signs_written_pairs(p: &Provider, o: &Operation) -> bool {
    let (Some(request), Some(recipe)) = (&o.request, &p.recipes.request) else {
        return false;
    };
    o.sign
        && o.encoding == BodyEncoding::Json
        && o.method != HttpMethod::Get
        && !o.path.contains('{')
        && placement(recipe).is_some()
        && p.types
            .iter()
            .find(|t| &t.rust == request)
            .is_some_and(|t| top_ok(p, t))
}

/// Whether nested objects are flattened (`nested: flatten_one_level`).
fn flattens(p: &Provider) -> bool {
    p.recipes
        .request
        .as_ref()
        .is_some_and(|r| matches!(r.canonical.nested, NestedRule::FlattenOneLevel { .. }))
}

/// `t`'s fields sorted by the byte order of their wire keys, local ones left out.
fn sorted(fields: &[Field]) -> Vec<&Field> {
    let mut sorted: Vec<&Field> = fields.iter().filter(|f| !f.local).collect();
    sorted.sort_by(|a, b| a.wire.as_bytes().cmp(b.wire.as_bytes()));
    sorted
}

/// Whether every pair of the top-level request object `t` can be written here (what
/// [`top_pairs`] emits, decided without emitting).
fn top_ok(p: &Provider, t: &Type) -> bool {
    let TypeKind::Object { fields } = &t.kind else {
        return false;
    };
    let Some(field) = p.recipes.request.as_ref().and_then(placement) else {
        return false;
    };
    fields.iter().filter(|f| !f.local).all(|f| {
        f.wire != field
            && match (&f.source, &f.ty) {
                (Some(Source::Clock(_)), _) => false,
                (Some(_), _) => true,
                (None, TypeRef::Scalar(Scalar::String) | TypeRef::Money { .. }) => true,
                (None, TypeRef::Named(id)) if named_kind(p, *id) == NamedKind::Structured => {
                    flattens(p) && flat_type(p, p.ty(*id))
                }
                (None, ty) => plain_ok(p, ty, true),
            }
    })
}

/// Whether a value of `ty` is its own wire value (`rt::AsWire`), top-level or flattened.
fn plain_ok(p: &Provider, ty: &TypeRef, top: bool) -> bool {
    let structured = |t: &TypeRef| matches!(t, TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured);
    match ty {
        TypeRef::Money { .. } => false,
        TypeRef::List(inner) | TypeRef::Map(inner) => top && !structured(inner),
        t => !structured(t),
    }
}

/// The statements of `write_pairs` for a top-level request object, and whether one flattens a
/// nested object and reads `ctx`; `None` when some field's pair cannot be written here.
fn top_pairs(p: &Provider, t: &Type) -> Option<(Vec<TokenStream>, bool, bool)> {
    let TypeKind::Object { fields } = &t.kind else {
        return None;
    };
    let field = placement(p.recipes.request.as_ref()?)?;
    let (mut nested, mut ctx) = (false, false);
    let mut out = Vec::new();
    for f in sorted(fields) {
        if f.wire == field {
            return None;
        }
        let key = &f.wire;
        let statement = match &f.source {
            Some(Source::Clock(_)) => return None,
            Some(Source::Credential(c)) => {
                ctx = true;
                quote! { pairs.credential(#key, ctx, #c); }
            }
            Some(Source::Const(v)) => {
                let value = moved(super::fields::const_value(v));
                quote! { pairs.value(#key, &#value); }
            }
            None => {
                let value = top_value(p, f, fields, &mut nested, &mut ctx)?;
                optional(f, value)
            }
        };
        out.push(statement);
    }
    Some((out, nested, ctx))
}

/// `value` (statements reading `v`, a reference to the field's value) for field `f` of `self`:
/// inside `if let Some(v)` when the field is optional.
fn optional(f: &Field, value: TokenStream) -> TokenStream {
    let name = ident(&f.rust);
    if is_optional(f, true) {
        quote! { if let Some(v) = &self.#name { #value } }
    } else {
        quote! { { let v = &self.#name; #value } }
    }
}

/// The statements writing a top-level pair from `v`.
fn top_value(
    p: &Provider,
    f: &Field,
    siblings: &[Field],
    nested: &mut bool,
    ctx: &mut bool,
) -> Option<TokenStream> {
    let key = &f.wire;
    Some(match &f.ty {
        TypeRef::Scalar(Scalar::String) => quote! { pairs.text(#key, v); },
        TypeRef::Money { currency, wire } => {
            *ctx = true;
            let currency = moved(money_currency(currency, siblings));
            let wire = moved(money_wire(*wire));
            quote! { pairs.money(#key, *v, #currency, #wire, ctx); }
        }
        TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured => {
            if !flattens(p) || !flat_type(p, p.ty(*id)) {
                return None;
            }
            (*nested, *ctx) = (true, true);
            quote! { pairs.object(#key, v, ctx); }
        }
        ty => plain_value(p, ty, key, true)?,
    })
}

/// A pair of a value that is its own wire value (`rt::AsWire`), top-level or flattened.
fn plain_value(p: &Provider, ty: &TypeRef, key: &str, top: bool) -> Option<TokenStream> {
    if !plain_ok(p, ty, top) {
        return None;
    }
    Some(match ty {
        TypeRef::Scalar(Scalar::String) => quote! { pairs.text(#key, v); },
        _ => quote! { pairs.value(#key, &rt::AsWire::as_wire(v)); },
    })
}

/// Whether `t` is written flattened one level: an object of plain fields (no source, no
/// money, no nested object), or a one-of of such objects.
fn flat_type(p: &Provider, t: &Type) -> bool {
    match &t.kind {
        TypeKind::Object { fields } => fields
            .iter()
            .filter(|f| !f.local)
            .all(|f| f.source.is_none() && plain_ok(p, &f.ty, false)),
        TypeKind::OneOf { variants } => variants.iter().all(|v| {
            let t = p.ty(v.ty);
            matches!(t.kind, TypeKind::Object { .. }) && flat_type(p, t)
        }),
        _ => false,
    }
}

/// The statements writing an object's flattened pairs (`None`: it is not flat).
fn flat_fields(p: &Provider, fields: &[Field]) -> Option<Vec<TokenStream>> {
    sorted(fields)
        .into_iter()
        .map(|f| {
            if f.source.is_some() {
                return None;
            }
            plain_value(p, &f.ty, &f.wire, false).map(|value| optional(f, value))
        })
        .collect()
}

/// The `rt::WriteSigned` impl of a request object that a signed operation writes from its
/// pairs, and its `rt::WriteFlatPairs` impl when it is written flattened; nothing otherwise.
pub fn object_pairs(p: &Provider, t: &Type, fields: &[Field]) -> TokenStream {
    let name = ident(&t.rust);
    let top = p
        .operations
        .iter()
        .any(|o| o.request.as_deref() == Some(&t.rust) && signs_written_pairs(p, o));
    let signed = match top.then(|| top_pairs(p, t)).flatten() {
        Some((statements, nested, ctx)) => {
            let ctx = param(ctx, "ctx");
            let lower_case = fields.iter().filter(|f| !f.local).all(|f| {
                !f.wire
                    .bytes()
                    .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
            });
            let statements = statements.into_iter().map(moved);
            quote! {
                /// Writes the canonical pairs of the signed body straight from the fields, in
                /// the byte order of the wire keys.
                impl rt::WriteSigned for #name {
                    const FLATTENS: bool = #nested;
                    const KEYS_ARE_LOWER_CASE: bool = #lower_case;

                    fn write_pairs(&self, #ctx: &rt::WireContext<'_>, pairs: &mut rt::CanonicalPairs<'_, '_>) {
                        #(#statements)*
                    }
                }
            }
        }
        None => TokenStream::new(),
    };
    let flat = match flat_reached(p, t).then(|| flat_fields(p, fields)).flatten() {
        Some(statements) => {
            let pairs = param(!statements.is_empty(), "pairs");
            let statements = statements.into_iter().map(moved);
            quote! {
                /// Writes the object's pairs, flattened, in the byte order of the wire keys.
                impl rt::WriteFlatPairs for #name {
                    fn write_flat_pairs(&self, _ctx: &rt::WireContext<'_>, #pairs: &mut rt::FlatPairs<'_>) {
                        #(#statements)*
                    }
                }
            }
        }
        None => TokenStream::new(),
    };
    quote! { #signed #flat }
}

/// The `rt::WriteFlatPairs` impl of a one-of written flattened (each variant's own).
pub fn one_of_pairs(p: &Provider, t: &Type, variants: &[Variant]) -> TokenStream {
    if !flat_reached(p, t) || !flat_type(p, t) {
        return TokenStream::new();
    }
    let name = ident(&t.rust);
    let arms = variants.iter().map(|v| {
        let vn = ident(&v.rust);
        moved(quote! { Self::#vn(v) => rt::WriteFlatPairs::write_flat_pairs(v, ctx, pairs), })
    });
    quote! {
        /// Writes the variant's pairs, flattened.
        impl rt::WriteFlatPairs for #name {
            fn write_flat_pairs(&self, ctx: &rt::WireContext<'_>, pairs: &mut rt::FlatPairs<'_>) {
                match self { #(#arms)* }
            }
        }
    }
}

/// Whether `t` is written flattened by some signed operation's pairs: a top-level field's type
/// of a request written from its pairs, or a variant of such a one-of.
fn flat_reached(p: &Provider, t: &Type) -> bool {
    let roots = p
        .operations
        .iter()
        .filter(|o| signs_written_pairs(p, o))
        .filter_map(|o| p.types.iter().find(|x| Some(&x.rust) == o.request.as_ref()));
    let named = |r: &TypeRef| match r {
        TypeRef::Named(id) => Some(p.ty(*id)),
        _ => None,
    };
    roots
        .filter_map(|root| match &root.kind {
            TypeKind::Object { fields } => Some(fields),
            _ => None,
        })
        .flatten()
        .filter_map(|f| named(&f.ty))
        .any(|nested| {
            nested.rust == t.rust
                || matches!(&nested.kind, TypeKind::OneOf { variants }
                    if variants.iter().any(|v| p.ty(v.ty).rust == t.rust))
        })
}

/// Whether `t` is reached from the request of an operation written from its pairs.
pub fn reached_by_signed_pairs(p: &Provider, t: &Type) -> bool {
    flat_reached(p, t)
        || p.operations
            .iter()
            .any(|o| o.request.as_deref() == Some(&t.rust) && signs_written_pairs(p, o))
}

/// A parameter's name, written `_name` when the body does not use it.
fn param(used: bool, name: &str) -> Ident {
    if used {
        format_ident!("{name}")
    } else {
        format_ident!("_{name}")
    }
}
