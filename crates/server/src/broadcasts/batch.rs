//! A broadcast's messages sent to a batch of recipients in one write (one job of the
//! writer, so one commit): what `send-content` does for one subscriber, for all of them.
//!
//! Under the write lock the job takes the broadcast's send slot when it is open
//! ([`rows::take_open_slot`]; else it writes nothing and answers when the slot opens),
//! reads the next pending recipients with their conversations (one query; none is
//! cancelled or sent to by another sender meanwhile, as every write holds that lock),
//! checks the messages once as `send-content` does (a button's flow must still exist; if
//! not, every recipient of the batch fails with the problem), creates the conversation of a
//! subscriber who has none, stores each recipient's messages in their conversation with
//! its own next `seq`s (one `INSERT` per 64 rows), moves each conversation's `last_seq` on,
//! queues the e-mail copies, and marks the recipients `sent` with their reach
//! ([`rows::mark_sent`]). A recipient whose subscriber is gone fails. The messages are
//! published to the open streams right after the commit, so a stream never shows a message
//! that is not stored. A batch is all or nothing: a crash or a database error before its
//! commit leaves every recipient of it pending (and its slot free), to be sent to by the
//! next batch, so no one is sent to twice and no lease is needed.

use super::{Next, Pace, email_copy, none_free, reason};
use crate::clock;
use crate::content::Checker;
use crate::db::{self, broadcasts as rows, flows, messages};
use crate::error::ApiError;
use crate::state::AppState;
use crate::telemetry;
use crate::tokens;
use parlo_model::broadcast::EmailCopy;
use parlo_model::chat::{Author, Message, MessageContent, StreamEvent};
use parlo_model::conversation::ContentMessage;
use std::collections::HashSet;

/// What a batch wrote.
struct Written {
    /// Each sent recipient's conversation and the messages stored in it, to publish.
    published: Vec<(i64, Vec<Message>)>,
    /// How many recipients failed.
    failed: u64,
    /// Whether e-mail copies were queued (the outbox is woken).
    queued: bool,
}

/// What the job of [`send`] did: wrote a batch, or found none to write.
enum Job {
    /// Sent to (or failed) a batch.
    Written(Written),
    /// Wrote nothing: what to do next.
    Nothing(Next),
}

/// Sends `messages` of broadcast `broadcast` to its next batch of recipients (`pace`) in
/// one write, when its send slot is open; with `copy_text`, also queues their e-mail copies
/// of that text ([`email_copy`]).
///
/// # Errors
/// A database error: nothing of the batch is stored.
pub async fn send(
    state: &AppState,
    broadcast: &rows::Sending,
    pace: Pace,
    messages: &[ContentMessage],
    copy_text: Option<&str>,
) -> anyhow::Result<Next> {
    let publisher = state.clone();
    let publish = move |job: &Job| {
        let Job::Written(written) = job else { return };
        for (conversation_id, messages) in &written.published {
            for message in messages {
                publisher
                    .hub
                    .publish(*conversation_id, StreamEvent::Message(message.clone()));
            }
        }
        if written.queued {
            publisher.outbox.notify_one();
        }
    };
    let (job_state, job_broadcast) = (state.clone(), broadcast.clone());
    let (messages, copy_text) = (messages.to_vec(), copy_text.map(str::to_owned));
    let job = state
        .writer
        .write(
            move |conn| {
                Box::pin(async move {
                    let copy_text = copy_text.as_deref();
                    write(conn, &job_state, &job_broadcast, pace, messages, copy_text).await
                })
            },
            publish,
        )
        .await?;
    Ok(match job {
        Job::Written(written) => {
            telemetry::broadcast_recipients(true, written.published.len() as u64);
            telemetry::broadcast_recipients(false, written.failed);
            Next::Again
        }
        Job::Nothing(next) => next,
    })
}

/// The job of [`send`], in the writer's transaction.
async fn write(
    conn: &mut db::Connection,
    state: &AppState,
    broadcast: &rows::Sending,
    pace: Pace,
    messages: Vec<ContentMessage>,
    copy_text: Option<&str>,
) -> anyhow::Result<Job> {
    let workspace_id = broadcast.workspace_id;
    let now_ms = clock::now_ms();
    if let Some(at_us) = rows::take_open_slot(conn, broadcast.id, now_ms * 1_000, pace.period_us).await? {
        return Ok(Job::Nothing(Next::WaitUntil(at_us)));
    }
    let targets = rows::batch_targets(conn, workspace_id, broadcast.id, now_ms, pace.batch).await?;
    if targets.is_empty() {
        // Taking the slot is undone with this job's savepoint only on an error; a slot
        // taken for no one is harmless (the broadcast ends or waits for a lease).
        return Ok(Job::Nothing(none_free(
            rows::next_pending_ms(conn, broadcast.id).await?,
        )));
    }
    let now = clock::now_rfc3339();
    let mut written = Written {
        published: Vec::with_capacity(targets.len()),
        failed: 0,
        queued: false,
    };
    let flow_ids: HashSet<String> = flows::ids(conn, workspace_id).await?.into_iter().collect();
    let (contents, problem) = {
        let exists = |flow: &str| flow_ids.contains(flow);
        let mut checker = Checker::new(&exists);
        let contents: Vec<MessageContent> = messages
            .into_iter()
            .enumerate()
            .map(|(i, m)| checker.message(&format!("/messages/{i}"), m))
            .collect();
        let problem = (!checker.errors.is_empty()).then(|| ApiError::Validation(checker.errors));
        (contents, problem)
    };
    let mut sent = Vec::with_capacity(targets.len());
    for target in targets {
        let channel_id = match (&problem, &target.channel_id) {
            (None, Some(channel_id)) => channel_id,
            (problem, _) => {
                let problem = problem.as_ref().map_or_else(
                    || {
                        reason(&ApiError::NotFound(format!(
                            "no subscriber '{}'",
                            target.subscriber_id
                        )))
                    },
                    reason,
                );
                rows::fail_recipient(conn, target.id, &problem, &now).await?;
                written.failed += 1;
                continue;
            }
        };
        let (conversation_id, last_seq) = match target.conversation {
            Some(conversation) => conversation,
            None => (
                messages::create_conversation(conn, &target.subscriber_id, channel_id, &now).await?,
                0,
            ),
        };
        let stored: Vec<Message> = (1..)
            .zip(&contents)
            .map(|(n, content)| Message {
                id: tokens::new_message_id().into(),
                seq: last_seq + n,
                author: Author::Bot,
                content: content.clone(),
                created_at: now.clone(),
                reply_to: None,
            })
            .collect();
        sent.push((target, conversation_id, stored));
    }
    let rows_to_store: Vec<(i64, messages::NewMessage<'_>)> = sent
        .iter()
        .flat_map(|(_, conversation_id, stored)| {
            stored
                .iter()
                .map(|message| (*conversation_id, messages::NewMessage::plain(message)))
        })
        .collect();
    messages::insert_each(conn, &rows_to_store).await?;
    drop(rows_to_store);
    let conversations: Vec<i64> = sent
        .iter()
        .map(|(_, conversation_id, _)| *conversation_id)
        .collect();
    messages::advance_last_seq(conn, &conversations, contents.len() as u64).await?;
    let mut marks = Vec::with_capacity(sent.len());
    for (target, conversation_id, stored) in &sent {
        let email_copy = match copy_text {
            Some(text) => {
                let source = email_copy::CopySource {
                    workspace_id,
                    broadcast_id: broadcast.id,
                    subject: &broadcast.name,
                    text,
                    public_url: &state.public_url,
                };
                let copy = email_copy::enqueue(conn, source, &target.subscriber_id).await?;
                written.queued |= copy == EmailCopy::Queued;
                Some(copy)
            }
            None => None,
        };
        marks.push(rows::SentTo {
            id: target.id,
            // The messages are published right after the commit: to the streams open now
            // (a stream opened later reads them from the database).
            delivered_live: state.hub.is_listened(*conversation_id),
            email_copy,
            seq: stored.last().map(|m| m.seq),
        });
    }
    let marked = rows::mark_sent(conn, &marks, &now).await?;
    anyhow::ensure!(
        marked == marks.len() as u64,
        "broadcast {}: {marked} of {} recipients were still pending",
        broadcast.id,
        marks.len()
    );
    written.published = sent
        .into_iter()
        .map(|(_, conversation_id, stored)| (conversation_id, stored))
        .collect();
    Ok(Job::Written(written))
}
