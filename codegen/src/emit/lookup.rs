//! `rt::RequirementFields` impls: the wire value at each dotted path an object's conditional
//! requirements read, looked up straight from its fields (issue 11), so a body written with no
//! request tree is checked with the same errors as its tree. A path is followed through
//! object fields (optional ones matched) and one-of variants to a plain value, whose wire
//! value is its `rt::AsWire` value as in the tree; a path naming no field is `None`, as in the
//! tree. A path through a list, a map, money, a checked scalar, a field filled by the client
//! or a key with `.` or `[` in it cannot be looked up here: the object keeps its tree.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::fields::{is_optional, named_kind, NamedKind};
use super::moved::moved;
use crate::ir::{Field, Provider, Type, TypeKind, TypeRef};
use crate::naming::ident;

/// Every path `t`'s requirements read, once each, in order of first use.
fn paths(t: &Type) -> Vec<&str> {
    let mut paths: Vec<&str> = Vec::new();
    for r in &t.requires {
        let named = r.when.iter().map(|(f, _)| f);
        let all = named.chain(&r.required).chain(&r.forbidden);
        for path in all.chain(&r.at_least_one_of) {
            if !paths.contains(&path.as_str()) {
                paths.push(path);
            }
        }
    }
    paths
}

/// The `rt::RequirementFields` impl of a request object with requirements, or `None` when one
/// of the paths cannot be looked up from the fields.
pub fn requirement_fields(p: &Provider, t: &Type, fields: &[Field]) -> Option<TokenStream> {
    let name = ident(&t.rust);
    let mut arms = Vec::new();
    for path in paths(t) {
        let segments: Vec<&str> = path.split('.').collect();
        let value = moved(in_fields(p, fields, &segments, quote! { self }, 0)?);
        arms.push(quote! { #path => #value, });
    }
    Some(quote! {
        /// The wire values its requirements read, looked up from the fields.
        impl rt::RequirementFields for #name {
            fn field_at(&self, path: &str) -> Option<rt::WireValue<'_>> {
                match path {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    })
}

/// The checks of `t`'s requirements on the fields, in order: each requirement's condition
/// and whether it is broken evaluated here from the lookups (each `when` field looked up
/// once), and a broken one handed to `rt::check_field_requirements` alone, which names its
/// fields as the tree path does (the same errors in the same order: requirements are
/// independent). `None` when a path cannot be looked up from the fields.
pub fn requirement_checks(p: &Provider, t: &Type, fields: &[Field]) -> Option<TokenStream> {
    let lookup = |path: &str| {
        let segments: Vec<&str> = path.split('.').collect();
        in_fields(p, fields, &segments, quote! { self }, 0)
    };
    let mut when_paths: Vec<&str> = Vec::new();
    let mut bindings = Vec::new();
    for (field, _) in t.requires.iter().flat_map(|r| &r.when) {
        if !when_paths.contains(&field.as_str()) {
            let name = format_ident!("when{}", when_paths.len());
            let value = moved(lookup(field)?);
            bindings.push(quote! { let #name = #value; });
            when_paths.push(field);
        }
    }
    let items = super::types::requirement_items(&t.requires);
    let mut checks = Vec::new();
    for (r, item) in t.requires.iter().zip(items) {
        let mut holds = Vec::new();
        for (field, values) in &r.when {
            let at = when_paths.iter().position(|w| w == field)?;
            let name = format_ident!("when{at}");
            holds.push(quote! { rt::wire_text_in(&#name, &[#(#values),*]) });
        }
        let present = |path: &String| lookup(path).map(|v| quote! { rt::wire_present(&#v) });
        let required: Vec<_> = r.required.iter().map(present).collect::<Option<_>>()?;
        let forbidden: Vec<_> = r.forbidden.iter().map(present).collect::<Option<_>>()?;
        let group: Vec<_> = r
            .at_least_one_of
            .iter()
            .map(present)
            .collect::<Option<_>>()?;
        let mut broken: Vec<TokenStream> = required.into_iter().map(|v| quote! { !#v }).collect();
        broken.extend(forbidden);
        if !group.is_empty() {
            broken.push(quote! { !(#(#group)||*) });
        }
        if broken.is_empty() {
            continue;
        }
        holds.push(quote! { (#(#broken)||*) });
        checks.push(quote! {
            if #(#holds)&&* {
                rt::check_field_requirements(errs, path, self, &[#item]);
            }
        });
    }
    Some(quote! { #(#bindings)* #(#checks)* })
}

/// The value at `segments` below `base` (an object with `fields`).
fn in_fields(
    p: &Provider,
    fields: &[Field],
    segments: &[&str],
    base: TokenStream,
    depth: usize,
) -> Option<TokenStream> {
    if fields.iter().any(|f| f.wire.contains(['.', '['])) {
        return None;
    }
    let (first, rest) = segments.split_first()?;
    if first.is_empty() || first.contains('[') {
        return None;
    }
    let Some(f) = fields.iter().find(|f| !f.local && f.wire == *first) else {
        return Some(quote! { None });
    };
    if f.source.is_some() {
        return None;
    }
    let name = ident(&f.rust);
    let v = format_ident!("v{depth}");
    let inner = in_type(p, &f.ty, rest, quote! { #v }, depth + 1)?;
    if is_none(&inner) {
        return Some(inner);
    }
    let optional = is_optional(f, true);
    if optional && rest.is_empty() {
        return Some(quote! { #base.#name.as_ref().map(rt::AsWire::as_wire) });
    }
    let inner = moved(inner);
    Some(if optional {
        quote! { match &#base.#name { Some(#v) => #inner, None => None } }
    } else {
        quote! { { let #v = &#base.#name; #inner } }
    })
}

/// Whether `tokens` are the lone `None` (a path that names no field of a variant).
fn is_none(tokens: &TokenStream) -> bool {
    let mut iter = tokens.clone().into_iter();
    matches!(
        (iter.next(), iter.next()),
        (Some(proc_macro2::TokenTree::Ident(i)), None) if i == "None"
    )
}

/// The value at `rest` below `v` (a reference to a value of type `ty`).
fn in_type(
    p: &Provider,
    ty: &TypeRef,
    rest: &[&str],
    v: TokenStream,
    depth: usize,
) -> Option<TokenStream> {
    let structured =
        matches!(ty, TypeRef::Named(id) if named_kind(p, *id) == NamedKind::Structured);
    match ty {
        TypeRef::Money { .. } | TypeRef::List(_) | TypeRef::Map(_) => None,
        _ if rest.is_empty() && !structured => Some(quote! { Some(rt::AsWire::as_wire(#v)) }),
        _ if !structured => Some(quote! { None }),
        TypeRef::Named(id) if !rest.is_empty() => {
            let t = p.ty(*id);
            match &t.kind {
                TypeKind::Object { fields } => in_fields(p, fields, rest, v, depth),
                TypeKind::OneOf { variants } => {
                    let name = ident(&t.rust);
                    let x = format_ident!("v{depth}");
                    let mut arms = Vec::new();
                    for variant in variants {
                        let TypeKind::Object { fields } = &p.ty(variant.ty).kind else {
                            return None;
                        };
                        let value = in_fields(p, fields, rest, quote! { #x }, depth + 1)?;
                        if !is_none(&value) {
                            let (vn, value) = (ident(&variant.rust), moved(value));
                            arms.push(quote! { #name::#vn(#x) => #value, });
                        }
                    }
                    // the variants without the field have nothing there
                    Some(match arms.len() {
                        0 => quote! { None },
                        n if n == variants.len() => quote! { match #v { #(#arms)* } },
                        _ => quote! { match #v { #(#arms)* _ => None, } },
                    })
                }
                _ => None,
            }
        }
        _ => None,
    }
}
