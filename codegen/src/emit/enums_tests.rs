//! `emit_enum` against the `quote!`-built emitter it replaced (kept here as the reference): the
//! same tokens for string and integer enums, raw identifiers, escaped and negative literals,
//! documented and undocumented values, with and without common statuses.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{quote, ToTokens};

use super::super::arms::Tokens;
use super::super::docs::doc_or;
use super::super::moved::moved;
use super::{emit_enum, variant_doc};
use crate::ir::{CommonStatus, EnumValue, Type, TypeKind, WireLiteral};
use crate::naming::ident;

/// The enum as `emit_enum` wrote it before its arms were pushed token by token: one `quote!`
/// repetition per match, each value's pieces made by `quote!` (the reference output).
fn reference_enum(t: &Type, int: bool, values: &[EnumValue]) -> TokenStream {
    let name = ident(&t.rust);
    let docs = moved(doc_or(
        t.doc.as_deref(),
        &format!("Values of `{}`.", t.rust),
    ));
    // each value's pieces made once; the match arms below repeat them (an arm per value in
    // each match, without a token stream per arm)
    let vn: Vec<Ident> = values.iter().map(|v| ident(&v.rust)).collect();
    let wire: Vec<Wire> = values.iter().map(|v| Wire::of(&v.wire)).collect();
    let variant_docs = values.iter().map(|v| {
        let mut t = Tokens::with_capacity(4);
        variant_doc(&mut t, v);
        moved(t.finish())
    });
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

fn value(
    wire: WireLiteral,
    rust: &str,
    doc: Option<&str>,
    common: Option<CommonStatus>,
) -> EnumValue {
    EnumValue {
        wire,
        rust: rust.to_string(),
        doc: doc.map(str::to_string),
        common,
    }
}

fn enum_type(rust: &str, doc: Option<&str>, int: bool, values: &[EnumValue]) -> Type {
    Type {
        rust: rust.to_string(),
        doc: doc.map(str::to_string),
        kind: TypeKind::Enum {
            int,
            values: values.to_vec(),
        },
        in_request: true,
        requires: Vec::new(),
        defaultable: false,
        sensitive_paths: Vec::new(),
    }
}

fn assert_same(rust: &str, doc: Option<&str>, int: bool, values: &[EnumValue]) {
    let t = enum_type(rust, doc, int, values);
    let pushed = emit_enum(&t, int, values).to_string();
    let reference = reference_enum(&t, int, values).to_string();
    assert_eq!(pushed, reference, "enum {rust}");
}

#[test]
fn string_enums_match_the_quote_built_reference() {
    let s = |w: &str| WireLiteral::Str(w.to_string());
    assert_same(
        "Method",
        Some("How a payer pays.\nSecond line with <https://x.test>."),
        false,
        &[
            value(s("card"), "Card", Some("A card."), None),
            value(s("type"), "type", None, None),
            value(
                s("quote\"back\\slash\u{e9}\n"),
                "Odd",
                Some("Escapes `x`"),
                None,
            ),
            value(s(""), "Empty", None, None),
        ],
    );
    assert_same(
        "Status",
        None,
        false,
        &[
            value(s("ok"), "Ok", None, Some(CommonStatus::Succeeded)),
            value(s("wait"), "Wait", None, None),
            value(s("no"), "No", Some("Declined."), Some(CommonStatus::Failed)),
            value(s("back"), "Back", None, Some(CommonStatus::Refunded)),
            value(s("stop"), "Stop", None, Some(CommonStatus::Cancelled)),
            value(s("p"), "P", None, Some(CommonStatus::Pending)),
            value(s("q"), "Q", None, Some(CommonStatus::Processing)),
            value(s("u"), "U", None, Some(CommonStatus::Unknown)),
        ],
    );
    assert_same("Nothing", None, false, &[]);
}

#[test]
fn integer_enums_match_the_quote_built_reference() {
    assert_same(
        "Code",
        Some("Codes."),
        true,
        &[
            value(WireLiteral::Int(4), "V4", Some("Four."), None),
            value(
                WireLiteral::Int(-1),
                "Minus1",
                None,
                Some(CommonStatus::Failed),
            ),
            value(WireLiteral::Int(0), "V0", None, None),
            value(WireLiteral::Int(i64::MIN), "Min", None, None),
            value(
                WireLiteral::Int(i64::MAX),
                "Max",
                None,
                Some(CommonStatus::Pending),
            ),
        ],
    );
}
