//! `rt::WriteJson` impls: request objects written as JSON straight from their fields, with no
//! request tree (issue 11), and the test of which operations send such a body. Each impl
//! appends exactly what `to_wire` then `write_json_to` would: keys and constants as literals
//! escaped here (`serde_json`'s escaping, which the runtime's writer matches), scalars,
//! amounts and credentials through the same runtime calls as `to_wire`, nested objects
//! through their own impls. An object with conditional requirements (they read its tree),
//! a one-of and a checked scalar keep the trait's default: the tree path.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::fields::{is_optional, money_args, named_kind, NamedKind};
use super::moved::moved;
use super::scope::Scope;
use crate::ir::{
    BodyEncoding, Field, HttpMethod, Operation, Provider, Scalar, Source, Type, TypeRef,
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

/// `impl rt::WriteJson for <name> {}`: the default (the tree path).
pub fn default_write_json(name: &Ident) -> TokenStream {
    quote! {
        /// Written as its request tree (`rt::WriteJson`'s default).
        impl rt::WriteJson for #name {}
    }
}

/// Whether an entry was written before the next one: decides its comma at generation time
/// where it can.
#[derive(Clone, Copy, PartialEq)]
enum Before {
    Nothing,
    Maybe,
    Surely,
}

/// The statements of one `write_json` body, with literal bytes merged until a value needs code.
struct Body {
    pending: Vec<u8>,
    out: Vec<TokenStream>,
    before: Before,
    used_ctx: bool,
    used_path: bool,
    used_errs: bool,
}

impl Body {
    fn flush(&mut self) {
        if !self.pending.is_empty() {
            self.out.push(extend(&std::mem::take(&mut self.pending)));
        }
    }

    /// The key of the next entry (with its comma, or the code that decides it) into `pending`
    /// or, for an optional entry, into its own statements.
    fn key(&self, wire: &str, into: &mut Vec<u8>, code: &mut Vec<TokenStream>) {
        match self.before {
            Before::Nothing => {}
            Before::Surely => into.push(b','),
            Before::Maybe => code.push(quote! { rt::write_separator(out); }),
        }
        into.extend_from_slice(json_text(&serde_json::Value::from(wire)).as_bytes());
        into.push(b':');
    }
}

fn extend(bytes: &[u8]) -> TokenStream {
    if bytes.len() == 1 {
        let b = Literal::byte_character(bytes[0]);
        return quote! { out.push(#b); };
    }
    let lit = Literal::byte_string(bytes);
    quote! { out.extend_from_slice(#lit); }
}

/// Compact JSON of a key or constant, as `serde_json` writes it.
fn json_text(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The `rt::WriteJson` impl of a request object.
pub fn object_write_json(p: &Provider, t: &Type, fields: &[Field]) -> TokenStream {
    let name = ident(&t.rust);
    if !t.requires.is_empty() {
        return default_write_json(&name);
    }
    let mut body = Body {
        pending: b"{".to_vec(),
        out: Vec::new(),
        before: Before::Nothing,
        used_ctx: false,
        used_path: false,
        used_errs: false,
    };
    for f in fields.iter().filter(|f| !f.local) {
        entry(p, f, fields, &mut body);
    }
    body.pending.push(b'}');
    body.flush();
    let param = |used: bool, n: &str| {
        let n = if used { n.to_string() } else { format!("_{n}") };
        Ident::new(&n, proc_macro2::Span::call_site())
    };
    let (ctx, path, errs) = (
        param(body.used_ctx, "ctx"),
        param(body.used_path, "path"),
        param(body.used_errs, "errs"),
    );
    let statements = body.out.into_iter().map(moved);
    quote! {
        /// Writes the JSON `to_wire` would be written as, straight from the fields.
        impl rt::WriteJson for #name {
            fn write_json(&self, #ctx: &rt::WireContext<'_>, #path: &str, #errs: &mut rt::ValidationErrors, out: &mut Vec<u8>) {
                #(#statements)*
            }
        }
    }
}

/// One entry of the object: its key and value, skipped when an optional value is absent.
fn entry(p: &Provider, f: &Field, siblings: &[Field], body: &mut Body) {
    let wire = Literal::string(&f.wire);
    match &f.source {
        Some(Source::Const(v)) => {
            let mut key = Vec::new();
            let mut code = Vec::new();
            body.key(&f.wire, &mut key, &mut code);
            if !code.is_empty() {
                body.flush();
                body.out.extend(code);
            }
            body.pending.extend_from_slice(&key);
            let text = match v {
                serde_json::Value::String(_)
                | serde_json::Value::Bool(_)
                | serde_json::Value::Number(_) => json_text(v),
                _ => "null".to_string(),
            };
            body.pending.extend_from_slice(text.as_bytes());
            body.before = Before::Surely;
            return;
        }
        Some(Source::Credential(c)) => {
            (body.used_ctx, body.used_path, body.used_errs) = (true, true, true);
            surely(
                body,
                &f.wire,
                quote! { rt::write_credential(out, ctx, #c, path, #wire, errs); },
            );
            return;
        }
        Some(Source::Clock(fmt)) => {
            body.used_ctx = true;
            surely(
                body,
                &f.wire,
                quote! { ctx.timestamp(#fmt).write_json_to(out); },
            );
            return;
        }
        None => {}
    }
    let name = ident(&f.rust);
    let value = moved(value(p, &f.ty, &wire, siblings, body));
    if !is_optional(f, true) {
        let statements = if is_plain(p, &f.ty) {
            let field = quote! { self.#name };
            plain(&f.ty, &field, &field, &quote! { &self.#name })
        } else {
            quote! { { let v = &self.#name; #value } }
        };
        surely(body, &f.wire, statements);
        return;
    }
    body.flush();
    let (mut key, mut code) = (Vec::new(), Vec::new());
    body.key(&f.wire, &mut key, &mut code);
    let key = moved(extend(&key));
    body.out.push(quote! {
        if let Some(v) = &self.#name {
            #(#code)*
            #key
            #value
        }
    });
    if body.before == Before::Nothing {
        body.before = Before::Maybe;
    }
}

/// An entry that is always written: its key merged into the literal bytes, then `value`.
fn surely(body: &mut Body, wire: &str, value: TokenStream) {
    let (mut key, mut code) = (Vec::new(), Vec::new());
    body.key(wire, &mut key, &mut code);
    if !code.is_empty() {
        body.flush();
        body.out.extend(code);
    }
    body.pending.extend_from_slice(&key);
    body.flush();
    body.out.push(value);
    body.before = Before::Surely;
}

/// Whether a value of `ty` is written as its `rt::AsWire` value (no amount, no nested
/// object or list of them).
fn is_plain(p: &Provider, ty: &TypeRef) -> bool {
    let structured = |t: &TypeRef| matches!(t, TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured);
    match ty {
        TypeRef::Money { .. } => false,
        TypeRef::List(inner) => !structured(inner),
        other => !structured(other),
    }
}

/// The statement writing a plain value (`receiver` it for a method call, `place` the value,
/// `by_ref` a reference to it): text, integers and booleans by the writer their `rt::AsWire`
/// value goes to, anything else through that value.
fn plain(
    ty: &TypeRef,
    receiver: &TokenStream,
    place: &TokenStream,
    by_ref: &TokenStream,
) -> TokenStream {
    match ty {
        TypeRef::Scalar(Scalar::String) => quote! { rt::write_str(out, #by_ref); },
        TypeRef::Sensitive(_) => quote! { rt::write_str(out, #receiver.expose()); },
        TypeRef::Scalar(Scalar::Integer) => quote! { rt::write_int(out, #place); },
        TypeRef::Scalar(Scalar::Boolean) => quote! { rt::write_bool(out, #place); },
        _ => quote! { rt::write_value(out, #by_ref); },
    }
}

/// The statements writing the value `v` (a reference) of a field named `wire`.
fn value(
    p: &Provider,
    ty: &TypeRef,
    wire: &Literal,
    siblings: &[Field],
    body: &mut Body,
) -> TokenStream {
    match ty {
        TypeRef::Money {
            currency,
            wire: form,
        } => {
            (body.used_ctx, body.used_path, body.used_errs) = (true, true, true);
            let s = Scope::default();
            let args = moved(money_args(currency, *form, siblings, &s));
            quote! {
                let p = rt::field_path(path, #wire);
                rt::write_money(out, #args);
            }
        }
        TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured => {
            (body.used_ctx, body.used_path, body.used_errs) = (true, true, true);
            quote! {
                rt::within(errs, &rt::field_path(path, #wire), |errs| rt::WriteJson::write_json(v, ctx, "", errs, out));
            }
        }
        TypeRef::List(inner) if matches!(inner.as_ref(), TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured) =>
        {
            (body.used_ctx, body.used_path, body.used_errs) = (true, true, true);
            quote! {
                let p = rt::field_path(path, #wire);
                out.push(b'[');
                for (i, item) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    rt::within_item(errs, &p, i, |errs| rt::WriteJson::write_json(item, ctx, "", errs, out));
                }
                out.push(b']');
            }
        }
        _ => plain(ty, &quote! { v }, &quote! { *v }, &quote! { v }),
    }
}
