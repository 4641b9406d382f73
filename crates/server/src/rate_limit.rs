//! Per API key rate limit: a token bucket in memory, advertised with the `RateLimit-Policy`
//! and `RateLimit` header fields of the IETF httpapi draft
//! (draft-ietf-httpapi-ratelimit-headers-08 and later) and `Retry-After` (RFC 9110 §10.2.3)
//! on 429.
//!
//! Each key has a bucket of `per_minute` tokens refilled at `per_minute / 60` per second;
//! each management request takes one. Buckets live in this process only (several server
//! instances each allow the full rate), and start full after a restart.
//!
//! ```text
//! RateLimit-Policy: "api-key";q=600;w=60
//! RateLimit: "api-key";r=599;t=1
//! ```
//! `q` is the quota per window `w` seconds, `r` the requests left, `t` the seconds until
//! the bucket is full again.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Name of the policy in the header fields.
const POLICY: &str = "api-key";
/// The window of the policy, in seconds.
const WINDOW_SECS: u32 = 60;

/// What a key may still do, after one request was counted (or refused).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quota {
    /// Requests per window.
    pub limit: u32,
    /// Requests left now.
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset_secs: u64,
    /// Seconds until the next request is allowed; `None` when this one was.
    pub retry_after_secs: Option<u64>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets by API key id.
#[derive(Debug)]
pub struct KeyLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<i64, Bucket>>,
}

impl KeyLimiter {
    /// A limiter allowing `per_minute` requests per key per minute (bursts up to that).
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
            buckets: Mutex::default(),
        }
    }

    /// Counts one request of key `key_id` at `now`; the quota says whether it is allowed
    /// (`retry_after_secs` is `None`).
    pub fn take(&self, key_id: i64, now: Instant) -> Quota {
        let capacity = f64::from(self.per_minute);
        let per_sec = capacity / f64::from(WINDOW_SECS);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.entry(key_id).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_sec).min(capacity);
        bucket.at = now;
        let retry_after_secs = if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            None
        } else {
            Some(((1.0 - bucket.tokens) / per_sec).ceil() as u64)
        };
        Quota {
            limit: self.per_minute,
            remaining: bucket.tokens.floor() as u32,
            reset_secs: ((capacity - bucket.tokens) / per_sec).ceil() as u64,
            retry_after_secs,
        }
    }
}

/// Where the API key extractor leaves the request's [`Quota`] for [`advertise`].
#[derive(Clone, Debug, Default)]
pub struct QuotaSlot(Arc<Mutex<Option<Quota>>>);

impl QuotaSlot {
    /// Records the quota of this request.
    pub fn set(&self, quota: Quota) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(quota);
    }

    fn take(&self) -> Option<Quota> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// Middleware of the management API: gives the request a [`QuotaSlot`] and, when the API
/// key was checked, answers `RateLimit-Policy` and `RateLimit` (also on 429s).
pub async fn advertise(mut req: Request, next: Next) -> Response {
    let slot = QuotaSlot::default();
    req.extensions_mut().insert(slot.clone());
    let mut res = next.run(req).await;
    if let Some(quota) = slot.take() {
        let headers = res.headers_mut();
        let policy = format!("\"{POLICY}\";q={};w={WINDOW_SECS}", quota.limit);
        let state = format!("\"{POLICY}\";r={};t={}", quota.remaining, quota.reset_secs);
        for (name, value) in [("ratelimit-policy", policy), ("ratelimit", state)] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_empties_and_refills() {
        let limiter = KeyLimiter::new(60);
        let t0 = Instant::now();
        for left in (0..60).rev() {
            let q = limiter.take(1, t0);
            assert_eq!((q.remaining, q.retry_after_secs), (left, None));
        }
        let refused = limiter.take(1, t0);
        assert_eq!(refused.retry_after_secs, Some(1));
        assert_eq!(refused.reset_secs, 60);
        // Another key has its own bucket.
        assert_eq!(limiter.take(2, t0).retry_after_secs, None);
        // One token a second comes back.
        assert_eq!(
            limiter.take(1, t0 + Duration::from_secs(1)).retry_after_secs,
            None
        );
        assert_eq!(
            limiter.take(1, t0 + Duration::from_secs(1)).retry_after_secs,
            Some(1)
        );
    }
}
