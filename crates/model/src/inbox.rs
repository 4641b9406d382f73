//! The owner's inbox: the workspace's conversations, newest activity first, with their
//! unread counts, and the workspace event stream that keeps it live.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/v1/conversations?limit=&cursor=&channel=&unread=&bot_paused=&handed_over=` | → `Page<ConversationSummary>` |
//! | POST | `/api/v1/subscribers/{subscriber_id}/read` | [`MarkRead`] → [`ReadMarker`] |
//! | GET | `/api/v1/events` | → `text/event-stream` of [`InboxEvent`]s |
//!
//! A conversation's unread count is the number of visitor messages after the owner's read
//! marker (`read_seq`), which only moves forward. Reading the history, pausing the bot,
//! tags and fields are the subscriber routes (`/api/v1/subscribers/{subscriber_id}/…`).
//!
//! ```
//! use parlo_model::inbox::InboxEvent;
//! let event: InboxEvent = serde_json::from_str(r#"{
//!   "subscriber_id": "sub_4ZyT0rW8qk2mB1xLcV9d", "channel_id": "demo",
//!   "message": {"id": "m1", "seq": 3, "author": "visitor", "content": {"text": "Hi"},
//!               "created_at": "2026-11-21T09:30:00.123Z"},
//!   "unread_count": 1, "bot_paused": false, "handed_over": false
//! }"#).unwrap();
//! assert_eq!(event.message.seq, 3);
//! ```

use crate::chat::Message;
use crate::ids::{ChannelId, SubscriberId};
use serde::{Deserialize, Serialize};

/// One conversation of the inbox: a subscriber's conversation on the channel it came
/// through.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ConversationSummary {
    /// The subscriber, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`; its history is
    /// `GET /api/v1/subscribers/{subscriber_id}/messages`.
    pub subscriber_id: SubscriberId,
    /// The subscriber's custom field `name`, else `first_name` and `last_name` joined by a
    /// space; `null` when none is set.
    pub name: Option<String>,
    /// The subscriber's custom field `email`, if set.
    pub email: Option<String>,
    /// The channel of the conversation.
    pub channel_id: ChannelId,
    /// The newest message (its `content.text` is the preview; `author` the sender kind);
    /// `null` before the first message.
    pub last_message: Option<Message>,
    /// When the conversation was last active: the newest message's `created_at`, else when
    /// the conversation began; RFC 3339 UTC. The list is sorted by it, newest first.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_activity_at: String,
    /// The owner's read marker: the `seq` of the last message read (0: none).
    pub read_seq: u64,
    /// Visitor messages after `read_seq`.
    pub unread_count: u64,
    /// Whether the bot is paused (human takeover); an expired timed pause is not.
    pub bot_paused: bool,
    /// Whether the visitor was handed over to a person by a flow's hand-over step (the bot
    /// is paused since); `false` again once the bot is resumed.
    pub handed_over: bool,
}

/// Body of `POST /api/v1/subscribers/{subscriber_id}/read`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"seq": 12}))))]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// The `seq` of the last message read (0..=the conversation's newest `seq`; a larger
    /// one is a 422 at `/seq`); omitted: every message so far. A marker never moves back:
    /// a smaller `seq` than the current marker changes nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
}

/// The read marker of a conversation after `POST …/read`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ReadMarker {
    /// The `seq` of the last message read.
    pub read_seq: u64,
    /// Visitor messages after `read_seq`.
    pub unread_count: u64,
}

/// The data of an `event: message` of the workspace event stream (`GET /api/v1/events`):
/// a message stored in a conversation of the workspace, with the conversation's state
/// after it. The event's `id` is the message's position in the stream (pass it back as
/// `Last-Event-ID` to resume).
///
/// Pausing and resuming the bot and a hand-over each store a system notice, so they
/// arrive as such a message with the new `bot_paused` / `handed_over`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct InboxEvent {
    /// The subscriber whose conversation it is.
    pub subscriber_id: SubscriberId,
    /// The channel of the conversation.
    pub channel_id: ChannelId,
    /// The message (visitor, bot, agent or system), with its `seq` in the conversation.
    pub message: Message,
    /// Visitor messages after the owner's read marker, now.
    pub unread_count: u64,
    /// Whether the bot is paused, now.
    pub bot_paused: bool,
    /// Whether the conversation is handed over to a person, now.
    pub handed_over: bool,
}
