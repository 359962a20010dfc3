//! The names generated statements share: the value at hand, its path, the enclosing function's
//! path parameter, the error list, the wire context, the object being built and a value's text.
//! Snippet builders are given them instead of assuming them, and the scope records which ones a
//! snippet used, so the enclosing function knows which parameters it reads (the others are
//! written `_ctx`, `_path`, ...) without reading emitted tokens back.

use std::cell::Cell;

use proc_macro2::{Ident, Span};

/// The names in scope for one generated function, with a record of which were used.
pub struct Scope {
    names: [Ident; 7],
    used: [Cell<bool>; 7],
}

const VALUE: usize = 0;
const FIELD_PATH: usize = 1;
const PATH: usize = 2;
const ERRS: usize = 3;
const CTX: usize = 4;
const MAP: usize = 5;
const TEXT: usize = 6;

impl Default for Scope {
    /// The names generated `validate` / `to_wire` bodies use: `v`, `p`, `path`, `errs`, `ctx`,
    /// `map`, `text`.
    fn default() -> Self {
        let name = |n: &str| Ident::new(n, Span::call_site());
        Scope {
            names: [
                name("v"),
                name("p"),
                name("path"),
                name("errs"),
                name("ctx"),
                name("map"),
                name("text"),
            ],
            used: Default::default(),
        }
    }
}

impl Scope {
    fn take(&self, i: usize) -> &Ident {
        self.used[i].set(true);
        &self.names[i]
    }

    /// A reference to the value being checked or encoded.
    pub fn value(&self) -> &Ident {
        self.take(VALUE)
    }

    /// The path of the value (a `String`, for error messages).
    pub fn field_path(&self) -> &Ident {
        self.take(FIELD_PATH)
    }

    /// The enclosing function's path parameter (`&str`).
    pub fn path(&self) -> &Ident {
        self.take(PATH)
    }

    /// The error list (`&mut rt::ValidationErrors`).
    pub fn errs(&self) -> &Ident {
        self.take(ERRS)
    }

    /// The wire context (`&rt::WireContext`).
    pub fn ctx(&self) -> &Ident {
        self.take(CTX)
    }

    /// The wire object being built.
    pub fn map(&self) -> &Ident {
        self.take(MAP)
    }

    /// The value's text (a `&str`).
    pub fn text(&self) -> &Ident {
        self.take(TEXT)
    }

    /// Whether a snippet used the path parameter.
    pub fn used_path(&self) -> bool {
        self.used[PATH].get()
    }

    /// Whether a snippet used the error list.
    pub fn used_errs(&self) -> bool {
        self.used[ERRS].get()
    }

    /// Whether a snippet used the wire context.
    pub fn used_ctx(&self) -> bool {
        self.used[CTX].get()
    }

    /// Whether a snippet used the wire object.
    pub fn used_map(&self) -> bool {
        self.used[MAP].get()
    }
}
