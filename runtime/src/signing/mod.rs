//! The signing engine: recipes as data, applied stage by stage (canonical, secret, digest, encoding).

pub mod recipe;

pub use recipe::*;
