//! The outbox: automations of an event (e.g. `lead.created`), written in the event's own
//! transaction by [`enqueue`] and delivered at least once by a background worker.
//!
//! ```ignore
//! let mut tx = db::begin_write(&state.db).await?;
//! // … store the lead …
//! outbox::enqueue(&mut tx, &event, &form.automations).await?;
//! tx.commit().await?;
//! state.outbox.notify_one(); // deliver now rather than at the next timer tick
//! ```

use crate::clock;
use crate::db::outbox::{self as rows, NewRow};
use crate::tokens;
use parlo_model::automation::Automation;
use parlo_model::ids::SubscriberId;

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
    conn: &mut sqlx::SqliteConnection,
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
