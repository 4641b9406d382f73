//! Deletes rows that have served their purpose, so the database does not grow without bound:
//!
//! | rows | deleted when |
//! |---|---|
//! | outbox deliveries (`outbox`) | delivered, or dead, more than `--outbox-retention-days` (default 30) ago; pending ones never |
//! | console sessions (`user_sessions`) | past their expiry |
//! | failed log-ins (`login_failures`) | older than the throttle's window ([`throttle::WINDOW`]) |
//!
//! Conversations, messages, subscribers and leads are the owner's data and are never pruned.
//! Each instance prunes at start and then every [`INTERVAL`]; instances sharing a database
//! may prune at the same time, which deletes nothing twice. Deliveries go in batches of
//! [`BATCH`] rows, so no statement holds the database for long.

use crate::auth::throttle;
use crate::clock;
use crate::db::{Pool, outbox, users};
use crate::state::AppState;
use std::time::Duration;
use time::OffsetDateTime;

/// Time between two prunings of an instance.
pub const INTERVAL: Duration = Duration::from_secs(60 * 60);
/// Deliveries deleted per statement.
pub const BATCH: i64 = 1_000;

/// How many rows one pruning deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Outbox deliveries that ended before the retention.
    pub deliveries: u64,
    /// Expired console sessions.
    pub user_sessions: u64,
    /// Failed log-ins older than the throttle's window.
    pub login_failures: u64,
}

/// Prunes as of `now`, keeping deliveries that ended within `retention`.
///
/// Errors: database errors; what was deleted before one stays deleted.
pub async fn prune(db: &Pool, now: OffsetDateTime, retention: Duration) -> sqlx::Result<Pruned> {
    let mut conn = db.acquire().await?;
    let before = clock::format_rfc3339(now - retention);
    let mut pruned = Pruned::default();
    loop {
        let deleted = outbox::prune_finished(&mut conn, &before, BATCH).await?;
        pruned.deliveries += deleted;
        if deleted < BATCH as u64 {
            break;
        }
    }
    pruned.user_sessions = users::prune_expired_sessions(&mut conn, &clock::format_rfc3339(now)).await?;
    let now_ms = (now.unix_timestamp_nanos() / 1_000_000) as i64;
    pruned.login_failures =
        users::prune_failures(&mut conn, now_ms - throttle::WINDOW.as_millis() as i64).await?;
    Ok(pruned)
}

/// Prunes at start and every [`INTERVAL`] until shutdown, keeping deliveries
/// `retention_days` days.
pub async fn run(state: AppState, retention_days: u32) {
    let retention = Duration::from_secs(u64::from(retention_days) * 24 * 60 * 60);
    loop {
        match prune(&state.db, OffsetDateTime::now_utc(), retention).await {
            Ok(pruned) if pruned != Pruned::default() => tracing::info!(?pruned, "pruned"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "pruning"),
        }
        tokio::select! {
            () = state.shutdown.cancelled() => return,
            () = tokio::time::sleep(INTERVAL) => {}
        }
    }
}
