//! One module per `paygen` subcommand.

pub mod check;
pub mod generate;
pub mod schema;
pub mod sign;
