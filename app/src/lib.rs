//! The Senior Leap in the browser. Every page arrives pre-rendered; the app loads the data the page
//! needs, renders the same markup, and swaps it in so the page becomes interactive without a flash.
//!
//! Bundles share this library (`src/bin/`): `browse` (catalog, how it works, 404) adopts its
//! pre-rendered pages without Leptos (`pages::catalog`), which keeps the catalog's first load
//! small; a scenario page starts with `write` (the commit from its pre-rendered form, see
//! `write`), which loads `practice` (the whole practice loop) at the learner's first interaction,
//! or at once for an investigation; `progress`, `review` and `settings` one page each.
//! Module map: `boot` (start-up and takeover), `site` (base path, data loading), `shell` (router
//! and layout), `pages/` (one module per page), `practice/` (the practice loop on a scenario page),
//! `evaluator/` (the AI evaluator's settings, network and grading runs), `storage` (browser storage).

pub mod boot;
pub mod clock;
pub mod datafile;
pub mod evaluator;
pub mod files;
pub mod pages;
pub mod practice;
pub mod shell;
pub mod site;
pub mod storage;
pub mod viewer;
pub mod write;
pub mod yourdata;
