//! Open enums: known wire values as variants, anything else kept as `Unknown(raw)`.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{quote, ToTokens};

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
    // each value's pieces made once; the match arms below repeat them (an arm per value in
    // each match, without a token stream per arm)
    let vn: Vec<Ident> = values.iter().map(|v| ident(&v.rust)).collect();
    let wire: Vec<Wire> = values.iter().map(|v| Wire::of(&v.wire)).collect();
    let variant_docs = values.iter().map(|v| moved(variant_doc(v)));
    let scalar = wire.iter().map(|w| moved(w.scalar()));
    let serialize = wire.iter().map(Wire::serialize_method);
    let value = wire.iter().map(Wire::value_constructor);
    let from_wire = moved(from_wire(int, &vn, &wire));
    let common = moved(common_status(values, &vn));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variant_docs #vn,)*
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
                    #(Self::#vn => #scalar,)*
                    Self::Unknown(raw) => raw.clone(),
                }
            }
            #common
        }

        impl rt::serde::Serialize for #name {
            fn serialize<S: rt::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#vn => serializer.#serialize(#wire),)*
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
                    #(Self::#vn => rt::WireValue::#value(#wire),)*
                    Self::Unknown(raw) => rt::AsWire::as_wire(raw),
                }
            }
        }
    }
}

/// A value's doc: its wire value, then the spec's text.
fn variant_doc(v: &EnumValue) -> TokenStream {
    let wire = v.wire.text();
    match &v.doc {
        Some(text) => doc(Some(&format!("`{wire}`: {text}"))),
        None => doc(Some(&format!("`{wire}`"))),
    }
}

/// A value's wire literal (`4` or `"card"`), which the arms interpolate as such.
struct Wire {
    literal: Literal,
    int: bool,
}

impl ToTokens for Wire {
    fn to_tokens(&self, dst: &mut TokenStream) {
        self.literal.to_tokens(dst);
    }
}

impl Wire {
    fn of(w: &WireLiteral) -> Self {
        match w {
            WireLiteral::Int(n) => Wire {
                literal: Literal::i64_unsuffixed(*n),
                int: true,
            },
            WireLiteral::Str(s) => Wire {
                literal: Literal::string(s),
                int: false,
            },
        }
    }

    /// `rt::WireScalar::Int(4)` or `rt::WireScalar::Str("card".to_string())`.
    fn scalar(&self) -> TokenStream {
        if self.int {
            quote! { rt::WireScalar::Int(#self) }
        } else {
            quote! { rt::WireScalar::Str(#self.to_string()) }
        }
    }

    /// The `Serializer` method writing the literal.
    fn serialize_method(&self) -> Ident {
        let method = if self.int {
            "serialize_i64"
        } else {
            "serialize_str"
        };
        Ident::new(method, Span::call_site())
    }

    /// The `rt::WireValue` constructor of the literal.
    fn value_constructor(&self) -> Ident {
        Ident::new(if self.int { "Int" } else { "text" }, Span::call_site())
    }

    /// The literal as a pattern of the `from_wire` match: `Some(4)` (of `rt::wire_int`) or `"card"`.
    fn pattern(&self) -> TokenStream {
        if self.int {
            quote! { Some(#self) }
        } else {
            quote! { #self }
        }
    }
}

fn from_wire(int: bool, vn: &[Ident], wire: &[Wire]) -> TokenStream {
    let pattern = wire.iter().map(|w| moved(w.pattern()));
    let scrutinee = moved(if int {
        quote! { rt::wire_int(&raw) }
    } else {
        quote! { rt::wire_str(&raw).as_str() }
    });
    quote! {
        match #scrutinee {
            #(#pattern => Self::#vn,)*
            _ => Self::Unknown(raw),
        }
    }
}

fn common_status(values: &[EnumValue], vn: &[Ident]) -> TokenStream {
    if values.iter().all(|v| v.common.is_none()) {
        return TokenStream::new();
    }
    let status = values
        .iter()
        .map(|v| moved(common_expr(v.common.unwrap_or(CommonStatus::Unknown))));
    quote! {
        /// The common status this provider status means.
        pub fn common(&self) -> rt::CommonStatus {
            match self {
                #(Self::#vn => #status,)*
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
