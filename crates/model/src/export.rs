//! A subscriber's data as one document (`GET /api/v1/subscribers/{subscriber_id}/export`):
//! what a workspace holds about one person, for a data subject's access request (GDPR
//! art. 15 and the portability of art. 20: "a structured, commonly used and
//! machine-readable format").

use crate::chat::Message;
use crate::ids::ChannelId;
use crate::lead::Lead;
use crate::subscriber::Subscriber;
use serde::{Deserialize, Serialize};

/// Everything stored about one subscriber: the profile (with custom fields and tags),
/// every conversation with all its messages, and every lead they submitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SubscriberExport {
    /// The profile, with custom field values and tags.
    pub subscriber: Subscriber,
    /// The subscriber's conversations (one per channel they chatted on), oldest first.
    pub conversations: Vec<ConversationExport>,
    /// The leads the subscriber submitted, oldest first.
    pub leads: Vec<Lead>,
}

/// One conversation of a [`SubscriberExport`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ConversationExport {
    /// The channel the conversation is on.
    pub channel_id: ChannelId,
    /// When it began, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    /// Every message (visitor, bot, agent and system), in `seq` order.
    pub messages: Vec<Message>,
}
