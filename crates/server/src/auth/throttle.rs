//! Throttling of failed log-ins (OWASP Authentication Cheat Sheet, "protect against
//! automated attacks"): after [`EMAIL_LIMIT`] failures for one e-mail, or [`IP_LIMIT`]
//! from one client IP, within [`WINDOW`], every further attempt is refused with 429
//! `rate_limited` and `Retry-After` — even with the right password — until the oldest of
//! those failures is older than the window. A successful log-in clears its e-mail's
//! failures.
//!
//! Failures are kept in the database (`login_failures`), so the limits hold across
//! restarts and across server instances sharing it.

use crate::clock;
use crate::db;
use crate::db::users;
use crate::error::{ApiError, ApiResult};
use std::time::Duration;

/// How long a failure counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures per e-mail address within [`WINDOW`] before attempts are refused.
pub const EMAIL_LIMIT: u32 = 5;
/// Failures per client IP within [`WINDOW`] before attempts are refused.
pub const IP_LIMIT: u32 = 20;

/// Who attempts a log-in: the e-mail (lower-cased) and the client IP.
#[derive(Clone, Debug)]
pub struct Attempt {
    /// The e-mail address tried, lower-cased.
    pub email: String,
    /// The client's IP address, or `unknown`.
    pub ip: String,
}

impl Attempt {
    fn subjects(&self) -> [(&'static str, &str, u32); 2] {
        [("email", &self.email, EMAIL_LIMIT), ("ip", &self.ip, IP_LIMIT)]
    }
}

fn window_ms() -> i64 {
    WINDOW.as_millis() as i64
}

/// 429 `rate_limited` when the e-mail or the IP used up its failures; `Retry-After` is
/// the seconds until the oldest counted failure leaves the window.
pub async fn check(conn: &mut db::Connection, attempt: &Attempt) -> ApiResult<()> {
    let now = clock::now_ms();
    let mut wait_ms = 0;
    for (scope, subject, limit) in attempt.subjects() {
        if let Some(at) = users::nth_recent_failure(conn, scope, subject, now - window_ms(), limit).await? {
            wait_ms = wait_ms.max(at + window_ms() - now);
        }
    }
    if wait_ms > 0 {
        return Err(ApiError::LoginThrottled {
            retry_after_secs: (wait_ms as u64).div_ceil(1000),
        });
    }
    Ok(())
}

/// Counts a failed attempt against its e-mail and its IP.
pub async fn failed(conn: &mut db::Connection, attempt: &Attempt) -> sqlx::Result<()> {
    let now = clock::now_ms();
    for (scope, subject, _) in attempt.subjects() {
        users::record_failure(conn, scope, subject, now).await?;
    }
    Ok(())
}

/// Forgets the e-mail's failures after a successful log-in (and every expired failure).
pub async fn succeeded(conn: &mut db::Connection, attempt: &Attempt) -> sqlx::Result<()> {
    users::clear_failures(conn, "email", &attempt.email, clock::now_ms() - window_ms()).await
}
