//! Generates a typed client for every spec in specs/ (here: the shop's one provider).

fn main() {
    paygen_codegen::Builder::new("specs")
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));
}
