//! Delivers scheduled (delayed) bot output when it falls due.
//!
//! Items live in the `scheduled` table, so a restart loses nothing: the task delivers
//! whatever is overdue at start. A message gets its `seq` at delivery, in its own
//! transaction, and is then published; a typing indicator is only published (and
//! skipped when it is already over, e.g. after a restart). A delivered message that a
//! flow step sent counts as `sent` in the flow statistics. While the conversation's bot is
//! paused (human takeover) due items are dropped, not delivered.
//!
//! A webhook step's call is claimed and made in a task of its own ([`webhook_step`]).
//!
//! Several instances on one PostgreSQL database each run this task; an item is delivered by
//! the one whose write transaction deletes it first (the others find it gone), and the
//! delivered events reach every instance's streams through [`crate::hub`].

pub mod webhook_step;

use crate::clock;
use crate::db::{self, flow_statistics, messages, scheduled};
use crate::state::AppState;
use parlo_model::chat::{Author, Message, StreamEvent};
use std::time::Duration;

/// Longest sleep between checks when nothing is due, in milliseconds.
const IDLE_MS: i64 = 60_000;

/// Runs until shutdown.
pub async fn run(state: AppState) {
    let http = match crate::outbox::webhook::client(state.allow_private_webhooks) {
        Ok(http) => http,
        Err(e) => {
            tracing::error!(
                error = format!("{e:#}"),
                "scheduler: building the HTTP client of webhook steps"
            );
            return;
        }
    };
    loop {
        let wait_ms = match deliver_due(&state, &http).await {
            Ok(()) => match next_due_ms(&state).await {
                Ok(Some(due)) => (due - clock::now_ms()).clamp(0, IDLE_MS),
                Ok(None) => IDLE_MS,
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "scheduler: reading the next due time");
                    1_000
                }
            },
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "scheduler: delivering due output");
                1_000
            }
        };
        tokio::select! {
            () = state.shutdown.cancelled() => return,
            () = state.scheduler.notified() => {}
            () = tokio::time::sleep(Duration::from_millis(wait_ms as u64)) => {}
        }
    }
}

async fn next_due_ms(state: &AppState) -> sqlx::Result<Option<i64>> {
    let mut conn = state.db.acquire().await?;
    scheduled::next_due_ms(&mut conn).await
}

async fn deliver_due(state: &AppState, http: &reqwest::Client) -> anyhow::Result<()> {
    loop {
        let items = {
            let mut conn = state.db.acquire().await?;
            scheduled::due(&mut conn, clock::now_ms(), 100).await?
        };
        if items.is_empty() {
            return Ok(());
        }
        for item in items {
            deliver(state, http, item).await?;
        }
    }
}

/// Delivers a due item: a webhook step's call is claimed and made ([`webhook_step`]); a
/// typing indicator or a message is taken (deleted) and published.
async fn deliver(state: &AppState, http: &reqwest::Client, item: scheduled::Scheduled) -> anyhow::Result<()> {
    let scheduled::Scheduled {
        id,
        conversation_id,
        due_at_ms,
        due,
    } = item;
    match due {
        scheduled::Due::Webhook(call) => {
            webhook_step::start(state, http, id, conversation_id, due_at_ms, call).await?;
        }
        scheduled::Due::Typing(ms) => {
            let Some(tx) = take(state, id, conversation_id).await? else {
                return Ok(());
            };
            tx.commit().await?;
            let left = due_at_ms + i64::from(ms) - clock::now_ms();
            if left > 0 {
                state.hub.publish(
                    conversation_id,
                    StreamEvent::Typing {
                        duration_ms: left as u32,
                    },
                );
            }
        }
        scheduled::Due::Message {
            id: message_id,
            content,
            reply_to,
            step,
        } => {
            let Some(mut tx) = take(state, id, conversation_id).await? else {
                return Ok(());
            };
            let seq = messages::last_seq(&mut tx, conversation_id).await? + 1;
            let message = Message {
                id: message_id.into(),
                seq,
                author: Author::Bot,
                content,
                created_at: clock::now_rfc3339(),
                reply_to: reply_to.map(Into::into),
            };
            messages::insert(&mut tx, conversation_id, &[messages::NewMessage::plain(&message)]).await?;
            messages::set_last_seq(&mut tx, conversation_id, seq).await?;
            if let Some(step) = step {
                flow_statistics::count_sent(&mut tx, conversation_id, &step).await?;
            }
            tx.commit().await?;
            state.hub.publish(conversation_id, StreamEvent::Message(message));
        }
    }
    Ok(())
}

/// Deletes item `id` in a new write transaction, answered to deliver it in; `None` when
/// it was gone (delivered elsewhere, or moved to another conversation by a merge) or the
/// conversation's bot is paused (the item is dropped then).
async fn take(state: &AppState, id: i64, conversation_id: i64) -> anyhow::Result<Option<db::Transaction>> {
    let mut tx = db::begin_write(&state.db).await?;
    if !scheduled::delete(&mut tx, id, conversation_id).await? {
        return Ok(None);
    }
    if messages::bot_pause(&mut tx, conversation_id, &clock::now_rfc3339())
        .await?
        .0
    {
        tx.commit().await?;
        return Ok(None);
    }
    Ok(Some(tx))
}
