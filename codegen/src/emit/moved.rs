//! Emitted tokens interpolated into `quote!` by moving them: `#tokens` of a `TokenStream`
//! clones it, and a stream still held elsewhere is copied token by token (an allocation per
//! identifier and literal) and the original dropped after; [`Moved`] hands the tokens over.

use std::cell::Cell;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// Tokens that `quote!` takes instead of copying; interpolate each at most once (a second
/// interpolation adds nothing).
pub struct Moved(Cell<TokenStream>);

impl ToTokens for Moved {
    fn to_tokens(&self, dst: &mut TokenStream) {
        dst.extend(std::iter::once(self.0.take()));
    }
}

/// [`Moved`] tokens, for `quote!` (also usable as `.map(moved)` on an iterator of streams).
pub fn moved(tokens: TokenStream) -> Moved {
    Moved(Cell::new(tokens))
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
    }
}
