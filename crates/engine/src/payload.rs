//! Button and quick-reply payloads: where a press continues.
//!
//! The engine puts `<flow>/<step>/b<index>` (button) or `<flow>/<step>/q<index>` (quick
//! reply) on every postback, and `<flow>/<step>/c<index>` on the quick replies offering
//! the choices of a `choice` question, and `<flow>/<step>/shop:<what>` on the buttons of
//! the messages of a shop step ([`shop_payload`]); flow and step ids cannot contain `/`. Content sent through
//! the management API has no step to come back to: its buttons carry `flow:<flow>`
//! ([`flow_payload`]), which starts that flow. The payload comes back from the visitor, so
//! it is untrusted: [`resolve`] accepts only payloads naming a real button of a real
//! message, card or carousel step (a carousel's buttons are counted across its cards, see
//! [`Step::buttons`]), or a real flow.

use crate::{Bot, ButtonKind, ShopAction, StepRef};
use parlo_model::flow::Step;
use parlo_model::ids::{FlowId, StepId};

/// Prefix of the payloads that start a flow.
const FLOW_PREFIX: &str = "flow:";

/// The payload of button `index` of `kind` on step `at`.
pub(crate) fn encode(at: &StepRef, kind: ButtonKind, index: usize) -> String {
    let k = match kind {
        ButtonKind::Button => 'b',
        ButtonKind::QuickReply => 'q',
    };
    format!("{}/{}/{k}{index}", at.flow, at.step)
}

/// The payload of the quick reply offering choice `index` of the question at `at`.
pub(crate) fn encode_choice(at: &StepRef, index: usize) -> String {
    format!("{}/{}/c{index}", at.flow, at.step)
}

/// The question and the choice a [`encode_choice`] payload answers; `None` for any other
/// payload and for choices that no longer exist.
pub(crate) fn choice(bot: &Bot, payload: &str) -> Option<(StepRef, String)> {
    let mut parts = payload.splitn(3, '/');
    let (flow_id, step_id, which) = (parts.next()?, parts.next()?, parts.next()?);
    let index = which.strip_prefix('c')?.parse::<usize>().ok()?;
    let flow = bot.flows.get(&FlowId::from(flow_id))?;
    let Step::Question { choices, .. } = flow.steps.get(&StepId::from(step_id))? else {
        return None;
    };
    let at = StepRef {
        flow: flow.id.clone(),
        step: StepId::from(step_id),
    };
    Some((at, choices.get(index)?.clone()))
}

/// Marks a shop payload after `<flow>/<step>/`.
const SHOP_PREFIX: &str = "shop:";

/// The payload of a button of a message of shop step `at` asking for `action`:
/// `<flow>/<step>/shop:more` ([`ShopAction::ShowProducts`], whatever its SKUs),
/// `shop:add:<sku>`, `shop:cart` or `shop:checkout`.
///
/// ```
/// use parlo_engine::{ShopAction, StepRef, shop_payload};
/// let at = StepRef { flow: "shop".into(), step: "products".into() };
/// assert_eq!(shop_payload(&at, &ShopAction::Add("rose-s".into())), "shop/products/shop:add:rose-s");
/// ```
pub fn shop_payload(at: &StepRef, action: &ShopAction) -> String {
    let what = match action {
        ShopAction::ShowProducts(_) => "more",
        ShopAction::Add(sku) => return format!("{}/{}/{SHOP_PREFIX}add:{sku}", at.flow, at.step),
        ShopAction::ShowCart => "cart",
        ShopAction::Checkout => "checkout",
    };
    format!("{}/{}/{SHOP_PREFIX}{what}", at.flow, at.step)
}

/// The shop step and the action a [`shop_payload`] names; `None` for any other payload,
/// and for steps that are not shop steps (`show_products`, `show_cart`; "keep shopping"
/// and adding only on `show_products`). The SKU is not checked here (the server checks
/// it is buyable).
pub(crate) fn shop(bot: &Bot, payload: &str) -> Option<(StepRef, ShopAction)> {
    let mut parts = payload.splitn(3, '/');
    let (flow_id, step_id, which) = (parts.next()?, parts.next()?, parts.next()?);
    let what = which.strip_prefix(SHOP_PREFIX)?;
    let flow = bot.flows.get(&FlowId::from(flow_id))?;
    let step = flow.steps.get(&StepId::from(step_id))?;
    let products = matches!(step, Step::ShowProducts { .. });
    let action = match what {
        "more" if products => ShopAction::ShowProducts(Vec::new()),
        "cart" => ShopAction::ShowCart,
        "checkout" => ShopAction::Checkout,
        _ => ShopAction::Add(what.strip_prefix("add:").filter(|_| products)?.to_owned()),
    };
    step.checkout_step()?;
    let at = StepRef {
        flow: flow.id.clone(),
        step: StepId::from(step_id),
    };
    Some((at, action))
}

/// The payload of a button or quick reply that starts `flow` from its start step, e.g.
/// `flow:menu`; the server puts it on buttons of content sent through the management API.
///
/// ```
/// assert_eq!(parlo_engine::flow_payload(&"menu".into()), "flow:menu");
/// ```
pub fn flow_payload(flow: &FlowId) -> String {
    format!("{FLOW_PREFIX}{flow}")
}

/// The flow a [`flow_payload`] starts; `None` for any other payload.
///
/// ```
/// assert_eq!(parlo_engine::payload_flow("flow:menu"), Some("menu".into()));
/// assert_eq!(parlo_engine::payload_flow("menu/start/b0"), None);
/// ```
pub fn payload_flow(payload: &str) -> Option<FlowId> {
    payload.strip_prefix(FLOW_PREFIX).map(FlowId::from)
}

/// Where a press continues, and the button pressed.
pub(crate) struct Press {
    /// The step to walk from.
    pub(crate) to: StepRef,
    /// The pressed button of a message step; `None` for [`flow_payload`]s.
    pub(crate) from: Option<(StepRef, ButtonKind, usize)>,
}

/// Where a press of `payload` continues: a step of the same flow or the start of another
/// flow. `None` for malformed or stale payloads and for link buttons.
pub(crate) fn resolve(bot: &Bot, payload: &str) -> Option<Press> {
    if let Some(flow) = payload_flow(payload) {
        let flow = bot.flows.get(&flow)?;
        let to = StepRef {
            flow: flow.id.clone(),
            step: flow.start.clone(),
        };
        return Some(Press { to, from: None });
    }
    let mut parts = payload.splitn(3, '/');
    let (flow_id, step_id, which) = (parts.next()?, parts.next()?, parts.next()?);
    let flow = bot.flows.get(&FlowId::from(flow_id))?;
    let step = flow.steps.get(&StepId::from(step_id))?;
    let index = which[1..].parse::<usize>().ok()?;
    let (kind, def) = match which.chars().next()? {
        'b' => (ButtonKind::Button, step.buttons().get(index)?.1),
        'q' => (ButtonKind::QuickReply, step.quick_replies().get(index)?),
        _ => return None,
    };
    let to = match (&def.next, &def.flow) {
        (Some(step), _) => StepRef {
            flow: flow.id.clone(),
            step: step.clone(),
        },
        (None, Some(other)) => bot.flows.get(other).map(|f| StepRef {
            flow: f.id.clone(),
            step: f.start.clone(),
        })?,
        (None, None) => return None,
    };
    let at = StepRef {
        flow: flow.id.clone(),
        step: StepId::from(step_id),
    };
    Some(Press {
        to,
        from: Some((at, kind, index)),
    })
}
