//! In-process publish/subscribe of conversation events, feeding the SSE streams.
//!
//! One `tokio::sync::broadcast` channel per conversation with at least one listener.
//! Delivery is best effort: a listener that lags or sees a gap in `seq` re-reads the
//! messages from the database, which stays the source of truth.

use parlo_model::chat::StreamEvent;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::broadcast;

/// Events buffered per conversation before a slow listener lags.
const CAPACITY: usize = 64;

/// Conversation id → broadcast sender.
#[derive(Debug, Default)]
pub struct Hub {
    senders: Mutex<HashMap<i64, broadcast::Sender<StreamEvent>>>,
}

impl Hub {
    /// Starts listening to the events of a conversation.
    pub fn subscribe(&self, conversation_id: i64) -> broadcast::Receiver<StreamEvent> {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        senders
            .entry(conversation_id)
            .or_insert_with(|| broadcast::channel(CAPACITY).0)
            .subscribe()
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

    /// Publishes an event to the conversation's current listeners, if any.
    pub fn publish(&self, conversation_id: i64, event: StreamEvent) {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = senders.get(&conversation_id)
            && sender.send(event).is_err()
        {
            // Nobody listens any more.
            senders.remove(&conversation_id);
        }
    }
}
