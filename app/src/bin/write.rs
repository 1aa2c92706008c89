//! A plain scenario page's own bundle: the commit from the pre-rendered form, and the way to the
//! rest of the practice loop (see `senior_leap::write`).

fn main() {
    senior_leap::write::start();
}
