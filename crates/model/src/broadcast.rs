//! Broadcasts: a flow or content sent to many subscribers, now or at a UTC time, at a
//! limited rate.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | POST | `/api/v1/broadcasts` | [`CreateBroadcast`] → [`Broadcast`], 201 |
//! | GET | `/api/v1/broadcasts?limit=&cursor=` | → `Page<Broadcast>`, newest first |
//! | GET | `/api/v1/broadcasts/{broadcast_id}` | → [`Broadcast`] with its [`BroadcastStatistics`] |
//! | POST | `/api/v1/broadcasts/{broadcast_id}/cancel` | → [`Broadcast`] |
//! | GET | `/api/v1/broadcasts/{broadcast_id}/recipients?limit=&cursor=` | → `Page<BroadcastRecipient>` |
//!
//! At `send_at` the audience is resolved once into recipients (the subscribers matching
//! it then); each recipient is then sent the content once, in its conversation, as
//! `send-flow` and `send-content` do. Peers: UChat / GoChat / Flochat and Floatchat
//! broadcasts (ids, tags or segments, a UTC time where a past time means now, a rate).
//!
//! ```
//! use parlo_model::broadcast::{BroadcastContent, CreateBroadcast};
//! let body: CreateBroadcast = serde_json::from_str(r#"{
//!   "name": "Spring bouquets",
//!   "content": {"type": "messages", "messages": [{"type": "text", "text": "Spring is here!"}]},
//!   "audience": {"tags": ["newsletter", "vip"], "match": "any"},
//!   "send_at": "2026-03-20T09:00:00Z",
//!   "rate_per_second": 50
//! }"#).unwrap();
//! assert!(matches!(body.content, BroadcastContent::Messages { .. }));
//! ```

use crate::automation::Automation;
use crate::conversation::ContentMessage;
use crate::flow::{Condition, Match};
use crate::ids::{ChannelId, FlowId, SubscriberId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest broadcast name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Most subscriber ids of an audience.
pub const MAX_SUBSCRIBER_IDS: usize = 1000;
/// Most tags of an audience.
pub const MAX_TAGS: usize = 20;
/// Default of [`CreateBroadcast::rate_per_second`].
pub const DEFAULT_RATE_PER_SECOND: u32 = 20;
/// Highest [`CreateBroadcast::rate_per_second`]: above what one server sends (on SQLite
/// about 10,000 recipients a second, in batches), so the highest rate means "as fast as
/// the server can".
pub const MAX_RATE_PER_SECOND: u32 = 100_000;
/// Most automations of a broadcast.
pub const MAX_AUTOMATIONS: usize = 10;
/// The event type of a broadcast's automations: it finished (state `done`).
pub const FINISHED_EVENT: &str = "broadcast.finished";
/// The event type of a recipient's e-mail copy in the outbox (and the deliveries API).
pub const EMAIL_COPY_EVENT: &str = "broadcast.email_copy";

/// What a broadcast sends; `type` names the kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum BroadcastContent {
    /// A flow of the workspace, run from its start step for each recipient as `send-flow`
    /// runs it (a recipient whose bot is paused fails).
    Flow {
        /// The flow to run; it must exist.
        flow_id: FlowId,
        /// Payload variables, as `send-flow` takes them.
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(type = "Record<string, string | number | boolean>"))]
        #[cfg_attr(feature = "openapi", schema(schema_with = crate::conversation::payload_schema))]
        payload: BTreeMap<String, serde_json::Value>,
    },
    /// Messages, as `send-content` takes them (sent also while the bot is paused).
    Messages {
        /// 1..=10 messages.
        messages: Vec<ContentMessage>,
    },
}

/// Who a broadcast goes to: exactly one of `subscriber_ids`, `tags` and `conditions`,
/// optionally only subscribers of one channel. Resolved once, at `send_at`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// These subscribers of the workspace (1..=1000, each at most once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriber_ids: Vec<SubscriberId>,
    /// Subscribers with these tags (1..=20 existing tag names): `any` of them or `all`
    /// (`match`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// A segment: subscribers for whom these conditions hold (1..=20), `all` of them or
    /// `any` (`match`). The conditions of flow condition steps, with the same operators;
    /// `business_hours` is not a property of a subscriber and is refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// How `tags` or `conditions` combine; default `all`.
    #[serde(default, rename = "match")]
    pub matching: Match,
    /// Only subscribers who came through this channel of the workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
}

/// Body of `POST /api/v1/broadcasts`. Every problem is listed at once (422 with JSON
/// pointers).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({
    "name": "Spring bouquets",
    "content": {"type": "messages", "messages": [{"type": "text", "text": "Spring is here!"}]},
    "audience": {"tags": ["newsletter"]},
    "send_at": "2026-03-20T09:00:00Z"
}))))]
#[serde(deny_unknown_fields)]
pub struct CreateBroadcast {
    /// A name for people, 1..=100 characters.
    pub name: String,
    /// What to send.
    pub content: BroadcastContent,
    /// Who to send it to.
    pub audience: Audience,
    /// When to send, RFC 3339 (stored in UTC); absent or past: now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub send_at: Option<String>,
    /// Recipients sent per second, 1..=100000 (default 20): the broadcast's rate, shared by
    /// every server instance on the database (several instances do not send it faster).
    /// Recipients go in batches of a tenth of a second of the rate (one at 10 a second or
    /// less, at most 500), each batch stored in one write transaction and pushed to the
    /// open widgets after its commit; a rate above what the server writes (see
    /// [`MAX_RATE_PER_SECOND`]) means as fast as it can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_per_second: Option<u32>,
    /// Run when the broadcast finishes (event `broadcast.finished`, its data the
    /// [`Broadcast`] as answered then): at most 10, of types `webhook` and `email` (the
    /// others act on one subscriber, and a broadcast has many).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub automations: Vec<Automation>,
    /// Also e-mail the messages to each recipient who has an e-mail address (custom field
    /// `email`) and has not opted out, with a one-click unsubscribe link (RFC 8058); only
    /// for `messages` content. Default `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub email_copy: bool,
}

/// Where a broadcast is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum BroadcastState {
    /// Waiting for `send_at`.
    Scheduled,
    /// Its recipients are being sent to.
    Sending,
    /// Every recipient was sent to (or failed).
    Done,
    /// Cancelled: recipients not sent to by then never will be.
    Cancelled,
}

impl BroadcastState {
    /// The wire (and stored) name, e.g. `scheduled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Sending => "sending",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    /// The state of wire name `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Scheduled, Self::Sending, Self::Done, Self::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// Counts of a broadcast's recipients.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BroadcastStatistics {
    /// Recipients the audience resolved to (0 until `send_at`).
    pub targeted: u64,
    /// Recipients sent to: the content is in their conversation (and was pushed to their
    /// open widget).
    pub sent: u64,
    /// Recipients of `sent` whose widget had a realtime stream open when they were sent to,
    /// so they saw the messages at once; the others see them on their next visit. A stream
    /// counts when it was open to the server instance that sent (with several instances
    /// behind a load balancer, a stream held by another one is not seen: a lower bound).
    pub delivered_live: u64,
    /// Recipients whose e-mail copy was queued (see the deliveries API, event
    /// `broadcast.email_copy`, for each e-mail's delivery).
    pub emailed: u64,
    /// Recipients of `sent` whose widget showed the messages: it reported the visitor had
    /// the chat panel open, on a visible page, with them in it (at once, or on a later
    /// visit). Only the chat widget reports this; a recipient reached by e-mail alone is
    /// not counted.
    #[serde(default)]
    pub read: u64,
    /// Recipients that could not be sent to (`reason` on the recipient).
    pub failed: u64,
    /// Recipients not sent to yet (or never, once cancelled).
    pub pending: u64,
}

/// A broadcast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Broadcast {
    /// Id of the broadcast.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// What it sends.
    pub content: BroadcastContent,
    /// Who it goes to.
    pub audience: Audience,
    /// When it is (or was) due, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub send_at: String,
    /// Recipients per second, shared by every server instance.
    pub rate_per_second: u32,
    /// Run when it finishes (event `broadcast.finished`).
    pub automations: Vec<Automation>,
    /// Whether recipients with an e-mail address also get an e-mail copy.
    pub email_copy: bool,
    /// Where it is.
    pub state: BroadcastState,
    /// Its recipients' counts.
    pub statistics: BroadcastStatistics,
    /// When it was created, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    /// When sending began (the audience was resolved), RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub started_at: Option<String>,
    /// When the last recipient was done, RFC 3339 UTC (state `done`).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub finished_at: Option<String>,
    /// When it was cancelled, RFC 3339 UTC (state `cancelled`).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub cancelled_at: Option<String>,
}

/// Where one recipient of a broadcast is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum RecipientState {
    /// Not sent to yet.
    Pending,
    /// Sent to, once.
    Sent,
    /// Not sent to; `reason` says why.
    Failed,
    /// The broadcast was cancelled before this recipient's turn.
    Cancelled,
}

impl RecipientState {
    /// The wire (and stored) name, e.g. `pending`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// The state of wire name `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Pending, Self::Sent, Self::Failed, Self::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// What became of a recipient's e-mail copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum EmailCopy {
    /// Queued for sending (its delivery is in the deliveries API).
    Queued,
    /// None: the subscriber has no e-mail address.
    NoAddress,
    /// None: the subscriber opted out of e-mail copies.
    OptedOut,
}

impl EmailCopy {
    /// The wire (and stored) name, e.g. `queued`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::NoAddress => "no_address",
            Self::OptedOut => "opted_out",
        }
    }

    /// The value of wire name `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Queued, Self::NoAddress, Self::OptedOut]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// One recipient of a broadcast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BroadcastRecipient {
    /// The subscriber.
    pub subscriber_id: SubscriberId,
    /// Where they are.
    pub state: RecipientState,
    /// Why they failed (state `failed`), e.g. the bot is paused for them.
    pub reason: Option<String>,
    /// When they were sent to or failed, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub done_at: Option<String>,
    /// Whether their widget had a realtime stream open when they were sent to (see
    /// [`BroadcastStatistics::delivered_live`]).
    pub delivered_live: bool,
    /// What became of their e-mail copy; absent when the broadcast has none or they were
    /// not sent to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_copy: Option<EmailCopy>,
    /// When their widget first showed the messages, RFC 3339 UTC (see
    /// [`BroadcastStatistics::read`]); absent until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub read_at: Option<String>,
}
