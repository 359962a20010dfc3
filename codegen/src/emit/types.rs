//! Named types: objects, scalar newtypes and one-of unions (enums live in `enums.rs`).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::cond::cond_expr;
use super::docs::{doc, doc_or, doc_text};
use super::fields::{
    base_type, scalar_type, scalar_type_text, sensitive_type, sensitive_type_text, text_checks,
    validate_field, wire_field,
};
use super::moved::moved;
use super::scope::Scope;
use crate::ir::{Field, Provider, Rules, Scalar, Type, TypeId, TypeKind, TypeRef, Variant};
use crate::naming::ident;

/// All items of one named type.
pub fn emit_type(p: &Provider, t: &Type) -> TokenStream {
    match &t.kind {
        TypeKind::Object { fields } => object(p, t, fields),
        TypeKind::Scalar { base, rules } => newtype(t, *base, rules),
        TypeKind::Enum { int, values } => super::enums::emit_enum(t, *int, values),
        TypeKind::OneOf { variants } => one_of(p, t, variants),
        TypeKind::Alias(target) => alias(p, t, target),
    }
}

/// Whether the type derives `Serialize`: request types are written by their `ToWire` impl and
/// only derive `Deserialize`; every other type derives both.
fn derives_serialize(t: &Type) -> bool {
    !t.in_request
}

fn serde_derives(t: &Type) -> TokenStream {
    if derives_serialize(t) {
        quote! { rt::serde::Serialize, rt::serde::Deserialize }
    } else {
        quote! { rt::serde::Deserialize }
    }
}

fn object(p: &Provider, t: &Type, fields: &[Field]) -> TokenStream {
    let name = ident(&t.rust);
    let mut text = t
        .doc
        .clone()
        .unwrap_or_else(|| format!("`{}` as the provider sends or receives it.", t.rust));
    if !t.requires.is_empty() {
        text = format!("{}\n\nChecked before sending:", text.trim_end());
        for r in &t.requires {
            text = format!("{text}\n- {}", r.describe());
        }
    }
    let docs = moved(doc_text(&text));
    let members = moved(super::members::members(
        p,
        fields,
        t.in_request,
        derives_serialize(t),
    ));
    let derives = moved(serde_derives(t));
    let default = if t.defaultable {
        quote! { Default, }
    } else {
        quote! {}
    };
    let to_wire = moved(if t.in_request {
        let to_wire = moved(object_to_wire(p, t, fields));
        let write_json = moved(super::direct::object_write_json(p, t, fields));
        let pairs = moved(super::signed::object_pairs(p, t, fields));
        quote! { #to_wire #write_json #pairs }
    } else {
        TokenStream::new()
    });
    let serde_crate = Literal::string("rt::serde");
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default #derives)]
        #[serde(crate = #serde_crate)]
        pub struct #name {
            #members
        }
        #to_wire
    }
}

fn object_to_wire(p: &Provider, t: &Type, fields: &[Field]) -> TokenStream {
    let name = ident(&t.rust);
    let checking = Scope::default();
    let checks: Vec<_> = fields
        .iter()
        .map(|f| moved(validate_field(p, f, &checking)))
        .collect();
    let wire = Scope::default();
    let inserts: Vec<TokenStream> = fields
        .iter()
        .map(|f| wire_field(p, f, fields, &wire))
        .collect();
    let required = !t.requires.is_empty();
    let ctx_arg = param(wire.used_ctx(), wire.ctx());
    let wire_path = param(wire.used_path() || required, wire.path());
    let wire_errs = param(wire.used_errs() || required, wire.errs());
    let map_used = wire.used_map();
    let map = wire.map();
    // sized for every field at once: a body is one allocation per table, not one per doubling
    let fields_placed =
        proc_macro2::Literal::usize_unsuffixed(inserts.iter().filter(|i| !i.is_empty()).count());
    let inserts = inserts.into_iter().map(moved);
    let new_map = moved(if map_used {
        quote! { let mut #map = rt::WireObject::with_capacity(#fields_placed); }
    } else {
        quote! { let #map = rt::WireObject::default(); }
    });
    let requires = moved(requirements(&t.requires, &wire));
    let path_arg = param(checking.used_path(), checking.path());
    let errs_arg = param(checking.used_errs(), checking.errs());
    quote! {
        impl rt::ToWire for #name {
            fn validate(&self, #path_arg: &str, #errs_arg: &mut rt::ValidationErrors) {
                #(#checks)*
            }

            fn to_wire(&self, #ctx_arg: &rt::WireContext<'_>, #wire_path: &str, #wire_errs: &mut rt::ValidationErrors) -> rt::WireValue<'_> {
                #new_map
                #(#inserts)*
                #requires
            }
        }
    }
}

/// A parameter's name, written `_name` when the body does not use it.
fn param(used: bool, name: &Ident) -> Ident {
    if used {
        name.clone()
    } else {
        format_ident!("_{name}")
    }
}

/// The tail of `to_wire`: the object's value, checked against its conditional requirements.
fn requirements(requires: &[crate::ir::Requirement], s: &Scope) -> TokenStream {
    let map = s.map();
    if requires.is_empty() {
        return quote! { rt::WireValue::Object(#map) };
    }
    let items = requirement_items(requires);
    let (errs, path) = (s.errs(), s.path());
    quote! {
        rt::check_tree_requirements(#errs, #path, &#map, &[#(#items),*]);
        rt::WireValue::Object(#map)
    }
}

/// Each requirement as an `rt::Requirement` expression.
pub(super) fn requirement_items(requires: &[crate::ir::Requirement]) -> Vec<TokenStream> {
    requires
        .iter()
        .map(|r| {
            let when = r.when.iter().map(|(f, vs)| quote! { (#f, &[#(#vs),*]) });
            let (req, forb, one) = (&r.required, &r.forbidden, &r.at_least_one_of);
            quote! {
                rt::Requirement {
                    when: &[#(#when),*],
                    required: &[#(#req),*],
                    forbidden: &[#(#forb),*],
                    at_least_one_of: &[#(#one),*],
                }
            }
        })
        .collect()
}

fn alias(p: &Provider, t: &Type, target: &TypeRef) -> TokenStream {
    let name = ident(&t.rust);
    let docs = moved(doc_or(
        t.doc.as_deref(),
        &format!("`{}` as the provider sends it.", t.rust),
    ));
    let target = moved(base_type(p, target, false));
    quote! {
        #docs
        pub type #name = #target;
    }
}

/// `rt::fits_fields(&value, known, required)` for an object variant.
fn fits(p: &Provider, id: TypeId) -> TokenStream {
    let TypeKind::Object { fields } = &p.ty(id).kind else {
        return quote! { true };
    };
    let known = fields.iter().map(|f| f.wire.as_str());
    let required = fields
        .iter()
        .filter(|f| f.required && f.source.is_none())
        .map(|f| f.wire.as_str());
    quote! { rt::fits_fields(&value, &[#(#known),*], &[#(#required),*]) }
}

fn newtype(t: &Type, base: Scalar, rules: &Rules) -> TokenStream {
    let name = ident(&t.rust);
    let docs = doc_or(t.doc.as_deref(), &format!("A checked `{}` value.", t.rust));
    let inner = match (base, rules.sensitive) {
        (Scalar::String, Some(k)) => sensitive_type(k),
        _ => scalar_type(base),
    };
    let inner_text = match (base, rules.sensitive) {
        (Scalar::String, Some(k)) => sensitive_type_text(k),
        _ => scalar_type_text(base),
    };
    let s = Scope::default();
    let v = s.value();
    let text = match rules.sensitive {
        Some(_) => quote! { #v.expose() },
        None => quote! { #v.as_str() },
    };
    let checks = match base {
        Scalar::String => text_checks(rules, text, &s),
        _ => TokenStream::new(),
    };
    let (path_arg, errs_arg) = if checks.is_empty() {
        (quote! { _path }, quote! { _errs })
    } else {
        (quote! { path }, quote! { errs })
    };
    let binding = if checks.is_empty() {
        quote! {}
    } else {
        let (fp, path) = (s.field_path(), s.path());
        quote! { let #v = &self.0; let #fp = #path.to_string(); }
    };
    let write_json = moved(super::direct::default_write_json(&name));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde", try_from = #inner_text)]
        pub struct #name(#inner);

        impl TryFrom<#inner> for #name {
            type Error = rt::ValidationErrors;

            fn try_from(value: #inner) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl #name {
            /// Wraps a value, checking the spec's rules for it.
            pub fn new(value: impl Into<#inner>) -> Result<Self, rt::ValidationErrors> {
                let value = Self(value.into());
                let mut errs = rt::ValidationErrors::default();
                rt::ToWire::validate(&value, "", &mut errs);
                if errs.is_empty() { Ok(value) } else { Err(errs) }
            }

            /// The value.
            pub fn get(&self) -> &#inner {
                &self.0
            }
        }

        impl rt::ToWire for #name {
            fn validate(&self, #path_arg: &str, #errs_arg: &mut rt::ValidationErrors) {
                #binding
                #checks
            }

            fn to_wire(&self, _ctx: &rt::WireContext<'_>, path: &str, errs: &mut rt::ValidationErrors) -> rt::WireValue<'_> {
                rt::wire_value(&self.0, path, errs)
            }
        }

        #write_json
    }
}

fn one_of(p: &Provider, t: &Type, variants: &[Variant]) -> TokenStream {
    let name = ident(&t.rust);
    let docs = moved(doc_or(
        t.doc.as_deref(),
        &format!("One of the shapes of `{}`.", t.rust),
    ));
    let members = variants.iter().map(|v| {
        let vn = ident(&v.rust);
        let ty = moved(base_type(p, &TypeRef::Named(v.ty), t.in_request));
        let d = moved(doc(v.doc.as_deref()));
        moved(quote! { #d #vn(#ty), })
    });
    let arms_validate = variants.iter().map(|v| {
        let vn = ident(&v.rust);
        moved(quote! { Self::#vn(v) => rt::ToWire::validate(v, path, errs), })
    });
    let arms_wire = variants.iter().map(|v| {
        let vn = ident(&v.rust);
        moved(quote! { Self::#vn(v) => rt::ToWire::to_wire(v, ctx, path, errs), })
    });
    let to_wire = moved(if t.in_request {
        let write_json = moved(super::direct::one_of_write_json(p, t, variants));
        let pairs = moved(super::signed::one_of_pairs(p, t, variants));
        quote! {
            #pairs

            impl rt::ToWire for #name {
                fn validate(&self, path: &str, errs: &mut rt::ValidationErrors) {
                    match self { #(#arms_validate)* }
                }

                fn to_wire(&self, ctx: &rt::WireContext<'_>, path: &str, errs: &mut rt::ValidationErrors) -> rt::WireValue<'_> {
                    match self { #(#arms_wire)* }
                }
            }

            #write_json
        }
    } else {
        TokenStream::new()
    });
    let deserialize = moved(one_of_deserialize(p, t, variants));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#members)*
        }
        #to_wire
        #deserialize
    }
}

/// Untagged deserialization, in variant order: a variant with a `when` applies when it holds; one
/// without applies when its fields account for every key present (so no field is dropped); as a
/// last resort, the first variant that deserializes at all.
fn one_of_deserialize(p: &Provider, t: &Type, variants: &[Variant]) -> TokenStream {
    let name = ident(&t.rust);
    let tries = variants.iter().map(|v| {
        let vn = ident(&v.rust);
        let cond = moved(match &v.when {
            Some(c) => cond_expr(c, quote! { &value }, quote! { 200u16 }),
            None => fits(p, v.ty),
        });
        moved(quote! {
            if #cond {
                if let Ok(v) = rt::serde_json::from_value(value.clone()) {
                    return Ok(Self::#vn(v));
                }
            }
        })
    });
    let fallback = variants.iter().map(|v| {
        let vn = ident(&v.rust);
        moved(quote! {
            if let Ok(v) = rt::serde_json::from_value(value.clone()) {
                return Ok(Self::#vn(v));
            }
        })
    });
    let missing = format!("no variant of `{}` matches", t.rust);
    quote! {
        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <rt::serde_json::Value as rt::serde::Deserialize>::deserialize(deserializer)?;
                #(#tries)*
                #(#fallback)*
                Err(<D::Error as rt::serde::de::Error>::custom(#missing))
            }
        }
    }
}
