//! Wake-ups of the workspace event streams (`GET /api/v1/events`, the owner's inbox):
//! "a message was stored in a conversation of workspace W".
//!
//! The [`Hub`](crate::hub::Hub) tells [`WorkspaceHub::stored`] of every message it
//! publishes in this process and of every one another instance announced (PostgreSQL),
//! by conversation; when announcements may have been lost, of all of them (`None`). A
//! task of this process maps conversations to workspaces (cached; one query for a
//! conversation not seen before) and wakes the streams of those workspaces. A woken
//! stream reads the messages it has not sent from the database (`messages.ordinal`), which
//! stays the source of truth: a wake-up carries nothing, so several coalesce, and one
//! lost only delays a stream until its next.
//!
//! Nothing of this runs while no workspace stream is open in the process: [`stored`]
//! then returns at once (the visitor streams' fan-out pays one atomic load per event).
//!
//! [`stored`]: WorkspaceHub::stored

use crate::db::inbox;
use crate::state::AppState;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::{broadcast, mpsc};

/// Wake-ups buffered per workspace; a stream that lags only re-reads the database.
const CAPACITY: usize = 4;

/// Conversations whose workspace is remembered; the cache starts over past this.
const CACHE_LIMIT: usize = 100_000;

/// Workspace id → the wake-up channel of its open streams in this process.
#[derive(Debug, Default)]
pub struct WorkspaceHub {
    /// Open workspace streams in this process.
    listeners: AtomicUsize,
    senders: Arc<Mutex<HashMap<i64, broadcast::Sender<()>>>>,
    /// To the task resolving conversations (`None`: every workspace), started with the
    /// first stream.
    stored: OnceLock<mpsc::UnboundedSender<Option<i64>>>,
}

/// An open stream's wake-ups; dropping it leaves the workspace's channel.
#[derive(Debug)]
pub struct Subscription {
    receiver: broadcast::Receiver<()>,
    workspace_id: i64,
    state: AppState,
}

impl Subscription {
    /// Waits for the next wake-up; `false` once the hub is gone (never while the server
    /// runs). Lagging counts as a wake-up.
    pub async fn woken(&mut self) -> bool {
        !matches!(
            self.receiver.recv().await,
            Err(broadcast::error::RecvError::Closed)
        )
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let hub = &self.state.hub.workspaces;
        hub.listeners.fetch_sub(1, Ordering::SeqCst);
        let mut senders = hub.senders.lock().unwrap_or_else(|e| e.into_inner());
        // This subscription's receiver is still alive here.
        if senders
            .get(&self.workspace_id)
            .is_some_and(|sender| sender.receiver_count() <= 1)
        {
            senders.remove(&self.workspace_id);
        }
    }
}

impl WorkspaceHub {
    /// Starts listening for messages stored in the workspace's conversations (before the
    /// stream reads the database, so nothing stored in between is missed).
    pub fn subscribe(state: &AppState, workspace_id: i64) -> Subscription {
        let hub = &state.hub.workspaces;
        hub.stored.get_or_init(|| {
            let (sender, queue) = mpsc::unbounded_channel();
            tokio::spawn(resolve(state.clone(), queue));
            sender
        });
        hub.listeners.fetch_add(1, Ordering::SeqCst);
        let receiver = hub
            .senders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(workspace_id)
            .or_insert_with(|| broadcast::channel(CAPACITY).0)
            .subscribe();
        Subscription {
            receiver,
            workspace_id,
            state: state.clone(),
        }
    }

    /// A message of conversation `conversation_id` was stored (`None`: messages of any
    /// conversation may have been); committed already.
    pub fn stored(&self, conversation_id: Option<i64>) {
        if self.listeners.load(Ordering::SeqCst) == 0 {
            return;
        }
        if let Some(stored) = self.stored.get() {
            // Fails only once the resolving task has ended (shutdown).
            let _ = stored.send(conversation_id);
        }
    }

    /// Wakes the streams of `workspace_id`, or of every workspace.
    fn wake(&self, workspace_id: Option<i64>) {
        let senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        match workspace_id {
            Some(id) => {
                if let Some(sender) = senders.get(&id) {
                    let _ = sender.send(());
                }
            }
            None => senders.values().for_each(|sender| {
                let _ = sender.send(());
            }),
        }
    }
}

/// Maps the queued conversations to workspaces and wakes their streams, until shutdown.
async fn resolve(state: AppState, mut queue: mpsc::UnboundedReceiver<Option<i64>>) {
    let hub = &state.hub.workspaces;
    let mut workspace_of: HashMap<i64, i64> = HashMap::new();
    loop {
        let first = tokio::select! {
            () = state.shutdown.cancelled() => return,
            next = queue.recv() => match next {
                Some(next) => next,
                None => return,
            },
        };
        let mut conversations = HashSet::from([first]);
        while let Ok(next) = queue.try_recv() {
            conversations.insert(next);
        }
        if conversations.contains(&None) {
            hub.wake(None);
            continue;
        }
        let mut woken = HashSet::new();
        for conversation_id in conversations.into_iter().flatten() {
            let workspace_id = match workspace_of.get(&conversation_id) {
                Some(&id) => Some(id),
                None => match lookup(&state, conversation_id).await {
                    Ok(Some(id)) => {
                        if workspace_of.len() >= CACHE_LIMIT {
                            workspace_of.clear();
                        }
                        workspace_of.insert(conversation_id, id);
                        Some(id)
                    }
                    // Erased since: nothing to show.
                    Ok(None) => None,
                    Err(e) => {
                        tracing::error!(error = %e, "workspace hub: finding a conversation's workspace");
                        hub.wake(None);
                        None
                    }
                },
            };
            if let Some(id) = workspace_id
                && woken.insert(id)
            {
                hub.wake(Some(id));
            }
        }
    }
}

/// The workspace of a conversation, from the database.
async fn lookup(state: &AppState, conversation_id: i64) -> sqlx::Result<Option<i64>> {
    let mut conn = state.db.acquire().await?;
    inbox::workspace_of(&mut conn, conversation_id).await
}
