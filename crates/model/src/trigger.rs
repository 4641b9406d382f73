//! The API trigger: `POST /api/v1/flows/{flow_id}/trigger` takes a [`TriggerFlow`] and
//! answers a [`FlowTriggered`].
//!
//! One call finds a subscriber (by id, e-mail, phone or a custom field value), creates them
//! when absent or updates them (profile members, custom fields, tags), and starts the flow
//! with payload variables — the Floatchat "API Trigger", e.g. for an external website form
//! whose submission should greet its sender. With an `Idempotency-Key` header the call runs
//! once per key.
//!
//! ```
//! use parlo_model::trigger::{SubscriberMatch, TriggerFlow};
//! let body: TriggerFlow = serde_json::from_str(r#"{
//!   "find": {"type": "email", "email": "ada@example.com"},
//!   "channel_id": "demo",
//!   "name": "Ada Lovelace",
//!   "tags": ["newsletter"],
//!   "payload": {"order": "A-1042"}
//! }"#).unwrap();
//! assert!(matches!(body.find, SubscriberMatch::Email { .. }));
//! ```

use crate::chat::Message;
use crate::ids::{ChannelId, SubscriberId};
use crate::subscriber::{ProfileChanges, Subscriber, given};
use crate::tag::{FieldValue, IdOrName};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How [`TriggerFlow`] finds its subscriber; `type` names the way. When several
/// subscribers match, the oldest (first created) is taken.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum SubscriberMatch {
    /// The subscriber of this id; it must exist (404 otherwise: an id cannot be created).
    Id {
        /// Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`.
        subscriber_id: SubscriberId,
    },
    /// The subscriber whose `email` field is this address, ignoring case; a subscriber
    /// created gets it as their e-mail.
    Email {
        /// An e-mail address, e.g. `ada@example.com`.
        email: String,
    },
    /// The subscriber whose `phone` field is this number (compared as `+` and digits); a
    /// subscriber created gets it as their phone.
    Phone {
        /// A phone number, e.g. `+44 20 7946 0958`.
        phone: String,
    },
    /// The subscriber whose custom field `field` holds `value` (compared in the field's
    /// canonical form); a subscriber created gets that value.
    Field {
        /// The custom field, by id or name; it must exist.
        field: IdOrName,
        /// The value, checked against the field's type.
        value: String,
    },
}

/// Body of `POST /api/v1/flows/{flow_id}/trigger`.
///
/// The profile members, `fields` and `tags` are set on the subscriber found or created
/// (checked as for `POST /api/v1/subscribers`: names 1..=100 characters, an e-mail unique
/// in the workspace, fields that exist, tags by id or by name, a new name creating the
/// tag); nothing is ever cleared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({
    "find": {"type": "email", "email": "ada@example.com"},
    "channel_id": "demo",
    "name": "Ada Lovelace",
    "tags": ["newsletter"],
    "payload": {"order": "A-1042"}
}))))]
#[serde(deny_unknown_fields)]
pub struct TriggerFlow {
    /// How to find the subscriber.
    pub find: SubscriberMatch,
    /// The channel of the workspace a subscriber created belongs to; required when none
    /// matches (422 otherwise), not used for one found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
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
    /// Custom field values to set (by id or name; the fields must exist), at most 100.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldValue>,
    /// Tags to add, by id or name (a new name creates the tag), at most 100.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<IdOrName>,
    /// Payload variables of the flow's `{{payload.<key>}}` texts, with the rules of
    /// [`SendFlow::payload`](crate::conversation::SendFlow::payload).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::conversation::payload_schema))]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, string | number | boolean>"))]
    pub payload: BTreeMap<String, serde_json::Value>,
}

impl TriggerFlow {
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

/// Answer of `POST /api/v1/flows/{flow_id}/trigger`: the subscriber and what ran. A repeat
/// with a known `Idempotency-Key` answers exactly the first answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FlowTriggered {
    /// The subscriber as the call left them (after the flow's own field and tag changes).
    pub subscriber: Subscriber,
    /// `true` when no subscriber matched and this call created one.
    pub created: bool,
    /// The bot messages the flow sent now, in `seq` order; they are also in the
    /// subscriber's conversation history and pushed to their open widget.
    pub messages: Vec<Message>,
    /// `true` when more of the flow comes later (after a delay step).
    #[serde(default)]
    pub delayed: bool,
}
