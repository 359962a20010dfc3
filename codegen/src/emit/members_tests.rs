//! `members` against the `quote!`-built member emitter it replaced (kept here as the
//! reference): the same tokens, spacing included, for every object type of every seed spec,
//! as a request type and as a response type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::docs::{doc_text, field_doc};
use super::super::fields::{base_type, is_optional};
use super::super::moved::moved;
use super::members;
use crate::ir::{Field, Provider, TypeKind};
use crate::naming::ident;

/// The field's Rust type, including `Option` when optional, as the reference wrote it.
fn rust_type(p: &Provider, f: &Field, strict: bool) -> TokenStream {
    let base = base_type(p, &f.ty, strict);
    if is_optional(f, strict) {
        let base = moved(base);
        quote! { Option<#base> }
    } else {
        base
    }
}

/// One struct member as the `quote!` emitter wrote it.
fn reference_member(p: &Provider, f: &Field, strict: bool, serialized: bool) -> TokenStream {
    let name = ident(&f.rust);
    let ty = moved(rust_type(p, f, strict));
    let docs = moved(doc_text(&field_doc(p, f, strict)));
    let rename = (f.rust != f.wire).then(|| Literal::string(&f.wire));
    let optional = is_optional(f, strict);
    let attr = moved(reference_serde_attr(
        rename,
        optional,
        optional && serialized,
    ));
    quote! { #docs #attr pub #name: #ty, }
}

/// The reference `#[serde(...)]` attribute.
fn reference_serde_attr(rename: Option<Literal>, default: bool, skip_none: bool) -> TokenStream {
    let is_none = || Literal::string("Option::is_none");
    match (rename, default, skip_none) {
        (None, false, _) => TokenStream::new(),
        (Some(wire), false, _) => quote! { #[serde(rename = #wire)] },
        (None, true, false) => quote! { #[serde(default)] },
        (None, true, true) => {
            let is_none = is_none();
            quote! { #[serde(default, skip_serializing_if = #is_none)] }
        }
        (Some(wire), true, false) => quote! { #[serde(rename = #wire, default)] },
        (Some(wire), true, true) => {
            let is_none = is_none();
            quote! { #[serde(rename = #wire, default, skip_serializing_if = #is_none)] }
        }
    }
}

fn reference_members(p: &Provider, fields: &[Field], strict: bool, serialized: bool) -> String {
    let members = fields
        .iter()
        .filter(|f| f.source.is_none())
        .map(|f| moved(reference_member(p, f, strict, serialized)));
    quote! { #(#members)* }.to_string()
}

#[test]
fn members_match_the_quote_built_reference_on_every_seed() {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut checked = 0;
    for seed in ["cabbagino", "cactusgino", "global_solutions", "pockyt"] {
        let loaded = crate::check_file(&specs.join(format!("{seed}.yaml")))
            .unwrap_or_else(|e| panic!("{seed} loads: {e:?}"));
        let p = crate::lower::lower(&loaded.spec, "seed.yaml");
        for t in &p.types {
            let TypeKind::Object { fields } = &t.kind else {
                continue;
            };
            for (strict, serialized) in [(true, false), (false, true), (false, false)] {
                let pushed = members(&p, fields, strict, serialized).to_string();
                let reference = reference_members(&p, fields, strict, serialized);
                assert_eq!(pushed, reference, "{seed} {}", t.rust);
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} structs checked");
}
