//! paygen-record: a recording proxy and a replay server for a provider's traffic, both driven by
//! the provider's spec (operations found by route, sensitive values scrubbed at write time,
//! signatures checked before scrubbing), and the cassette files `paygen drift` reads.

pub mod proxy;
pub mod replay;
pub mod resign;
pub mod route;
pub mod scrub;
mod serve;

pub use proxy::{Recorder, RecorderConfig};
pub use replay::{ReplayConfig, Replayer};
