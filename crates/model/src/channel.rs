//! Web chat channels: the public configuration the widget fetches, and the settings an owner
//! manages.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/public/v1/channels/{channel_id}` | → [`ChannelConfig`] (no credentials) |
//! | GET | `/api/v1/channels?limit=&cursor=` | → `Page<Channel>` in id order |
//! | POST | `/api/v1/channels` | [`ChannelSettings`] → [`ChannelWithSecret`], 201 |
//! | GET | `/api/v1/channels/{channel_id}` | → [`Channel`] |
//! | PUT | `/api/v1/channels/{channel_id}` | [`ChannelSettings`] → [`Channel`] (replaced) |
//! | DELETE | `/api/v1/channels/{channel_id}?archive=` | → 204; 409 with conversations unless `archive=true` |
//! | POST | `/api/v1/channels/{channel_id}/rotate-identity-secret` | → [`ChannelWithSecret`] |
//!
//! A channel is what Chatwoot calls a website inbox and HighTouch a bot: one chat entry
//! point, used from the pages of its allowed origins through its embed snippet.

use crate::chat::{Button, QuickReply};
use crate::flow::ButtonDef;
use crate::form::{ORIGIN_PATTERN, is_valid_origin, pointer_token};
use crate::ids::{ChannelId, FlowId, FormId};
use crate::locale::{MAX_STRING_CHARS, StringOverrides, Strings, WIDGET_KEYS, is_language_tag};
use crate::problem::FieldError;
use crate::validate::{MemberRule, Rule, items, name};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest channel name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest greeting, in characters.
pub const MAX_GREETING_CHARS: usize = 200;
/// Longest launcher label, in characters.
pub const MAX_LAUNCHER_LABEL_CHARS: usize = 40;
/// Most allowed origins of one channel.
pub const MAX_ORIGINS: usize = 50;
/// Most weekly opening ranges of one channel.
pub const MAX_OPENING_RANGES: usize = 70;
/// Longest away message, in characters.
pub const MAX_AWAY_MESSAGE_CHARS: usize = 500;
/// Most ice breakers of one channel (Messenger's limit for its ice breakers is also 4).
pub const MAX_ICE_BREAKERS: usize = 4;
/// Most items of one channel's main menu.
pub const MAX_MENU_ITEMS: usize = 10;
/// Longest font family list, in characters.
pub const MAX_FONT_FAMILY_CHARS: usize = 200;
/// Largest corner radius of the panel and its bubbles, in CSS pixels.
pub const MAX_CORNER_RADIUS: u8 = 24;
/// Largest distance of the launcher from the bottom or side of the page, in CSS pixels.
pub const MAX_OFFSET: u16 = 200;
/// Longest proactive message, in characters.
pub const MAX_PROACTIVE_CHARS: usize = 200;
/// Longest wait before the proactive message shows, in seconds.
pub const MAX_PROACTIVE_DELAY: u32 = 3600;
/// Prefix of channel identity secrets.
pub const IDENTITY_SECRET_PREFIX: &str = "parlo_is_";

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
    /// Starter questions (ice breakers) offered before the visitor's first message;
    /// pressing one sends [`VisitorInput::Button`](crate::chat::VisitorInput::Button) with
    /// its payload and title, which starts the flow the owner chose for it.
    #[serde(default)]
    pub ice_breakers: Vec<QuickReply>,
    /// The persistent main menu, offered in the header at any time: a postback item starts
    /// its flow like a pressed button, a link item opens its URL in a new tab.
    #[serde(default)]
    pub main_menu: Vec<Button>,
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
    /// Whether someone answers now, from the channel's business hours; `null` when the
    /// channel has none (always online).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    /// The language the widget's strings are in: the first of the `locale` query's tags the
    /// channel has a language for (`de-AT` → `de`), else `en`. Absent when stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The widget's strings in [`ChannelConfig::locale`] by key (the built-in catalogue with
    /// the owner's [`ChannelSettings::strings`] over it); a key without one shows its English
    /// default. See `README.md`, "Languages", for the keys.
    #[serde(default, skip_serializing_if = "Strings::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::HashMap<String, String>))]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, string>"))]
    pub strings: Strings,
}

/// Online or away, from a channel's [`BusinessHours`] at the moment of the request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Availability {
    /// Whether now is inside one of the weekly opening ranges (in the hours' time zone).
    pub online: bool,
    /// What the widget says while away, e.g. `We're back tomorrow at 9`.
    pub away_message: String,
}

/// Colours, font, shape and placement of the widget, and its proactive message.
///
/// The look members (`font_family`, `corner_radius`, `offset_bottom`, `offset_side`,
/// `proactive_message`) exist with the crate feature `look`: the server, the management
/// client and its TypeScript types have them; the chat widget's wasm leaves them out and
/// skips them in the configuration it reads, since only its loader (`loader.js`) applies
/// them — which keeps their deserializer out of every visitor's download.
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
    /// Text beside the launcher icon (1..=40 characters), e.g. `Chat with us`; icon only
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launcher_label: Option<String>,
    /// CSS font family list of the widget's text ([`FONT_FAMILY_PATTERN`]: ASCII letters,
    /// digits, spaces, `,` `-` `_` and quotes, at most [`MAX_FONT_FAMILY_CHARS`]), e.g.
    /// `"Inter", sans-serif`; the font must be one the page already loads. The system font
    /// when absent.
    #[cfg(feature = "look")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_family: Option<String>,
    /// Corner radius of the panel and the message bubbles, in CSS pixels
    /// (0..=[`MAX_CORNER_RADIUS`]); 16 when absent.
    #[cfg(feature = "look")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corner_radius: Option<u8>,
    /// Distance of the launcher from the bottom of the page, in CSS pixels
    /// (0..=[`MAX_OFFSET`]); 20 when absent. The panel opens above the launcher.
    #[cfg(feature = "look")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_bottom: Option<u16>,
    /// Distance of the launcher from its side of the page ([`Theme::position`]), in CSS
    /// pixels (0..=[`MAX_OFFSET`]); 20 when absent.
    #[cfg(feature = "look")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_side: Option<u16>,
    /// A preview bubble beside the closed launcher, shown once the visitor has been on the
    /// page for its delay; none when absent.
    #[cfg(feature = "look")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proactive_message: Option<ProactiveMessage>,
}

/// A message the widget offers by itself: a bubble beside the launcher after the visitor
/// has been `delay_seconds` on the page. Pressing it opens the panel; its close button
/// dismisses it. Either way it does not show again on this browser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct ProactiveMessage {
    /// The bubble's text (1..=[`MAX_PROACTIVE_CHARS`] characters), e.g.
    /// `Need help choosing a bouquet?`.
    pub text: String,
    /// Seconds after the page loaded (0..=[`MAX_PROACTIVE_DELAY`]).
    #[serde(default)]
    pub delay_seconds: u32,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            primary_color: "#2563eb".to_owned(),
            on_primary_color: "#ffffff".to_owned(),
            position: Position::Right,
            launcher_label: None,
            #[cfg(feature = "look")]
            font_family: None,
            #[cfg(feature = "look")]
            corner_radius: None,
            #[cfg(feature = "look")]
            offset_bottom: None,
            #[cfg(feature = "look")]
            offset_side: None,
            #[cfg(feature = "look")]
            proactive_message: None,
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

/// What an owner sets on a channel: the body of `POST /api/v1/channels` and of
/// `PUT /api/v1/channels/{channel_id}` (which replaces every member). Unlike other bodies it
/// ignores unknown members, because [`Channel`] answers it flattened among its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({
    "name": "Shop chat",
    "allowed_origins": ["https://shop.example", "https://www.shop.example"],
    "greeting": "Hi! Questions about your order?",
    "theme": {
        "primary_color": "#b4532a", "on_primary_color": "#ffffff", "position": "right",
        "launcher_label": "Chat with us", "font_family": "Georgia, serif", "corner_radius": 8,
        "offset_bottom": 24, "offset_side": 24,
        "proactive_message": {"text": "Need help choosing a bouquet?", "delay_seconds": 10}
    },
    "welcome_flow": "welcome",
    "fallback_flow": "fallback",
    "business_hours": {
        "time_zone": "Europe/Paris",
        "weekly": [{"day": "monday", "open": "09:00", "close": "17:30"}],
        "away_message": "We're away; leave a message and we'll answer by e-mail."
    },
    "ice_breakers": [{"title": "Where is my order?", "flow": "order_status"}],
    "main_menu": [
        {"title": "Talk to sales", "flow": "sales"},
        {"title": "Returns policy", "url": "https://shop.example/returns"}
    ]
}))))]
pub struct ChannelSettings {
    /// Name shown in the widget header, 1..=100 characters, e.g. `Bloom & Brew`.
    pub name: String,
    /// Origins allowed to use the channel from a browser, 1..=50, each exactly as browsers
    /// send `Origin` (RFC 6454): `http` or `https`, a lower-case host, an optional port; no
    /// path, query, fragment, trailing `/` or wildcard. Compared byte for byte on every
    /// request, so a change applies to the next one.
    pub allowed_origins: Vec<String>,
    /// Line under the name in the widget header (at most 200 characters), e.g.
    /// `Usually replies in a minute`.
    #[serde(default)]
    pub greeting: Option<String>,
    /// Look of the widget.
    #[serde(default)]
    pub theme: Theme,
    /// A lead form of the workspace the visitor fills in before the first chat.
    #[serde(default)]
    pub pre_chat_form: Option<FormId>,
    /// The flow run when a new visitor opens the chat (a flow of the workspace); nothing
    /// runs when absent.
    #[serde(default)]
    pub welcome_flow: Option<FlowId>,
    /// The flow run on visitor text that nothing else answers (a flow of the workspace).
    #[serde(default)]
    pub fallback_flow: Option<FlowId>,
    /// Weekly opening hours; the widget shows online or away from them. Always online when
    /// absent.
    #[serde(default)]
    pub business_hours: Option<BusinessHours>,
    /// Starter questions shown before the visitor's first message, at most 4, each
    /// `{"title": "…", "flow": "…"}` (title 1..=40 characters, a flow of the workspace):
    /// pressing one shows its title as the visitor's message and starts its flow — the
    /// title is not matched against keywords. The order is the order shown.
    #[serde(default)]
    pub ice_breakers: Vec<ButtonDef>,
    /// The persistent main menu in the widget's header, at most 10 items, each
    /// `{"title": "…", "flow": "…"}` (starts the flow, wherever the conversation is) or
    /// `{"title": "…", "url": "https://…"}` (opens the page in a new tab).
    #[serde(default)]
    pub main_menu: Vec<ButtonDef>,
    /// The owner's own texts of the widget, per language: `{"de": {"widget.composer.placeholder":
    /// "Ihre Frage…"}}`. Tags as BCP 47 (`de`, `pt-BR`); keys among the widget's (`widget.*`,
    /// listed in `README.md`, "Languages"; others are refused with 422 naming them); texts
    /// 1..=300 characters. They win over the built-in catalogue; a language without one
    /// (e.g. `he`) becomes one the widget offers, English where it has no text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "openapi", schema(schema_with = strings_schema))]
    #[cfg_attr(feature = "ts", tsify(type = "Record<string, Record<string, string>>"))]
    pub strings: StringOverrides,
}

/// The OpenAPI schema of [`ChannelSettings::strings`]: language tags
/// ([`LANGUAGE_TAG_PATTERN`]) → objects whose members are among [`WIDGET_KEYS`], each a
/// text of 1..=[`MAX_STRING_CHARS`] characters.
#[cfg(feature = "openapi")]
fn strings_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let text = || {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(MAX_STRING_CHARS))
            .pattern(Some(crate::validate::NAME_PATTERN))
    };
    let texts = WIDGET_KEYS
        .iter()
        .fold(ObjectBuilder::new().schema_type(Type::Object), |o, key| {
            o.property(*key, text())
        })
        .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(
            false,
        )));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property_names(Some(ObjectBuilder::new().schema_type(Type::String).pattern(Some(crate::locale::LANGUAGE_TAG_PATTERN))))
        .additional_properties(Some(texts))
        .description(Some(
            "The owner's texts of the widget per language tag, e.g. `{\"de\": {\"widget.composer.placeholder\": \"Ihre Frage…\"}}`.",
        ))
        .into()
}

/// When someone answers the chat: weekly ranges in one time zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// IANA time zone name, e.g. `Europe/Paris` (the server checks it against its tz
    /// database); daylight saving time follows the zone's rules.
    pub time_zone: String,
    /// Up to 70 opening ranges; online when now is inside any of them.
    pub weekly: Vec<OpeningRange>,
    /// What the widget says while away (1..=500 characters).
    pub away_message: String,
}

/// One weekly opening range, local time of [`BusinessHours::time_zone`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct OpeningRange {
    /// Day of the week the range starts on.
    pub day: Weekday,
    /// Opening time `HH:MM` (24-hour clock, `00:00`..=`23:59`).
    pub open: String,
    /// Closing time `HH:MM`, after `open`; `24:00` is the end of the day.
    pub close: String,
}

/// A day of the week (ISO 8601 order, Monday first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[expect(missing_docs, reason = "the day names say it")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl BusinessHours {
    /// Whether a moment given as its local weekday and minutes since midnight (in
    /// [`BusinessHours::time_zone`]) is inside one of the weekly ranges.
    pub fn is_open_at(&self, day: Weekday, minute: u16) -> bool {
        self.weekly.iter().any(|range| {
            range.day == day
                && minutes_of_day(&range.open).is_some_and(|open| open <= minute)
                && minutes_of_day(&range.close).is_some_and(|close| minute < close)
        })
    }
}

impl Weekday {
    /// Every day, Monday first: `ALL[n]` is the day `n` days after Monday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];
}

/// Minutes since midnight of an `HH:MM` time (`00:00`..=`24:00`), `None` otherwise.
///
/// ```
/// use parlo_model::channel::minutes_of_day;
/// assert_eq!(minutes_of_day("09:30"), Some(570));
/// assert_eq!(minutes_of_day("24:00"), Some(1440));
/// assert_eq!(minutes_of_day("24:01"), None);
/// assert_eq!(minutes_of_day("9:30"), None);
/// ```
pub fn minutes_of_day(s: &str) -> Option<u16> {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' || !b.iter().enumerate().all(|(i, c)| i == 2 || c.is_ascii_digit()) {
        return None;
    }
    let hours = u16::from(b[0] - b'0') * 10 + u16::from(b[1] - b'0');
    let minutes = u16::from(b[3] - b'0') * 10 + u16::from(b[4] - b'0');
    let total = hours * 60 + minutes;
    (minutes < 60 && total <= 24 * 60).then_some(total)
}

/// Whether `s` is a colour `#rrggbb` (six hex digits, either case).
fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|c| c.is_ascii_hexdigit())
}

/// A font family list as `Theme::font_family` takes it, as an ECMA-262 regular
/// expression: it goes into the widget's CSS, so nothing that ends a declaration (`;`,
/// `{`, `}`) or escapes (`\`) may get through.
pub const FONT_FAMILY_PATTERN: &str = "^[A-Za-z0-9 ,_'\"-]{1,200}$";

/// Whether `s` matches [`FONT_FAMILY_PATTERN`].
///
/// ```
/// use parlo_model::channel::is_font_family;
/// assert!(is_font_family("\"Inter\", system-ui, sans-serif"));
/// assert!(!is_font_family("x;background:url(//evil.example)"));
/// assert!(!is_font_family(""));
/// ```
pub fn is_font_family(s: &str) -> bool {
    (1..=MAX_FONT_FAMILY_CHARS).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" ,_'\"-".contains(&b))
}

/// `#rrggbb` ([`is_hex_colour`]) as an ECMA-262 regular expression.
pub const COLOUR_PATTERN: &str = "^#[0-9a-fA-F]{6}$";
/// An opening time ([`minutes_of_day`], before `24:00`) as an ECMA-262 regular expression.
pub const OPEN_PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
/// A closing time ([`minutes_of_day`], `24:00` included) as an ECMA-262 regular expression.
pub const CLOSE_PATTERN: &str = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$";

/// What [`ChannelSettings::validate`] checks of one member at a time, for the API document
/// (a range closing before it opens, the time zone, the flows and form named, and which
/// members an ice breaker or menu item sets are checked, not stated; the rules of each item
/// are [`ButtonDef`]'s).
pub const SCHEMA_RULES: [MemberRule; 20] = [
    ("ChannelSettings", "name", name(MAX_NAME_CHARS)),
    ("ChannelSettings", "ice_breakers", items(0, MAX_ICE_BREAKERS)),
    ("ChannelSettings", "main_menu", items(0, MAX_MENU_ITEMS)),
    ("ChannelSettings", "greeting", name(MAX_GREETING_CHARS)),
    ("ChannelSettings", "allowed_origins", items(1, MAX_ORIGINS)),
    ("ChannelSettings", "allowed_origins", Rule::Unique),
    (
        "ChannelSettings",
        "allowed_origins/items",
        Rule::Pattern(ORIGIN_PATTERN),
    ),
    ("Theme", "primary_color", Rule::Pattern(COLOUR_PATTERN)),
    ("Theme", "on_primary_color", Rule::Pattern(COLOUR_PATTERN)),
    ("Theme", "launcher_label", name(MAX_LAUNCHER_LABEL_CHARS)),
    ("Theme", "font_family", Rule::Pattern(FONT_FAMILY_PATTERN)),
    ("Theme", "corner_radius", range(MAX_CORNER_RADIUS as u32)),
    ("Theme", "offset_bottom", range(MAX_OFFSET as u32)),
    ("Theme", "offset_side", range(MAX_OFFSET as u32)),
    ("ProactiveMessage", "text", name(MAX_PROACTIVE_CHARS)),
    ("ProactiveMessage", "delay_seconds", range(MAX_PROACTIVE_DELAY)),
    ("BusinessHours", "away_message", name(MAX_AWAY_MESSAGE_CHARS)),
    ("BusinessHours", "weekly", items(0, MAX_OPENING_RANGES)),
    ("OpeningRange", "open", Rule::Pattern(OPEN_PATTERN)),
    ("OpeningRange", "close", Rule::Pattern(CLOSE_PATTERN)),
];

/// The problems of `theme`'s look members ([`ChannelSettings::validate`]), in `errors`.
#[cfg(feature = "look")]
fn look_problems(theme: &Theme, errors: &mut Vec<FieldError>) {
    if let Some(proactive) = &theme.proactive_message
        && let Err(problem) = crate::validate::check_name(&proactive.text, MAX_PROACTIVE_CHARS)
    {
        errors.push(FieldError::new("/theme/proactive_message/text", problem));
    }
    if theme.font_family.as_deref().is_some_and(|f| !is_font_family(f)) {
        errors.push(FieldError::new(
            "/theme/font_family",
            format!(
                "must be a font family list of 1..={MAX_FONT_FAMILY_CHARS} ASCII letters, \
                 digits, spaces, commas, dashes, underscores and quotes"
            ),
        ));
    }
    for (pointer, value, max) in [
        (
            "/theme/corner_radius",
            theme.corner_radius.map(u32::from),
            u32::from(MAX_CORNER_RADIUS),
        ),
        (
            "/theme/offset_bottom",
            theme.offset_bottom.map(u32::from),
            u32::from(MAX_OFFSET),
        ),
        (
            "/theme/offset_side",
            theme.offset_side.map(u32::from),
            u32::from(MAX_OFFSET),
        ),
        (
            "/theme/proactive_message/delay_seconds",
            theme.proactive_message.as_ref().map(|p| p.delay_seconds),
            MAX_PROACTIVE_DELAY,
        ),
    ] {
        if value.is_some_and(|v| v > max) {
            errors.push(FieldError::new(pointer, format!("must be 0..={max}")));
        }
    }
}

/// A number in `0..=max`.
const fn range(max: u32) -> Rule {
    Rule::Range {
        min: 0.0,
        max: max as f64,
    }
}

impl ChannelSettings {
    /// Settings named `name` for `allowed_origins`, everything else at its default: no
    /// greeting, the default theme, no pre-chat form, flows or business hours, no ice
    /// breakers, main menu or own texts.
    pub fn new(name: String, allowed_origins: Vec<String>) -> Self {
        Self {
            name,
            allowed_origins,
            greeting: None,
            theme: Theme::default(),
            pre_chat_form: None,
            welcome_flow: None,
            fallback_flow: None,
            business_hours: None,
            ice_breakers: Vec::new(),
            main_menu: Vec::new(),
            strings: StringOverrides::new(),
        }
    }

    /// Every problem of these settings that needs nothing but the document (JSON pointers
    /// into it): lengths, origins, colours, times. The server also checks the time zone,
    /// that the form and flows exist in the workspace, and the ice breakers and main menu
    /// (with the sent-content rules of buttons and quick replies).
    ///
    /// ```
    /// use parlo_model::channel::ChannelSettings;
    /// let settings: ChannelSettings = serde_json::from_value(serde_json::json!({
    ///     "name": "Shop", "allowed_origins": ["https://shop.example/", "https://*.shop.example"]
    /// })).unwrap();
    /// let pointers: Vec<_> = settings.validate().into_iter().map(|e| e.pointer).collect();
    /// assert_eq!(pointers, ["/allowed_origins/0", "/allowed_origins/1"]);
    /// ```
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut text = |pointer: &str, value: &str, max: usize| {
            if let Err(problem) = crate::validate::check_name(value, max) {
                errors.push(FieldError::new(pointer, problem));
            }
        };
        text("/name", &self.name, MAX_NAME_CHARS);
        if let Some(greeting) = &self.greeting {
            text("/greeting", greeting, MAX_GREETING_CHARS);
        }
        if let Some(label) = &self.theme.launcher_label {
            text("/theme/launcher_label", label, MAX_LAUNCHER_LABEL_CHARS);
        }
        if let Some(hours) = &self.business_hours {
            text(
                "/business_hours/away_message",
                &hours.away_message,
                MAX_AWAY_MESSAGE_CHARS,
            );
        }
        if self.allowed_origins.is_empty() || self.allowed_origins.len() > MAX_ORIGINS {
            errors.push(FieldError::new(
                "/allowed_origins",
                format!("must list 1..={MAX_ORIGINS} origins"),
            ));
        }
        for (i, origin) in self.allowed_origins.iter().enumerate() {
            if !is_valid_origin(origin) {
                errors.push(FieldError::new(
                    format!("/allowed_origins/{i}"),
                    "must be an origin like https://shop.example or http://localhost:3000: \
                     http or https, a lower-case host, an optional port, nothing after it",
                ));
            } else if self.allowed_origins[..i].contains(origin) {
                errors.push(FieldError::new(
                    format!("/allowed_origins/{i}"),
                    "is listed twice",
                ));
            }
        }
        for (pointer, colour) in [
            ("/theme/primary_color", &self.theme.primary_color),
            ("/theme/on_primary_color", &self.theme.on_primary_color),
        ] {
            if !is_hex_colour(colour) {
                errors.push(FieldError::new(pointer, "must be a colour #rrggbb"));
            }
        }
        #[cfg(feature = "look")]
        look_problems(&self.theme, &mut errors);
        if let Some(hours) = &self.business_hours {
            if hours.weekly.len() > MAX_OPENING_RANGES {
                errors.push(FieldError::new(
                    "/business_hours/weekly",
                    format!("must list at most {MAX_OPENING_RANGES} ranges"),
                ));
            }
            for (i, range) in hours.weekly.iter().enumerate() {
                let at = |member: &str| format!("/business_hours/weekly/{i}/{member}");
                let open = minutes_of_day(&range.open).filter(|&m| m < 24 * 60);
                let close = minutes_of_day(&range.close);
                if open.is_none() {
                    errors.push(FieldError::new(at("open"), "must be a time HH:MM, 00:00..=23:59"));
                }
                match (open, close) {
                    (_, None) => errors.push(FieldError::new(
                        at("close"),
                        "must be a time HH:MM, 00:00..=24:00",
                    )),
                    (Some(open), Some(close)) if close <= open => {
                        errors.push(FieldError::new(at("close"), "must be after open"));
                    }
                    _ => {}
                }
            }
        }
        for (tag, texts) in &self.strings {
            let at = |key: &str| format!("/strings/{}/{}", pointer_token(tag), pointer_token(key));
            if !is_language_tag(tag) {
                errors.push(FieldError::new(
                    format!("/strings/{}", pointer_token(tag)),
                    "must be a language tag like de or pt-BR (BCP 47)",
                ));
            }
            for (key, value) in texts {
                if !WIDGET_KEYS.contains(&key.as_str()) {
                    errors.push(FieldError::new(
                        at(key),
                        format!(
                            "is not a string key of the widget; the keys are {}",
                            WIDGET_KEYS.join(", ")
                        ),
                    ));
                } else if let Err(problem) = crate::validate::check_name(value, MAX_STRING_CHARS) {
                    errors.push(FieldError::new(at(key), problem));
                }
            }
        }
        errors
    }
}

/// A channel as the management API answers it. Never holds the identity secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Channel {
    /// Public id of the channel, e.g. `ch_4ft9…` (`demo` for the demo's).
    pub id: ChannelId,
    /// Its settings.
    #[serde(flatten)]
    pub settings: ChannelSettings,
    /// The HTML to paste into the pages of the allowed origins, e.g.
    /// `<script type="module" async src="https://chat.example.com/embed.js" data-channel="ch_4ft9…"></script>`.
    pub embed_snippet: String,
    /// When the channel was archived (RFC 3339 UTC): its public API answers 404 and the
    /// widget says the chat is not available. `null` while active.
    pub archived_at: Option<String>,
    /// When the channel was created, RFC 3339 UTC.
    pub created_at: String,
}

/// A channel with its identity secret, answered only on create and on rotation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ChannelWithSecret {
    /// The channel.
    #[serde(flatten)]
    pub channel: Channel,
    /// The secret the site's backend signs visitor identities with (HMAC-SHA256),
    /// `parlo_is_` + 40 base62 characters; shown only now.
    pub identity_secret: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(value: serde_json::Value) -> ChannelSettings {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_channel_reads_back_with_its_flattened_settings() {
        let channel = Channel {
            id: "ch_1".into(),
            settings: settings(json!({"name": "Shop", "allowed_origins": ["https://shop.example"]})),
            embed_snippet: "<script></script>".into(),
            archived_at: None,
            created_at: "2026-01-01T00:00:00Z".into(),
        };
        let with_secret = ChannelWithSecret {
            channel,
            identity_secret: "parlo_is_x".into(),
        };
        let text = serde_json::to_string(&with_secret).unwrap();
        assert_eq!(
            serde_json::from_str::<ChannelWithSecret>(&text).unwrap(),
            with_secret
        );
        let channel: Channel = serde_json::from_str(&text).unwrap();
        assert_eq!(channel, with_secret.channel);
    }

    #[test]
    fn bad_settings_are_named_by_pointer() {
        let bad = settings(json!({
            "name": " ", "allowed_origins": ["http://ok.example:8080", "ftp://x.example", "http://ok.example:8080"],
            "theme": {"primary_color": "blue", "on_primary_color": "#FFFFFF", "position": "left"},
            "business_hours": {"time_zone": "UTC", "away_message": "Away",
                "weekly": [{"day": "monday", "open": "18:00", "close": "09:00"}, {"day": "friday", "open": "24:00", "close": "24:00"}]}
        }));
        let pointers: Vec<_> = bad.validate().into_iter().map(|e| e.pointer).collect();
        assert_eq!(
            pointers,
            [
                "/name",
                "/allowed_origins/1",
                "/allowed_origins/2",
                "/theme/primary_color",
                "/business_hours/weekly/0/close",
                "/business_hours/weekly/1/open",
            ]
        );
    }

    #[test]
    fn hours_are_open_from_open_until_before_close() {
        let s = settings(
            json!({"name": "Shop", "allowed_origins": ["https://shop.example"],
            "business_hours": {"time_zone": "UTC", "away_message": "Away",
                "weekly": [{"day": "monday", "open": "09:00", "close": "17:00"}]}}),
        );
        let hours = s.business_hours.unwrap();
        assert!(!hours.is_open_at(Weekday::Monday, 8 * 60 + 59));
        assert!(hours.is_open_at(Weekday::Monday, 9 * 60));
        assert!(!hours.is_open_at(Weekday::Monday, 17 * 60));
        assert!(!hours.is_open_at(Weekday::Tuesday, 10 * 60));
    }
}
