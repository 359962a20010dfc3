//! Open enums: known wire values as variants, anything else kept as `Unknown(raw)`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, doc_or};
use super::moved::moved;
use crate::ir::{CommonStatus, EnumValue, Type, WireLiteral};
use crate::naming::ident;

/// The enum, its wire conversions, its serde impls and (when mapped) its common status.
pub fn emit_enum(t: &Type, int: bool, values: &[EnumValue]) -> TokenStream {
    let name = ident(&t.rust);
    let docs = moved(doc_or(
        t.doc.as_deref(),
        &format!("Values of `{}`.", t.rust),
    ));
    let variants = values
        .iter()
        .map(|v| {
            let vn = ident(&v.rust);
            let wire = v.wire.text();
            let d = match &v.doc {
                Some(text) => doc(Some(&format!("`{wire}`: {text}"))),
                None => doc(Some(&format!("`{wire}`"))),
            };
            let d = moved(d);
            quote! { #d #vn, }
        })
        .map(moved);
    let from_wire = moved(from_wire(int, values));
    let to_wire = values
        .iter()
        .map(|v| {
            let vn = ident(&v.rust);
            let lit = moved(lit_expr(&v.wire));
            quote! { Self::#vn => #lit, }
        })
        .map(moved);
    let serialize_known = values
        .iter()
        .map(|v| {
            let vn = ident(&v.rust);
            match &v.wire {
                WireLiteral::Int(n) => {
                    let n = proc_macro2::Literal::i64_unsuffixed(*n);
                    quote! { Self::#vn => serializer.serialize_i64(#n), }
                }
                WireLiteral::Str(s) => quote! { Self::#vn => serializer.serialize_str(#s), },
            }
        })
        .map(moved);
    let as_wire_known = values
        .iter()
        .map(|v| {
            let vn = ident(&v.rust);
            match &v.wire {
                WireLiteral::Int(n) => {
                    let n = proc_macro2::Literal::i64_unsuffixed(*n);
                    quote! { Self::#vn => rt::WireValue::Int(#n), }
                }
                WireLiteral::Str(s) => quote! { Self::#vn => rt::WireValue::text(#s), },
            }
        })
        .map(moved);
    let common = moved(common_status(values));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know (kept as received).
            Unknown(rt::WireScalar),
        }

        impl #name {
            /// The variant for a wire value; unknown values are kept, never rejected.
            pub fn from_wire(raw: rt::WireScalar) -> Self {
                #from_wire
            }

            /// Whether the value is one the spec documents (requests refuse unknown ones).
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            /// The wire value.
            pub fn to_wire(&self) -> rt::WireScalar {
                match self {
                    #(#to_wire)*
                    Self::Unknown(raw) => raw.clone(),
                }
            }
            #common
        }

        impl rt::serde::Serialize for #name {
            fn serialize<S: rt::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_known)*
                    Self::Unknown(raw) => rt::serde::Serialize::serialize(raw, serializer),
                }
            }
        }

        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <rt::WireScalar as rt::serde::Deserialize>::deserialize(deserializer).map(Self::from_wire)
            }
        }

        impl rt::AsWire for #name {
            fn as_wire(&self) -> rt::WireValue<'_> {
                match self {
                    #(#as_wire_known)*
                    Self::Unknown(raw) => rt::AsWire::as_wire(raw),
                }
            }
        }
    }
}

fn lit_expr(w: &WireLiteral) -> TokenStream {
    match w {
        WireLiteral::Int(n) => {
            let n = proc_macro2::Literal::i64_unsuffixed(*n);
            quote! { rt::WireScalar::Int(#n) }
        }
        WireLiteral::Str(s) => quote! { rt::WireScalar::Str(#s.to_string()) },
    }
}

fn from_wire(int: bool, values: &[EnumValue]) -> TokenStream {
    let arms = values
        .iter()
        .map(|v| {
            let vn = ident(&v.rust);
            match &v.wire {
                WireLiteral::Int(n) => {
                    let n = proc_macro2::Literal::i64_unsuffixed(*n);
                    quote! { Some(#n) => Self::#vn, }
                }
                WireLiteral::Str(s) => quote! { #s => Self::#vn, },
            }
        })
        .map(moved);
    let scrutinee = moved(if int {
        quote! { rt::wire_int(&raw) }
    } else {
        quote! { rt::wire_str(&raw).as_str() }
    });
    quote! {
        match #scrutinee {
            #(#arms)*
            _ => Self::Unknown(raw),
        }
    }
}

fn common_status(values: &[EnumValue]) -> TokenStream {
    if values.iter().all(|v| v.common.is_none()) {
        return TokenStream::new();
    }
    let arms = values
        .iter()
        .map(|v| {
            let vn = ident(&v.rust);
            let c = moved(common_expr(v.common.unwrap_or(CommonStatus::Unknown)));
            quote! { Self::#vn => #c, }
        })
        .map(moved);
    quote! {
        /// The common status this provider status means.
        pub fn common(&self) -> rt::CommonStatus {
            match self {
                #(#arms)*
                Self::Unknown(_) => rt::CommonStatus::Unknown,
            }
        }
    }
}

fn common_expr(c: CommonStatus) -> TokenStream {
    match c {
        CommonStatus::Pending => quote! { rt::CommonStatus::Pending },
        CommonStatus::Processing => quote! { rt::CommonStatus::Processing },
        CommonStatus::Succeeded => quote! { rt::CommonStatus::Succeeded },
        CommonStatus::Failed => quote! { rt::CommonStatus::Failed },
        CommonStatus::Refunded => quote! { rt::CommonStatus::Refunded },
        CommonStatus::Cancelled => quote! { rt::CommonStatus::Cancelled },
        CommonStatus::Unknown => quote! { rt::CommonStatus::Unknown },
    }
}
