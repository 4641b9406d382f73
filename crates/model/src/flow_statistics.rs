//! Statistics of a flow, per step: `GET /api/v1/flows/{flow_id}/statistics` →
//! [`FlowStatistics`].
//!
//! Counted since the flow was created, while the bot runs (peers: UChat and Botcake flow
//! statistics — sent, clicked, completed):
//! - **sent**: the step's message reached the subscriber (a message, image, card or
//!   carousel step's message, a question's first asking; a message after a delay step
//!   counts when it is delivered);
//! - **clicks**: presses of each postback button and quick reply of a message, card or
//!   carousel step (link buttons open in the browser and are not seen);
//! - **completions**: the flow ended at this step: the step had no `next` and did not wait
//!   for the visitor (no question, no postback buttons or quick replies), or it was a
//!   `goto` to another flow. A flow's `completions` is the sum over its steps;
//! - **outcomes**: how each condition step branched (`then`, `else`), each webhook step's
//!   call ended (`succeeded`, `failed`), and how many times a hand-over step handed the
//!   conversation over (`handed_over`).

use crate::flow::Step;
use crate::ids::{FlowId, StepId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Statistics of one flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct FlowStatistics {
    /// The flow.
    pub flow_id: FlowId,
    /// How many times the flow completed (sum of the steps' `completions`).
    pub completions: u64,
    /// Every step of the flow's current document, in step id order.
    pub steps: Vec<StepStatistics>,
}

/// Statistics of one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct StepStatistics {
    /// The step.
    pub step_id: StepId,
    /// Its kind, as in the flow document, e.g. `message`.
    #[serde(rename = "type")]
    pub step_type: String,
    /// Times its message was sent (message, image, card, carousel and question steps; 0 for
    /// the others).
    pub sent: u64,
    /// Times the flow completed at this step.
    pub completions: u64,
    /// Presses of each button, in document order (message and card steps; a carousel's
    /// cards one after the other).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<ButtonStatistics>,
    /// How the step ended, by [`StepOutcome`] name (e.g. `{"then": 12, "else": 3}`):
    /// condition, webhook and hand-over steps, with every outcome of their kind (see
    /// [`StepOutcome::of_step`]); absent for other steps.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outcomes: BTreeMap<String, u64>,
    /// Presses of each quick reply, in document order (message steps).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_replies: Vec<ButtonStatistics>,
}

/// Presses of one button or quick reply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ButtonStatistics {
    /// Its position in the list, from 0.
    pub index: u32,
    /// Its current title.
    pub title: String,
    /// Times it was pressed (0 for link buttons, which are not seen).
    pub clicks: u64,
}

/// How a condition, webhook or hand-over step ended, counted per step (a step's
/// `outcomes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepOutcome {
    /// A condition step's conditions held.
    Then,
    /// A condition step's conditions did not hold.
    Else,
    /// A webhook step's call got a 2xx answer.
    Succeeded,
    /// A webhook step's call failed.
    Failed,
    /// A hand-over step handed the conversation over.
    HandedOver,
}

impl StepOutcome {
    /// The outcomes a step of this kind counts (its `type` in the flow document), in
    /// the order they are listed; none for other steps.
    pub fn of_step(step: &Step) -> &'static [StepOutcome] {
        match step {
            Step::Condition { .. } => &[StepOutcome::Then, StepOutcome::Else],
            Step::Webhook { .. } => &[StepOutcome::Succeeded, StepOutcome::Failed],
            Step::HandOver { .. } => &[StepOutcome::HandedOver],
            _ => &[],
        }
    }

    /// Its name in the flow statistics, e.g. `then`.
    pub fn as_str(self) -> &'static str {
        match self {
            StepOutcome::Then => "then",
            StepOutcome::Else => "else",
            StepOutcome::Succeeded => "succeeded",
            StepOutcome::Failed => "failed",
            StepOutcome::HandedOver => "handed_over",
        }
    }
}
