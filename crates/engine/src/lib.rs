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
//! let bot = Bot::new(BotConfig { start_flow: "hi".into(), keywords: vec![], fallback_flow: None }, vec![flow]);
//! let (mut profile, mut state) = (Profile::default(), ConversationState::default());
//! let out = run(&bot, &mut profile, &mut state, Input::Start);
//! assert!(matches!(&out[0], Output::Message(m) if m.text == "Hello there!"));
//! ```
#![deny(missing_docs)]

mod keyword;
mod payload;
mod run;
mod template;

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
    /// Start a flow from its start step (API, form automation, ice breaker).
    StartFlow(FlowId),
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
