//! Publish/subscribe of conversation events, feeding the SSE streams: within the process
//! and, on PostgreSQL, across every server instance that shares the database.
//!
//! In the process, one `tokio::sync::broadcast` channel per conversation with at least one
//! listener. Delivery is best effort: a listener that lags or sees a gap in `seq` re-reads
//! the messages from the database, which stays the source of truth.
//!
//! Between instances ([`fan_out`], PostgreSQL only) the database carries the events with
//! `LISTEN/NOTIFY`: each instance listens on one channel per schema, and announces what it
//! publishes there after the commit. A stored message is announced as a pointer
//! (conversation, `seq`), never its content, so any message fits the 8000-byte payload
//! limit of `NOTIFY`. An instance reads the announced messages that its streams listen to
//! from the database, those of one notification in one query ([`receive_all`]: a
//! broadcast's batch to thousands of streams is a few reads, not one per stream), and hands
//! them to the streams as events, which deduplicate them by `seq` as they do their own
//! instance's; a message it cannot read that way ([`Live::Stored`]) the stream reads itself
//! like any other catch-up. Typing indicators (stored nowhere) travel whole. Several
//! announcements are packed into one notification when they queue up. Notifications lost
//! while the listening connection was down are made up for by waking every stream to
//! re-read the database once it is back. The publishing instance's own streams get its
//! events in the process, never through the database.
//!
//! On SQLite (one process per database file) only the in-process part runs.

use crate::db::{Backend, Pool, messages};
use crate::state::AppState;
use crate::tokens;
use crate::workspace_hub::WorkspaceHub;
use anyhow::Context;
use parlo_model::chat::{Message, StreamEvent};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

/// Events buffered per conversation before a slow listener lags (it then reads what it
/// missed from the database, so a small buffer loses nothing). A turn publishes a few.
const CAPACITY: usize = 16;

/// Largest `NOTIFY` payload sent, in bytes (PostgreSQL refuses 8000 and more by default).
const MAX_PAYLOAD: usize = 7_900;

/// Longest PostgreSQL channel name (`NAMEDATALEN - 1`), in bytes.
const MAX_CHANNEL: usize = 63;

/// What a stream receives from the hub. Small, because a conversation's broadcast buffer
/// allocates all of its [`CAPACITY`] slots up front: with the event inline (about 250
/// bytes) each open conversation held ~18 KiB of empty slots.
#[derive(Clone, Debug)]
pub enum Live {
    /// An event, as published (shared by the conversation's listeners).
    Event(Arc<StreamEvent>),
    /// The conversation's message `seq` (or, after lost notifications, possibly any) was
    /// stored elsewhere: read the messages after the last one sent from the database.
    Stored(u64),
}

/// One announcement between instances.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Note {
    /// Message `seq` of conversation `c` is stored.
    Stored { c: i64, seq: u64 },
    /// Conversation `c`'s bot is typing for `ms` milliseconds.
    Typing { c: i64, ms: u32 },
    /// Conversation `c` was erased: its streams end.
    Closed { c: i64 },
}

/// A `NOTIFY` payload: the announcing instance and its notes, in publishing order.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    /// [`Hub::instance`] of the sender, so an instance skips its own.
    from: String,
    notes: Vec<Note>,
}

/// Conversation id → broadcast sender, plus the queue of announcements to the other
/// instances once [`fan_out`] runs.
#[derive(Debug)]
pub struct Hub {
    senders: Mutex<HashMap<i64, broadcast::Sender<Live>>>,
    /// Random id of this process among the instances.
    instance: String,
    announce: OnceLock<mpsc::UnboundedSender<Note>>,
    /// The workspace event streams, told of every stored message.
    pub workspaces: WorkspaceHub,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            senders: Mutex::default(),
            instance: tokens::random_base62(16),
            announce: OnceLock::new(),
            workspaces: WorkspaceHub::default(),
        }
    }
}

impl Hub {
    /// Starts listening to the events of a conversation.
    pub fn subscribe(&self, conversation_id: i64) -> broadcast::Receiver<Live> {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        senders
            .entry(conversation_id)
            .or_insert_with(|| broadcast::channel(CAPACITY).0)
            .subscribe()
    }

    /// Whether a stream of this process listens to the conversation now.
    pub fn is_listened(&self, conversation_id: i64) -> bool {
        let senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        senders
            .get(&conversation_id)
            .is_some_and(|sender| sender.receiver_count() > 0)
    }

    /// Forgets the conversation's channel when nobody listens any more (called by a
    /// listener after dropping its receiver).
    pub fn release(&self, conversation_id: i64) {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        if senders
            .get(&conversation_id)
            .is_some_and(|sender| sender.receiver_count() == 0)
        {
            senders.remove(&conversation_id);
        }
    }

    /// Publishes an event of the conversation, after its message (if any) is committed: to
    /// this process's listeners at once, and to the other instances' through the database.
    pub fn publish(&self, conversation_id: i64, event: StreamEvent) {
        if let Some(announce) = self.announce.get() {
            let note = match &event {
                StreamEvent::Message(message) => Note::Stored {
                    c: conversation_id,
                    seq: message.seq,
                },
                StreamEvent::Typing { duration_ms } => Note::Typing {
                    c: conversation_id,
                    ms: *duration_ms,
                },
            };
            // Fails only once the announcing task has ended (shutdown).
            let _ = announce.send(note);
        }
        if matches!(event, StreamEvent::Message(_)) {
            self.workspaces.stored(Some(conversation_id));
        }
        self.deliver(conversation_id, Live::Event(Arc::new(event)));
    }

    /// Ends every event stream of the conversations (erased, or of a deleted workspace):
    /// in this process at once, and in the other instances through the database. A stream
    /// sees its channel closed and ends; the client's reconnection is refused, its session
    /// being gone.
    pub fn close(&self, conversation_ids: &[i64]) {
        if let Some(announce) = self.announce.get() {
            for &c in conversation_ids {
                // Fails only once the announcing task has ended (shutdown).
                let _ = announce.send(Note::Closed { c });
            }
        }
        conversation_ids.iter().for_each(|&c| self.end(c));
    }

    /// Drops the conversation's channel in this process: its listeners see it closed.
    fn end(&self, conversation_id: i64) {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        senders.remove(&conversation_id);
    }

    /// Hands `live` to the conversation's listeners in this process, if any.
    fn deliver(&self, conversation_id: i64, live: Live) {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = senders.get(&conversation_id)
            && sender.send(live).is_err()
        {
            // Nobody listens any more.
            senders.remove(&conversation_id);
        }
    }

    /// Tells every listener of this process to re-read the database (announcements may
    /// have been lost).
    fn wake_all(&self) {
        self.workspaces.stored(None);
        let senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        for sender in senders.values() {
            let _ = sender.send(Live::Stored(u64::MAX));
        }
    }

    /// Takes a note of another instance; `read` is the message of a [`Note::Stored`] when
    /// it was read for the streams (else they read it).
    fn receive(&self, note: Note, read: Option<Message>) {
        match note {
            Note::Stored { c, seq } => {
                self.workspaces.stored(Some(c));
                let live = match read {
                    Some(message) => Live::Event(Arc::new(StreamEvent::Message(message))),
                    None => Live::Stored(seq),
                };
                self.deliver(c, live);
            }
            Note::Typing { c, ms } => {
                self.deliver(c, Live::Event(Arc::new(StreamEvent::Typing { duration_ms: ms })));
            }
            Note::Closed { c } => self.end(c),
        }
    }
}

/// On PostgreSQL, connects the hub to the other instances on the same database schema and
/// runs that until shutdown (two tasks: one listening, one announcing); `None` on SQLite.
///
/// # Errors
/// The listening connection cannot be opened or `LISTEN` fails.
pub async fn fan_out(state: &AppState) -> anyhow::Result<Option<JoinHandle<()>>> {
    if Backend::of(&state.db) == Backend::Postgres {
        let channel = channel(&state.db).await?;
        let url = state.db.connect_options().database_url.to_string();
        let mut listener = PgListener::connect(&url)
            .await
            .context("opening the LISTEN connection")?;
        listener
            .listen(&channel)
            .await
            .with_context(|| format!("LISTEN {channel:?}"))?;
        let (announce, queue) = mpsc::unbounded_channel();
        if state.hub.announce.set(announce).is_err() {
            anyhow::bail!("the hub fans out already");
        }
        let listening = tokio::spawn(listen(state.clone(), listener));
        let announcing = tokio::spawn(announce_all(state.clone(), channel, queue));
        Ok(Some(tokio::spawn(async move {
            let _ = listening.await;
            let _ = announcing.await;
        })))
    } else {
        Ok(None)
    }
}

/// The notification channel of the pool's schema: `parlo/<schema>` (cut to 63 bytes), so
/// that instances on different schemas of one database do not hear each other.
async fn channel(db: &Pool) -> anyhow::Result<String> {
    let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
        .fetch_one(db)
        .await
        .context("reading the current schema")?;
    let mut name = format!("parlo/{schema}");
    while name.len() > MAX_CHANNEL {
        name.pop();
    }
    Ok(name)
}

/// Receives the other instances' notifications until shutdown.
async fn listen(state: AppState, mut listener: PgListener) {
    loop {
        let received = tokio::select! {
            () = state.shutdown.cancelled() => return,
            received = listener.try_recv() => received,
        };
        match received {
            Ok(Some(notification)) => match serde_json::from_str::<Payload>(notification.payload()) {
                Ok(payload) if payload.from == state.hub.instance => {}
                Ok(payload) => receive_all(&state, payload.notes).await,
                Err(e) => tracing::warn!(error = %e, "hub: malformed notification"),
            },
            // The connection was lost and is back: what was announced meanwhile is gone.
            Ok(None) => state.hub.wake_all(),
            Err(e) => {
                tracing::error!(error = %e, "hub: listening for other instances' events");
                tokio::select! {
                    () = state.shutdown.cancelled() => return,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
                state.hub.wake_all();
            }
        }
    }
}

/// Takes the notes of one notification of another instance, in order. The stored messages
/// that a stream of this process listens to are read first, in one query, and handed to
/// their streams; when that read fails, the streams are told to read them themselves.
async fn receive_all(state: &AppState, notes: Vec<Note>) {
    let wanted: Vec<(i64, u64)> = notes
        .iter()
        .filter_map(|note| match *note {
            Note::Stored { c, seq } if state.hub.is_listened(c) => Some((c, seq)),
            _ => None,
        })
        .collect();
    let mut read: HashMap<(i64, u64), Message> = HashMap::new();
    if !wanted.is_empty() {
        let found = async {
            let mut conn = state.db.acquire().await?;
            messages::these(&mut conn, &wanted).await
        };
        match found.await {
            Ok(found) => read.extend(found.into_iter().map(|(c, m)| ((c, m.seq), m))),
            Err(e) => tracing::warn!(error = format!("{e:#}"), "hub: reading announced messages"),
        }
    }
    for note in notes {
        let message = match note {
            Note::Stored { c, seq } => read.remove(&(c, seq)),
            _ => None,
        };
        state.hub.receive(note, message);
    }
}

/// Sends the queued notes with `pg_notify`, as few notifications as fit, until shutdown.
async fn announce_all(state: AppState, channel: String, mut queue: mpsc::UnboundedReceiver<Note>) {
    loop {
        let first = tokio::select! {
            () = state.shutdown.cancelled() => return,
            note = queue.recv() => match note {
                Some(note) => note,
                None => return,
            },
        };
        let mut notes = vec![first];
        while let Ok(note) = queue.try_recv() {
            notes.push(note);
        }
        for payload in payloads(&state.hub.instance, notes) {
            let sent = sqlx::query("SELECT 1 FROM (SELECT pg_notify($1, $2)) AS notified")
                .bind(&channel)
                .bind(&payload)
                .execute(&state.db)
                .await;
            if let Err(e) = sent {
                // The streams of other instances catch up at their next event or reconnect.
                tracing::error!(error = %e, "hub: announcing events to other instances");
            }
        }
    }
}

/// `notes` as JSON payloads of at most [`MAX_PAYLOAD`] bytes each, in order.
fn payloads(from: &str, notes: Vec<Note>) -> Vec<String> {
    let encode = |notes: Vec<Note>| {
        serde_json::to_string(&Payload {
            from: from.to_owned(),
            notes,
        })
        .unwrap_or_default()
    };
    let empty = encode(Vec::new()).len();
    let mut out = Vec::new();
    let (mut batch, mut size) = (Vec::new(), empty);
    for note in notes {
        // The note and the comma before it; every note is far smaller than the limit.
        let len = serde_json::to_string(&note).map_or(0, |s| s.len()) + 1;
        if !batch.is_empty() && size + len > MAX_PAYLOAD {
            out.push(encode(std::mem::take(&mut batch)));
            size = empty;
        }
        batch.push(note);
        size += len;
    }
    if !batch.is_empty() {
        out.push(encode(batch));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_stay_under_the_notify_limit_and_keep_order() {
        let notes: Vec<Note> = (0..2_000)
            .map(|i| Note::Stored {
                c: i64::MAX - i,
                seq: u64::MAX - i as u64,
            })
            .collect();
        let payloads = payloads("instance", notes.clone());
        assert!(payloads.len() > 1);
        let mut decoded = Vec::new();
        for payload in &payloads {
            assert!(payload.len() <= MAX_PAYLOAD, "{} bytes", payload.len());
            decoded.extend(serde_json::from_str::<Payload>(payload).unwrap().notes);
        }
        assert_eq!(decoded, notes);
    }
}
