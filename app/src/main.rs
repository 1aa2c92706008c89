//! The Senior Leap in the browser. Every page arrives pre-rendered; this app loads the data the
//! page needs, renders the same markup, and swaps it in so the page becomes interactive without a
//! flash. Module map: `boot` (start-up and takeover), `site` (base path, data loading), `shell`
//! (router and layout), `pages/` (one module per page).

mod boot;
mod pages;
mod shell;
mod site;

fn main() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(boot::start());
}
