//! The conversation side of the management API: sending flows, content and agent messages
//! to a subscriber, reading the conversation, and pausing the bot (human takeover).
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | POST | `/api/v1/subscribers/{subscriber_id}/send-flow` | [`SendFlow`] → [`SentMessages`] |
//! | POST | `/api/v1/subscribers/{subscriber_id}/send-content` | [`SendContent`] → [`SentMessages`] |
//! | GET | `/api/v1/subscribers/{subscriber_id}/messages?from=&to=&limit=&cursor=&include_bot=&include_system=` | → `Page<Message>` |
//! | POST | `/api/v1/subscribers/{subscriber_id}/messages` | [`AgentMessage`] → [`SentMessages`] |
//! | POST | `/api/v1/subscribers/{subscriber_id}/pause-bot` | [`PauseBot`] (optional) → [`BotStatus`] |
//! | POST | `/api/v1/subscribers/{subscriber_id}/resume-bot` | → [`BotStatus`] |
//!
//! Everything sent is stored in the subscriber's conversation (with the next `seq`s),
//! pushed at once to their open widget over the event stream, and shown again on their
//! next visit. Peers: Botcake `send_flow` / `send_content`, UChat `send-sub-flow`,
//! `send-content`, `pause-bot`.
//!
//! ```
//! use parlo_model::conversation::{ContentMessage, SendContent};
//! let body: SendContent = serde_json::from_str(r#"{
//!   "messages": [{"type": "image", "url": "https://example.com/cake.jpg", "alt": "A cake"}],
//!   "actions": [{"type": "add_tag", "tag": "cake-lover"}]
//! }"#).unwrap();
//! assert!(matches!(body.messages[0], ContentMessage::Image { .. }));
//! ```

use crate::chat::{Image, Message};
use crate::flow::ButtonDef;
use crate::ids::FlowId;
use crate::tag::IdOrName;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most messages of one send-content request.
pub const MAX_CONTENT_MESSAGES: usize = 10;
/// Most actions of one send-content request.
pub const MAX_CONTENT_ACTIONS: usize = 100;
/// Most payload variables of one send-flow request.
pub const MAX_PAYLOAD_VARIABLES: usize = 50;
/// Longest bot pause, in minutes (one year); longer pauses are "until resumed".
pub const MAX_PAUSE_MINUTES: u32 = 525_600;

/// Body of `POST /api/v1/subscribers/{subscriber_id}/send-flow`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"flow_id": "delivery", "payload": {"order": "A-1042"}}))))]
#[serde(deny_unknown_fields)]
pub struct SendFlow {
    /// The flow of the subscriber's workspace to run from its start step.
    pub flow_id: FlowId,
    /// Payload variables, used in the flow's texts as `{{payload.<key>}}` (with an
    /// optional fallback: `{{payload.order|your order}}`). At most 50; keys are 1..=64 of
    /// `[A-Za-z0-9_]`; values are strings (at most 2000 characters), numbers or booleans
    /// (used as their JSON text).
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, string | number | boolean>"))]
    #[cfg_attr(feature = "openapi", schema(schema_with = payload_schema))]
    pub payload: BTreeMap<String, serde_json::Value>,
}

/// The OpenAPI schema of [`SendFlow::payload`]: at most [`MAX_PAYLOAD_VARIABLES`] keys of
/// 1..=64 `[A-Za-z0-9_]`, each a string of at most
/// [`MAX_TEXT_CHARS`](crate::flow::MAX_TEXT_CHARS) characters, a number or a boolean.
#[cfg(feature = "openapi")]
pub(crate) fn payload_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
    let of = |t| ObjectBuilder::new().schema_type(t);
    let value = OneOfBuilder::new()
        .item(of(Type::String).max_length(Some(crate::flow::MAX_TEXT_CHARS)))
        .item(of(Type::Number))
        .item(of(Type::Boolean));
    of(Type::Object)
        .max_properties(Some(MAX_PAYLOAD_VARIABLES))
        .property_names(Some(of(Type::String).pattern(Some("^[A-Za-z0-9_]{1,64}$"))))
        .additional_properties(Some(Schema::from(value.build())))
        .description(Some(
            "Payload variables for the flow's `{{payload.<key>}}` templates.",
        ))
        .into()
}

/// The OpenAPI schema of [`ContentAction::SetField`]'s value.
#[cfg(feature = "openapi")]
fn set_field_value_schema() -> utoipa::openapi::schema::Schema {
    crate::tag::custom_field_value_schema()
        .description(Some(
            "The value, checked against the field's type like `PATCH …/fields`.",
        ))
        .build()
        .into()
}

/// Answer of the send routes: the messages stored and pushed to the widget now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SentMessages {
    /// The new messages of the conversation, in `seq` order.
    pub messages: Vec<Message>,
    /// `true` when more of the flow comes later (after a delay step), on the event stream
    /// and in the history.
    #[serde(default)]
    pub delayed: bool,
}

/// One message of [`SendContent`]; `type` names its kind.
///
/// Buttons are [`ButtonDef`]s with either `url` (opens an `http`/`https` link) or `flow`
/// (starts that flow of the workspace when pressed); `next` is refused, as sent content is
/// not part of a flow. Quick replies take `flow` only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ContentMessage {
    /// Text, with optional buttons and quick replies.
    Text {
        /// 1..=2000 characters, shown as plain text.
        text: String,
        /// Up to 10 buttons under the text.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<ButtonDef>,
        /// Up to 13 quick replies.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quick_replies: Vec<ButtonDef>,
    },
    /// An image with its alternative text.
    Image {
        /// Absolute `http`/`https` URL.
        url: String,
        /// What the image shows (0..=300 characters).
        #[serde(default)]
        alt: String,
        /// Up to 13 quick replies.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quick_replies: Vec<ButtonDef>,
    },
    /// One card.
    Card {
        /// Title, 1..=80 characters.
        title: String,
        /// Second line, at most 80 characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subtitle: Option<String>,
        /// Image above the title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        image: Option<Image>,
        /// Up to 3 buttons.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<ButtonDef>,
        /// Up to 13 quick replies.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quick_replies: Vec<ButtonDef>,
    },
    /// 1..=10 cards side by side.
    Carousel {
        /// The cards.
        cards: Vec<ContentCard>,
        /// Up to 13 quick replies.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quick_replies: Vec<ButtonDef>,
    },
}

/// A card of a [`ContentMessage::Carousel`] or of a carousel flow step
/// ([`Step::Carousel`](crate::flow::Step::Carousel), whose card buttons may also go to a
/// `next` step); shown as a [`Card`](crate::chat::Card).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct ContentCard {
    /// Title, 1..=80 characters.
    pub title: String,
    /// Second line, at most 80 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Image above the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Up to 3 buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<ButtonDef>,
}

/// A change to the subscriber applied with [`SendContent`]; `type` names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ContentAction {
    /// Adds a tag (by id, or by name, creating a missing one).
    AddTag {
        /// The tag.
        tag: IdOrName,
    },
    /// Removes a tag (by id or name; it must exist).
    RemoveTag {
        /// The tag.
        tag: IdOrName,
    },
    /// Sets a custom field (by id or name; it must exist) to a value of its type.
    SetField {
        /// The custom field.
        field: IdOrName,
        /// The value, checked against the field's type like `PATCH …/fields`.
        #[cfg_attr(feature = "openapi", schema(schema_with = set_field_value_schema))]
        #[cfg_attr(feature = "ts", tsify(type = "string | number | boolean | string[]"))]
        value: serde_json::Value,
    },
    /// Clears a custom field (by id or name; it must exist).
    ClearField {
        /// The custom field.
        field: IdOrName,
    },
}

/// Body of `POST /api/v1/subscribers/{subscriber_id}/send-content`: messages and actions,
/// applied together or not at all (422 lists every problem with its JSON pointer).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"messages": [{"type": "text", "text": "Your order has shipped."}], "actions": [{"type": "add_tag", "tag": "shipped"}]}))))]
#[serde(deny_unknown_fields)]
pub struct SendContent {
    /// Up to 10 messages, sent in order as the bot.
    #[serde(default)]
    pub messages: Vec<ContentMessage>,
    /// Up to 100 changes to the subscriber, applied in order. At least one message or one
    /// action is needed.
    #[serde(default)]
    pub actions: Vec<ContentAction>,
}

/// Body of `POST /api/v1/subscribers/{subscriber_id}/messages`: a message written by a
/// human agent (author `agent`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"text": "Hi Ada, your order is on its way."}))))]
#[serde(deny_unknown_fields)]
pub struct AgentMessage {
    /// 1..=2000 characters, not blank; stored trimmed and shown as plain text.
    pub text: String,
}

/// Body of `POST /api/v1/subscribers/{subscriber_id}/pause-bot` (may be omitted).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"minutes": 60}))))]
#[serde(deny_unknown_fields)]
pub struct PauseBot {
    /// Pause for this many minutes (1..=525600); omitted: until `resume-bot`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
}

/// Whether the bot answers the subscriber.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct BotStatus {
    /// `true` while the bot is paused: visitor messages are stored but not answered, and
    /// delayed bot messages are dropped.
    pub paused: bool,
    /// When a timed pause ends, RFC 3339 UTC; `null` when not paused or paused until
    /// resumed.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub paused_until: Option<String>,
}
