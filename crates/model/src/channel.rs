//! The public configuration of a web chat channel, as the widget fetches it.
//!
//! `GET /api/public/v1/channels/{channel_id}` answers a [`ChannelConfig`].

use crate::ids::{ChannelId, FormId};
use serde::{Deserialize, Serialize};

/// What the widget needs to draw itself for one channel. Contains nothing secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ChannelConfig {
    /// Public id of the channel, as given to `Parlo.init({ channel })`.
    pub id: ChannelId,
    /// Name shown in the widget header, e.g. `Bloom & Brew`.
    pub name: String,
    /// Line shown under the name in the header, e.g. `Usually replies in a minute`.
    #[serde(default)]
    pub greeting: Option<String>,
    /// Look of the widget.
    #[serde(default)]
    pub theme: Theme,
    /// Starter questions offered before the first visitor message; pressing one sends
    /// its text as a visitor message.
    #[serde(default)]
    pub ice_breakers: Vec<String>,
    /// Origins (`scheme://host[:port]`, exact match) allowed to use this channel from a
    /// browser. Empty means every origin.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// Public id of a lead form the visitor fills in before the first chat, inside the
    /// panel (the pre-chat form). The widget shows it until the visitor has submitted it
    /// once on this browser; the lead joins the chat's subscriber when the form's
    /// `channel_id` is this channel. The public configuration leaves it out (`null`) while
    /// the workspace has no such published form.
    #[serde(default)]
    pub pre_chat_form: Option<FormId>,
}

/// Colours and placement of the widget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Theme {
    /// Accent colour as `#rrggbb`: launcher, header, visitor bubbles, buttons.
    pub primary_color: String,
    /// Text colour drawn on the accent colour, as `#rrggbb`.
    pub on_primary_color: String,
    /// Corner of the page the launcher sits in.
    pub position: Position,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            primary_color: "#2563eb".to_owned(),
            on_primary_color: "#ffffff".to_owned(),
            position: Position::Right,
        }
    }
}

/// Bottom corner of the page holding the launcher.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// Bottom left.
    Left,
    /// Bottom right (the default).
    Right,
}
