//! The grading protocol, in plain Rust so it is tested natively: which provider gets which
//! request (`provider`, `request`), what the model is asked and how the learner's text is fenced off
//! (`prompt`), how streamed replies are read (`sse`, `stream`), how a reply is validated and its
//! quotes checked (`reply`, `quotes`), what failures mean to the learner (`errors`), what a
//! grading cost (`usage`), and the game master an investigation's learner can ask questions of
//! (`game_master`). The browser and the calibration command only move bytes.

pub mod call;
pub mod config;
pub mod engine;
pub mod errors;
pub mod game_master;
pub mod probe;
pub mod prompt;
pub mod provider;
pub mod quotes;
pub mod reader;
pub mod reply;
pub mod request;
pub mod sse;
pub mod stream;
pub mod usage;
