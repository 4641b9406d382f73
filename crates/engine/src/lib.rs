//! Parlo's flow engine: pure logic, no I/O.
//!
//! [`run`] takes the bot (its flows and triggers), the subscriber's [`Profile`], the
//! conversation's [`ConversationState`] and one [`Input`], and returns the [`Output`]s to
//! carry out in order: messages to send, typing delays, and profile [`Effect`]s. The caller
//! stores the new state and applies effects; the engine has already applied them to the
//! profile it was given, so later steps of the same run see them.
//!
//! ```
//! use parlo_engine::{run, Bot, ConversationState, Input, Output, Profile};
//! use parlo_model::flow::{BotConfig, Flow};
//! let flow = Flow::from_json(r#"{"id":"hi","name":"Hi","start":"a",
//!     "steps":{"a":{"type":"message","text":"Hello {{first_name|there}}!"}}}"#).unwrap();
//! let bot = Bot::new(BotConfig { start_flow: Some("hi".into()), keywords: vec![], fallback_flow: None }, vec![flow]);
//! let (mut profile, mut state) = (Profile::default(), ConversationState::default());
//! let out = run(&bot, &mut profile, &mut state, Input::Start);
//! assert!(matches!(&out[1], Output::Message(m) if m.text == "Hello there!"));
//! ```
//!
//! # Flow statistics
//!
//! Besides what to carry out, a run reports what to count, as [`Output::Track`]:
//! - [`Track::Sent`]: a message or question step sent its message (re-asking a question
//!   after an invalid answer is not counted again);
//! - [`Track::Pressed`]: a postback button or quick reply of a message step was pressed;
//! - [`Track::Completed`]: the flow **completed** at this step: the walk ran the step and
//!   the flow has nothing left to do, because the step has no `next` and does not wait (it
//!   is not a question, and not a message offering postback buttons or quick replies), or
//!   because it is a `goto` to another flow (which then runs, and may complete in turn).
//!   A walk cut by [`MAX_STEPS_PER_RUN`] or by a step that does not exist does not
//!   complete.
#![deny(missing_docs)]

mod keyword;
mod payload;
mod run;
mod template;

pub use payload::{flow_payload, payload_flow};
pub use run::run;
pub use template::render;

use parlo_model::chat::MessageContent;
use parlo_model::flow::{BotConfig, Flow};
use parlo_model::ids::{FlowId, StepId};
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
}

/// Something the flow statistics count (see the crate docs for when each is reported).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Track {
    /// This message or question step sends its message: the next [`Output::Message`].
    Sent(StepRef),
    /// A postback button or quick reply of this message step was pressed.
    Pressed {
        /// The message step.
        at: StepRef,
        /// Which of its lists.
        kind: ButtonKind,
        /// Position in that list, from 0.
        index: usize,
    },
    /// The flow completed at this step.
    Completed(StepRef),
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
}
