//! Time and identity from the browser, for the pure code that cannot read a clock.

/// Now, in ms since the Unix epoch.
pub fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// The browser's current offset from UTC in minutes east (UTC+2 → 120).
pub fn offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// A random identifier of 16 hex digits.
pub fn random_id() -> String {
    let part = || (js_sys::Math::random() * 4_294_967_296.0) as u32;
    format!("{:08x}{:08x}", part(), part())
}
