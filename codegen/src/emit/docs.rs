//! Doc comments: spec text becomes `#[doc = "..."]` attributes (always as string literals).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Field, MoneyWire, TypeRef};

/// Doc attributes for optional text; one attribute per line.
pub fn doc(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) => doc_text(t),
        None => TokenStream::new(),
    }
}

/// Doc attributes for text; one attribute per line, each line prefixed with a space.
pub fn doc_text(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        let line = if l.is_empty() {
            String::new()
        } else {
            format!(" {}", l.trim_end())
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// Doc attributes with a fallback sentence when the spec says nothing.
pub fn doc_or(text: Option<&str>, fallback: &str) -> TokenStream {
    doc_text(text.unwrap_or(fallback))
}

/// The doc of an object member: the spec's text (or the wire name), then for money the Rust unit
/// and the wire form, and for `local` fields that they are never sent.
pub fn field_doc(f: &Field, strict: bool) -> String {
    let mut text = f
        .doc
        .clone()
        .unwrap_or_else(|| format!("`{}` on the wire.", f.wire));
    if let TypeRef::Money { currency, wire } = &f.ty {
        let on_wire = match wire {
            MoneyWire::IntegerMinor => "an integer in minor units",
            MoneyWire::DecimalNumber => "a JSON number in major units",
            MoneyWire::DecimalString => "a string in major units",
        };
        let rust = if strict || *wire == MoneyWire::IntegerMinor {
            format!(
                "`MinorUnits`, minor units of {} (`MinorUnits(1050)` is 10.50 in a two-decimal currency)",
                currency.describe()
            )
        } else {
            format!(
                "`Decimal`, major units of {} exactly as sent",
                currency.describe()
            )
        };
        text = format!("{}\n\nRust: {rust}. Wire: {on_wire}.", text.trim_end());
    }
    if f.local {
        text = format!(
            "{}\n\nNot sent: the client uses it to encode other fields.",
            text.trim_end()
        );
    }
    text
}
