//! Emitters: one function per generated item kind; they read only the IR.

mod arms;
mod client;
mod cond;
mod declines;
mod direct;
mod docs;
mod enums;
mod fields;
mod guard;
mod lookup;
mod members;
mod moved;
mod pages;
mod recipe;
mod resolve;
mod responses;
mod scope;
mod signed;
mod types;
mod webhooks;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Provider;
use crate::naming::ident;
pub use direct::writes_json_directly;
use moved::moved;
pub use signed::signs_written_pairs;

/// The whole module of one provider: `pub mod <id> { ... }`.
pub fn emit_provider(p: &Provider) -> TokenStream {
    let module = ident(&p.id);
    let module_doc = moved(module_doc(p));
    let client = moved(client::emit_client(p));
    let types = p.types.iter().map(|t| moved(types::emit_type(p, t)));
    let responses = p
        .operations
        .iter()
        .map(|o| moved(responses::emit_response(p, o)));
    let webhooks = moved(webhooks::emit_webhooks(p));
    let pages = moved(pages::emit_pages(p));
    let decline_code = moved(declines::emit_decline_code(p));
    quote! {
        #module_doc
        pub mod #module {
            use paygen_runtime::__codegen as rt;

            #client
            #pages
            #decline_code
            #(#responses)*
            #webhooks
            #(#types)*
        }
    }
}

fn module_doc(p: &Provider) -> TokenStream {
    let mut text = format!("{} (generated from `specs/{}`).", p.title, p.spec_file);
    if let Some(d) = &p.description {
        text.push_str("\n\n");
        text.push_str(d.trim());
    }
    if let Some(url) = &p.docs {
        text.push_str(&format!("\n\nProvider documentation: <{url}>"));
    }
    docs::doc_text(&text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn emitters_read_only_the_ir() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
        let spec_model = ["crate::", "spec"].concat();
        let mut read = 0;
        for entry in std::fs::read_dir(&dir).expect("emit/ is readable") {
            let path = entry.expect("emit/ entry").path();
            let text = std::fs::read_to_string(&path).expect("emitter source");
            assert!(
                !text.contains(&spec_model),
                "{} reads the spec model; emitters read only the IR",
                path.display()
            );
            read += 1;
        }
        assert!(
            read > 10,
            "only {read} emitter files found in {}",
            dir.display()
        );
    }
}
