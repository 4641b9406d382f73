//! Parlo's flow engine: pure logic, no I/O.
//!
//! [`run`] takes the bot (its flows and triggers), the subscriber's [`Profile`], the
//! conversation's [`ConversationState`] and one [`Input`], and returns the [`Output`]s to
//! carry out in order: messages to send, typing delays, and profile [`Effect`]s. The
//! [`Context`] brings what the engine cannot know by itself (the channel, today's date,
//! business hours, bot fields, randomness), so a run depends on its arguments only. The caller
//! stores the new state and applies effects; the engine has already applied them to the
//! profile it was given, so later steps of the same run see them.
//!
//! ```
//! use parlo_engine::{run, Bot, Context, ConversationState, Input, Output, Profile};
//! use parlo_model::flow::{BotConfig, Flow};
//! let flow = Flow::from_json(r#"{"id":"hi","name":"Hi","start":"a",
//!     "steps":{"a":{"type":"message","text":"Hello {{first_name|there}}!"}}}"#).unwrap();
//! let bot = Bot::new(BotConfig { start_flow: Some("hi".into()), keywords: vec![], fallback_flow: None }, vec![flow]);
//! let (mut profile, mut state) = (Profile::default(), ConversationState::default());
//! let out = run(&bot, &Context::default(), &mut profile, &mut state, Input::Start);
//! assert!(matches!(&out[1], Output::Message(m) if m.text == "Hello there!"));
//! ```
//!
//! # Flow statistics
//!
//! Besides what to carry out, a run reports what to count, as [`Output::Track`]:
//! - [`Track::Sent`]: a message, image, card, carousel or question step sent its message (re-asking a question
//!   after an invalid answer is not counted again);
//! - [`Track::Pressed`]: a postback button or quick reply of a message, card or carousel
//!   step was pressed;
//! - [`Track::Completed`]: the flow **completed** at this step: the walk ran the step and
//!   the flow has nothing left to do, because the step has no `next` (for a condition: the
//!   branch it took, `then` or `else`, is unset) and does not wait (it
//!   is not a question, and not a message, card or carousel offering postback buttons or
//!   quick replies), or
//!   because it is a `goto` to another flow (which then runs, and may complete in turn).
//!   A walk cut by [`MAX_STEPS_PER_RUN`] or by a step that does not exist does not
//!   complete. A hand-over step completes the flow; a webhook step waits for its answer.
//! - [`Track::Outcome`]: a condition step took its `then` or `else` branch, a webhook
//!   step's call succeeded or failed, a hand-over step handed the conversation over.
#![deny(missing_docs)]

mod condition;
mod keyword;
mod payload;
mod run;
mod template;

pub use condition::segment_holds;
pub use parlo_model::flow_statistics::StepOutcome;
pub use payload::{flow_payload, payload_flow, shop_payload};
pub use run::run;
pub use template::{Variables, render};

use parlo_model::chat::MessageContent;
use parlo_model::flow::{BotConfig, Flow};
use parlo_model::ids::{ChannelId, FlowId, StepId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Most steps one [`run`] executes before it stops (guards against `goto` loops).
pub const MAX_STEPS_PER_RUN: usize = 100;

/// A channel's bot: its triggers and every flow they can reach.
#[derive(Clone, Debug)]
pub struct Bot {
    /// Triggers.
    pub config: BotConfig,
    /// Flows by id.
    pub flows: HashMap<FlowId, Flow>,
}

impl Bot {
    /// A bot from its config and flows.
    pub fn new(config: BotConfig, flows: Vec<Flow>) -> Self {
        Self {
            config,
            flows: flows.into_iter().map(|f| (f.id.clone(), f)).collect(),
        }
    }
}

/// What the engine knows of the subscriber: custom fields and tags.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Custom field values by field name, e.g. `email` → `ada@example.com`.
    pub fields: BTreeMap<String, String>,
    /// Tag names.
    pub tags: BTreeSet<String>,
}

/// What the caller tells the engine about one run: facts from outside the conversation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    /// The channel of the conversation (conditions of type `channel`).
    pub channel: Option<ChannelId>,
    /// Today as ISO 8601 `YYYY-MM-DD` (`{{current_date}}`); the engine reads no clock.
    pub today: String,
    /// Whether now is outside the channel's business hours (conditions of type
    /// `business_hours`); `false` for a channel without hours, which is always open.
    pub away: bool,
    /// The workspace's bot fields that are set, by name (`{{bot.<name>}}`).
    pub bot_fields: BTreeMap<String, String>,
    /// Seed of the choices of spin text (`[[a|b|c]]`, see [`render`]): random in
    /// production, fixed in tests so that runs repeat.
    pub seed: u64,
}

/// Where a conversation stands between inputs. Stored as JSON by the server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationState {
    /// The question step waiting for an answer, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awaiting: Option<StepRef>,
    /// Payload variables of the last [`Input::StartFlow`] (`{{payload.<key>}}` in
    /// templates, see [`render`]); kept until the next `StartFlow` replaces them, so steps
    /// after a question or a button press still see them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub payload: BTreeMap<String, String>,
}

/// A step of a flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRef {
    /// The flow.
    pub flow: FlowId,
    /// The step within it.
    pub step: StepId,
}

/// One event the bot reacts to.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A new visitor: run the default start flow.
    Start,
    /// Visitor text: an answer to the awaited question, else a keyword, else the fallback.
    Text(String),
    /// A pressed button or quick reply, by the payload the engine put on it.
    Button(String),
    /// The answer to the call of the webhook step at `at` ([`Output::CallWebhook`]):
    /// `Some(body)` after a 2xx answer (its JSON body, `null` when empty), `None` when the
    /// call failed. Saves the step's fields from the body and goes on to its `next`, or to
    /// its `failure`; a step that is gone (the flow was edited) does nothing.
    WebhookAnswer {
        /// The webhook step.
        at: StepRef,
        /// The answer's body, or `None` for a failure.
        answer: Option<serde_json::Value>,
    },
    /// Start a flow from its start step (API, form automation, ice breaker) with payload
    /// variables, which replace those of any earlier start.
    StartFlow {
        /// The flow.
        flow: FlowId,
        /// Variables for `{{payload.<key>}}`, e.g. `order` → `A-1042`.
        payload: BTreeMap<String, String>,
    },
}

impl Input {
    /// Start `flow` without payload variables.
    pub fn start_flow(flow: impl Into<FlowId>) -> Self {
        Input::StartFlow {
            flow: flow.into(),
            payload: BTreeMap::new(),
        }
    }
}

/// Something to carry out, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Send this bot message.
    Message(MessageContent),
    /// Show the typing indicator, then wait this many milliseconds before the outputs after it.
    Delay(u32),
    /// Change the subscriber's profile.
    Effect(Effect),
    /// Count this in the flow statistics (see the crate docs).
    Track(Track),
    /// Call the webhook endpoint of the webhook step at `at`, then run
    /// [`Input::WebhookAnswer`] with the result. The run stops here: the flow waits.
    CallWebhook {
        /// The webhook step.
        at: StepRef,
        /// The endpoint (`/api/v1/webhook-endpoints/{id}`).
        endpoint_id: i64,
        /// How long to wait for the answer, in seconds.
        timeout_seconds: u32,
    },
    /// E-mail `text` to the site owner at `to` (a `notify_owner` step).
    NotifyOwner {
        /// The step.
        at: StepRef,
        /// The recipient.
        to: String,
        /// The notification, variables rendered.
        text: String,
    },
    /// Carry out a shop action for the subscriber and send its message (a shop step, or
    /// a press of a button of a shop message): see [`ShopAction`]. The buttons of that
    /// message carry [`shop_payload`]s of `at`.
    Shop {
        /// The shop step whose products, cart and checkout these are.
        at: StepRef,
        /// What to do.
        action: ShopAction,
    },
    /// Hand the conversation over to a person (a `hand_over` step): pause the bot, store
    /// `notice` as a system message, and tell `email` and webhook endpoint `endpoint_id`
    /// (when set). The flow has ended.
    HandOver {
        /// The step.
        at: StepRef,
        /// The notice for the visitor, variables rendered.
        notice: String,
        /// E-mail address to notify.
        email: Option<String>,
        /// Webhook endpoint to notify.
        endpoint_id: Option<i64>,
    },
}

/// What the server does for a shop step or a press of a shop message's button (see
/// [`Output::Shop`]); [`shop_payload`] puts each on a button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShopAction {
    /// Send the products of these own SKUs as a carousel (empty: the first active ones),
    /// each card with "Add to cart" buttons ([`ShopAction::Add`]). As a payload: "keep
    /// shopping", which runs the `show_products` step again.
    ShowProducts(Vec<String>),
    /// Add one piece of this SKU to the cart and confirm it, offering [`ShopAction::ShowCart`],
    /// checking out and "keep shopping".
    Add(String),
    /// Send the cart, offering to check out.
    ShowCart,
    /// Order the cart and send the payment link. As a payload: "check out", which runs
    /// the step's `checkout` step when it has one.
    Checkout,
}

/// Something the flow statistics count (see the crate docs for when each is reported).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Track {
    /// This message or question step sends its message: the next [`Output::Message`].
    Sent(StepRef),
    /// A postback button or quick reply of this message, card or carousel step was pressed
    /// (a carousel's buttons are counted across its cards).
    Pressed {
        /// The step.
        at: StepRef,
        /// Which of its lists.
        kind: ButtonKind,
        /// Position in that list, from 0.
        index: usize,
    },
    /// The flow completed at this step.
    Completed(StepRef),
    /// A condition, webhook or hand-over step ended this way.
    Outcome {
        /// The step.
        at: StepRef,
        /// How it ended.
        outcome: StepOutcome,
    },
}

/// The two lists of presses under a message step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ButtonKind {
    /// `buttons`.
    Button,
    /// `quick_replies`.
    QuickReply,
}

/// A change to the subscriber's profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Add this tag.
    AddTag(String),
    /// Remove this tag.
    RemoveTag(String),
    /// Set this custom field to this value.
    SetField {
        /// Field name.
        field: String,
        /// New value.
        value: String,
    },
    /// Clear this custom field.
    ClearField(String),
}
