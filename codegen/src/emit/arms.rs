//! Repeated token runs (match arms, variant lists) built by pushing tokens made once: identifiers
//! and literals cloned from pieces made once per item (no name validated or literal formatted
//! again per arm), punctuation pushed as `quote!` pushes it, the run collected into one stream.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, TokenStream, TokenTree};

/// Tokens pushed one by one, then collected into a [`TokenStream`] (the tokens `quote!` would
/// give for the same source).
pub struct Tokens(Vec<TokenTree>);

impl Tokens {
    /// An empty run with room for `capacity` tokens.
    pub fn with_capacity(capacity: usize) -> Self {
        Tokens(Vec::with_capacity(capacity))
    }

    /// A copy of `ident`.
    pub fn ident(&mut self, ident: &Ident) -> &mut Self {
        self.0.push(TokenTree::Ident(ident.clone()));
        self
    }

    /// One token, moved in.
    pub fn tree(&mut self, tree: TokenTree) -> &mut Self {
        self.0.push(tree);
        self
    }

    /// A copy of `literal`.
    pub fn literal(&mut self, literal: &Literal) -> &mut Self {
        self.0.push(TokenTree::Literal(literal.clone()));
        self
    }

    /// One punctuation character standing alone (`,`, `.`).
    pub fn punct(&mut self, c: char) -> &mut Self {
        self.0.push(TokenTree::Punct(Punct::new(c, Spacing::Alone)));
        self
    }

    /// `::`.
    pub fn path_sep(&mut self) -> &mut Self {
        self.0
            .push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
        self.punct(':')
    }

    /// `=>`.
    pub fn fat_arrow(&mut self) -> &mut Self {
        self.0
            .push(TokenTree::Punct(Punct::new('=', Spacing::Joint)));
        self.punct('>')
    }

    /// `(inner)`.
    pub fn parens(&mut self, inner: TokenStream) -> &mut Self {
        self.0
            .push(TokenTree::Group(Group::new(Delimiter::Parenthesis, inner)));
        self
    }

    /// `[inner]`.
    pub fn brackets(&mut self, inner: TokenStream) -> &mut Self {
        self.0
            .push(TokenTree::Group(Group::new(Delimiter::Bracket, inner)));
        self
    }

    /// `(literal)`.
    pub fn literal_in_parens(&mut self, literal: &Literal) -> &mut Self {
        let inner = TokenStream::from(TokenTree::Literal(literal.clone()));
        self.parens(inner)
    }

    /// The tokens of `stream`, moved in.
    pub fn stream(&mut self, stream: TokenStream) -> &mut Self {
        self.0.extend(stream);
        self
    }

    /// The run as one stream.
    pub fn finish(self) -> TokenStream {
        self.0.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Span;
    use quote::quote;

    #[test]
    fn pushed_tokens_print_as_quote_prints_them() {
        let name = Ident::new("Card", Span::call_site());
        let this = Ident::new("Self", Span::call_site());
        let lit = Literal::string("card");
        let negative = Literal::i64_unsuffixed(-4);
        let mut t = Tokens::with_capacity(16);
        t.ident(&this).path_sep().ident(&name).fat_arrow();
        t.literal_in_parens(&lit)
            .punct('.')
            .parens(TokenStream::new());
        t.literal(&negative).punct(',').stream(quote! { a::b });
        let expected = quote! { Self::Card => ("card"). () -4, a::b };
        assert_eq!(t.finish().to_string(), expected.to_string());
    }
}
