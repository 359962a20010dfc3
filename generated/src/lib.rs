//! paygen-connectors
