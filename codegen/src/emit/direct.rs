//! `rt::WriteJson` impls: request objects written as JSON straight from their fields, with no
//! request tree (issue 11), and the test of which operations send such a body. Each impl
//! appends exactly what `to_wire` then `write_json_to` would: each entry's key (and a
//! constant's value) as one literal escaped here (`serde_json`'s escaping, which the runtime's
//! writer matches), its comma dropped at run time for an object's first entry; texts,
//! integers and booleans by the writers their wire values go to, other scalars through those
//! values, amounts and credentials with the errors `to_wire` gives, nested objects and lists of
//! them through their own impls. An object with conditional requirements keeps the trait's
//! default (the tree path) unless a body signed from its pairs reaches it (its requirements are
//! then checked on its fields, `lookup.rs`); a one-of is written by its variant's impl only
//! there too; a checked scalar keeps the default.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::fields::{is_optional, money_args, named_kind, NamedKind};
use super::moved::moved;
use super::scope::Scope;
use crate::ir::{
    BodyEncoding, Field, HttpMethod, Operation, Provider, Scalar, Source, Type, TypeKind, TypeRef,
    Variant,
};
use crate::naming::ident;

/// Whether the operation's body is written by `rt::WriteJson` and sent as written: a JSON
/// body, not in the query, no path parameter read from it, no signing recipe reading it
/// (the runtime's `sends_body_as_written` asks the same of the operation's metadata).
pub fn writes_json_directly(o: &Operation) -> bool {
    o.request.is_some()
        && o.encoding == BodyEncoding::Json
        && o.method != HttpMethod::Get
        && !o.path.contains('{')
        && !o.sign
}

/// Whether `t` is reached from the request of an operation that sends its body as written
/// ([`writes_json_directly`]); a request type no such operation reaches keeps the default, so
/// no writer is emitted that no call would use.
fn written_by_some_operation(p: &Provider, t: &Type) -> bool {
    let mut seen = vec![false; p.types.len()];
    let mut stack: Vec<usize> = p
        .operations
        .iter()
        .filter(|o| writes_json_directly(o) || super::signed::signs_written_pairs(p, o))
        .filter_map(|o| o.request.as_deref())
        .filter_map(|r| p.types.iter().position(|x| x.rust == r))
        .collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        let reached = &p.types[i];
        if reached.rust == t.rust {
            return true;
        }
        match &reached.kind {
            TypeKind::Object { fields } => {
                for f in fields {
                    push_named(&f.ty, &mut stack);
                }
            }
            TypeKind::Alias(r) => push_named(r, &mut stack),
            TypeKind::OneOf { variants } => stack.extend(variants.iter().map(|v| v.ty.index())),
            _ => {}
        }
    }
    false
}

/// The named types `r` refers to (through lists and maps), onto `stack`.
fn push_named(r: &TypeRef, stack: &mut Vec<usize>) {
    match r {
        TypeRef::Named(id) => stack.push(id.index()),
        TypeRef::List(inner) | TypeRef::Map(inner) => push_named(inner, stack),
        _ => {}
    }
}

/// `impl rt::WriteJson for <name> {}`: the default (the tree path).
pub fn default_write_json(name: &Ident) -> TokenStream {
    quote! {
        /// Written as its request tree (`rt::WriteJson`'s default).
        impl rt::WriteJson for #name {}
    }
}

/// Compact JSON of a key or constant, as `serde_json` writes it.
fn json_text(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `,"key":` for an entry's key: quoted as it is when it needs no escape (the usual case, no
/// `serde_json` value made), escaped by `serde_json` otherwise.
fn key_text(wire: &str) -> String {
    if wire.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        format!(",{}:", json_text(&serde_json::Value::from(wire)))
    } else {
        format!(",\"{wire}\":")
    }
}

/// Which of `write_json`'s parameters the entries read.
#[derive(Default)]
struct Uses {
    ctx: bool,
    path: bool,
    errs: bool,
}

impl Uses {
    fn all(&mut self) {
        (self.ctx, self.path, self.errs) = (true, true, true);
    }
}

/// The `rt::WriteJson` impl of a request object.
pub fn object_write_json(p: &Provider, t: &Type, fields: &[Field]) -> TokenStream {
    let name = ident(&t.rust);
    if !written_by_some_operation(p, t) {
        return default_write_json(&name);
    }
    // requirements are checked through a lookup of the fields, only for a body signed from
    // its pairs (the other bodies keep their trees)
    let (lookup, requirements) = match t.requires.is_empty() {
        true => (TokenStream::new(), TokenStream::new()),
        false if !super::signed::reached_by_signed_pairs(p, t) => return default_write_json(&name),
        false => match super::lookup::requirement_fields(p, t, fields)
            .zip(super::lookup::requirement_checks(p, t, fields))
        {
            Some((lookup, checks)) => (lookup, checks),
            None => return default_write_json(&name),
        },
    };
    let mut uses = Uses::default();
    if !t.requires.is_empty() {
        (uses.path, uses.errs) = (true, true);
    }
    let entries: Vec<_> = fields
        .iter()
        .filter(|f| !f.local)
        .map(|f| moved(entry(p, f, fields, &mut uses)))
        .collect();
    let param = |used: bool, n: &str| {
        let n = if used { n.to_string() } else { format!("_{n}") };
        Ident::new(&n, proc_macro2::Span::call_site())
    };
    let (ctx, path, errs) = (
        param(uses.ctx, "ctx"),
        param(uses.path, "path"),
        param(uses.errs, "errs"),
    );
    let doc = super::docs::string_literal(
        " Writes the JSON `to_wire` would be written as, straight from the fields.",
    );
    let (open, close) = (Literal::byte_character(b'{'), Literal::byte_character(b'}'));
    quote! {
        #[doc = #doc]
        impl rt::WriteJson for #name {
            fn write_json(&self, #ctx: &rt::WireContext<'_>, #path: &str, #errs: &mut rt::ValidationErrors, out: &mut Vec<u8>) {
                out.push(#open);
                #(#entries)*
                out.push(#close);
                #requirements
            }
        }

        #lookup
    }
}

/// The `rt::WriteJson` impl of a one-of: its variant's own (what its `to_wire` delegates to),
/// for a one-of reached from a body signed from its pairs; the default otherwise.
pub fn one_of_write_json(p: &Provider, t: &Type, variants: &[Variant]) -> TokenStream {
    let name = ident(&t.rust);
    if !written_by_some_operation(p, t) || !super::signed::reached_by_signed_pairs(p, t) {
        return default_write_json(&name);
    }
    let arms = variants.iter().map(|v| {
        let vn = ident(&v.rust);
        moved(quote! { Self::#vn(v) => rt::WriteJson::write_json(v, ctx, path, errs, out), })
    });
    quote! {
        /// Writes the variant's JSON (as `to_wire` gives the variant's tree).
        impl rt::WriteJson for #name {
            fn write_json(&self, ctx: &rt::WireContext<'_>, path: &str, errs: &mut rt::ValidationErrors, out: &mut Vec<u8>) {
                match self { #(#arms)* }
            }
        }
    }
}

/// The statements writing one entry of the object: its key and value, nothing when an
/// optional value is absent.
fn entry(p: &Provider, f: &Field, siblings: &[Field], uses: &mut Uses) -> TokenStream {
    let key_text = key_text(&f.wire);
    let wire = || super::docs::string_literal(&f.wire);
    match &f.source {
        Some(Source::Const(v)) => {
            let value = match v {
                serde_json::Value::String(_)
                | serde_json::Value::Bool(_)
                | serde_json::Value::Number(_) => json_text(v),
                _ => "null".to_string(),
            };
            let entry = super::docs::byte_string_literal(&format!("{key_text}{value}"));
            return quote! { rt::write_key(out, #entry); };
        }
        Some(Source::Credential(c)) => {
            uses.all();
            let (key, wire) = (super::docs::byte_string_literal(&key_text), wire());
            return quote! {
                rt::write_key(out, #key);
                rt::write_credential(out, ctx, #c, path, #wire, errs);
            };
        }
        Some(Source::Clock(fmt)) => {
            uses.ctx = true;
            let key = super::docs::byte_string_literal(&key_text);
            return quote! {
                rt::write_key(out, #key);
                ctx.timestamp(#fmt).write_json_to(out);
            };
        }
        None => {}
    }
    let key = super::docs::byte_string_literal(&key_text);
    let name = ident(&f.rust);
    if is_optional(f, true) {
        let value = moved(value(p, &f.ty, &key, &wire, siblings, uses, &Bound::Some));
        quote! {
            if let Some(v) = &self.#name {
                #value
            }
        }
    } else {
        value(p, &f.ty, &key, &wire, siblings, uses, &Bound::Field(name))
    }
}

/// How the entry's value is reached: a field of `self`, or `v`, a reference to an optional
/// field's value.
enum Bound {
    Field(Ident),
    Some,
}

impl Bound {
    /// The value as a method receiver.
    fn receiver(&self) -> TokenStream {
        match self {
            Bound::Field(name) => quote! { self.#name },
            Bound::Some => quote! { v },
        }
    }

    /// The value itself (a `Copy` value).
    fn place(&self) -> TokenStream {
        match self {
            Bound::Field(name) => quote! { self.#name },
            Bound::Some => quote! { *v },
        }
    }

    /// A reference to the value.
    fn by_ref(&self) -> TokenStream {
        match self {
            Bound::Field(name) => quote! { &self.#name },
            Bound::Some => quote! { v },
        }
    }
}

/// Whether `ty` is an object, one-of or checked scalar (written by its own impl).
fn structured(p: &Provider, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured)
}

/// The statements writing an entry with key literal `key` whose value is `bound`.
fn value(
    p: &Provider,
    ty: &TypeRef,
    key: &Literal,
    wire: &impl Fn() -> Literal,
    siblings: &[Field],
    uses: &mut Uses,
    bound: &Bound,
) -> TokenStream {
    match ty {
        TypeRef::Scalar(Scalar::String) => {
            let v = moved(bound.by_ref());
            quote! { rt::entry_str(out, #key, #v); }
        }
        TypeRef::Sensitive(_) => {
            let v = moved(bound.receiver());
            quote! { rt::entry_str(out, #key, #v.expose()); }
        }
        TypeRef::Scalar(Scalar::Integer) => {
            let v = moved(bound.place());
            quote! { rt::entry_int(out, #key, #v); }
        }
        TypeRef::Scalar(Scalar::Boolean) => {
            let v = moved(bound.place());
            quote! { rt::entry_bool(out, #key, #v); }
        }
        TypeRef::Money {
            currency,
            wire: form,
        } => {
            uses.all();
            let wire = wire();
            let args = moved(money_args(currency, *form, siblings, &Scope::default()));
            let statements = quote! {
                rt::write_key(out, #key);
                let p = rt::field_path(path, #wire);
                rt::write_money(out, #args);
            };
            match bound {
                Bound::Field(name) => {
                    let statements = moved(statements);
                    quote! { { let v = &self.#name; #statements } }
                }
                Bound::Some => statements,
            }
        }
        _ if structured(p, ty) => {
            uses.all();
            let (v, wire) = (moved(bound.by_ref()), wire());
            quote! {
                rt::write_key(out, #key);
                rt::within(errs, &rt::field_path(path, #wire), |errs| rt::WriteJson::write_json(#v, ctx, "", errs, out));
            }
        }
        TypeRef::List(inner) if structured(p, inner) => {
            uses.all();
            let (v, wire) = (moved(bound.by_ref()), wire());
            quote! {
                rt::write_key(out, #key);
                rt::write_items(out, #v, ctx, &rt::field_path(path, #wire), errs);
            }
        }
        _ => {
            let v = moved(bound.by_ref());
            quote! { rt::entry_value(out, #key, #v); }
        }
    }
}
