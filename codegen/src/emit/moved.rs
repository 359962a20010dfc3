//! Emitted tokens interpolated into `quote!` by moving them: `#tokens` of a `TokenStream`
//! clones it, and a stream still held elsewhere is copied token by token (an allocation per
//! identifier and literal) and the original dropped after; [`Moved`] hands the tokens over.

use std::cell::Cell;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// Tokens that `quote!` takes instead of copying; interpolate each at most once (a second
/// interpolation adds nothing).
pub struct Moved(Cell<Option<TokenStream>>);

impl ToTokens for Moved {
    fn to_tokens(&self, dst: &mut TokenStream) {
        let Some(tokens) = self.0.take() else {
            return;
        };
        if dst.is_empty() {
            // the first tokens of a `quote!` (often a doc comment): the stream becomes the
            // output as it is, instead of being pushed into it token by token
            *dst = tokens;
        } else {
            dst.extend(std::iter::once(tokens));
        }
    }
}

/// [`Moved`] tokens, for `quote!` (also usable as `.map(moved)` on an iterator of streams).
pub fn moved(tokens: TokenStream) -> Moved {
    Moved(Cell::new(Some(tokens)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn moved_tokens_interpolate_like_the_stream_itself() {
        let inner = || quote! { a::b(c, "d", 1) { e } };
        let items = || vec![inner(), quote! { f }, inner()];
        let plain = {
            let (one, many) = (inner(), items());
            quote! { x #one y #(#many)* }
        };
        let one = moved(inner());
        let many = items().into_iter().map(moved);
        let taken = quote! { x #one y #(#many)* };
        assert_eq!(taken.to_string(), plain.to_string());
        let (first, rest) = (moved(inner()), moved(inner()));
        let leading = quote! { #first z #rest };
        let (a, b) = (inner(), inner());
        assert_eq!(leading.to_string(), quote! { #a z #b }.to_string());
        assert_eq!(
            quote! { #first }.to_string(),
            "",
            "interpolated once, then empty"
        );
    }
}
