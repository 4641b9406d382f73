//! Deletes rows that have served their purpose, so the database does not grow without bound:
//!
//! | rows | deleted when |
//! |---|---|
//! | outbox deliveries (`outbox`) | delivered, or dead, more than `--outbox-retention-days` (default 30) ago; pending ones never |
//! | console sessions (`user_sessions`) | past their expiry |
//! | failed log-ins (`login_failures`) | older than the throttle's window ([`throttle::WINDOW`]) |
//! | idempotency keys of session starts (`session_starts`) | recorded more than `--idempotency-retention-hours` (default 24) ago |
//! | idempotency keys of API triggers (`flow_triggers`) | the same |
//!
//! Conversations, messages, subscribers and leads are the owner's data and are never pruned.
//! Nor are the idempotency records of form submissions (`form_submissions`): they are the
//! form's statistics (leads and spam counted once per key) and keep answering retries of
//! accepted submissions, also after the form is deleted; they hold no personal data.
//! Each instance prunes at start and then every [`INTERVAL`]; instances sharing a database
//! may prune at the same time, which deletes nothing twice. Deliveries go in batches of
//! [`BATCH`] rows, so no statement holds the database for long.

use crate::auth::throttle;
use crate::clock;
use crate::config::Config;
use crate::db::{Pool, outbox, sessions, triggers, users};
use crate::state::AppState;
use std::time::Duration;
use time::OffsetDateTime;

/// Time between two prunings of an instance.
pub const INTERVAL: Duration = Duration::from_secs(60 * 60);
/// Deliveries deleted per statement.
pub const BATCH: i64 = 1_000;
/// Default of `--idempotency-retention-hours`: a day, as the idempotency keys of Stripe's
/// API, well beyond any client's retries of one request.
pub const DEFAULT_IDEMPOTENCY_RETENTION_HOURS: u32 = 24;

/// How long ended rows are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Ended outbox deliveries (`--outbox-retention-days`).
    pub deliveries: Duration,
    /// Idempotency keys of session starts and API triggers
    /// (`--idempotency-retention-hours`).
    pub idempotency: Duration,
}

impl Retention {
    /// The retentions set by `config`.
    pub fn of(config: &Config) -> Self {
        Self {
            deliveries: Duration::from_secs(u64::from(config.outbox.retention_days) * 24 * 60 * 60),
            idempotency: Duration::from_secs(u64::from(config.idempotency_retention_hours) * 60 * 60),
        }
    }
}

/// How many rows one pruning deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Outbox deliveries that ended before the retention.
    pub deliveries: u64,
    /// Expired console sessions.
    pub user_sessions: u64,
    /// Failed log-ins older than the throttle's window.
    pub login_failures: u64,
    /// Idempotency keys of session starts older than their retention.
    pub session_starts: u64,
    /// Idempotency keys of API triggers older than their retention.
    pub flow_triggers: u64,
}

/// Prunes as of `now`, keeping what is within its `retention`.
///
/// Errors: database errors; what was deleted before one stays deleted.
pub async fn prune(db: &Pool, now: OffsetDateTime, retention: &Retention) -> sqlx::Result<Pruned> {
    let mut conn = db.acquire().await?;
    let before = clock::format_rfc3339(now - retention.deliveries);
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
    let keys_before = clock::format_rfc3339(now - retention.idempotency);
    pruned.session_starts = sessions::prune_starts(&mut conn, &keys_before).await?;
    pruned.flow_triggers = triggers::prune(&mut conn, &keys_before).await?;
    Ok(pruned)
}

/// Prunes at start and every [`INTERVAL`] until shutdown, keeping what is within its
/// `retention`.
pub async fn run(state: AppState, retention: Retention) {
    loop {
        match prune(&state.db, OffsetDateTime::now_utc(), &retention).await {
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
