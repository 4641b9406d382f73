//! Rate limits: token buckets in memory ([`Limiter`]), keyed by API key on the management
//! API (advertised with the `RateLimit-Policy` and `RateLimit` header fields of the IETF
//! httpapi draft, draft-ietf-httpapi-ratelimit-headers-08 and later) and by client IP and
//! by form on form submissions ([`FormLimits`]); the public chat API's limits (sessions,
//! messages, event streams) are in [`public`]. 429s carry `Retry-After` (RFC 9110
//! §10.2.3).
//!
//! Each key has a bucket of `per_minute` tokens refilled at `per_minute / 60` per second;
//! each request takes one. Buckets live in this process only (several server instances
//! each allow the full rate), and start full after a restart.
//!
//! ```text
//! RateLimit-Policy: "api-key";q=600;w=60
//! RateLimit: "api-key";r=599;t=1
//! ```
//! `q` is the quota per window `w` seconds, `r` the requests left, `t` the seconds until
//! the bucket is full again.

pub mod public;

use crate::error::ApiError;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The header fields a rate limit answers with (`Retry-After`, `RateLimit`,
/// `RateLimit-Policy`), which browser clients on other origins may read
/// (`Access-Control-Expose-Headers`).
pub const HEADERS: [HeaderName; 3] = [
    header::RETRY_AFTER,
    HeaderName::from_static("ratelimit"),
    HeaderName::from_static("ratelimit-policy"),
];

/// Name of the policy in the header fields.
const POLICY: &str = "api-key";
/// The window of the policy, in seconds.
const WINDOW_SECS: u32 = 60;
/// Buckets kept before full ones (equal to absent ones) are dropped.
const PRUNE_AT: usize = 10_000;

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

/// Token buckets by key (API key id, client IP, form id, …).
#[derive(Debug)]
pub struct Limiter<K> {
    per_minute: u32,
    buckets: Mutex<HashMap<K, Bucket>>,
}

/// Token buckets by API key id.
pub type KeyLimiter = Limiter<i64>;

impl<K: Hash + Eq> Limiter<K> {
    /// A limiter allowing `per_minute` requests per key per minute (bursts up to that).
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
            buckets: Mutex::default(),
        }
    }

    /// Counts one request of `key` at `now`; the quota says whether it is allowed
    /// (`retry_after_secs` is `None`).
    pub fn take(&self, key: K, now: Instant) -> Quota {
        let capacity = f64::from(self.per_minute);
        let per_sec = capacity / f64::from(WINDOW_SECS);
        let refill = |b: &mut Bucket| {
            let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
            b.tokens = (b.tokens + elapsed * per_sec).min(capacity);
            b.at = now;
        };
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= PRUNE_AT {
            buckets.retain(|_, b| {
                refill(b);
                b.tokens < capacity
            });
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        refill(bucket);
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

/// Rate limits of form submissions (`POST /api/public/v1/forms/{form_id}/submissions`):
/// one bucket per client IP (across forms) and one per form (across clients).
#[derive(Debug)]
pub struct FormLimits {
    /// Submissions per client IP per minute.
    pub per_ip: Limiter<IpAddr>,
    /// Submissions per form per minute.
    pub per_form: Limiter<String>,
}

impl FormLimits {
    /// Limits of `per_ip` and `per_form` submissions per minute.
    pub fn new(per_ip: u32, per_form: u32) -> Self {
        Self {
            per_ip: Limiter::new(per_ip),
            per_form: Limiter::new(per_form),
        }
    }

    /// Counts one submission from `ip` (when known) to `form_id`; 429 `TooMany` naming
    /// the limit hit, with the seconds to wait.
    pub fn take(&self, ip: Option<IpAddr>, form_id: &str, now: Instant) -> Result<(), ApiError> {
        if let Some(ip) = ip {
            refuse_past(
                self.per_ip.take(ip, now),
                "form-ip",
                "too many submissions from this IP address",
            )?;
        }
        refuse_past(
            self.per_form.take(form_id.to_owned(), now),
            "form",
            "too many submissions for this form",
        )
    }
}

/// 429 `TooMany` saying `what` when `quota` refused its request, advertising the bucket as
/// policy `policy`; `Ok` when it was allowed.
pub(crate) fn refuse_past(quota: Quota, policy: &'static str, what: &'static str) -> Result<(), ApiError> {
    match quota.retry_after_secs {
        Some(retry_after_secs) => Err(ApiError::TooMany {
            what,
            retry_after_secs,
            policy: Some((policy, quota)),
        }),
        None => Ok(()),
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
        advertise_quota(res.headers_mut(), POLICY, &quota);
    }
    res
}

/// Sets `RateLimit-Policy` and `RateLimit` of `quota` under the policy name `policy`.
pub fn advertise_quota(headers: &mut HeaderMap, policy: &str, quota: &Quota) {
    let limits = format!("\"{policy}\";q={};w={WINDOW_SECS}", quota.limit);
    let state = format!("\"{policy}\";r={};t={}", quota.remaining, quota.reset_secs);
    for (name, value) in [("ratelimit-policy", limits), ("ratelimit", state)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn form_limits_count_per_ip_and_per_form() {
        let limits = FormLimits::new(2, 3);
        let t0 = Instant::now();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let refusal = |result: Result<(), ApiError>| match result {
            Err(ApiError::TooMany {
                what,
                retry_after_secs,
                ..
            }) => Some((what, retry_after_secs)),
            _ => None,
        };
        assert!(limits.take(Some(a), "quote", t0).is_ok());
        assert!(limits.take(Some(a), "other", t0).is_ok());
        assert_eq!(
            refusal(limits.take(Some(a), "quote", t0)),
            Some(("too many submissions from this IP address", 30))
        );
        assert!(limits.take(Some(b), "quote", t0).is_ok());
        assert!(limits.take(None, "quote", t0).is_ok());
        assert_eq!(
            refusal(limits.take(None, "quote", t0)),
            Some(("too many submissions for this form", 20))
        );
    }

    #[test]
    fn full_buckets_are_pruned() {
        let limiter = Limiter::new(60);
        let t0 = Instant::now();
        for k in 0..PRUNE_AT {
            limiter.take(k, t0);
        }
        limiter.take(PRUNE_AT, t0 + Duration::from_secs(2));
        assert_eq!(limiter.buckets.lock().unwrap().len(), 1);
    }

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
