//! Unit tests of the request-table interpreter.
