//! Wall-clock helpers: RFC 3339 UTC timestamps with milliseconds, Unix milliseconds.

use std::time::Duration;
use time::OffsetDateTime;
use time::macros::format_description;

/// Now as RFC 3339 UTC with milliseconds, e.g. `2026-11-21T09:30:00.123Z`.
pub fn now_rfc3339() -> String {
    ago_rfc3339(Duration::ZERO)
}

/// `ago` before now, formatted like [`now_rfc3339`] (so the two compare as strings).
pub fn ago_rfc3339(ago: Duration) -> String {
    format_rfc3339(OffsetDateTime::now_utc() - ago)
}

/// An RFC 3339 date-time (any offset) in the stored form of [`format_rfc3339`]; `None`
/// when it is not one, or falls outside the years 1..=9999 in UTC.
pub fn parse_rfc3339(text: &str) -> Option<String> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.to_offset(time::UtcOffset::UTC))
        .filter(|t| (1..=9999).contains(&t.year()))
        .map(format_rfc3339)
}

/// `at` in UTC as RFC 3339 with milliseconds, like [`now_rfc3339`].
pub fn format_rfc3339(at: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .expect("a UTC date in years 0..=9999 always formats")
}

/// Now as milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}
