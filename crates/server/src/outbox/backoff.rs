//! When a failed delivery is tried again: exponential backoff with jitter, honouring the
//! receiver's `Retry-After`.
//!
//! After failed attempt `n` (1, 2, …) the next one waits `base · 4^(n-1)` (so with the
//! default 10 s base: 10 s, 40 s, 2.7 min, 11 min, 43 min, 2.8 h, 11.4 h, then 24 h),
//! capped at [`MAX_DELAY_MS`], times a random factor in 0.8..=1.2 (jitter, so retries of
//! many deliveries that failed together spread out). This follows the Standard Webhooks
//! advice of a schedule spanning days; the default 10 attempts span about 2.6 days.
//!
//! A `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) is a lower bound for
//! the next attempt, capped at [`MAX_DELAY_MS`].

use axum::http::{HeaderMap, header};
use std::time::{Duration, SystemTime};

/// Longest wait between two attempts: 24 hours, in milliseconds.
pub const MAX_DELAY_MS: u64 = 24 * 60 * 60 * 1000;

/// Milliseconds to wait after `failed_attempts` (≥ 1) failed attempts, before jitter.
pub fn base_delay_ms(base_ms: u64, failed_attempts: u32) -> u64 {
    let factor = 4u64.saturating_pow(failed_attempts.saturating_sub(1));
    base_ms.saturating_mul(factor).min(MAX_DELAY_MS)
}

/// Milliseconds to wait before the next attempt: [`base_delay_ms`] with ±20 % jitter, and
/// at least `retry_after` when the receiver gave one.
pub fn next_delay_ms(base_ms: u64, failed_attempts: u32, retry_after: Option<Duration>) -> u64 {
    let base = base_delay_ms(base_ms, failed_attempts) as f64;
    let jittered = (base * rand::random_range(0.8..=1.2)) as u64;
    let floor = retry_after.map_or(0, |d| (d.as_millis() as u64).min(MAX_DELAY_MS));
    jittered.clamp(1, MAX_DELAY_MS).max(floor)
}

/// The `Retry-After` of a response as a duration from `now`: delay-seconds or an
/// HTTP-date (a past date gives zero). `None` when absent or malformed.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn delays_grow_fourfold_up_to_a_day() {
        let delays: Vec<_> = (1..=9).map(|n| base_delay_ms(10_000, n)).collect();
        assert_eq!(
            delays,
            [
                10_000,
                40_000,
                160_000,
                640_000,
                2_560_000,
                10_240_000,
                40_960_000,
                MAX_DELAY_MS,
                MAX_DELAY_MS
            ]
        );
        assert_eq!(base_delay_ms(10_000, 60), MAX_DELAY_MS);
    }

    #[test]
    fn jitter_stays_within_a_fifth_and_retry_after_is_a_floor() {
        for _ in 0..100 {
            let d = next_delay_ms(1_000, 2, None);
            assert!((3_200..=4_800).contains(&d), "{d}");
        }
        assert_eq!(next_delay_ms(10, 1, Some(Duration::from_secs(3))), 3_000);
        assert_eq!(
            next_delay_ms(10, 1, Some(Duration::from_secs(u64::MAX / 2_000))),
            MAX_DELAY_MS
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("120"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(120)));
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        let earlier = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_677);
        assert_eq!(retry_after(&headers, earlier), Some(Duration::from_secs(100)));
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }
}
