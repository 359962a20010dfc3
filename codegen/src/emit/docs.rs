//! Doc comments: spec text becomes `#[doc = "..."]` attributes (always as string literals).

use proc_macro2::TokenStream;
use quote::quote;

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
