//! Why an operation refused: the error answers the handler renders (a leaf shared by the
//! actions and the transaction lifecycle).

use serde_json::{Map, Value};

use crate::rules::Reply;

/// Why an operation refused.
pub enum ActionError {
    /// Answered with the `invalid` error.
    Invalid(String),
    /// Answered with the `unknown_transaction` error.
    UnknownTransaction(String),
    /// Answered with this reply (a documented conflict, e.g. a reused reference with another
    /// body).
    Conflict(Box<Reply>, String),
}

/// A refusal and the request's fields (for the error answer).
pub type Refused = (ActionError, Map<String, Value>);
