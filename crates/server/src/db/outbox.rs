//! `outbox`: one row per automation of an event, delivered at least once by
//! [`crate::outbox`]'s worker (states `pending` → `delivered` | `dead`).

use parlo_model::automation::Automation;
use sqlx::SqliteConnection;

/// A row to insert with [`insert`].
#[derive(Debug)]
pub struct NewRow<'a> {
    /// Workspace of the event.
    pub workspace_id: i64,
    /// Stable message id `msg_…` (the `webhook-id`).
    pub message_id: &'a str,
    /// Event type, e.g. `lead.created`.
    pub event_type: &'a str,
    /// Subscriber the event is about.
    pub subscriber_id: Option<&'a str>,
    /// What to deliver.
    pub automation: &'a Automation,
    /// Event data JSON.
    pub data: &'a str,
    /// When the event happened, RFC 3339 UTC.
    pub created_at: &'a str,
    /// When the first attempt is due, Unix milliseconds.
    pub due_at_ms: i64,
}

/// Inserts a pending row; returns its id.
pub async fn insert(conn: &mut SqliteConnection, row: &NewRow<'_>) -> sqlx::Result<i64> {
    let endpoint_id = match row.automation {
        Automation::Webhook { endpoint_id } => Some(*endpoint_id),
        _ => None,
    };
    let automation = serde_json::to_string(row.automation).expect("an automation always serialises");
    sqlx::query_scalar(
        "INSERT INTO outbox (workspace_id, message_id, event_type, subscriber_id, automation, endpoint_id,
                             data, status, next_attempt_at_ms, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
    )
    .bind(row.workspace_id)
    .bind(row.message_id)
    .bind(row.event_type)
    .bind(row.subscriber_id)
    .bind(automation)
    .bind(endpoint_id)
    .bind(row.data)
    .bind(row.due_at_ms)
    .bind(row.created_at)
    .fetch_one(conn)
    .await
}
