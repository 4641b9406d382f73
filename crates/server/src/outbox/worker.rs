//! The delivery loop: claims due rows with a lease, runs each automation in its own task
//! (at most [`MAX_IN_FLIGHT`] at once), and records how it ended.
//!
//! It wakes on `state.outbox` (after an enqueue or a redelivery), when a task ends, and
//! at the next due time (at most [`IDLE_MS`] apart). All state is in the `outbox` table,
//! so a restart loses nothing: rows leased by a process that died are due again when
//! their lease ([`LEASE_MS`]) runs out.

use super::{OutboxConfig, Outcome, backoff, email, subscriber, webhook};
use crate::broadcasts::email_copy;
use crate::clock;
use crate::db;
use crate::db::outbox::{self as rows, Claimed, Finish};
use crate::state::AppState;
use crate::tokens;
use parlo_model::automation::Automation;
use parlo_model::broadcast::EMAIL_COPY_EVENT;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Longest sleep between checks when nothing is due, in milliseconds.
pub const IDLE_MS: i64 = 60_000;
/// How long a claim holds a row, in milliseconds: longer than any attempt can take (the
/// webhook and SMTP timeouts are 10 s).
pub const LEASE_MS: i64 = 30_000;
/// Most attempts running at once per worker.
pub const MAX_IN_FLIGHT: usize = 32;

/// What attempts need besides the state: the HTTP client and the mailer.
#[derive(Debug)]
pub struct Worker {
    /// Settings.
    pub config: OutboxConfig,
    /// The webhook client (timeout, no redirects, public addresses only unless allowed).
    pub http: reqwest::Client,
    /// The SMTP transport, when configured.
    pub mailer: Option<email::Mailer>,
}

/// Runs the outbox worker until shutdown, then waits for the attempts in flight.
///
/// Errors building the client or mailer (e.g. a malformed `--smtp-url`) are logged and
/// the affected deliveries fail with that reason.
pub async fn run(state: AppState, config: OutboxConfig) {
    let worker = match Worker::new(config) {
        Ok(worker) => Arc::new(worker),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "outbox: cannot start the worker");
            return;
        }
    };
    let permits = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let mut tasks = JoinSet::new();
    loop {
        // Reap finished attempts before reading the table: one that ends after the read
        // below stays in `tasks` and wakes the `select!`, so its new due time is seen.
        while tasks.try_join_next().is_some() {}
        let wait_ms = match claim_due(&state, &worker, &permits, &mut tasks).await {
            Ok(()) => match next_due_ms(&state).await {
                Ok(Some(due)) => (due - clock::now_ms()).clamp(0, IDLE_MS),
                Ok(None) => IDLE_MS,
                Err(e) => {
                    tracing::error!(error = %e, "outbox: reading the next due time");
                    1_000
                }
            },
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "outbox: claiming due rows");
                1_000
            }
        };
        tokio::select! {
            () = state.shutdown.cancelled() => break,
            () = state.outbox.notified() => {}
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            () = tokio::time::sleep(Duration::from_millis(wait_ms as u64)) => {}
        }
    }
    while tasks.join_next().await.is_some() {}
}

impl Worker {
    /// The worker of `config`.
    pub fn new(config: OutboxConfig) -> anyhow::Result<Self> {
        let http = webhook::client(config.allow_private_webhooks)?;
        let mailer = config.smtp_url.as_deref().map(email::Mailer::new).transpose()?;
        Ok(Self { config, http, mailer })
    }
}

async fn next_due_ms(state: &AppState) -> sqlx::Result<Option<i64>> {
    let mut conn = state.db.acquire().await?;
    rows::next_due_ms(&mut conn).await
}

/// Claims due rows while there are due rows and free permits, spawning an attempt each.
async fn claim_due(
    state: &AppState,
    worker: &Arc<Worker>,
    permits: &Arc<Semaphore>,
    tasks: &mut JoinSet<()>,
) -> anyhow::Result<()> {
    loop {
        let free = permits.available_permits();
        if free == 0 {
            return Ok(());
        }
        let claimed = {
            let mut conn = state.db.acquire().await?;
            let lease = tokens::random_base62(20);
            rows::claim(&mut conn, clock::now_ms(), LEASE_MS, &lease, free as u32).await?
        };
        if claimed.is_empty() {
            return Ok(());
        }
        for row in claimed {
            let permit = permits.clone().acquire_owned().await?;
            let (state, worker) = (state.clone(), worker.clone());
            tasks.spawn(async move {
                if let Err(e) = attempt(&state, &worker, row).await {
                    tracing::error!(error = format!("{e:#}"), "outbox: recording an attempt");
                }
                drop(permit);
            });
        }
    }
}

/// Runs one attempt of `row` and records its end.
async fn attempt(state: &AppState, worker: &Worker, row: Claimed) -> anyhow::Result<()> {
    let outcome = match &row.automation {
        Automation::Webhook { endpoint_id } => webhook::deliver(state, worker, &row, *endpoint_id).await,
        Automation::Email { .. }
            if row.event_type == EMAIL_COPY_EVENT
                && email_copy::opted_out_since(&mut *state.db.acquire().await?, &row).await? =>
        {
            Outcome::dead("the subscriber opted out of e-mail copies")
        }
        Automation::Email { to } => email::deliver(worker, &row, to).await,
        _ => return subscriber::deliver(state, worker, row).await,
    };
    let mut conn = state.db.acquire().await?;
    record(&mut conn, &worker.config, &row, &outcome).await?;
    Ok(())
}

/// Stores how the attempt of `row` ended: a failure is retried on the [`backoff`]
/// schedule, or `dead` after the last attempt. `false` when the lease was lost.
pub async fn record(
    conn: &mut db::Connection,
    config: &OutboxConfig,
    row: &Claimed,
    outcome: &Outcome,
) -> sqlx::Result<bool> {
    let end = match outcome {
        Outcome::Delivered { .. } => Finish::Delivered,
        Outcome::Retry { retry_after, .. } if row.attempts < config.max_attempts => {
            let delay = backoff::next_delay_ms(config.retry_base_ms, row.attempts, *retry_after);
            Finish::Retry(clock::now_ms() + delay as i64)
        }
        Outcome::Retry { .. } | Outcome::Dead { .. } => Finish::Dead,
    };
    let (status, error) = outcome.status_and_error();
    if let Some(error) = error {
        tracing::warn!(
            message_id = row.message_id,
            attempt = row.attempts,
            error,
            end = ?end,
            "outbox: attempt failed"
        );
    }
    let kept = rows::finish(conn, row, &end, status, error, &clock::now_rfc3339()).await?;
    if !kept {
        tracing::warn!(
            message_id = row.message_id,
            "outbox: lease lost before the attempt ended"
        );
    }
    Ok(kept)
}
