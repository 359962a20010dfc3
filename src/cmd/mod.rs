//! One module per `paygen` subcommand.

pub mod check;
pub mod demo;
pub mod generate;
pub mod request;
pub mod sandbox;
pub mod schema;
pub mod sign;
