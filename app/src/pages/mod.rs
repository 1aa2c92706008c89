//! One module per page. Each renders exactly the markup the static generator wrote for it.

pub mod catalog;
pub mod not_found;
pub mod progress;
pub mod review;
pub mod scenario;
pub mod settings;
