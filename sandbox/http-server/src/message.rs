//! The request a handler gets (read whole) and the replies it can give.

use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;

/// One received request, its body read whole.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Method, upper case.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Query string (without `?`).
    pub query: String,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Bytes,
}

impl Request {
    /// The first header of that (case-insensitive) name, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// One answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON answer.
    pub fn json(status: u16, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body,
        }
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answer (keep-alive continues unless the request asked to close).
    Respond(Response),
    /// Never answer: hold the connection this long (or until the server stops), then close it.
    Hang(Duration),
    /// Close the connection without answering (orderly close).
    Close,
    /// Reset the connection without answering (TCP RST).
    Reset,
}
