//! The AI evaluator in the browser: where its settings live (`prefs`), how bytes reach the
//! provider (`http`), the settings page's connection test (`probe`, a bundle of its own), and how a grading or a follow-up question runs (`grader`). The protocol
//! itself (prompt, requests, stream decoding, validation, errors) is `leap_core::grading`.

pub mod grader;
pub mod http;
pub mod prefs;
pub mod probe;
