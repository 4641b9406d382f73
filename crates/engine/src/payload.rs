//! Button and quick-reply payloads: where a press continues.
//!
//! The engine puts `<flow>/<step>/b<index>` (button) or `<flow>/<step>/q<index>` (quick
//! reply) on every postback; flow and step ids cannot contain `/`. The payload comes back
//! from the visitor, so it is untrusted: [`resolve`] accepts only payloads naming a real
//! button of a real message step.

use crate::{Bot, StepRef};
use parlo_model::flow::{ButtonDef, Step};
use parlo_model::ids::{FlowId, StepId};

/// Which list of a message step a press came from.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Button,
    QuickReply,
}

/// The payload of button `index` of `kind` on step `at`.
pub(crate) fn encode(at: &StepRef, kind: Kind, index: usize) -> String {
    let k = match kind {
        Kind::Button => 'b',
        Kind::QuickReply => 'q',
    };
    format!("{}/{}/{k}{index}", at.flow, at.step)
}

/// Where a press of `payload` continues: a step of the same flow or the start of another
/// flow. `None` for malformed or stale payloads and for link buttons.
pub(crate) fn resolve(bot: &Bot, payload: &str) -> Option<StepRef> {
    let mut parts = payload.splitn(3, '/');
    let (flow_id, step_id, which) = (parts.next()?, parts.next()?, parts.next()?);
    let flow = bot.flows.get(&FlowId::from(flow_id))?;
    let Step::Message {
        buttons,
        quick_replies,
        ..
    } = flow.steps.get(&StepId::from(step_id))?
    else {
        return None;
    };
    let list = match which.chars().next()? {
        'b' => buttons,
        'q' => quick_replies,
        _ => return None,
    };
    let def: &ButtonDef = list.get(which[1..].parse::<usize>().ok()?)?;
    match (&def.next, &def.flow) {
        (Some(step), _) => Some(StepRef {
            flow: flow.id.clone(),
            step: step.clone(),
        }),
        (None, Some(other)) => bot.flows.get(other).map(|f| StepRef {
            flow: f.id.clone(),
            step: f.start.clone(),
        }),
        (None, None) => None,
    }
}
