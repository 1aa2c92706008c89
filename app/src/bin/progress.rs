//! The progress bundle: the learner's scores, calibration, brag document and data; its own, so
//! a visit downloads none of the practice loop, and no router or site index either (see
//! `pages::progress::start`).

fn main() {
    // Panic messages in the console in debug builds; release builds stay small.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    senior_leap::pages::progress::start();
}
