//! paygen-record: a recording proxy and a replay server for a provider's traffic, both driven by
//! the provider's spec (operations found by route, sensitive values scrubbed at write time,
//! signatures checked before scrubbing), the same recording as a client hook, and the cassette
//! files `paygen drift` reads.

pub mod client;
pub mod proxy;
pub mod replay;
pub mod resign;
pub mod route;
pub mod scrub;
mod serve;

pub use client::client_recorder;
pub use proxy::{Recorder, RecorderConfig};
pub use replay::{ReplayConfig, Replayer};
