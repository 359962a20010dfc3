//! paygen-sandbox: a spec-driven provider simulator (see docs/ARCHITECTURE.md).
