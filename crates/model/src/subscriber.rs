//! The management view of a subscriber, and creating and changing subscribers.
//!
//! `GET /api/v1/subscribers/{subscriber_id}` (management API key) answers a [`Subscriber`];
//! `POST /api/v1/subscribers` takes a [`CreateSubscriber`], `POST /api/v1/subscribers/batch`
//! a [`CreateSubscribers`] (answering [`CreatedSubscribers`]), and
//! `PATCH /api/v1/subscribers/{subscriber_id}` an [`UpdateSubscriber`].

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
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    /// When the subscriber last used the chat, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_seen_at: String,
    /// Custom field values by field name, e.g. `email` → `ada@example.com`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Tag names, sorted.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The user id the site's back end signed for this visitor (`Parlo.setUser` with a
    /// valid `user_hash`, see [`crate::identity`]); unique in the workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Where the visitor came from, captured by the widget when its chat session began
    /// (UTM parameters, referrer, landing page; `submitted_at` is when the session
    /// started); absent for subscribers who never opened the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture: Option<crate::form::Capture>,
    /// When the subscriber opted out of broadcast e-mail copies (the unsubscribe link of
    /// one), RFC 3339 UTC; absent while they get them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub email_opted_out_at: Option<String>,
}

/// Characters of a subscriber id: `sub_` and 20 base62 characters.
pub const SUBSCRIBER_ID_LEN: usize = 24;
/// [`is_valid_subscriber_id`] as an ECMA-262 regular expression (the OpenAPI `pattern` of
/// every subscriber id the API takes).
pub const SUBSCRIBER_ID_PATTERN: &str = "^sub_[A-Za-z0-9]{20}$";
/// Most subscribers created by one `POST /api/v1/subscribers/batch`.
pub const MAX_CREATE_BATCH: usize = 100;

/// Whether `id` has the format of a subscriber id (`sub_` + 20 of `[A-Za-z0-9]`); says
/// nothing about whether it exists. The server answers 400 `invalid_id` for any other id.
///
/// ```
/// use parlo_model::subscriber::is_valid_subscriber_id;
/// assert!(is_valid_subscriber_id("sub_4ZyT0rW8qk2mB1xLcV9d"));
/// assert!(!is_valid_subscriber_id("sub_short"));
/// assert!(!is_valid_subscriber_id("4ZyT0rW8qk2mB1xLcV9d1234"));
/// ```
pub fn is_valid_subscriber_id(id: &str) -> bool {
    id.len() == SUBSCRIBER_ID_LEN
        && id
            .strip_prefix("sub_")
            .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Body of `POST /api/v1/subscribers` and one item of `POST /api/v1/subscribers/batch`.
///
/// `name`, `first_name`, `last_name`, `email` and `phone` are stored as the custom fields
/// of those names (created as `text` when missing), like the answers of the bot's
/// questions: `email` must be an e-mail address (its domain is lower-cased), `phone` a
/// phone number (stored as `+` and digits), names 1..=100 characters. The e-mail is
/// unique in the workspace, ignoring case (409 `conflict` otherwise).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"channel_id": "demo", "name": "Ada Lovelace", "email": "ada@example.com", "tags": ["vip"]}))))]
#[serde(deny_unknown_fields)]
pub struct CreateSubscriber {
    /// The channel the subscriber belongs to; a channel of the workspace.
    pub channel_id: ChannelId,
    /// Full name, e.g. `Ada Lovelace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// First name, e.g. `Ada`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name, e.g. `Lovelace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// E-mail address, unique in the workspace (ignoring case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number, e.g. `+44 20 7946 0958`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Further custom field values (by id or name; the fields must exist), at most 100.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::tag::FieldValue>,
    /// Tags by id or name (a new name creates the tag), at most 100.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<crate::tag::IdOrName>,
}

/// Body of `POST /api/v1/subscribers/batch`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"subscribers": [{"channel_id": "demo", "name": "Ada Lovelace"}, {"channel_id": "demo", "name": "Charles Babbage"}]}))))]
#[serde(deny_unknown_fields)]
pub struct CreateSubscribers {
    /// 1..=100 subscribers, created together or not at all.
    pub subscribers: Vec<CreateSubscriber>,
}

/// Answer of `POST /api/v1/subscribers/batch`: the created subscribers, in request order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CreatedSubscribers {
    /// The subscribers, in the order of the request.
    pub items: Vec<Subscriber>,
}

/// Body of `PATCH /api/v1/subscribers/{subscriber_id}`: members given are changed, `null`
/// clears a field, absent members stay. Rules as in [`CreateSubscriber`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"phone": "+44 20 7946 0958", "last_name": null}))))]
#[serde(deny_unknown_fields)]
pub struct UpdateSubscriber {
    /// Moves the subscriber to this channel of the workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
    /// Full name; `null` clears it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<Option<String>>,
    /// First name; `null` clears it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub first_name: Option<Option<String>>,
    /// Last name; `null` clears it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_name: Option<Option<String>>,
    /// E-mail address; `null` clears it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub email: Option<Option<String>>,
    /// Phone number; `null` clears it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub phone: Option<Option<String>>,
}

/// A member that is present: `Some(None)` for `null`, `Some(Some(v))` for a value (an
/// absent member is `None` through `#[serde(default)]`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The profile members shared by [`CreateSubscriber`] and [`UpdateSubscriber`], as
/// `(member name, change)`: `None` leaves the member alone, `Some(None)` clears it.
pub type ProfileChanges<'a> = [(&'static str, Option<Option<&'a str>>); 5];

impl CreateSubscriber {
    /// The profile members given, by name (absent ones are `None`).
    pub fn profile(&self) -> ProfileChanges<'_> {
        given([
            &self.name,
            &self.first_name,
            &self.last_name,
            &self.email,
            &self.phone,
        ])
    }
}

/// The profile members `[name, first_name, last_name, email, phone]` that are given, to be
/// set (absent ones are `None`).
pub(crate) fn given([name, first_name, last_name, email, phone]: [&Option<String>; 5]) -> ProfileChanges<'_> {
    fn set(v: &Option<String>) -> Option<Option<&str>> {
        v.as_deref().map(Some)
    }
    [
        ("name", set(name)),
        ("first_name", set(first_name)),
        ("last_name", set(last_name)),
        ("email", set(email)),
        ("phone", set(phone)),
    ]
}

impl UpdateSubscriber {
    /// The profile members given, by name (absent ones are `None`, `null` is `Some(None)`).
    pub fn profile(&self) -> ProfileChanges<'_> {
        fn change(v: &Option<Option<String>>) -> Option<Option<&str>> {
            v.as_ref().map(Option::as_deref)
        }
        [
            ("name", change(&self.name)),
            ("first_name", change(&self.first_name)),
            ("last_name", change(&self.last_name)),
            ("email", change(&self.email)),
            ("phone", change(&self.phone)),
        ]
    }
}
