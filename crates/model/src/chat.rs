//! Sessions, messages, visitor input and realtime events of the public widget API.
//!
//! Routes (all under `/api/public/v1/channels/{channel_id}`; every route but `POST
//! /sessions` takes `Authorization: Bearer <session_token>`; the event stream also accepts
//! `?token=` because `EventSource` cannot set headers):
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | POST | `/sessions` | [`StartSession`] → [`Session`] |
//! | POST | `/messages` | [`SendMessage`] → [`SendMessageResponse`] |
//! | GET | `/messages?after=<seq>&limit=<1..=100>` | → [`Page`](crate::page::Page)`<`[`Message`]`>` |
//! | GET | `/events?after=<seq>` | → `text/event-stream` of [`StreamEvent`]s |
//!
//! Messages of a conversation are numbered by `seq` (1, 2, 3, … without gaps), so a client
//! that has seen up to `seq` n asks for `after=n` and misses nothing.

use crate::form::Capture;
use crate::identity::VisitorUser;
use crate::ids::{MessageId, SubscriberId};
use crate::validate::FieldKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest accepted visitor message, in characters.
pub const MAX_VISITOR_TEXT_CHARS: usize = 2000;
/// Longest payload of a pressed button the widget sends back, in characters.
pub const MAX_PAYLOAD_CHARS: usize = 1000;

/// Body of `POST /sessions`: start a visitor session, or resume one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct StartSession {
    /// A token from an earlier [`Session`] (kept by the widget in `localStorage`). When it
    /// is valid the same subscriber and conversation are resumed; when it is missing or
    /// unknown a new subscriber is created and the channel's start flow runs.
    #[serde(default)]
    pub session_token: Option<String>,
    /// The site's signed-in user (`Parlo.setUser`): with an `id` and a valid `user_hash`
    /// the visitor becomes the workspace's subscriber with that external id, and the
    /// conversation of the session's anonymous subscriber is merged into its own; a
    /// missing or wrong hash is a 403 `identity_invalid` and nothing changes. See
    /// [`crate::identity`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<VisitorUser>,
    /// Custom field values by field name (`Parlo.setAttributes`), at most 100: a string,
    /// number, boolean or array of strings each, checked against the field's type (a
    /// missing field is created as `text`; a value the type refuses is not stored). Never
    /// identity.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "openapi", schema(schema_with = attributes_schema))]
    #[cfg_attr(
        feature = "ts",
        tsify(type = "Record<string, string | number | boolean | string[]>")
    )]
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// Where the visitor came from (UTM parameters, referrer, landing page), as lead forms
    /// capture it; kept on the subscriber when it has none yet (first touch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<Capture>,
}

/// Most [`StartSession::attributes`] of one start.
pub const MAX_ATTRIBUTES: usize = 100;

/// The OpenAPI schema of [`StartSession::attributes`]: at most [`MAX_ATTRIBUTES`] members
/// named like custom fields ([`FIELD_NAME_PATTERN`](crate::flow::FIELD_NAME_PATTERN)), each
/// a string, a number, a boolean or an array of strings.
#[cfg(feature = "openapi")]
fn attributes_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
    let of = |t| ObjectBuilder::new().schema_type(t);
    let value = OneOfBuilder::new()
        .item(of(Type::String))
        .item(of(Type::Number))
        .item(of(Type::Boolean))
        .item(ArrayBuilder::new().items(of(Type::String)));
    of(Type::Object)
        .max_properties(Some(MAX_ATTRIBUTES))
        .property_names(Some(
            of(Type::String).pattern(Some(crate::flow::FIELD_NAME_PATTERN)),
        ))
        .additional_properties(Some(Schema::from(value.build())))
        .description(Some("Custom field values by field name; never identity."))
        .into()
}

/// Answer of `POST /sessions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Session {
    /// Secret bearer token of this visitor session (opaque, ~43 characters).
    pub session_token: String,
    /// The subscriber this visitor is, on the web channel.
    pub subscriber_id: SubscriberId,
    /// `true` when this call created the subscriber (the start flow has run), or repeated
    /// with the same `Idempotency-Key` the call that did.
    pub created: bool,
    /// `seq` of the newest message of the conversation, 0 when it has none.
    pub last_seq: u64,
}

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Author {
    /// The website visitor (the subscriber).
    Visitor,
    /// The bot, running a flow.
    Bot,
    /// A human agent of the site (human takeover).
    Agent,
    /// A notice about the conversation itself, e.g. that the bot was paused and a person
    /// answers now; shown as a note, not as anyone's message.
    System,
}

/// What pressing a button does.
// Representation: written internally tagged, read through `ButtonActionFields` (`try_from`):
// the same JSON, OpenAPI schema and TypeScript type, but serde reads it as a plain struct
// instead of buffering the object into its private `Content` tree first (what the derive does
// for an internally tagged enum). That buffering is generic code of its own in every wasm
// bundle that reads messages (about 4 KB after brotli in the chat widget, measured). Members
// of the other kind are ignored, as before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "snake_case", try_from = "ButtonActionFields")]
pub enum ButtonAction {
    /// Sends [`VisitorInput::Button`] with this opaque payload.
    Postback {
        /// Opaque payload; send it back unchanged.
        payload: String,
    },
    /// Opens this `http`/`https` URL in a new tab; nothing is sent.
    Url {
        /// Absolute `http` or `https` URL.
        url: String,
    },
}

/// The kinds of [`ButtonAction`], its `type` member.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ButtonActionKind {
    Postback,
    Url,
}

/// A [`ButtonAction`] as read: `type` and the members of every kind, checked by `TryFrom`.
#[derive(Deserialize)]
#[doc(hidden)]
pub struct ButtonActionFields {
    r#type: ButtonActionKind,
    #[serde(default)]
    payload: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

impl TryFrom<ButtonActionFields> for ButtonAction {
    type Error = &'static str;

    /// The action of `fields.type`; an error naming the missing member, as serde's derive does.
    fn try_from(fields: ButtonActionFields) -> Result<Self, Self::Error> {
        match fields.r#type {
            ButtonActionKind::Postback => Ok(ButtonAction::Postback {
                payload: fields.payload.ok_or("missing field `payload`")?,
            }),
            ButtonActionKind::Url => Ok(ButtonAction::Url {
                url: fields.url.ok_or("missing field `url`")?,
            }),
        }
    }
}

/// A button under a bot message; buttons stay pressable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Button {
    /// Label, 1..=40 characters.
    pub title: String,
    /// What pressing it does.
    pub action: ButtonAction,
}

/// A quick reply: a one-tap answer offered until the visitor's next message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct QuickReply {
    /// Label, 1..=40 characters; also the text of the visitor message it sends.
    pub title: String,
    /// Opaque payload sent back in [`VisitorInput::Button`].
    pub payload: String,
}

/// Longest card title or subtitle, in characters.
pub const MAX_CARD_TEXT_CHARS: usize = 80;
/// Most cards of a carousel.
pub const MAX_CARDS: usize = 10;
/// Most buttons under one card (Messenger's documented limit).
pub const MAX_CARD_BUTTONS: usize = 3;
/// Longest image alternative text, in characters.
pub const MAX_ALT_CHARS: usize = 300;
/// Whether `url` is a web URL ([`crate::link`]): the only links the widget opens and images
/// it loads (`javascript:`, `data:` and the rest are refused, per the design's security model).
///
/// ```
/// use parlo_model::chat::is_web_url;
/// assert!(is_web_url("https://example.com/cake.jpg") && is_web_url("HTTP://example.com"));
/// assert!(!is_web_url("javascript:alert(1)") && !is_web_url("//example.com"));
/// ```
pub use crate::link::is_web_url;

/// An image, shown with its alternative text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Image {
    /// Absolute `http` or `https` URL, at most 2000 bytes; other schemes are refused (422).
    pub url: String,
    /// What the image shows, for screen readers and when it cannot load; 0..=300
    /// characters (empty marks a decorative image, `alt=""` in HTML).
    #[serde(default)]
    pub alt: String,
}

/// A card: an optional image, a title, an optional subtitle and up to 3 buttons
/// (Messenger's "generic template"). One card is a card message; several are a carousel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Card {
    /// Title, 1..=80 characters.
    pub title: String,
    /// Second line, at most 80 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Image above the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Up to 3 buttons under the card.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
}

/// The content of one message.
///
/// Kinds: a text message has `text`; an image message has `image` (and maybe a caption in
/// `text`); a card message has one card in `cards`, a carousel several. Any of them may
/// carry `buttons` and `quick_replies`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct MessageContent {
    /// Plain text (render as text, never as HTML); empty for an image without caption or
    /// a card or carousel.
    #[serde(default)]
    pub text: String,
    /// An image shown after the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Cards: one is a card, several (up to 10) a carousel that scrolls sideways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<Card>,
    /// Buttons under the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    /// Quick replies offered after this message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_replies: Vec<QuickReply>,
    /// Set on a bot question: the kind of answer expected, so the widget can pick the
    /// keyboard and autofill (`type="email"`, `inputmode="tel"`). The server checks the
    /// answer and asks again when it is invalid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expects: Option<FieldKind>,
}

impl MessageContent {
    /// A text-only content.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
}

/// A stored message of a conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Message {
    /// Message id: client-generated for visitor messages, server-generated otherwise.
    pub id: MessageId,
    /// Position in the conversation, from 1, without gaps.
    pub seq: u64,
    /// Who wrote it.
    pub author: Author,
    /// What it says.
    pub content: MessageContent,
    /// When the server stored it, RFC 3339 UTC, e.g. `2026-11-21T09:30:00.123Z`.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    /// For bot messages: the visitor message they answer, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<MessageId>,
}

/// What the visitor sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorInput {
    /// Typed text, 1..=[`MAX_VISITOR_TEXT_CHARS`] characters, not blank; stored trimmed.
    Text {
        /// The text.
        text: String,
    },
    /// A pressed postback button or quick reply.
    Button {
        /// The payload of the pressed [`Button`] or [`QuickReply`], unchanged.
        payload: String,
        /// Its title, stored as the visitor message's text.
        title: String,
    },
}

/// Body of `POST /messages`.
///
/// Idempotent by `id`: sending the same id again stores nothing new and answers the same
/// messages as the first time; the same id with a different input is a 409 `conflict`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"id": "0b6c3f1e-8d4a-4f7e-9c2b-5a1d7e3f9b20", "input": {"type": "text", "text": "Do you deliver on Sundays?"}}))))]
pub struct SendMessage {
    /// Client-generated message id (a UUID is recommended), 1..=64 characters of
    /// `[A-Za-z0-9_-]`; the idempotency key of this send.
    pub id: MessageId,
    /// What the visitor sent.
    pub input: VisitorInput,
}

/// Answer of `POST /messages`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SendMessageResponse {
    /// The stored visitor message first, then the bot replies produced at once, in `seq`
    /// order. Replies after a delay step arrive later on the event stream.
    pub messages: Vec<Message>,
}

/// Body of `POST /read`: how far the visitor has seen their conversation, reported by the
/// widget while its panel is open on a visible page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct ReadPosition {
    /// The `seq` of the last message shown; the messages up to it have been seen.
    pub seq: u64,
}

/// One event of the realtime stream.
///
/// On the wire (SSE, `text/event-stream`): `event: message`, `id: <seq>`, `data: <Message
/// JSON>` for messages; `event: typing`, `data: {"duration_ms":…}` (no id) for typing.
/// After a reconnect the server resumes after `Last-Event-ID` (or `?after=`), so every
/// message arrives exactly once in `seq` order when the client skips seqs it already has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
#[expect(
    clippy::large_enum_variant,
    reason = "short-lived values, and nearly every event is a message"
)]
pub enum StreamEvent {
    /// A new message of the conversation (any author).
    Message(Message),
    /// The bot is typing; show an indicator for at most `duration_ms` milliseconds or
    /// until the next message.
    Typing {
        /// How long to show the indicator, in milliseconds.
        duration_ms: u32,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn button_action_reads_each_kind() {
        let read = |json: &str| serde_json::from_str::<ButtonAction>(json).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"payload":"menu","type":"postback"}"#),
            Ok(ButtonAction::Postback {
                payload: "menu".into()
            })
        );
        assert_eq!(
            read(r#"{"type":"url","url":"https://example.com/"}"#),
            Ok(ButtonAction::Url {
                url: "https://example.com/".into()
            })
        );
        let missing = read(r#"{"type":"url","payload":"menu"}"#).unwrap_err();
        assert!(missing.contains("missing field `url`"), "{missing}");
        let unknown = read(r#"{"type":"call","payload":"menu"}"#).unwrap_err();
        assert!(unknown.contains("unknown variant `call`"), "{unknown}");
    }
}
