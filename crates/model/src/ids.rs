//! Typed identifiers. On the wire each is a plain JSON string.
//!
//! ```
//! use parlo_model::ids::ChannelId;
//! let id: ChannelId = serde_json::from_str("\"demo\"").unwrap();
//! assert_eq!(id.as_str(), "demo");
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "ts", derive(tsify::Tsify))]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
    };
}

id_type!(
    /// Public id of a channel (one website chat entry point), e.g. `demo`.
    ChannelId
);
id_type!(
    /// Id of a subscriber (a visitor known to a workspace), e.g. `sub_01H…`.
    SubscriberId
);
/// A visitor message id as the server checks it (1..=64 of `[A-Za-z0-9_-]`), as an
/// ECMA-262 regular expression; server-made ids (`msg_` + 20 base62) match it too.
pub const MESSAGE_ID_PATTERN: &str = "^[A-Za-z0-9_-]{1,64}$";

id_type!(
    /// Id of a message. Visitor messages carry a client-generated id (a UUID is
    /// recommended) that doubles as the idempotency key of the send.
    MessageId
);
id_type!(
    /// Id of a flow, unique within a workspace, e.g. `welcome`.
    FlowId
);
id_type!(
    /// Id of a step, unique within its flow, e.g. `ask_email`.
    StepId
);
id_type!(
    /// Public id of a lead form, unique on the server, e.g. `quote`: 1..=64 of
    /// `[a-z0-9_-]`.
    FormId
);
id_type!(
    /// Id of a lead (one accepted form submission), e.g. `lead_01H…`.
    LeadId
);
