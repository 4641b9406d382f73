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
//!   `goto` to another flow. A flow's `completions` is the sum over its steps.

use crate::ids::{FlowId, StepId};
use serde::{Deserialize, Serialize};

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
