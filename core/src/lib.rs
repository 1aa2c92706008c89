//! The Senior Leap's pure logic: the content model and its vocabularies, the pack compiler and
//! static page generator (feature `compiler`), and everything the app computes without a browser.

pub mod baked;
pub mod brag;
#[cfg(feature = "cli")]
pub mod calibrate;
pub mod catalog;
pub mod charts;
pub mod drills;
pub mod grading;
pub mod handover;
pub mod markup;
pub mod md;
pub mod order;
pub mod progress;
pub mod progress_page;
pub mod quote;
pub mod routes;
pub mod score;
pub mod security;
pub mod session;
pub mod site_text;
pub mod standing;
pub mod storage;
pub mod taxonomy;
pub mod time;
pub mod timebox;

#[cfg(feature = "compiler")]
pub mod compiler;
#[cfg(feature = "compiler")]
pub mod site;
