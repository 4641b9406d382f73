//! The outbox: automations of an event (e.g. `lead.created`), written in the event's own
//! transaction by [`enqueue`] and delivered at least once by the worker [`run`].
//!
//! ```ignore
//! let mut tx = db::begin_write(&state.db).await?;
//! // … store the lead …
//! outbox::enqueue(&mut tx, &event, &form.automations).await?;
//! tx.commit().await?;
//! state.outbox.notify_one(); // deliver now rather than at the next timer tick
//! ```
//!
//! Delivery: a due `pending` row is claimed with a lease ([`worker`]), so several workers
//! (tasks or processes on one database) never run it at the same time and a crashed
//! worker's rows are taken up again when the lease runs out. Failures are retried on the
//! schedule of [`backoff`] until [`OutboxConfig::max_attempts`]; then the row is `dead`
//! until redelivered through the API. What each automation does: [`webhook`] (Standard
//! Webhooks), [`subscriber`] (tags, fields, flow), [`email`] (SMTP).

pub mod backoff;
pub mod email;
pub mod receiver;
pub mod signature;
pub mod subscriber;
pub mod target;
pub mod template;
pub mod webhook;
pub mod worker;

use crate::clock;
use crate::db;
use crate::db::outbox::{self as rows, NewRow};
use crate::tokens;
use clap::Args;
use parlo_model::automation::Automation;
use parlo_model::ids::SubscriberId;

/// Default of [`OutboxConfig::max_attempts`].
pub const DEFAULT_MAX_ATTEMPTS: u32 = 10;
/// Default of [`OutboxConfig::retry_base_ms`].
pub const DEFAULT_RETRY_BASE_MS: u64 = 10_000;
/// Default of [`OutboxConfig::retention_days`].
pub const DEFAULT_RETENTION_DAYS: u32 = 30;
/// Default of [`OutboxConfig::smtp_from`].
pub const DEFAULT_SMTP_FROM: &str = "Parlo <parlo@localhost>";

/// Settings of the outbox worker (flags and `PARLO_*` variables of `parlo-server`).
#[derive(Clone, Debug, Args)]
pub struct OutboxConfig {
    /// Attempts per delivery before it is `dead` (1..=50).
    #[arg(long = "outbox-max-attempts", env = "PARLO_OUTBOX_MAX_ATTEMPTS", default_value_t = DEFAULT_MAX_ATTEMPTS,
          value_parser = clap::value_parser!(u32).range(1..=50), global = true)]
    pub max_attempts: u32,
    /// First retry delay in milliseconds; each further one is 4× longer, capped at 24 h,
    /// ±20 % jitter (see `outbox::backoff`).
    #[arg(long = "outbox-retry-base-ms", env = "PARLO_OUTBOX_RETRY_BASE_MS", default_value_t = DEFAULT_RETRY_BASE_MS,
          value_parser = clap::value_parser!(u64).range(1..=3_600_000), global = true)]
    pub retry_base_ms: u64,
    /// Days a delivery is kept after it ended (delivered, or dead after its last attempt),
    /// for the deliveries API and redelivery; then it is deleted (see `pruning`).
    #[arg(long = "outbox-retention-days", env = "PARLO_OUTBOX_RETENTION_DAYS", default_value_t = DEFAULT_RETENTION_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=3650), global = true)]
    pub retention_days: u32,
    /// Allow webhook endpoints on loopback, private, link-local and other non-public
    /// addresses (local development, the demo, tests). Off by default against SSRF.
    #[arg(long, env = "PARLO_ALLOW_PRIVATE_WEBHOOKS", global = true)]
    pub allow_private_webhooks: bool,
    /// SMTP server for e-mail automations, `smtp://[user:password@]host:port` (plain
    /// SMTP; add `?tls=required` for STARTTLS where built with TLS). Without it e-mail
    /// deliveries end `dead` ("SMTP is not configured").
    #[arg(long, env = "PARLO_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,
    /// With `--seed-demo`: also seed an endpoint for the demo webhook receiver
    /// (`parlo-server webhook-receiver` on 127.0.0.1:8090, as `cargo xtask demo` runs it)
    /// and send the demo form's leads to it.
    #[arg(long, env = "PARLO_DEMO_WEBHOOK", global = true)]
    pub demo_webhook: bool,
    /// `From` of notification e-mails.
    #[arg(long, env = "PARLO_SMTP_FROM", default_value = DEFAULT_SMTP_FROM, global = true)]
    pub smtp_from: String,
}

impl Default for OutboxConfig {
    /// The command line defaults.
    fn default() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            retry_base_ms: DEFAULT_RETRY_BASE_MS,
            retention_days: DEFAULT_RETENTION_DAYS,
            allow_private_webhooks: false,
            smtp_url: None,
            demo_webhook: false,
            smtp_from: DEFAULT_SMTP_FROM.to_owned(),
        }
    }
}

/// Something that happened in a workspace, to run automations for.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Workspace it happened in.
    pub workspace_id: i64,
    /// The subscriber it is about, if any; subscriber automations (tags, fields, flow)
    /// of an event without one end `dead`.
    pub subscriber_id: Option<SubscriberId>,
    /// Event type, dot-separated, e.g. `lead.created` (the webhook body's `type`).
    pub event_type: String,
    /// Event data: the webhook body's `data`, and what templates (`{{values.name}}`) read.
    pub data: serde_json::Value,
}

/// Inserts one pending outbox row per automation, due now, each with a new stable
/// message id `msg_…` (its `webhook-id`). Runs on the caller's connection, so inside the
/// caller's transaction the rows commit (or roll back) with the event. After committing,
/// wake the worker with `state.outbox.notify_one()`.
///
/// Errors: only database errors.
pub async fn enqueue(
    conn: &mut db::Connection,
    event: &Event,
    automations: &[Automation],
) -> Result<(), sqlx::Error> {
    let data = event.data.to_string();
    let created_at = clock::now_rfc3339();
    let due_at_ms = clock::now_ms();
    for automation in automations {
        let message_id = tokens::new_message_id();
        rows::insert(
            &mut *conn,
            &NewRow {
                workspace_id: event.workspace_id,
                message_id: &message_id,
                event_type: &event.event_type,
                subscriber_id: event.subscriber_id.as_ref().map(SubscriberId::as_str),
                automation,
                data: &data,
                created_at: &created_at,
                due_at_ms,
            },
        )
        .await?;
    }
    Ok(())
}

/// How one attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done (a 2xx answer, the e-mail accepted, the subscriber changed).
    Delivered {
        /// HTTP status of a webhook answer.
        status: Option<u16>,
    },
    /// Failed for now; tried again on the backoff schedule, if attempts remain.
    Retry {
        /// HTTP status of a webhook answer, if there was one.
        status: Option<u16>,
        /// Why, for the delivery's `last_error`.
        error: String,
        /// The receiver's `Retry-After`: the next attempt waits at least this long.
        retry_after: Option<std::time::Duration>,
    },
    /// Failed for good (e.g. the endpoint is gone or disabled); `dead` at once.
    Dead {
        /// HTTP status of a webhook answer, if there was one.
        status: Option<u16>,
        /// Why, for the delivery's `last_error`.
        error: String,
    },
}

impl Outcome {
    /// A retryable failure without an HTTP answer.
    pub fn retry(error: impl Into<String>) -> Self {
        Outcome::Retry {
            status: None,
            error: error.into(),
            retry_after: None,
        }
    }

    /// A permanent failure without an HTTP answer.
    pub fn dead(error: impl Into<String>) -> Self {
        Outcome::Dead {
            status: None,
            error: error.into(),
        }
    }

    /// The HTTP status and the error message, as stored on the delivery.
    pub fn status_and_error(&self) -> (Option<u16>, Option<&str>) {
        match self {
            Outcome::Delivered { status } => (*status, None),
            Outcome::Retry { status, error, .. } | Outcome::Dead { status, error } => (*status, Some(error)),
        }
    }
}

pub use worker::run;
