//! Engine test support: the shared recording server of `paygen-testkit`, answering `200 {}` once
//! the script is used up.

// Each test crate uses a different part of the shared support.
#[allow(unused_imports)]
pub use paygen_testkit::{refused_addr, Reply, Server};

/// Starts a server answering from `script`, then `200 {}`.
pub async fn start(script: Vec<Reply>) -> Server {
    Server::start_with_fallback(script, Reply::json(200, "{}")).await
}
