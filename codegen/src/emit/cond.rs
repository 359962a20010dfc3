//! Conditions as boolean expressions over a JSON value (or a notification body's probed
//! fields) and an HTTP status.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::moved::moved;
use crate::ir::Condition;

/// Where a condition reads its paths.
enum Source {
    /// An expression of type `&Value`, read with the runtime's `json_path` functions.
    Json(TokenStream),
    /// An expression of type `rt::WebhookBody`, read with its methods (the probed fields).
    Body(TokenStream),
}

/// The kind of literal an `equals` compares with.
#[derive(Clone, Copy)]
enum Literal {
    Str,
    Bool,
    I64,
}

impl Source {
    fn has(&self, path: &str) -> TokenStream {
        match self {
            Source::Json(v) => quote! { rt::has(#v, #path) },
            Source::Body(b) => quote! { #b.has(#path) },
        }
    }

    /// `equals_str`, `equals_bool` or `equals_i64` with its literal (each runtime item named
    /// whole: the door test reads them here).
    fn equals(&self, kind: Literal, path: &str, lit: TokenStream) -> TokenStream {
        let lit = moved(lit);
        match (self, kind) {
            (Source::Json(v), Literal::Str) => quote! { rt::equals_str(#v, #path, #lit) },
            (Source::Json(v), Literal::Bool) => quote! { rt::equals_bool(#v, #path, #lit) },
            (Source::Json(v), Literal::I64) => quote! { rt::equals_i64(#v, #path, #lit) },
            (Source::Body(b), Literal::Str) => quote! { #b.equals_str(#path, #lit) },
            (Source::Body(b), Literal::Bool) => quote! { #b.equals_bool(#path, #lit) },
            (Source::Body(b), Literal::I64) => quote! { #b.equals_i64(#path, #lit) },
        }
    }

    fn text_at(&self, path: &str) -> TokenStream {
        match self {
            Source::Json(v) => quote! { rt::text_at(#v, #path) },
            Source::Body(b) => quote! { #b.text_at(#path) },
        }
    }

    /// The value at `path` as compact JSON text (`Option<String>`).
    fn json_at(&self, path: &str) -> TokenStream {
        match self {
            Source::Json(v) => quote! { rt::at(#v, #path).map(|v| v.to_string()) },
            Source::Body(b) => quote! { #b.json_at(#path) },
        }
    }
}

/// `value` is an expression of type `&Value`, `status` one of type `u16`.
pub fn cond_expr(c: &Condition, value: TokenStream, status: TokenStream) -> TokenStream {
    expr(c, &Source::Json(value), &status)
}

/// A condition over a notification: `body` is an expression of type `rt::WebhookBody` (its
/// probed fields; a notification has no status).
pub fn body_cond_expr(c: &Condition, body: TokenStream) -> TokenStream {
    expr(c, &Source::Body(body), &quote! { 200u16 })
}

fn expr(c: &Condition, src: &Source, status: &TokenStream) -> TokenStream {
    let only_any = c.has.is_empty()
        && c.absent.is_empty()
        && c.equals.is_empty()
        && c.http_status.is_none()
        && c.none.is_empty();
    if only_any && !c.any.is_empty() {
        let subs = c.any.iter().map(|s| moved(grouped(s, src, status)));
        return quote! { #(#subs)||* };
    }
    let parts = cond_parts(c, src, status);
    if parts.is_empty() {
        return quote! { true };
    }
    let parts = parts.into_iter().map(moved);
    quote! { #(#parts)&&* }
}

/// A sub-condition inside `any`/`none`: parenthesised when it has several parts.
fn grouped(c: &Condition, src: &Source, status: &TokenStream) -> TokenStream {
    let parts = cond_parts(c, src, status);
    match parts.len() {
        0 => quote! { true },
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => {
            let parts = parts.into_iter().map(moved);
            quote! { (#(#parts)&&*) }
        }
    }
}

fn cond_parts(c: &Condition, src: &Source, status: &TokenStream) -> Vec<TokenStream> {
    let mut parts: Vec<TokenStream> = Vec::new();
    for path in &c.has {
        parts.push(src.has(path));
    }
    for path in &c.absent {
        let has = moved(src.has(path));
        parts.push(quote! { !#has });
    }
    for (path, lit) in &c.equals {
        parts.push(equals(src, path, lit));
    }
    if let Some((lo, hi)) = c.http_status {
        parts.push(quote! { (#lo..=#hi).contains(&#status) });
    }
    if !c.any.is_empty() {
        let subs = c.any.iter().map(|s| moved(grouped(s, src, status)));
        parts.push(if c.any.len() == 1 {
            quote! { #(#subs)* }
        } else {
            quote! { (#(#subs)||*) }
        });
    }
    if !c.none.is_empty() {
        let subs = c.none.iter().map(|s| moved(grouped(s, src, status)));
        parts.push(quote! { !(#(#subs)||*) });
    }
    parts
}

fn equals(src: &Source, path: &str, lit: &Value) -> TokenStream {
    match lit {
        Value::String(s) => src.equals(Literal::Str, path, quote! { #s }),
        Value::Bool(b) => src.equals(Literal::Bool, path, quote! { #b }),
        Value::Null => {
            let has = moved(src.has(path));
            quote! { !#has }
        }
        Value::Number(n) => match n.as_i64() {
            Some(i) => {
                let i = proc_macro2::Literal::i64_unsuffixed(i);
                src.equals(Literal::I64, path, quote! { #i })
            }
            None => {
                let text = n.to_string();
                let at = moved(src.text_at(path));
                quote! { #at.as_deref() == Some(#text) }
            }
        },
        other => {
            let text = other.to_string();
            let at = moved(src.json_at(path));
            quote! { #at.as_deref() == Some(#text) }
        }
    }
}
