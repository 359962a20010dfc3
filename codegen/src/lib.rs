//! paygen-codegen
