//! Timestamps as learners read them. Pure arithmetic (no clock, no time zone database): the app
//! passes the browser's current offset.

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The civil date (year, month 1–12, day) of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "21 Nov 2026, 14:03" for `ms` since the epoch, shifted by `offset_minutes` east of UTC.
pub fn format_datetime(ms: u64, offset_minutes: i32) -> String {
    let secs = (ms / 1000) as i64 + i64::from(offset_minutes) * 60;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{d} {} {y}, {:02}:{:02}",
        MONTHS[(m - 1) as usize],
        rest / 3600,
        rest % 3600 / 60
    )
}

/// "21 Nov 2026".
pub fn format_date(ms: u64, offset_minutes: i32) -> String {
    format_datetime(ms, offset_minutes)
        .split(',')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// "2026-11-21", for file names.
pub fn iso_date(ms: u64) -> String {
    let (y, m, d) = civil_from_days((ms / 1000 / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_datetime(0, 0), "1 Jan 1970, 00:00");
        // 2019-07-02T13:42:00Z
        assert_eq!(format_datetime(1_562_074_920_000, 0), "2 Jul 2019, 13:42");
        assert_eq!(format_datetime(1_562_074_920_000, 120), "2 Jul 2019, 15:42");
        assert_eq!(
            format_datetime(1_562_074_920_000, -14 * 60),
            "1 Jul 2019, 23:42"
        );
        // A leap day.
        assert_eq!(format_date(1_709_208_000_000, 0), "29 Feb 2024");
        assert_eq!(iso_date(1_709_208_000_000), "2024-02-29");
    }
}
