//! Open enums: known wire values as variants, anything else kept as `Unknown(raw)`.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::arms::Tokens;
use super::docs::{doc_or, push_doc};
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
    // each value's identifier and literal made once; the match arms below push copies of
    // them and of the words made once for the enum (no name validated again per arm)
    let vn: Vec<Ident> = values.iter().map(|v| ident(&v.rust)).collect();
    let wire: Vec<Literal> = values.iter().map(|v| wire_literal(&v.wire)).collect();
    let w = Words::new(int);
    let variants = moved(variants(values, &vn));
    let to_wire = moved(to_wire_arms(&w, &vn, &wire));
    let serialize = moved(serialize_arms(&w, &vn, &wire));
    let as_wire = moved(as_wire_arms(&w, &vn, &wire));
    let from_wire = moved(from_wire(&w, &vn, &wire));
    let common = moved(common_status(&w, values, &vn));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #variants
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
                    #to_wire
                    Self::Unknown(raw) => raw.clone(),
                }
            }
            #common
        }

        impl rt::serde::Serialize for #name {
            fn serialize<S: rt::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #serialize
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
                    #as_wire
                    Self::Unknown(raw) => rt::AsWire::as_wire(raw),
                }
            }
        }
    }
}

/// The words the arms repeat, made once per enum; `int` picks the integer forms.
struct Words {
    int: bool,
    this: Ident,
    rt: Ident,
    wire_scalar: Ident,
    /// `Int` or `Str` (of `rt::WireScalar`).
    scalar_kind: Ident,
    to_string: Ident,
    serializer: Ident,
    /// `serialize_i64` or `serialize_str`.
    serialize: Ident,
    wire_value: Ident,
    /// `Int` or `text` (of `rt::WireValue`).
    value_kind: Ident,
    some: Ident,
}

impl Words {
    fn new(int: bool) -> Self {
        let word = |w: &str| Ident::new(w, Span::call_site());
        Words {
            int,
            this: word("Self"),
            rt: word("rt"),
            wire_scalar: word("WireScalar"),
            scalar_kind: word(if int { "Int" } else { "Str" }),
            to_string: word("to_string"),
            serializer: word("serializer"),
            serialize: word(if int {
                "serialize_i64"
            } else {
                "serialize_str"
            }),
            wire_value: word("WireValue"),
            value_kind: word(if int { "Int" } else { "text" }),
            some: word("Some"),
        }
    }

    /// `Self::Variant`.
    fn variant<'t>(&self, t: &'t mut Tokens, vn: &Ident) -> &'t mut Tokens {
        t.ident(&self.this).path_sep().ident(vn)
    }

    /// `rt::Type::`.
    fn rt_path<'t>(&self, t: &'t mut Tokens, ty: &Ident) -> &'t mut Tokens {
        t.ident(&self.rt).path_sep().ident(ty).path_sep()
    }
}

/// A value's wire literal (`4` or `"card"`), which the arms interpolate as such.
fn wire_literal(w: &WireLiteral) -> Literal {
    match w {
        WireLiteral::Int(n) => Literal::i64_unsuffixed(*n),
        WireLiteral::Str(s) => super::docs::string_literal(s),
    }
}

/// `/// docs Variant,` per value.
fn variants(values: &[EnumValue], vn: &[Ident]) -> TokenStream {
    let mut t = Tokens::with_capacity(values.len() * 4);
    for (v, vn) in values.iter().zip(vn) {
        variant_doc(&mut t, v);
        t.ident(vn).punct(',');
    }
    t.finish()
}

/// `Self::V => rt::WireScalar::Int(4),` or `Self::V => rt::WireScalar::Str("card".to_string()),`.
fn to_wire_arms(w: &Words, vn: &[Ident], wire: &[Literal]) -> TokenStream {
    // capacities: the tokens of one arm, so the run is never copied while it grows
    let mut t = Tokens::with_capacity(vn.len() * 15);
    for (vn, lit) in vn.iter().zip(wire) {
        w.variant(&mut t, vn).fat_arrow();
        w.rt_path(&mut t, &w.wire_scalar).ident(&w.scalar_kind);
        if w.int {
            t.literal_in_parens(lit);
        } else {
            let mut inner = Tokens::with_capacity(4);
            inner.literal(lit).punct('.').ident(&w.to_string);
            inner.parens(TokenStream::new());
            t.parens(inner.finish());
        }
        t.punct(',');
    }
    t.finish()
}

/// `Self::V => serializer.serialize_str("card"),` (or `serialize_i64`).
fn serialize_arms(w: &Words, vn: &[Ident], wire: &[Literal]) -> TokenStream {
    let mut t = Tokens::with_capacity(vn.len() * 11);
    for (vn, lit) in vn.iter().zip(wire) {
        w.variant(&mut t, vn).fat_arrow();
        t.ident(&w.serializer).punct('.').ident(&w.serialize);
        t.literal_in_parens(lit).punct(',');
    }
    t.finish()
}

/// `Self::V => rt::WireValue::text("card"),` (or `Int(4)`).
fn as_wire_arms(w: &Words, vn: &[Ident], wire: &[Literal]) -> TokenStream {
    let mut t = Tokens::with_capacity(vn.len() * 15);
    for (vn, lit) in vn.iter().zip(wire) {
        w.variant(&mut t, vn).fat_arrow();
        w.rt_path(&mut t, &w.wire_value).ident(&w.value_kind);
        t.literal_in_parens(lit).punct(',');
    }
    t.finish()
}

/// A value's doc: its wire value, then the spec's text.
fn variant_doc(t: &mut Tokens, v: &EnumValue) {
    let wire = v.wire.text();
    match &v.doc {
        Some(text) => push_doc(t, &format!("`{wire}`: {text}")),
        None => push_doc(t, &format!("`{wire}`")),
    }
}

/// The `from_wire` match: `Some(4) => Self::V,` (of `rt::wire_int`) or `"card" => Self::V,`.
fn from_wire(w: &Words, vn: &[Ident], wire: &[Literal]) -> TokenStream {
    let scrutinee = moved(if w.int {
        quote! { rt::wire_int(&raw) }
    } else {
        quote! { rt::wire_str(&raw).as_str() }
    });
    let mut t = Tokens::with_capacity(vn.len() * 8);
    for (vn, lit) in vn.iter().zip(wire) {
        if w.int {
            t.ident(&w.some).literal_in_parens(lit);
        } else {
            t.literal(lit);
        }
        t.fat_arrow();
        w.variant(&mut t, vn).punct(',');
    }
    let arms = moved(t.finish());
    quote! {
        match #scrutinee {
            #arms
            _ => Self::Unknown(raw),
        }
    }
}

/// `common()`, when a value maps to a common status: `Self::V => rt::CommonStatus::Pending,`.
fn common_status(w: &Words, values: &[EnumValue], vn: &[Ident]) -> TokenStream {
    if values.iter().all(|v| v.common.is_none()) {
        return TokenStream::new();
    }
    let common = Ident::new("CommonStatus", Span::call_site());
    let mut t = Tokens::with_capacity(values.len() * 15);
    for (v, vn) in values.iter().zip(vn) {
        let status = common_name(v.common.unwrap_or(CommonStatus::Unknown));
        w.variant(&mut t, vn).fat_arrow();
        w.rt_path(&mut t, &common)
            .ident(&Ident::new(status, Span::call_site()))
            .punct(',');
    }
    let arms = moved(t.finish());
    quote! {
        /// The common status this provider status means.
        pub fn common(&self) -> rt::CommonStatus {
            match self {
                #arms
                Self::Unknown(_) => rt::CommonStatus::Unknown,
            }
        }
    }
}

/// The `rt::CommonStatus` variant's name.
fn common_name(c: CommonStatus) -> &'static str {
    match c {
        CommonStatus::Pending => "Pending",
        CommonStatus::Processing => "Processing",
        CommonStatus::Succeeded => "Succeeded",
        CommonStatus::Failed => "Failed",
        CommonStatus::Refunded => "Refunded",
        CommonStatus::Cancelled => "Cancelled",
        CommonStatus::Unknown => "Unknown",
    }
}

#[cfg(test)]
#[path = "enums_tests.rs"]
mod tests;
