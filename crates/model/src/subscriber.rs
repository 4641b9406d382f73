//! The management view of a subscriber.
//!
//! `GET /api/v1/subscribers/{subscriber_id}` (management API key) answers a [`Subscriber`].

use crate::ids::{ChannelId, SubscriberId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A subscriber (a visitor known to a workspace) with its custom fields and tags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Subscriber {
    /// Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`.
    pub id: SubscriberId,
    /// The channel the subscriber first came through.
    pub channel_id: ChannelId,
    /// When the subscriber was created, RFC 3339 UTC.
    pub created_at: String,
    /// When the subscriber last used the chat, RFC 3339 UTC.
    pub last_seen_at: String,
    /// Custom field values by field name, e.g. `email` → `ada@example.com`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Tag names, sorted.
    #[serde(default)]
    pub tags: Vec<String>,
}
