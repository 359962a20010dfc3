//! Conditions as boolean expressions over a JSON value and an HTTP status.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::Condition;

/// `value` is an expression of type `&Value`, `status` one of type `u16`.
pub fn cond_expr(c: &Condition, value: TokenStream, status: TokenStream) -> TokenStream {
    let only_any = c.has.is_empty()
        && c.absent.is_empty()
        && c.equals.is_empty()
        && c.http_status.is_none()
        && c.none.is_empty();
    if only_any && !c.any.is_empty() {
        let subs = c.any.iter().map(|s| grouped(s, &value, &status));
        return quote! { #(#subs)||* };
    }
    let parts = cond_parts(c, &value, &status);
    if parts.is_empty() {
        return quote! { true };
    }
    quote! { #(#parts)&&* }
}

/// A sub-condition inside `any`/`none`: parenthesised when it has several parts.
fn grouped(c: &Condition, value: &TokenStream, status: &TokenStream) -> TokenStream {
    let parts = cond_parts(c, value, status);
    match parts.len() {
        0 => quote! { true },
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => quote! { (#(#parts)&&*) },
    }
}

fn cond_parts(c: &Condition, value: &TokenStream, status: &TokenStream) -> Vec<TokenStream> {
    let mut parts: Vec<TokenStream> = Vec::new();
    for path in &c.has {
        parts.push(quote! { rt::has(#value, #path) });
    }
    for path in &c.absent {
        parts.push(quote! { !rt::has(#value, #path) });
    }
    for (path, lit) in &c.equals {
        parts.push(equals(value, path, lit));
    }
    if let Some((lo, hi)) = c.http_status {
        parts.push(quote! { (#lo..=#hi).contains(&#status) });
    }
    if !c.any.is_empty() {
        let subs = c.any.iter().map(|s| grouped(s, value, status));
        parts.push(if c.any.len() == 1 {
            quote! { #(#subs)* }
        } else {
            quote! { (#(#subs)||*) }
        });
    }
    if !c.none.is_empty() {
        let subs: Vec<TokenStream> = c.none.iter().map(|s| grouped(s, value, status)).collect();
        parts.push(quote! { !(#(#subs)||*) });
    }
    parts
}

fn equals(value: &TokenStream, path: &str, lit: &Value) -> TokenStream {
    match lit {
        Value::String(s) => quote! { rt::equals_str(#value, #path, #s) },
        Value::Bool(b) => quote! { rt::equals_bool(#value, #path, #b) },
        Value::Null => quote! { !rt::has(#value, #path) },
        Value::Number(n) => match n.as_i64() {
            Some(i) => {
                let i = proc_macro2::Literal::i64_unsuffixed(i);
                quote! { rt::equals_i64(#value, #path, #i) }
            }
            None => {
                let text = n.to_string();
                quote! { rt::text_at(#value, #path).as_deref() == Some(#text) }
            }
        },
        other => {
            let text = other.to_string();
            quote! { rt::at(#value, #path).map(|v| v.to_string()).as_deref() == Some(#text) }
        }
    }
}
