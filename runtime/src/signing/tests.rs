//! Unit tests of each signing capability on its own (provider vectors: runtime/tests/signing_vectors.rs).
