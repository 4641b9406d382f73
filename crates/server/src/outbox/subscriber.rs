//! Subscriber automations: add or remove tags, set custom fields from templates over the
//! event data, start a flow.
//!
//! Tags and fields change in the same transaction that marks the delivery done, so they
//! apply exactly once; they use the records flows use (a missing tag is created, a missing
//! field is created as `text`, a value of the wrong type is skipped with a warning).
//! Starting a flow runs `chat::start_flow` with the flattened event data as the flow's
//! payload (`{{payload.values.name}}`), and marks the delivery done inside the flow's own
//! turn (only while this attempt still holds the row's lease): the flow's messages and the
//! mark commit together or not at all, so a crash at any moment starts the flow exactly
//! once — before the commit the row is taken up again when its lease runs out, after it
//! the row is delivered.

use super::worker::{Worker, record};
use super::{Outcome, template};
use crate::chat;
use crate::clock;
use crate::db::outbox::Claimed;
use crate::db::{self, subscribers};
use crate::error::ApiError;
use crate::state::AppState;
use parlo_engine::Effect;
use parlo_model::automation::Automation;

/// Runs the subscriber automation of `row` and records how it ended.
pub async fn deliver(state: &AppState, worker: &Worker, row: Claimed) -> anyhow::Result<()> {
    let Some(subscriber_id) = row.subscriber_id.clone() else {
        return finish(state, worker, &row, Outcome::dead("the event has no subscriber")).await;
    };
    let data: serde_json::Value = serde_json::from_str(&row.data)?;
    let flat = template::flatten(&data);
    if let Automation::StartFlow { flow_id } = &row.automation {
        let (config, claimed) = (worker.config.clone(), row.clone());
        let mark_delivered: chat::AlsoInTurn = Box::new(move |conn| {
            Box::pin(async move {
                let delivered = Outcome::Delivered { status: None };
                if record(conn, &config, &claimed, &delivered).await? {
                    Ok(())
                } else {
                    // Another worker holds the row now: this attempt must not start the flow.
                    Err(ApiError::Conflict("the delivery's lease was lost".to_owned()))
                }
            })
        });
        let started = chat::start_flow(
            state,
            row.workspace_id,
            &subscriber_id,
            flow_id,
            flat,
            Some(mark_delivered),
        )
        .await;
        let outcome = match started {
            // Recorded in the flow's turn.
            Ok(_) => return Ok(()),
            Err(e @ (ApiError::NotFound(_) | ApiError::Validation(_))) => Outcome::dead(e.to_string()),
            Err(e) => Outcome::retry(e.to_string()),
        };
        return finish(state, worker, &row, outcome).await;
    }
    let effects = effects(&row.automation, &flat);
    let mut tx = db::begin_write(&state.db).await?;
    if subscribers::find(&mut tx, row.workspace_id, &subscriber_id)
        .await?
        .is_none()
    {
        drop(tx);
        let gone = Outcome::dead(format!("subscriber {subscriber_id} no longer exists"));
        return finish(state, worker, &row, gone).await;
    }
    let now = clock::now_rfc3339();
    for effect in &effects {
        subscribers::apply(&mut tx, &subscriber_id, effect, &now).await?;
    }
    if record(
        &mut tx,
        &worker.config,
        &row,
        &Outcome::Delivered { status: None },
    )
    .await?
    {
        tx.commit().await?;
    }
    Ok(())
}

/// The profile changes of a tags or fields automation.
fn effects(automation: &Automation, flat: &std::collections::BTreeMap<String, String>) -> Vec<Effect> {
    match automation {
        Automation::AddTags { tags } => tags.iter().map(|t| Effect::AddTag(t.trim().to_owned())).collect(),
        Automation::RemoveTags { tags } => tags
            .iter()
            .map(|t| Effect::RemoveTag(t.trim().to_owned()))
            .collect(),
        Automation::SetFields { fields } => fields
            .iter()
            .map(|(field, value)| Effect::SetField {
                field: field.trim().to_owned(),
                value: template::render(value, flat),
            })
            .collect(),
        Automation::Webhook { .. } | Automation::StartFlow { .. } | Automation::Email { .. } => Vec::new(),
    }
}

async fn finish(state: &AppState, worker: &Worker, row: &Claimed, outcome: Outcome) -> anyhow::Result<()> {
    let mut conn = state.db.acquire().await?;
    record(&mut conn, &worker.config, row, &outcome).await?;
    Ok(())
}
