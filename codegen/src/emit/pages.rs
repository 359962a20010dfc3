//! Pages: one `<name>_url` client method per spec page, building the URL the payer's browser
//! opens from a validated request (nothing is sent).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_text;
use crate::ir::Provider;
use crate::naming::ident;

/// `impl Client { pub fn <page>_url(...) }` (nothing when the spec has no pages).
pub fn emit_pages(p: &Provider) -> TokenStream {
    if p.pages.is_empty() {
        return TokenStream::new();
    }
    let methods = p.pages.iter().map(|pg| {
        let method = ident(&format!("{}_url", pg.name));
        let request = ident(&pg.request);
        let (host, path) = (&pg.host, &pg.path);
        let summary = pg
            .doc
            .clone()
            .unwrap_or_else(|| format!("The `{}` page.", pg.name));
        let text = format!(
            "{}\n\nBuilds `GET {path}?...` (URL-encoded query parameters) for the payer's browser; \
             nothing is sent. Every bad field is named before a URL is built.",
            summary.trim_end()
        );
        let docs = doc_text(&text);
        quote! {
            #docs
            pub fn #method(&self, request: &#request) -> Result<String, rt::Error> {
                let query = rt::request_body(request, &self.engine, EXPONENTS)?;
                rt::page_url(&self.engine, #host, #path, query)
            }
        }
    });
    quote! {
        impl Client {
            #(#methods)*
        }
    }
}
