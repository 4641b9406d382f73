//! The broadcast worker ([`run`]): sends each due broadcast to its recipients, once each,
//! at its rate.
//!
//! At `send_at` a broadcast's audience is resolved into recipient rows, once: the
//! subscribers matching it then, in one write transaction that also moves the broadcast
//! from `scheduled` to `sending`, so of several workers (tasks or server instances) exactly
//! one does it. Then one sender task per broadcast sends to its pending recipients in
//! order, a batch at a time ([`batch_size`]: a tenth of a second of the rate, at most
//! [`MAX_BATCH`]). Messages go to a whole batch in one write of the writer ([`batch::send`]:
//! one commit takes the send slot, stores each recipient's messages in their conversation
//! with its own `seq`s and marks them `sent`, so a crash before it leaves the whole batch
//! pending and one after it leaves it sent). A flow runs in one turn per recipient, as
//! `POST …/send-flow` does ([`chat::start_flow`]): the batch is claimed first, with one
//! lease ([`LEASE_MS`]), and its turns are queued together, so the writer commits them
//! together; each recipient becomes `sent` in its own turn's transaction, and only while
//! the lease is still held, so a crash or restart mid-send never sends to anyone twice: a
//! recipient whose turn did not commit is pending again when its lease runs out, one whose
//! turn committed is not. A recipient that cannot be sent to (e.g. a flow while their bot
//! is paused, or a subscriber gone) fails with the problem as its reason; a fault of the
//! server (the database) leaves it pending, to be tried again. A cancelled broadcast's
//! pending recipients are cancelled at once, and a write running for them then does not
//! send to them.
//!
//! Reach, recorded in the same transaction as `sent`: whether the recipient's widget had a
//! realtime stream open to this instance then (`delivered_live`: the messages, published
//! right after the commit, reached it at once; a stream held by another instance is not
//! seen), for a broadcast with `email_copy`, the e-mail copy queued in the outbox or why
//! there is none ([`email_copy`]), and the `seq` of the last message sent to them. The
//! recipient is `read` once their widget reports a read position at or past that `seq`
//! (it does while its panel is open on a visible page: `POST …/read`, [`rows::mark_read`]).
//!
//! Pacing: the rate is the broadcast's, shared by every server instance. A batch is sent
//! only in its send slot, `batch × 1 s / rate_per_second` long, taken from the broadcast's
//! row in the write transaction that sends it (messages) or claims it (a flow)
//! ([`rows::take_open_slot`]: while the next slot is ahead nothing is taken, and the sender
//! sleeps until it opens), so all the senders of one broadcast, of every instance on one
//! PostgreSQL database, together send at most `rate_per_second` a second (a batch at the
//! start of its slot), and each recipient once. A rate above what the server writes means
//! as fast as it can: batches then follow each other as soon as each commits. When no
//! recipient is left pending, the broadcast is `done` with `finished_at`, and its
//! automations are enqueued in the outbox (event `broadcast.finished`) in that same
//! transaction.
//!
//! The worker wakes when a broadcast is created (`state.broadcasts`), at the next
//! `send_at`, and at least every [`IDLE_MS`] (a broadcast created or left half-sent by
//! another instance is taken up by then).

pub mod batch;
pub mod email_copy;

use crate::chat::{self, AlsoInTurn};
use crate::clock;
use crate::db::{self, bot_fields, broadcasts as rows, messages};
use crate::error::ApiError;
use crate::outbox;
use crate::routes::send::payload_variables;
use crate::state::AppState;
use crate::telemetry;
use crate::tokens;
use parlo_engine::{Context, segment_holds};
use parlo_model::broadcast::{Audience, BroadcastContent, FINISHED_EVENT, RecipientState};
use parlo_model::flow::Condition;
use parlo_model::ids::FlowId;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How long a claim holds a batch of a flow's recipients, in milliseconds: far longer than
/// their turns take (milliseconds to tens of them), and as short as that allows, because a
/// recipient claimed by a process that died waits this long. A turn that outlives its lease
/// cannot send twice: its recipient is marked sent only under the lease it was claimed
/// with, or the turn does not commit. Also the longest sleep of a sender.
pub const LEASE_MS: i64 = 5_000;
/// Longest sleep of the worker between checks, in milliseconds.
pub const IDLE_MS: i64 = 10_000;

/// Runs the broadcast worker until shutdown, then waits for its sender tasks (each ends
/// after the recipient it is sending to, so no lease is left behind).
pub async fn run(state: AppState) {
    let mut senders: HashMap<i64, JoinHandle<()>> = HashMap::new();
    loop {
        senders.retain(|_, sender| !sender.is_finished());
        let wait_ms = match check(&state, &mut senders).await {
            Ok(wait_ms) => wait_ms,
            Err(e) => {
                tracing::error!(
                    error = format!("{e:#}"),
                    "broadcasts: checking for due broadcasts"
                );
                1_000
            }
        };
        tokio::select! {
            () = state.shutdown.cancelled() => break,
            () = state.broadcasts.notified() => {}
            () = tokio::time::sleep(Duration::from_millis(wait_ms as u64)) => {}
        }
    }
    for (_, sender) in senders {
        let _ = sender.await;
    }
}

/// Starts the due broadcasts, starts a sender task for each broadcast being sent that has
/// none here, and answers how long to sleep.
async fn check(state: &AppState, senders: &mut HashMap<i64, JoinHandle<()>>) -> anyhow::Result<i64> {
    let now_ms = clock::now_ms();
    let due = {
        let mut conn = state.db.acquire().await?;
        rows::due(&mut conn, now_ms).await?
    };
    for (id, workspace_id) in due {
        start(state, id, workspace_id).await?;
    }
    let mut conn = state.db.acquire().await?;
    for broadcast in rows::sending(&mut conn).await? {
        if !senders.contains_key(&broadcast.id) {
            let id = broadcast.id;
            senders.insert(id, tokio::spawn(send(state.clone(), broadcast)));
        }
    }
    let next = rows::next_due_ms(&mut conn).await?;
    Ok(next.map_or(IDLE_MS, |due| (due - clock::now_ms()).clamp(0, IDLE_MS)))
}

/// Resolves the audience of scheduled broadcast `id` and starts sending it (once: see
/// [`rows::start`]).
async fn start(state: &AppState, id: i64, workspace_id: i64) -> anyhow::Result<()> {
    let recipients = {
        let mut conn = state.db.acquire().await?;
        let Some(audience) = rows::scheduled_audience(&mut conn, id).await? else {
            return Ok(());
        };
        resolve(&mut conn, workspace_id, &audience).await?
    };
    let mut tx = db::begin_write(&state.db).await?;
    let started = rows::start(&mut tx, id, &recipients, &clock::now_rfc3339()).await?;
    tx.commit().await?;
    if started {
        tracing::info!(broadcast = id, recipients = recipients.len(), "broadcast started");
    }
    Ok(())
}

/// The subscribers of the workspace `audience` names now, in sending order: the listed
/// ids that exist (in their order), or everyone whose tags or profile match (oldest
/// first); only those of the audience's channel, when it names one. Tags are matched as
/// `has_tag` conditions, and conditions as a flow's condition step decides them
/// ([`segment_holds`]).
async fn resolve(
    conn: &mut db::Connection,
    workspace_id: i64,
    audience: &Audience,
) -> anyhow::Result<Vec<String>> {
    let channel = audience.channel_id.as_ref().map(|c| c.as_str());
    let subscribers = rows::profiles(conn, workspace_id, channel).await?;
    if !audience.subscriber_ids.is_empty() {
        let known: HashSet<&str> = subscribers.iter().map(|(id, _, _)| id.as_str()).collect();
        return Ok(audience
            .subscriber_ids
            .iter()
            .filter(|id| known.contains(id.as_str()))
            .map(|id| id.as_str().to_owned())
            .collect());
    }
    let tag_conditions: Vec<Condition>;
    let conditions = if audience.tags.is_empty() {
        &audience.conditions
    } else {
        tag_conditions = audience
            .tags
            .iter()
            .map(|tag| Condition::HasTag { tag: tag.clone() })
            .collect();
        &tag_conditions
    };
    let mut context = Context {
        channel: None,
        today: clock::now_rfc3339()[..10].to_owned(),
        away: false,
        bot_fields: bot_fields::values_by_name(conn, workspace_id).await?,
        seed: rand::random(),
    };
    Ok(subscribers
        .into_iter()
        .filter(|(_, channel, profile)| {
            context.channel = Some(channel.clone().into());
            segment_holds(audience.matching, conditions, profile, &context)
        })
        .map(|(id, _, _)| id)
        .collect())
}

/// Most recipients claimed and sent to together: one batch, one write transaction.
pub const MAX_BATCH: u32 = 500;

/// Recipients per batch at `rate_per_second`: a tenth of a second of the rate, 1 at 10
/// a second or less, at most [`MAX_BATCH`].
fn batch_size(rate_per_second: u32) -> u32 {
    (rate_per_second / 10).clamp(1, MAX_BATCH)
}

/// Sends broadcast `broadcast` to its pending recipients at its rate, a batch at a time,
/// until none is left (then ends it as `done`) or the server shuts down.
async fn send(state: AppState, broadcast: rows::Sending) {
    let copy_text = match &broadcast.content {
        BroadcastContent::Messages { messages } if broadcast.email_copy => Some(email_copy::text(messages)),
        _ => None,
    };
    let batch = batch_size(broadcast.rate_per_second);
    let pace = Pace {
        batch,
        period_us: (1_000_000 * i64::from(batch) / i64::from(broadcast.rate_per_second)).max(1),
    };
    loop {
        let next = match &broadcast.content {
            BroadcastContent::Messages { messages } => {
                batch::send(&state, &broadcast, pace, messages, copy_text.as_deref()).await
            }
            BroadcastContent::Flow { flow_id, payload } => {
                send_flow_batch(&state, &broadcast, pace, flow_id, payload).await
            }
        };
        let wait_us = match next {
            Ok(Next::Again) => continue,
            Ok(Next::Finished) => match finish(&state, &broadcast).await {
                Ok(()) => return,
                Err(e) => {
                    tracing::error!(
                        broadcast = broadcast.id,
                        error = format!("{e:#}"),
                        "broadcasts: finishing"
                    );
                    1_000_000
                }
            },
            Ok(Next::WaitUntil(at_us)) => (at_us - clock::now_ms() * 1_000).clamp(0, LEASE_MS * 1_000),
            Err(e) => {
                tracing::error!(
                    broadcast = broadcast.id,
                    error = format!("{e:#}"),
                    "broadcasts: sending"
                );
                1_000_000
            }
        };
        tokio::select! {
            () = state.shutdown.cancelled() => return,
            () = tokio::time::sleep(Duration::from_micros(wait_us as u64)) => {}
        }
    }
}

/// How a broadcast's sender paces itself.
#[derive(Clone, Copy, Debug)]
pub struct Pace {
    /// Recipients per batch ([`batch_size`]).
    pub batch: u32,
    /// The send slot of one batch, microseconds: `batch × 1 s / rate_per_second`.
    pub period_us: i64,
}

/// What a batch did.
pub enum Next {
    /// Sent to (or failed) a batch of recipients: go on.
    Again,
    /// No recipient is pending: the broadcast is over.
    Finished,
    /// Nothing sent: look again at this time (Unix microseconds), when the next send slot
    /// opens, or when the first lease of a pending recipient another sender holds runs out.
    WaitUntil(i64),
}

/// [`Next`] when no pending recipient is free now: when the first lease of one runs out
/// (`next_pending_ms`, at least 100 ms on), or finished when none is pending.
pub fn none_free(next_pending_ms: Option<i64>) -> Next {
    match next_pending_ms {
        Some(at_ms) => Next::WaitUntil(at_ms.max(clock::now_ms() + 100) * 1_000),
        None => Next::Finished,
    }
}

/// Sends a flow to the next batch of recipients of `broadcast` when its send slot is open:
/// takes the slot and claims the batch (one lease) in one write transaction, then runs the
/// flow in one turn per recipient, the turns queued together (the writer commits turns
/// queued together at once).
async fn send_flow_batch(
    state: &AppState,
    broadcast: &rows::Sending,
    pace: Pace,
    flow_id: &FlowId,
    payload: &BTreeMap<String, serde_json::Value>,
) -> anyhow::Result<Next> {
    let mut tx = db::begin_write(&state.db).await?;
    let now_ms = clock::now_ms();
    if let Some(at_us) = rows::take_open_slot(&mut tx, broadcast.id, now_ms * 1_000, pace.period_us).await? {
        return Ok(Next::WaitUntil(at_us));
    }
    let lease = tokens::random_base62(20);
    let claimed = rows::claim(&mut tx, broadcast.id, now_ms, LEASE_MS, &lease, pace.batch).await?;
    if claimed.is_empty() {
        // The slot goes back with the rollback.
        return Ok(none_free(rows::next_pending_ms(&mut tx, broadcast.id).await?));
    }
    tx.commit().await?;
    let turns = claimed
        .into_iter()
        .map(|claimed| send_flow(state, broadcast, flow_id, payload, claimed));
    for result in futures_util::future::join_all(turns).await {
        result?;
    }
    Ok(Next::Again)
}

/// Runs flow `flow_id` with `payload` for recipient `claimed` of `broadcast` in one turn,
/// as `POST …/send-flow` does; the recipient becomes `sent`, with its reach, in that turn,
/// or `failed` with the problem when the flow cannot run for them.
async fn send_flow(
    state: &AppState,
    broadcast: &rows::Sending,
    flow_id: &FlowId,
    payload: &BTreeMap<String, serde_json::Value>,
    claimed: rows::Claimed,
) -> anyhow::Result<()> {
    let mark_sent: AlsoInTurn = {
        let (state, claimed) = (state.clone(), claimed.clone());
        let workspace_id = broadcast.workspace_id;
        Box::new(move |conn| {
            Box::pin(async move {
                let now = clock::now_rfc3339();
                if !rows::finish_recipient(conn, &claimed, RecipientState::Sent, None, &now).await? {
                    return Err(ApiError::Conflict(
                        "the recipient is no longer pending under this claim".to_owned(),
                    ));
                }
                // The messages are published right after this commits: to the streams
                // open now (a stream opened later reads them from the database).
                let conversation = messages::conversation_of(conn, workspace_id, &claimed.subscriber_id)
                    .await?
                    .flatten();
                let reach = rows::Reach {
                    delivered_live: conversation.is_some_and(|c| state.hub.is_listened(c)),
                    email_copy: None,
                    conversation_id: conversation,
                };
                rows::record_reach(conn, claimed.id, reach).await?;
                Ok(())
            })
        })
    };
    let (workspace_id, subscriber_id) = (broadcast.workspace_id, claimed.subscriber_id.as_str());
    let sent = match payload_variables(payload.clone()) {
        Ok(payload) => chat::start_flow(
            state,
            workspace_id,
            subscriber_id,
            flow_id,
            payload,
            Some(mark_sent),
        )
        .await
        .map(drop),
        Err(e) => Err(e),
    };
    match sent {
        Ok(()) => telemetry::broadcast_recipients(true, 1),
        Err(ApiError::Internal(e)) => return Err(e.context(format!("recipient {subscriber_id}"))),
        Err(problem) => {
            let reason = reason(&problem);
            let mut conn = state.db.acquire().await?;
            let now = clock::now_rfc3339();
            if rows::finish_recipient(&mut conn, &claimed, RecipientState::Failed, Some(&reason), &now)
                .await?
            {
                telemetry::broadcast_recipients(false, 1);
            }
        }
    }
    Ok(())
}

/// Ends `broadcast` as `done` (when it is still `sending`) and, in the same transaction,
/// enqueues its automations with event `broadcast.finished` (data: the broadcast).
async fn finish(state: &AppState, broadcast: &rows::Sending) -> anyhow::Result<()> {
    let mut tx = db::begin_write(&state.db).await?;
    if !rows::finish(&mut tx, broadcast.id, &clock::now_rfc3339()).await? {
        return Ok(());
    }
    let finished = rows::find(&mut tx, broadcast.workspace_id, broadcast.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("broadcast {} just finished is gone", broadcast.id))?;
    let event = outbox::Event {
        workspace_id: broadcast.workspace_id,
        subscriber_id: None,
        event_type: FINISHED_EVENT.to_owned(),
        data: serde_json::to_value(&finished)?,
    };
    outbox::enqueue(&mut tx, &event, &finished.automations).await?;
    tx.commit().await?;
    if !finished.automations.is_empty() {
        state.outbox.notify_one();
    }
    tracing::info!(broadcast = broadcast.id, "broadcast finished");
    Ok(())
}

/// A recipient's failure reason: the problem's detail, with each field problem's pointer.
fn reason(problem: &ApiError) -> String {
    match problem {
        ApiError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.pointer, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
