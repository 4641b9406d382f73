//! Flow documents: the bot's conversation logic as JSON, and its triggers.
//!
//! A [`Flow`] is a map of named [`Step`]s with a `start` step. Steps run one after the
//! other through `next` until one waits for the visitor (a question, or a message with
//! buttons or quick replies) or the flow ends. A [`Step::Condition`] picks its `then` or
//! `else` step by [`Condition`]s on the subscriber's tags and fields, the channel and the
//! business hours.
//!
//! ```
//! use parlo_model::flow::Flow;
//! let flow = Flow::from_json(r#"{
//!   "id": "welcome", "name": "Welcome", "start": "hi",
//!   "steps": { "hi": { "type": "message", "text": "Hello {{first_name|there}}!" } }
//! }"#).unwrap();
//! assert_eq!(flow.steps.len(), 1);
//! let errors = Flow::from_json(r#"{"id":"x","name":"X","start":"nope","steps":{}}"#).unwrap_err();
//! assert_eq!(errors[0].pointer, "/start");
//! ```

use crate::chat::{Image, MAX_ALT_CHARS, MAX_CARD_BUTTONS, MAX_CARD_TEXT_CHARS, MAX_CARDS};
use crate::conversation::ContentCard;
use crate::ids::{ChannelId, FlowId, StepId};
use crate::keyword::Keyword;
use crate::problem::FieldError;
use crate::shop::{SKU_PATTERN, is_sku};
use crate::validate::{EMAIL, FieldKind, MemberRule, Rule, URL, items, non_blank, normalise_email, up_to};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest bot text of a step, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest button or quick reply title, in characters.
pub const MAX_TITLE_CHARS: usize = 40;
/// Most buttons under one message.
pub const MAX_BUTTONS: usize = 10;
/// Most quick replies after one message (Messenger's documented limit).
pub const MAX_QUICK_REPLIES: usize = 13;
/// Longest typing delay of one step, in milliseconds.
pub const MAX_DELAY_MS: u32 = 10_000;
/// Longest flow name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest tag name a step adds or removes, in characters.
pub const MAX_TAG_CHARS: usize = 64;
/// Most conditions of one condition step.
pub const MAX_CONDITIONS: usize = 20;
/// Most choices of one `choice` question (as many as quick replies can offer).
pub const MAX_CHOICES: usize = MAX_QUICK_REPLIES;

/// A flow document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// Id, unique within the workspace: 1..=64 of `[a-z0-9_-]`.
    pub id: FlowId,
    /// Human name, 1..=100 characters.
    pub name: String,
    /// The step the flow starts at.
    pub start: StepId,
    /// The steps by id (ids: 1..=64 of `[a-z0-9_-]`).
    pub steps: BTreeMap<StepId, Step>,
    /// The folder the flow is filed in, a path like `sales/quotes` (see [`is_valid_folder`]);
    /// absent for the top level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
}

/// Most levels of a folder path.
pub const MAX_FOLDER_DEPTH: usize = 8;

/// [`is_valid_folder`] as an ECMA-262 regular expression.
pub const FOLDER_PATTERN: &str = "^[a-z0-9_-]{1,64}(/[a-z0-9_-]{1,64}){0,7}$";

/// [`is_valid_folder`], or empty (the top level, where a query takes one), as an ECMA-262
/// regular expression.
pub const FOLDER_OR_TOP_PATTERN: &str = "^([a-z0-9_-]{1,64}(/[a-z0-9_-]{1,64}){0,7})?$";

/// Checks a folder path: 1..=[`MAX_FOLDER_DEPTH`] names joined by `/`, each a flow id
/// (1..=64 of `[a-z0-9_-]`), e.g. `sales/quotes`.
///
/// ```
/// use parlo_model::flow::is_valid_folder;
/// assert!(is_valid_folder("sales/quotes"));
/// assert!(!is_valid_folder("sales/"));
/// assert!(!is_valid_folder("/sales"));
/// assert!(!is_valid_folder("Sales"));
/// ```
pub fn is_valid_folder(path: &str) -> bool {
    let names: Vec<&str> = path.split('/').collect();
    names.len() <= MAX_FOLDER_DEPTH && names.iter().all(|n| is_valid_id(n))
}

/// A folder of flows, as listed by `GET /api/v1/flow-folders`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FlowFolder {
    /// The folder's path, e.g. `sales/quotes`.
    pub path: String,
    /// Its last name, e.g. `quotes`.
    pub name: String,
    /// Flows filed directly in it.
    pub flows: u32,
    /// Folders directly in it.
    pub folders: u32,
}

/// One step of a flow. In JSON, `type` names the kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Sends a message. `text` may use `{{variables}}` (see the engine crate). With
    /// buttons or quick replies the flow waits for a press, unless `next` is also set.
    Message {
        /// Text, 1..=2000 characters, with `{{variables}}`.
        text: String,
        /// Buttons under the text.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<ButtonDef>,
        /// Quick replies offered after the text.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quick_replies: Vec<ButtonDef>,
        /// The step to run next, at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Sends an image, with an optional caption. Like a message step, it goes on at once
    /// to `next`, or ends the flow.
    Image {
        /// Absolute `http`/`https` URL, at most 2000 bytes.
        url: String,
        /// What the image shows, 0..=300 characters (empty for a decorative image).
        #[serde(default)]
        alt: String,
        /// Caption shown with the image, 1..=2000 characters, with `{{variables}}`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        /// The step to run next, at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Sends one card. Its buttons work like a message step's: with a `next` or `flow`
    /// button the flow waits for a press, unless `next` is also set.
    Card {
        /// Title, 1..=80 characters, with `{{variables}}`.
        title: String,
        /// Second line, at most 80 characters, with `{{variables}}`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subtitle: Option<String>,
        /// Image above the title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        image: Option<Image>,
        /// Up to 3 buttons.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<ButtonDef>,
        /// The step to run next, at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Sends 1..=10 cards side by side; their buttons work like a card step's.
    Carousel {
        /// The cards.
        cards: Vec<ContentCard>,
        /// The step to run next, at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Asks a question and waits; a valid answer is saved in custom field `field`, an
    /// invalid one is answered with `invalid_text` (or the kind's default message) and the
    /// question is asked again.
    Question {
        /// The question, with `{{variables}}`.
        text: String,
        /// Custom field receiving the answer: 1..=64 of `[a-z0-9_]`.
        field: String,
        /// Kind of answer expected.
        kind: QuestionKind,
        /// The accepted answers of a `choice` question, 1..=13 titles of 1..=40
        /// characters, offered as quick replies; only with `kind: choice`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        choices: Vec<String>,
        /// Message shown before re-asking after an invalid answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        invalid_text: Option<String>,
        /// The step to run after a valid answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Adds a tag to the subscriber.
    AddTag {
        /// Tag name, 1..=64 characters.
        tag: String,
        /// The step to run next.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Removes a tag from the subscriber.
    RemoveTag {
        /// Tag name, 1..=64 characters.
        tag: String,
        /// The step to run next.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Sets a custom field to a value (a template with `{{variables}}`).
    SetField {
        /// Custom field name: 1..=64 of `[a-z0-9_]`.
        field: String,
        /// The value template.
        value: String,
        /// The step to run next.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Clears a custom field of the subscriber (as if never set).
    ClearField {
        /// Custom field name: 1..=64 of `[a-z0-9_]`; the field must exist.
        field: String,
        /// The step to run next.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Branches: runs `then` when the conditions hold (`all` of them, or `any`), else
    /// `else`; a missing branch ends the flow.
    Condition {
        /// Whether `all` conditions must hold (the default) or `any` one.
        #[serde(default, rename = "match")]
        matching: Match,
        /// 1..=20 conditions.
        conditions: Vec<Condition>,
        /// The step run when the conditions hold.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        then: Option<StepId>,
        /// The step run when they do not.
        #[serde(default, rename = "else", skip_serializing_if = "Option::is_none")]
        otherwise: Option<StepId>,
    },
    /// Calls webhook endpoint `endpoint_id` of the workspace and waits for its answer: a
    /// `POST` of `{"type": "flow.webhook", "timestamp", "data"}` signed per Standard
    /// Webhooks like every delivery to the endpoint, whose `data` holds the `flow_id`, the
    /// `step_id`, the `subscriber` (`id`, `fields`, `tags`) and the flow's `payload`. A 2xx
    /// answer runs `next`, after saving into custom fields what `save` points at in its JSON
    /// body; no answer within `timeout_seconds`, another status, a body over 64 KiB or not
    /// JSON runs `failure`. It is tried once (the visitor is waiting); SSRF rules apply as
    /// to every delivery to the endpoint.
    Webhook {
        /// Id of the webhook endpoint (`/api/v1/webhook-endpoints/{id}`); it must exist.
        endpoint_id: i64,
        /// Up to 20 entries: custom field name → JSON pointer (RFC 6901) into the answer's
        /// body, e.g. `{"order_status": "/order/status"}`. A string is saved as it is, a
        /// number or boolean as its JSON text, an object or array as its JSON; a pointer
        /// to nothing or to `null` leaves the field as it was.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        save: BTreeMap<String, String>,
        /// How long to wait for the answer, 1..=10 seconds; 5 when left out.
        #[serde(default = "default_webhook_timeout")]
        timeout_seconds: u32,
        /// The step run after a 2xx answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
        /// The step run when the call failed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        failure: Option<StepId>,
    },
    /// E-mails `text` to the site owner over SMTP (as a form's e-mail automation does;
    /// the delivery is retried and listed among the workspace's deliveries, event type
    /// `flow.notification`), then goes on at once.
    NotifyOwner {
        /// The recipient's e-mail address (as an e-mail automation's `to`).
        to: String,
        /// The notification, 1..=2000 characters, with `{{variables}}`.
        text: String,
        /// The step to run next.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Hands the conversation over to a person and ends the flow: pauses the bot for the
    /// subscriber until resumed (`POST /api/v1/subscribers/{id}/resume-bot`), adds a
    /// system notice (`text`, else [`HAND_OVER_NOTICE`]), and
    /// sends the event `conversation.handed_over` to `email` and to webhook endpoint
    /// `endpoint_id` when set. The widget shows the notice; agent messages arrive live.
    HandOver {
        /// The notice, 1..=2000 characters, with `{{variables}}`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        /// E-mail address to notify.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email: Option<String>,
        /// Webhook endpoint to notify; it must exist.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endpoint_id: Option<i64>,
    },
    /// Shows the typing indicator for `ms` milliseconds, then goes on.
    Delay {
        /// Duration, 1..=10000 ms.
        ms: u32,
        /// The step to run next.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Shows products of the workspace's shop as a carousel, one card per product (its
    /// first image, name, price and description) with an "Add to cart" button, or one
    /// button per variant for a product with variants (its first three). A press adds one
    /// piece to the subscriber's cart and the bot confirms it with the cart's size and
    /// total, offering to view the cart, check out or keep shopping (this step again).
    /// Like a carousel step, the flow then waits for a press, unless `next` is set.
    ShowProducts {
        /// The products shown, by their own SKU, in this order: 0..=10 SKUs; empty: the
        /// first 10 active products (by id). Inactive and unknown products are left out.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        products: Vec<String>,
        /// The step run when "Check out" is pressed (e.g. a question for the e-mail
        /// address before a `checkout` step); absent: the subscriber checks out at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        checkout: Option<StepId>,
        /// The step to run next, at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Shows the subscriber's cart: each line with its quantity and price, and the total
    /// (or that it is empty), with a "Check out" button.
    ShowCart {
        /// The step run when "Check out" is pressed; absent: the subscriber checks out at
        /// once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        checkout: Option<StepId>,
        /// The step to run next, at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<StepId>,
    },
    /// Orders the subscriber's cart and ends the flow: the order is created `pending` as
    /// `POST /api/v1/orders` with the subscriber's cart does (stock taken, cart emptied,
    /// `order.created` automations run), the buyer being the subscriber's `name` (else
    /// `first_name` and `last_name`, else the e-mail address), `email` and `phone` fields.
    /// The bot then sends the payment link of the shop settings' `payment_url` (see
    /// [`crate::shop::ShopSettings`]), or says the order was received. An empty cart, a
    /// subscriber without an `email` field and a line out of stock are told in the chat;
    /// nothing is ordered then.
    Checkout {},
    /// Goes to another step of this flow, or to the start of another flow.
    Goto {
        /// The target step of this flow.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<StepId>,
        /// The target flow (its start step). Exactly one of `step` and `flow` is set.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        flow: Option<FlowId>,
    },
}

/// The notice of a hand-over step without `text`.
pub const HAND_OVER_NOTICE: &str = "A person from our team will reply here soon.";
/// Default of a webhook step's `timeout_seconds`.
pub const DEFAULT_WEBHOOK_TIMEOUT_SECONDS: u32 = 5;
/// Longest wait of a webhook step, in seconds.
pub const MAX_WEBHOOK_TIMEOUT_SECONDS: u32 = 10;
/// Most fields one webhook step saves.
pub const MAX_WEBHOOK_SAVES: usize = 20;
/// Longest JSON pointer of a webhook step's `save`, in characters.
pub const MAX_POINTER_CHARS: usize = 200;
/// A JSON pointer (RFC 6901): empty, or `/` and reference tokens.
pub const POINTER_PATTERN: &str = "^(/[\\s\\S]*)?$";

fn default_webhook_timeout() -> u32 {
    DEFAULT_WEBHOOK_TIMEOUT_SECONDS
}

impl Step {
    /// The buttons of a message, card or carousel step in press order (a carousel's cards
    /// one after the other; a button's place in this list is the index its press names),
    /// each with its JSON pointer below the step, e.g. `cards/1/buttons/0`; empty for
    /// other steps.
    pub fn buttons(&self) -> Vec<(String, &ButtonDef)> {
        fn listed<'a>(under: &str, list: &'a [ButtonDef]) -> impl Iterator<Item = (String, &'a ButtonDef)> {
            (0..list.len())
                .map(move |i| format!("{under}buttons/{i}"))
                .zip(list)
        }
        match self {
            Step::Message { buttons, .. } | Step::Card { buttons, .. } => listed("", buttons).collect(),
            Step::Carousel { cards, .. } => cards
                .iter()
                .enumerate()
                .flat_map(|(c, card)| listed(&format!("cards/{c}/"), &card.buttons).collect::<Vec<_>>())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The step a shop step (`show_products`, `show_cart`) runs when its "Check out" is
    /// pressed: `Some(Some(step))` for its `checkout` step, `Some(None)` when it checks out
    /// at once; `None` for other steps.
    pub fn checkout_step(&self) -> Option<Option<&StepId>> {
        match self {
            Step::ShowProducts { checkout, .. } | Step::ShowCart { checkout, .. } => Some(checkout.as_ref()),
            _ => None,
        }
    }

    /// The quick replies of a message step; empty for other steps.
    pub fn quick_replies(&self) -> &[ButtonDef] {
        match self {
            Step::Message { quick_replies, .. } => quick_replies,
            _ => &[],
        }
    }
}

/// The kind of answer a question step expects: a custom field kind, a date or one of
/// the offered choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Any non-blank text (see [`FieldKind::Text`]).
    Text,
    /// An e-mail address (see [`FieldKind::Email`]).
    Email,
    /// A phone number (see [`FieldKind::Phone`]).
    Phone,
    /// A number (see [`FieldKind::Number`]).
    Number,
    /// A calendar date, stored as ISO 8601 `YYYY-MM-DD` (see [`FieldKind::Date`]).
    Date,
    /// One of the step's `choices`, matched ignoring case and accents, stored as the
    /// choice is written.
    Choice,
    /// A rating from 1 to 5, e.g. for feedback (see [`FieldKind::Rating`]): the chat
    /// widget shows five stars instead of the text box.
    Rating,
}

impl QuestionKind {
    /// The field kind whose input the chat widget offers for the answer (a date picker for
    /// dates, five stars for a rating); answers other than choices must pass its [`crate::validate::check_answer`].
    /// Choices are typed as text (and also offered as quick replies) and matched against
    /// the step's `choices`.
    pub fn expects(self) -> FieldKind {
        match self {
            QuestionKind::Text | QuestionKind::Choice => FieldKind::Text,
            QuestionKind::Email => FieldKind::Email,
            QuestionKind::Phone => FieldKind::Phone,
            QuestionKind::Number => FieldKind::Number,
            QuestionKind::Date => FieldKind::Date,
            QuestionKind::Rating => FieldKind::Rating,
        }
    }
}

/// Whether a condition step needs all of its conditions or any one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// Every condition holds (none: true).
    #[default]
    All,
    /// At least one condition holds.
    Any,
}

/// One test of a condition step. In JSON, `type` names the kind. The shape follows
/// Typebot's condition block (comparisons of a value by an operator such as "is set",
/// "contains", "greater than", joined by AND or OR) and the "all" / "any" switch of chat
/// builders' condition steps; unlike Typebot's, `greater` and `less` are strict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The subscriber has this tag (the tag must exist).
    HasTag {
        /// Tag name, 1..=64 characters.
        tag: String,
    },
    /// The subscriber does not have this tag (the tag must exist).
    HasNotTag {
        /// Tag name, 1..=64 characters.
        tag: String,
    },
    /// A custom field of the subscriber compared by `op` (the field must exist).
    Field {
        /// Custom field name: 1..=64 of `[a-z0-9_]`.
        field: String,
        /// The comparison.
        op: FieldOp,
        /// What to compare with, a template with `{{variables}}` (e.g. `{{current_date}}`),
        /// up to 2000 characters; required by every `op` but `is_set` and `is_not_set`,
        /// which take none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    },
    /// The conversation is on this channel (the channel must exist).
    Channel {
        /// The channel's id.
        channel: ChannelId,
    },
    /// The channel's business hours say someone answers now (`open: true`), or not
    /// (`open: false`); a channel without business hours is always open.
    BusinessHours {
        /// Whether the condition is "inside" (`true`) or "outside" (`false`) the hours.
        open: bool,
    },
}

/// How a [`Condition::Field`] compares the field's value with the condition's.
///
/// `equals`, `greater` and `less` compare as numbers when both sides are numbers, as dates
/// when both are ISO 8601 dates or RFC 3339 date-times (by their date when one side is a
/// date only), else as text ignoring case; `contains` is a text test ignoring case. A field
/// that is not set (or blank) satisfies only `is_not_set`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum FieldOp {
    /// The field has a non-blank value.
    IsSet,
    /// The field has no value, or a blank one.
    IsNotSet,
    /// The value equals `value`.
    Equals,
    /// The value contains `value`.
    Contains,
    /// The value is greater than `value`.
    Greater,
    /// The value is less than `value`.
    Less,
}

impl FieldOp {
    /// Whether the operator compares with a `value`.
    pub fn takes_value(self) -> bool {
        !matches!(self, FieldOp::IsSet | FieldOp::IsNotSet)
    }
}

/// A workspace record a flow reads, which must exist when the flow is stored (steps that
/// write tags and fields create the missing ones instead).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needed<'a> {
    /// A tag, by name.
    Tag(&'a str),
    /// A custom field, by name.
    Field(&'a str),
    /// A channel, by id.
    Channel(&'a ChannelId),
    /// A webhook endpoint, by id.
    Endpoint(i64),
}

/// A button or quick reply of a message step. Exactly one target is set; quick replies
/// take no `url`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct ButtonDef {
    /// Label, 1..=40 characters.
    pub title: String,
    /// Step of this flow run when pressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<StepId>,
    /// Flow started when pressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<FlowId>,
    /// `http`/`https` link opened when pressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// How a channel's bot is triggered. Stored per channel on the server, never public.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct BotConfig {
    /// The default start flow, run when a new visitor opens the chat; nothing runs
    /// without one.
    #[serde(default)]
    pub start_flow: Option<FlowId>,
    /// Keywords, tried in order on every visitor text, before an awaited question's answer
    /// (see [`crate::keyword`]).
    #[serde(default)]
    pub keywords: Vec<Keyword>,
    /// Flow run on visitor text that matches no keyword and answers no question.
    #[serde(default)]
    pub fallback_flow: Option<FlowId>,
}

fn is_slug(s: &str, extra: &[char]) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || extra.contains(&c))
}

/// [`is_valid_id`] as an ECMA-262 regular expression (the OpenAPI `pattern` of flow, step
/// and form ids and workspace slugs).
pub const ID_PATTERN: &str = "^[a-z0-9_-]{1,64}$";
/// [`is_valid_field_name`] as an ECMA-262 regular expression.
pub const FIELD_NAME_PATTERN: &str = "^[a-z0-9_]{1,64}$";

/// Checks a step or flow id: 1..=64 of `[a-z0-9_-]`.
pub fn is_valid_id(s: &str) -> bool {
    is_slug(s, &['-'])
}

/// Checks a custom field name: 1..=64 of `[a-z0-9_]`.
pub fn is_valid_field_name(s: &str) -> bool {
    is_slug(s, &[])
}

/// What [`Flow::validate`] checks of one member at a time, for the API document (the
/// checks spanning members, such as a `next` naming a step, are not stated there).
pub const SCHEMA_RULES: [MemberRule; 46] = [
    ("Flow", "name", non_blank(MAX_NAME_CHARS)),
    ("Flow", "folder", Rule::Pattern(FOLDER_PATTERN)),
    ("Flow", "steps/propertyNames", Rule::Pattern(ID_PATTERN)),
    ("Step", "", Rule::Closed),
    ("FlowId", "", Rule::Pattern(ID_PATTERN)),
    ("StepId", "", Rule::Pattern(ID_PATTERN)),
    ("StepMessage", "text", non_blank(MAX_TEXT_CHARS)),
    ("StepMessage", "buttons", items(0, MAX_BUTTONS)),
    ("StepMessage", "quick_replies", items(0, MAX_QUICK_REPLIES)),
    ("StepQuestion", "text", non_blank(MAX_TEXT_CHARS)),
    ("StepQuestion", "field", Rule::Pattern(FIELD_NAME_PATTERN)),
    ("StepQuestion", "invalid_text", non_blank(MAX_TEXT_CHARS)),
    ("StepAddTag", "tag", non_blank(MAX_TAG_CHARS)),
    ("StepRemoveTag", "tag", non_blank(MAX_TAG_CHARS)),
    ("StepSetField", "field", Rule::Pattern(FIELD_NAME_PATTERN)),
    ("StepSetField", "value", up_to(MAX_TEXT_CHARS)),
    (
        "StepDelay",
        "ms",
        Rule::Range {
            min: 1.0,
            max: MAX_DELAY_MS as f64,
        },
    ),
    ("ButtonDef", "title", non_blank(MAX_TITLE_CHARS)),
    ("ButtonDef", "url", URL),
    ("StepQuestion", "choices", items(0, MAX_CHOICES)),
    ("StepQuestion", "choices/items", non_blank(MAX_TITLE_CHARS)),
    ("StepClearField", "field", Rule::Pattern(FIELD_NAME_PATTERN)),
    ("StepCondition", "conditions", items(1, MAX_CONDITIONS)),
    ("ConditionHasTag", "tag", non_blank(MAX_TAG_CHARS)),
    ("ConditionHasNotTag", "tag", non_blank(MAX_TAG_CHARS)),
    ("ConditionField", "field", Rule::Pattern(FIELD_NAME_PATTERN)),
    ("ConditionField", "value", up_to(MAX_TEXT_CHARS)),
    ("StepImage", "url", URL),
    ("StepImage", "alt", up_to(MAX_ALT_CHARS)),
    ("StepImage", "text", non_blank(MAX_TEXT_CHARS)),
    ("StepCard", "title", non_blank(MAX_CARD_TEXT_CHARS)),
    ("StepCard", "subtitle", up_to(MAX_CARD_TEXT_CHARS)),
    ("StepCard", "buttons", items(0, MAX_CARD_BUTTONS)),
    ("StepCarousel", "cards", items(1, MAX_CARDS)),
    ("StepWebhook", "endpoint_id", ENDPOINT_ID),
    (
        "StepWebhook",
        "save",
        Rule::Properties {
            min: 0,
            max: MAX_WEBHOOK_SAVES,
        },
    ),
    (
        "StepWebhook",
        "save/propertyNames",
        Rule::Pattern(FIELD_NAME_PATTERN),
    ),
    (
        "StepWebhook",
        "save/additionalProperties",
        Rule::Text {
            min: 0,
            max: MAX_POINTER_CHARS,
            pattern: POINTER_PATTERN,
        },
    ),
    (
        "StepWebhook",
        "timeout_seconds",
        Rule::Range {
            min: 1.0,
            max: MAX_WEBHOOK_TIMEOUT_SECONDS as f64,
        },
    ),
    ("StepNotifyOwner", "to", EMAIL),
    ("StepNotifyOwner", "text", non_blank(MAX_TEXT_CHARS)),
    ("StepHandOver", "text", non_blank(MAX_TEXT_CHARS)),
    ("StepHandOver", "email", EMAIL),
    ("StepHandOver", "endpoint_id", ENDPOINT_ID),
    ("StepShowProducts", "products", items(0, MAX_CARDS)),
    ("StepShowProducts", "products/items", Rule::Pattern(SKU_PATTERN)),
];

/// A webhook endpoint id.
const ENDPOINT_ID: Rule = Rule::Range {
    min: 1.0,
    max: i64::MAX as f64,
};

fn check_len(errors: &mut Vec<FieldError>, pointer: String, s: &str, max: usize) {
    let n = s.chars().count();
    if n == 0 || s.trim().is_empty() {
        errors.push(FieldError::new(pointer, "must not be blank"));
    } else if n > max {
        errors.push(FieldError::new(
            pointer,
            format!("must be at most {max} characters, is {n}"),
        ));
    }
}

fn check_field_name(errors: &mut Vec<FieldError>, pointer: String, field: &str) {
    if !is_valid_field_name(field) {
        errors.push(FieldError::new(pointer, "must be 1..=64 of a-z, 0-9 and _"));
    }
}

fn check_email(errors: &mut Vec<FieldError>, pointer: String, email: &str) {
    if normalise_email(email).is_none() {
        errors.push(FieldError::new(pointer, FieldKind::Email.invalid_message()));
    }
}

fn check_endpoint(errors: &mut Vec<FieldError>, pointer: String, id: i64) {
    if id < 1 {
        errors.push(FieldError::new(
            pointer,
            "must be a webhook endpoint id (1 or more)",
        ));
    }
}

fn validate_condition(errors: &mut Vec<FieldError>, at: &str, condition: &Condition) {
    match condition {
        Condition::HasTag { tag } | Condition::HasNotTag { tag } => {
            check_len(errors, format!("{at}/tag"), tag, MAX_TAG_CHARS);
        }
        Condition::Field { field, op, value } => {
            check_field_name(errors, format!("{at}/field"), field);
            match (op.takes_value(), value) {
                (true, None) => errors.push(FieldError::new(
                    format!("{at}/value"),
                    "this operator compares with a 'value'",
                )),
                (false, Some(_)) => errors.push(FieldError::new(
                    format!("{at}/value"),
                    "'is_set' and 'is_not_set' take no 'value'",
                )),
                (_, Some(value)) if value.chars().count() > MAX_TEXT_CHARS => errors.push(FieldError::new(
                    format!("{at}/value"),
                    format!("at most {MAX_TEXT_CHARS} characters"),
                )),
                _ => {}
            }
        }
        Condition::Channel { channel } => {
            check_len(errors, format!("{at}/channel"), channel.as_str(), MAX_NAME_CHARS);
        }
        Condition::BusinessHours { .. } => {}
    }
}

/// Escapes a JSON pointer reference token (RFC 6901 §3).
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

impl Flow {
    /// Parses and validates a flow document.
    ///
    /// # Errors
    /// A JSON error gives one [`FieldError`] at pointer `""`; a well-formed document that
    /// breaks rules gives every problem found (see [`Flow::validate`]).
    pub fn from_json(json: &str) -> Result<Flow, Vec<FieldError>> {
        let flow: Flow = serde_json::from_str(json)
            .map_err(|e| vec![FieldError::new("", format!("not a valid flow document: {e}"))])?;
        let errors = flow.validate();
        if errors.is_empty() { Ok(flow) } else { Err(errors) }
    }

    /// Lists every rule this flow breaks, each with a JSON pointer into the document.
    /// References to other flows are checked by [`check_flow_refs`], which sees them all.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !is_valid_id(self.id.as_str()) {
            errors.push(FieldError::new("/id", "must be 1..=64 of a-z, 0-9, _ and -"));
        }
        check_len(&mut errors, "/name".into(), &self.name, MAX_NAME_CHARS);
        if let Some(folder) = &self.folder
            && !is_valid_folder(folder)
        {
            errors.push(FieldError::new(
                "/folder",
                format!("must be 1..={MAX_FOLDER_DEPTH} names of 1..=64 of a-z, 0-9, _ and - joined by /"),
            ));
        }
        if !self.steps.contains_key(&self.start) {
            errors.push(FieldError::new(
                "/start",
                format!("no step named '{}'", self.start),
            ));
        }
        for (id, step) in &self.steps {
            let at = format!("/steps/{}", token(id.as_str()));
            if !is_valid_id(id.as_str()) {
                errors.push(FieldError::new(
                    at.clone(),
                    "step id must be 1..=64 of a-z, 0-9, _ and -",
                ));
            }
            self.validate_step(&mut errors, &at, step);
        }
        errors
    }

    fn check_next(&self, errors: &mut Vec<FieldError>, pointer: String, next: &Option<StepId>) {
        if let Some(next) = next
            && !self.steps.contains_key(next)
        {
            errors.push(FieldError::new(pointer, format!("no step named '{next}'")));
        }
    }

    fn validate_step(&self, errors: &mut Vec<FieldError>, at: &str, step: &Step) {
        match step {
            Step::Message {
                text,
                buttons,
                quick_replies,
                next,
            } => {
                check_len(errors, format!("{at}/text"), text, MAX_TEXT_CHARS);
                if buttons.len() > MAX_BUTTONS {
                    errors.push(FieldError::new(
                        format!("{at}/buttons"),
                        format!("at most {MAX_BUTTONS} buttons"),
                    ));
                }
                if quick_replies.len() > MAX_QUICK_REPLIES {
                    errors.push(FieldError::new(
                        format!("{at}/quick_replies"),
                        format!("at most {MAX_QUICK_REPLIES} quick replies"),
                    ));
                }
                for (i, b) in buttons.iter().enumerate() {
                    self.validate_button(errors, &format!("{at}/buttons/{i}"), b, true);
                }
                for (i, b) in quick_replies.iter().enumerate() {
                    self.validate_button(errors, &format!("{at}/quick_replies/{i}"), b, false);
                }
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::Image { url, alt, text, next } => {
                self.validate_image(errors, at, url, alt);
                if let Some(text) = text {
                    check_len(errors, format!("{at}/text"), text, MAX_TEXT_CHARS);
                }
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::Card {
                title,
                subtitle,
                image,
                buttons,
                next,
            } => {
                self.validate_card(errors, at, title, subtitle.as_deref(), image.as_ref(), buttons);
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::Carousel { cards, next } => {
                if !(1..=MAX_CARDS).contains(&cards.len()) {
                    errors.push(FieldError::new(
                        format!("{at}/cards"),
                        format!("must hold 1..={MAX_CARDS} cards"),
                    ));
                }
                for (i, card) in cards.iter().enumerate() {
                    self.validate_card(
                        errors,
                        &format!("{at}/cards/{i}"),
                        &card.title,
                        card.subtitle.as_deref(),
                        card.image.as_ref(),
                        &card.buttons,
                    );
                }
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::Question {
                text,
                field,
                kind,
                choices,
                invalid_text,
                next,
            } => {
                check_len(errors, format!("{at}/text"), text, MAX_TEXT_CHARS);
                check_field_name(errors, format!("{at}/field"), field);
                match (kind, choices.len()) {
                    (QuestionKind::Choice, 1..=MAX_CHOICES) => {}
                    (QuestionKind::Choice, _) => errors.push(FieldError::new(
                        format!("{at}/choices"),
                        format!("a choice question offers 1..={MAX_CHOICES} choices"),
                    )),
                    (_, 0) => {}
                    _ => errors.push(FieldError::new(
                        format!("{at}/choices"),
                        "only a question of kind 'choice' offers choices",
                    )),
                }
                for (i, choice) in choices.iter().enumerate() {
                    check_len(errors, format!("{at}/choices/{i}"), choice, MAX_TITLE_CHARS);
                }
                if let Some(t) = invalid_text {
                    check_len(errors, format!("{at}/invalid_text"), t, MAX_TEXT_CHARS);
                }
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::AddTag { tag, next } | Step::RemoveTag { tag, next } => {
                check_len(errors, format!("{at}/tag"), tag, MAX_TAG_CHARS);
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::SetField { field, value, next } => {
                check_field_name(errors, format!("{at}/field"), field);
                if value.chars().count() > MAX_TEXT_CHARS {
                    errors.push(FieldError::new(
                        format!("{at}/value"),
                        format!("at most {MAX_TEXT_CHARS} characters"),
                    ));
                }
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::ClearField { field, next } => {
                check_field_name(errors, format!("{at}/field"), field);
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::Condition {
                conditions,
                then,
                otherwise,
                ..
            } => {
                if !(1..=MAX_CONDITIONS).contains(&conditions.len()) {
                    errors.push(FieldError::new(
                        format!("{at}/conditions"),
                        format!("must hold 1..={MAX_CONDITIONS} conditions"),
                    ));
                }
                for (i, condition) in conditions.iter().enumerate() {
                    validate_condition(errors, &format!("{at}/conditions/{i}"), condition);
                }
                self.check_next(errors, format!("{at}/then"), then);
                self.check_next(errors, format!("{at}/else"), otherwise);
            }
            Step::Webhook {
                endpoint_id,
                save,
                timeout_seconds,
                next,
                failure,
            } => {
                check_endpoint(errors, format!("{at}/endpoint_id"), *endpoint_id);
                if save.len() > MAX_WEBHOOK_SAVES {
                    errors.push(FieldError::new(
                        format!("{at}/save"),
                        format!("at most {MAX_WEBHOOK_SAVES} fields"),
                    ));
                }
                for (field, pointer) in save {
                    let at = format!("{at}/save/{}", token(field));
                    check_field_name(errors, at.clone(), field);
                    if !(pointer.is_empty() || pointer.starts_with('/'))
                        || pointer.chars().count() > MAX_POINTER_CHARS
                    {
                        errors.push(FieldError::new(
                            at,
                            format!("must be a JSON pointer: empty or starting with '/', at most {MAX_POINTER_CHARS} characters"),
                        ));
                    }
                }
                if !(1..=MAX_WEBHOOK_TIMEOUT_SECONDS).contains(timeout_seconds) {
                    errors.push(FieldError::new(
                        format!("{at}/timeout_seconds"),
                        format!("must be 1..={MAX_WEBHOOK_TIMEOUT_SECONDS} seconds"),
                    ));
                }
                self.check_next(errors, format!("{at}/next"), next);
                self.check_next(errors, format!("{at}/failure"), failure);
            }
            Step::NotifyOwner { to, text, next } => {
                check_email(errors, format!("{at}/to"), to);
                check_len(errors, format!("{at}/text"), text, MAX_TEXT_CHARS);
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::HandOver {
                text,
                email,
                endpoint_id,
            } => {
                if let Some(text) = text {
                    check_len(errors, format!("{at}/text"), text, MAX_TEXT_CHARS);
                }
                if let Some(email) = email {
                    check_email(errors, format!("{at}/email"), email);
                }
                if let Some(id) = endpoint_id {
                    check_endpoint(errors, format!("{at}/endpoint_id"), *id);
                }
            }
            Step::Delay { ms, next } => {
                if !(1..=MAX_DELAY_MS).contains(ms) {
                    errors.push(FieldError::new(
                        format!("{at}/ms"),
                        format!("must be 1..={MAX_DELAY_MS} milliseconds"),
                    ));
                }
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::ShowProducts {
                products,
                checkout,
                next,
            } => {
                if products.len() > MAX_CARDS {
                    errors.push(FieldError::new(
                        format!("{at}/products"),
                        format!("at most {MAX_CARDS} products"),
                    ));
                }
                for (i, sku) in products.iter().enumerate() {
                    if !is_sku(sku) {
                        errors.push(FieldError::new(
                            format!("{at}/products/{i}"),
                            "must be a SKU: 1..=64 of A-Z, a-z, 0-9, '.', '_' and '-'",
                        ));
                    } else if products[..i].contains(sku) {
                        errors.push(FieldError::new(format!("{at}/products/{i}"), "is listed twice"));
                    }
                }
                self.check_next(errors, format!("{at}/checkout"), checkout);
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::ShowCart { checkout, next } => {
                self.check_next(errors, format!("{at}/checkout"), checkout);
                self.check_next(errors, format!("{at}/next"), next);
            }
            Step::Checkout {} => {}
            Step::Goto { step, flow } => match (step, flow) {
                (Some(_), None) => self.check_next(errors, format!("{at}/step"), step),
                (None, Some(_)) => {}
                _ => errors.push(FieldError::new(at, "set exactly one of 'step' and 'flow'")),
            },
        }
    }

    /// The tags, custom fields, channels and webhook endpoints this flow reads (in
    /// conditions, `clear_field`, `webhook` and `hand_over` steps), with the JSON pointer of
    /// each reference; they must exist in the workspace.
    pub fn needed_records(&self) -> Vec<(String, Needed<'_>)> {
        let mut needed = Vec::new();
        for (id, step) in &self.steps {
            let at = format!("/steps/{}", token(id.as_str()));
            match step {
                Step::ClearField { field, .. } => {
                    needed.push((format!("{at}/field"), Needed::Field(field)));
                }
                Step::Webhook { endpoint_id, .. }
                | Step::HandOver {
                    endpoint_id: Some(endpoint_id),
                    ..
                } => {
                    needed.push((format!("{at}/endpoint_id"), Needed::Endpoint(*endpoint_id)));
                }
                Step::Condition { conditions, .. } => {
                    for (i, condition) in conditions.iter().enumerate() {
                        let at = format!("{at}/conditions/{i}");
                        match condition {
                            Condition::HasTag { tag } | Condition::HasNotTag { tag } => {
                                needed.push((format!("{at}/tag"), Needed::Tag(tag)));
                            }
                            Condition::Field { field, .. } => {
                                needed.push((format!("{at}/field"), Needed::Field(field)));
                            }
                            Condition::Channel { channel } => {
                                needed.push((format!("{at}/channel"), Needed::Channel(channel)));
                            }
                            Condition::BusinessHours { .. } => {}
                        }
                    }
                }
                _ => {}
            }
        }
        needed
    }

    fn validate_image(&self, errors: &mut Vec<FieldError>, at: &str, url: &str, alt: &str) {
        if let Err(problem) = crate::link::check_web_url(url) {
            errors.push(FieldError::new(format!("{at}/url"), problem));
        }
        let n = alt.chars().count();
        if n > MAX_ALT_CHARS {
            errors.push(FieldError::new(
                format!("{at}/alt"),
                format!("must be at most {MAX_ALT_CHARS} characters, is {n}"),
            ));
        }
    }

    fn validate_card(
        &self,
        errors: &mut Vec<FieldError>,
        at: &str,
        title: &str,
        subtitle: Option<&str>,
        image: Option<&Image>,
        buttons: &[ButtonDef],
    ) {
        check_len(errors, format!("{at}/title"), title, MAX_CARD_TEXT_CHARS);
        if let Some(subtitle) = subtitle
            && subtitle.chars().count() > MAX_CARD_TEXT_CHARS
        {
            errors.push(FieldError::new(
                format!("{at}/subtitle"),
                format!("at most {MAX_CARD_TEXT_CHARS} characters"),
            ));
        }
        if let Some(image) = image {
            self.validate_image(errors, &format!("{at}/image"), &image.url, &image.alt);
        }
        if buttons.len() > MAX_CARD_BUTTONS {
            errors.push(FieldError::new(
                format!("{at}/buttons"),
                format!("at most {MAX_CARD_BUTTONS} buttons"),
            ));
        }
        for (i, b) in buttons.iter().enumerate() {
            self.validate_button(errors, &format!("{at}/buttons/{i}"), b, true);
        }
    }

    fn validate_button(&self, errors: &mut Vec<FieldError>, at: &str, b: &ButtonDef, url_allowed: bool) {
        check_len(errors, format!("{at}/title"), &b.title, MAX_TITLE_CHARS);
        let targets = [b.next.is_some(), b.flow.is_some(), b.url.is_some()]
            .iter()
            .filter(|t| **t)
            .count();
        if targets != 1 {
            let what = if url_allowed {
                "'next', 'flow' and 'url'"
            } else {
                "'next' and 'flow'"
            };
            errors.push(FieldError::new(at, format!("set exactly one of {what}")));
        }
        self.check_next(errors, format!("{at}/next"), &b.next);
        if let Some(url) = &b.url {
            if !url_allowed {
                errors.push(FieldError::new(
                    format!("{at}/url"),
                    "quick replies cannot open links",
                ));
            } else if let Err(problem) = crate::link::check_web_url(url) {
                errors.push(FieldError::new(format!("{at}/url"), problem));
            }
        }
    }

    /// Flows this flow may start (through `goto` steps and buttons).
    pub fn referenced_flows(&self) -> impl Iterator<Item = (String, &FlowId)> {
        self.steps.iter().flat_map(|(id, step)| {
            let at = format!("/steps/{}", token(id.as_str()));
            let mut refs = Vec::new();
            if let Step::Goto { flow: Some(f), .. } = step {
                refs.push((format!("{at}/flow"), f));
            }
            let quick_replies = step
                .quick_replies()
                .iter()
                .enumerate()
                .map(|(i, b)| (format!("quick_replies/{i}"), b));
            for (under, b) in step.buttons().into_iter().chain(quick_replies) {
                if let Some(f) = &b.flow {
                    refs.push((format!("{at}/{under}/flow"), f));
                }
            }
            refs
        })
    }
}

impl BotConfig {
    /// The flows this bot configuration starts, with the JSON pointer of each reference:
    /// `/start_flow`, `/keywords/{i}/flow`, `/fallback_flow`.
    pub fn referenced_flows(&self) -> impl Iterator<Item = (String, &FlowId)> {
        let keywords = self
            .keywords
            .iter()
            .enumerate()
            .map(|(i, k)| (format!("/keywords/{i}/flow"), &k.flow));
        self.start_flow
            .iter()
            .map(|f| ("/start_flow".to_owned(), f))
            .chain(keywords)
            .chain(
                self.fallback_flow
                    .iter()
                    .map(|f| ("/fallback_flow".to_owned(), f)),
            )
    }
}

/// Checks that every flow `flow` refers to is one of `known`; returns the dangling ones.
pub fn check_flow_refs<'a>(flow: &Flow, known: impl Fn(&FlowId) -> bool + 'a) -> Vec<FieldError> {
    flow.referenced_flows()
        .filter(|(_, f)| !known(f))
        .map(|(at, f)| FieldError::new(at, format!("no flow named '{f}'")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_problem() {
        let errors = Flow::from_json(
            r#"{"id":"Bad Id","name":"","start":"a","steps":{
                "a":{"type":"message","text":"","buttons":[{"title":"x"}],"next":"zz"},
                "b":{"type":"question","text":"?","field":"E-mail","kind":"email"},
                "c":{"type":"delay","ms":0},
                "d":{"type":"goto"}
            }}"#,
        )
        .unwrap_err();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/id",
                "/name",
                "/steps/a/text",
                "/steps/a/buttons/0",
                "/steps/a/next",
                "/steps/b/field",
                "/steps/c/ms",
                "/steps/d"
            ]
        );
    }

    #[test]
    fn checks_conditions_choices_and_clear_field() {
        let errors = Flow::from_json(
            r#"{"id":"f","name":"F","start":"a","steps":{
                "a":{"type":"condition","match":"any","conditions":[
                    {"type":"has_tag","tag":" "},
                    {"type":"field","field":"Age","op":"greater"},
                    {"type":"field","field":"age","op":"is_set","value":"1"},
                    {"type":"business_hours","open":true}
                ],"then":"b","else":"nope"},
                "b":{"type":"condition","conditions":[]},
                "c":{"type":"question","text":"?","field":"size","kind":"choice"},
                "d":{"type":"question","text":"?","field":"size","kind":"text","choices":["S"]},
                "e":{"type":"clear_field","field":"X","next":"gone"}
            }}"#,
        )
        .unwrap_err();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/steps/a/conditions/0/tag",
                "/steps/a/conditions/1/field",
                "/steps/a/conditions/1/value",
                "/steps/a/conditions/2/value",
                "/steps/a/else",
                "/steps/b/conditions",
                "/steps/c/choices",
                "/steps/d/choices",
                "/steps/e/field",
                "/steps/e/next",
            ]
        );
    }

    #[test]
    fn checks_webhook_notify_and_hand_over_steps() {
        let errors = Flow::from_json(
            r#"{"id":"f","name":"F","start":"a","steps":{
                "a":{"type":"webhook","endpoint_id":0,"timeout_seconds":11,
                     "save":{"Status":"/s","ok":"no-slash"},"next":"b","failure":"nope"},
                "b":{"type":"notify_owner","to":"owner","text":" ","next":"c"},
                "c":{"type":"hand_over","text":"","email":"x@y","endpoint_id":-1},
                "d":{"type":"webhook","endpoint_id":2},
                "e":{"type":"hand_over"}
            }}"#,
        )
        .unwrap_err();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/steps/a/endpoint_id",
                "/steps/a/save/Status",
                "/steps/a/save/ok",
                "/steps/a/timeout_seconds",
                "/steps/a/failure",
                "/steps/b/to",
                "/steps/b/text",
                "/steps/c/text",
                "/steps/c/email",
                "/steps/c/endpoint_id",
            ]
        );
        let flow = Flow::from_json(
            r#"{"id":"f","name":"F","start":"d","steps":{
                "d":{"type":"webhook","endpoint_id":2,"next":"h"},
                "h":{"type":"hand_over","endpoint_id":5}}}"#,
        )
        .unwrap();
        assert!(matches!(
            flow.steps[&StepId::from("d")],
            Step::Webhook {
                timeout_seconds: 5,
                ..
            }
        ));
        let needed: Vec<_> = flow.needed_records().into_iter().map(|(_, n)| n).collect();
        assert_eq!(needed, [Needed::Endpoint(2), Needed::Endpoint(5)]);
    }

    #[test]
    fn checks_image_card_and_carousel_steps() {
        let long = "x".repeat(MAX_CARD_TEXT_CHARS + 1);
        let json = r#"{"id":"f","name":"F","start":"a","steps":{
                "a":{"type":"image","url":"javascript:alert(1)","alt":"ALT","text":" ","next":"nope"},
                "b":{"type":"card","title":"","subtitle":"LONG","image":{"url":"ftp://x"},
                    "buttons":[{"title":"1","next":"a"},{"title":"2","url":"https://e.x"},
                               {"title":"3","flow":"g"},{"title":"4","next":"zz"}]},
                "c":{"type":"carousel","cards":[]},
                "d":{"type":"carousel","cards":[{"title":"T","buttons":[{"title":"x"}]}],"next":"a"}
            }}"#
        .replace("ALT", &"a".repeat(MAX_ALT_CHARS + 1))
        .replace("LONG", &long);
        let errors = Flow::from_json(&json).unwrap_err();
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/steps/a/url",
                "/steps/a/alt",
                "/steps/a/text",
                "/steps/a/next",
                "/steps/b/title",
                "/steps/b/subtitle",
                "/steps/b/image/url",
                "/steps/b/buttons",
                "/steps/b/buttons/3/next",
                "/steps/c/cards",
                "/steps/d/cards/0/buttons/0",
            ]
        );
        let flow = Flow::from_json(
            r#"{"id":"f","name":"F","start":"a","steps":{
                "a":{"type":"carousel","cards":[{"title":"A"},{"title":"B","buttons":[{"title":"x","flow":"g"}]}]}}}"#,
        )
        .unwrap();
        assert_eq!(
            check_flow_refs(&flow, |_| false),
            [FieldError::new(
                "/steps/a/cards/1/buttons/0/flow",
                "no flow named 'g'"
            )]
        );
    }

    #[test]
    fn lists_the_records_a_flow_reads() {
        let flow = Flow::from_json(
            r#"{"id":"f","name":"F","start":"a","steps":{
                "a":{"type":"condition","conditions":[
                    {"type":"has_not_tag","tag":"vip"},
                    {"type":"field","field":"age","op":"less","value":"18"},
                    {"type":"channel","channel":"web"}
                ],"then":"b"},
                "b":{"type":"clear_field","field":"plan"},
                "c":{"type":"add_tag","tag":"created-when-missing"}
            }}"#,
        )
        .unwrap();
        let channel = ChannelId::from("web");
        assert_eq!(
            flow.needed_records(),
            [
                ("/steps/a/conditions/0/tag".to_owned(), Needed::Tag("vip")),
                ("/steps/a/conditions/1/field".to_owned(), Needed::Field("age")),
                (
                    "/steps/a/conditions/2/channel".to_owned(),
                    Needed::Channel(&channel)
                ),
                ("/steps/b/field".to_owned(), Needed::Field("plan")),
            ]
        );
    }

    #[test]
    fn rejects_unknown_step_kinds_and_members() {
        let e =
            Flow::from_json(r#"{"id":"f","name":"F","start":"a","steps":{"a":{"type":"launch_rocket"}}}"#);
        assert!(e.unwrap_err()[0].message.contains("launch_rocket"));
        let e = Flow::from_json(
            r#"{"id":"f","name":"F","start":"a","steps":{"a":{"type":"delay","ms":5,"colour":1}}}"#,
        );
        assert!(e.unwrap_err()[0].message.contains("colour"));
    }

    #[test]
    fn finds_dangling_flow_refs() {
        let flow = Flow::from_json(
            r#"{"id":"f","name":"F","start":"a","steps":{
                "a":{"type":"message","text":"hi","quick_replies":[{"title":"Go","flow":"other"}],"next":"b"},
                "b":{"type":"goto","flow":"f"}}}"#,
        )
        .unwrap();
        let errors = check_flow_refs(&flow, |f| f.as_str() == "f");
        assert_eq!(
            errors,
            [FieldError::new(
                "/steps/a/quick_replies/0/flow",
                "no flow named 'other'"
            )]
        );
    }
}
