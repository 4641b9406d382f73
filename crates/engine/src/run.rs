//! The interpreter: walks steps from an entry point until the flow waits or ends.

use crate::condition;
use crate::keyword::{fold, match_keyword};
use crate::payload;
use crate::template::{Variables, render};
use crate::{
    Bot, ButtonKind, Context, ConversationState, Effect, Input, MAX_STEPS_PER_RUN, Output, Profile,
    ShopAction, StepOutcome, StepRef, Track,
};
use parlo_model::chat::{Button, ButtonAction, Card, Image, MessageContent, QuickReply};
use parlo_model::conversation::ContentCard;
use parlo_model::flow::{ButtonDef, HAND_OVER_NOTICE, QuestionKind, Step};
use parlo_model::ids::{FlowId, StepId};
use parlo_model::validate::check_answer;
use std::collections::BTreeMap;

/// Runs the bot on one input; see the crate docs.
///
/// - `Start` / `StartFlow` run a flow from its start step (an unknown flow does nothing);
///   `StartFlow` replaces the payload variables in `state` with its own.
/// - `Text` that matches a keyword starts that keyword's flow wherever the conversation is,
///   dropping any awaited question (Botcake's and ManyChat's keywords). Other text answers
///   the awaited question when there is one: a valid answer is saved (normalised, see
///   [`check_answer`]) and the flow goes on; an invalid one gets the step's `invalid_text`
///   (or the field kind's message) and the question again. Without an awaited question
///   it starts the fallback flow. A `date` answer is saved as `YYYY-MM-DD` (see
///   [`parlo_model::validate::FieldKind::Date`]), a `rating` answer as its digit 1..=5; a
///   `choice` answer must equal one of the choices ignoring case, accents and punctuation,
///   and is saved as the choice is written (else the visitor is told the choices).
/// - `Button` with the quick reply of a choice of the awaited question answers it with
///   that choice. Any other `Button` continues where the pressed button leads, dropping
///   any awaited question; an unknown or stale payload is treated like unmatched text (the
///   fallback flow).
/// - `Button` with a [`crate::shop_payload`] of a shop step asks for its action
///   ([`Output::Shop`]), dropping any awaited question: "keep shopping" runs the
///   `show_products` step again, and "check out" runs the step's `checkout` step when it
///   has one.
/// - `WebhookAnswer` goes on after the webhook step it answers (see [`Input::WebhookAnswer`]),
///   leaving any awaited question as it is unless the walk stops at another.
///
/// A webhook step stops the run with [`Output::CallWebhook`]; the caller runs
/// `WebhookAnswer` when the call ended.
///
/// [`Output::Track`]s report what the flow statistics count (see the crate docs).
///
/// `state.awaiting` is left at the question the run stopped on, if any.
pub fn run(
    bot: &Bot,
    context: &Context,
    profile: &mut Profile,
    state: &mut ConversationState,
    input: Input,
) -> Vec<Output> {
    if let Input::StartFlow { payload, .. } = &input {
        state.payload.clone_from(payload);
    }
    let webhook_answer = matches!(input, Input::WebhookAnswer { .. });
    let mut walker = Walker {
        bot,
        profile,
        payload: &state.payload,
        context,
        spins: 0,
        out: Vec::new(),
    };
    let entry = match input {
        Input::Start => bot.config.start_flow.as_ref().and_then(|f| walker.flow_start(f)),
        Input::StartFlow { flow, .. } => walker.flow_start(&flow),
        Input::Button(payload) => match payload::choice(bot, &payload) {
            Some((question, choice)) if state.awaiting.as_ref() == Some(&question) => {
                state.awaiting = None;
                walker.answer(question, &choice).unwrap_or_else(|again| {
                    state.awaiting = Some(again);
                    None
                })
            }
            _ if let Some((at, action)) = payload::shop(bot, &payload) => {
                state.awaiting = None;
                walker.shop_press(at, action)
            }
            _ => {
                state.awaiting = None;
                match payload::resolve(bot, &payload) {
                    Some(press) => {
                        if let Some((at, kind, index)) = press.from {
                            walker.track(Track::Pressed { at, kind, index });
                        }
                        Some(press.to)
                    }
                    None => walker.fallback(),
                }
            }
        },
        Input::WebhookAnswer { at, answer } => walker.webhook_answer(at, answer),
        Input::Text(text) => match match_keyword(&bot.config.keywords, &text) {
            Some(flow) => {
                state.awaiting = None;
                walker.flow_start(flow)
            }
            None => match state.awaiting.take() {
                Some(question) => walker.answer(question, &text).unwrap_or_else(|again| {
                    state.awaiting = Some(again);
                    None
                }),
                None => walker.fallback(),
            },
        },
    };
    if let Some(entry) = entry {
        if let Some(question) = walker.walk(entry) {
            state.awaiting = Some(question);
        } else if !webhook_answer {
            state.awaiting = None;
        }
    }
    walker.out
}

struct Walker<'a> {
    bot: &'a Bot,
    profile: &'a mut Profile,
    payload: &'a BTreeMap<String, String>,
    context: &'a Context,
    /// Spin texts rendered so far (see [`render`]).
    spins: u64,
    out: Vec<Output>,
}

impl Walker<'_> {
    fn track(&mut self, track: Track) {
        self.out.push(Output::Track(track));
    }

    /// What templates read, and the spin count they advance.
    fn vars(&mut self) -> (Variables<'_>, &mut u64) {
        let vars = Variables {
            profile: self.profile,
            payload: self.payload,
            context: self.context,
        };
        (vars, &mut self.spins)
    }

    fn render(&mut self, template: &str) -> String {
        let (vars, spins) = self.vars();
        render(template, &vars, spins)
    }

    fn flow_start(&self, flow: &FlowId) -> Option<StepRef> {
        let flow = self.bot.flows.get(flow)?;
        Some(StepRef {
            flow: flow.id.clone(),
            step: flow.start.clone(),
        })
    }

    fn fallback(&self) -> Option<StepRef> {
        self.bot
            .config
            .fallback_flow
            .as_ref()
            .and_then(|f| self.flow_start(f))
    }

    fn step(&self, at: &StepRef) -> Option<&Step> {
        self.bot.flows.get(&at.flow)?.steps.get(&at.step)
    }

    /// Handles an answer to the question at `question`: `Ok(next entry)` when it was
    /// valid, `Err(question)` when it was re-asked. A question that no longer exists
    /// (the flow was edited) lets the conversation go on with nothing to continue.
    fn answer(&mut self, question: StepRef, text: &str) -> Result<Option<StepRef>, StepRef> {
        let Some(Step::Question {
            field,
            kind,
            choices,
            invalid_text,
            next,
            ..
        }) = self.step(&question).cloned()
        else {
            return Ok(None);
        };
        match check_question_answer(kind, &choices, text) {
            Ok(value) => {
                self.set_field(field, value);
                Ok(next.map(|step| StepRef {
                    flow: question.flow,
                    step,
                }))
            }
            Err(message) => {
                let text = invalid_text.map_or(message, |t| self.render(&t));
                self.out.push(Output::Message(MessageContent::text(text)));
                self.ask(&question);
                Err(question)
            }
        }
    }

    /// Goes on after the webhook step at `at` with its `answer` (see
    /// [`Input::WebhookAnswer`]): the entry to walk from, if any.
    fn webhook_answer(&mut self, at: StepRef, answer: Option<serde_json::Value>) -> Option<StepRef> {
        let Some(Step::Webhook {
            save, next, failure, ..
        }) = self.step(&at).cloned()
        else {
            return None;
        };
        let (outcome, branch) = match answer {
            Some(body) => {
                for (field, pointer) in save {
                    if let Some(value) = body.pointer(&pointer).and_then(saved_text) {
                        self.set_field(field, value);
                    }
                }
                (StepOutcome::Succeeded, next)
            }
            None => (StepOutcome::Failed, failure),
        };
        self.branch(at, outcome, branch)
    }

    /// Counts `outcome` of the step at `at` and answers the step of its flow it goes on
    /// to; with none, the flow completed there.
    fn branch(&mut self, at: StepRef, outcome: StepOutcome, to: Option<StepId>) -> Option<StepRef> {
        self.track(Track::Outcome {
            at: at.clone(),
            outcome,
        });
        match to {
            Some(step) => Some(StepRef { flow: at.flow, step }),
            None => {
                self.track(Track::Completed(at));
                None
            }
        }
    }

    fn ask(&mut self, at: &StepRef) {
        if let Some(Step::Question {
            text, kind, choices, ..
        }) = self.step(at).cloned()
        {
            let quick_replies = choices
                .into_iter()
                .enumerate()
                .map(|(i, title)| QuickReply {
                    title,
                    payload: payload::encode_choice(at, i),
                })
                .collect();
            let content = MessageContent {
                expects: Some(kind.expects()),
                quick_replies,
                ..MessageContent::text(self.render(&text))
            };
            self.out.push(Output::Message(content));
        }
    }

    /// Handles a press of a shop message's button (see [`run`]): the entry to walk from,
    /// if any.
    fn shop_press(&mut self, at: StepRef, action: ShopAction) -> Option<StepRef> {
        match action {
            ShopAction::ShowProducts(_) => Some(at),
            ShopAction::Checkout => match self.step(&at)?.checkout_step() {
                Some(Some(step)) => Some(StepRef {
                    flow: at.flow.clone(),
                    step: step.clone(),
                }),
                _ => {
                    self.out.push(Output::Shop { at, action });
                    None
                }
            },
            action => {
                self.out.push(Output::Shop { at, action });
                None
            }
        }
    }

    fn set_field(&mut self, field: String, value: String) {
        if self.profile.fields.get(&field) != Some(&value) {
            self.profile.fields.insert(field.clone(), value.clone());
            self.out.push(Output::Effect(Effect::SetField { field, value }));
        }
    }

    /// Sends the message of the step at `at`, counting it as sent.
    fn send(&mut self, at: &StepRef, content: MessageContent) {
        self.track(Track::Sent(at.clone()));
        self.out.push(Output::Message(content));
    }

    /// A card of the step at `at` whose first button is the step's button `first`, its
    /// title and subtitle rendered.
    fn card(&mut self, at: &StepRef, card: ContentCard, first: usize) -> Card {
        Card {
            title: self.render(&card.title),
            subtitle: card.subtitle.map(|s| self.render(&s)),
            image: card.image,
            buttons: (first..)
                .zip(&card.buttons)
                .map(|(i, b)| button(at, i, b))
                .collect(),
        }
    }

    /// Runs steps from `at` until one waits (returns the awaited question) or the flow
    /// ends, stopping after [`MAX_STEPS_PER_RUN`] steps.
    fn walk(&mut self, mut at: StepRef) -> Option<StepRef> {
        for _ in 0..MAX_STEPS_PER_RUN {
            let step = self.step(&at)?.clone();
            let waits = waits_for_press(&step);
            let next = match step {
                Step::Message {
                    text,
                    buttons,
                    quick_replies,
                    next,
                } => {
                    let content = MessageContent {
                        text: self.render(&text),
                        buttons: buttons
                            .iter()
                            .enumerate()
                            .map(|(i, b)| button(&at, i, b))
                            .collect(),
                        quick_replies: quick_replies
                            .iter()
                            .enumerate()
                            .map(|(i, q)| QuickReply {
                                title: q.title.clone(),
                                payload: payload::encode(&at, ButtonKind::QuickReply, i),
                            })
                            .collect(),
                        ..MessageContent::default()
                    };
                    self.send(&at, content);
                    next
                }
                Step::Image { url, alt, text, next } => {
                    let content = MessageContent {
                        image: Some(Image { url, alt }),
                        ..MessageContent::text(text.map(|t| self.render(&t)).unwrap_or_default())
                    };
                    self.send(&at, content);
                    next
                }
                Step::Card {
                    title,
                    subtitle,
                    image,
                    buttons,
                    next,
                } => {
                    let card = ContentCard {
                        title,
                        subtitle,
                        image,
                        buttons,
                    };
                    let content = MessageContent {
                        cards: vec![self.card(&at, card, 0)],
                        ..MessageContent::default()
                    };
                    self.send(&at, content);
                    next
                }
                Step::Carousel { cards, next } => {
                    let mut first = 0;
                    let cards = cards
                        .into_iter()
                        .map(|card| {
                            let count = card.buttons.len();
                            let card = self.card(&at, card, first);
                            first += count;
                            card
                        })
                        .collect();
                    let content = MessageContent {
                        cards,
                        ..MessageContent::default()
                    };
                    self.send(&at, content);
                    next
                }
                Step::Question { .. } => {
                    self.track(Track::Sent(at.clone()));
                    self.ask(&at);
                    return Some(at);
                }
                Step::AddTag { tag, next } => {
                    if self.profile.tags.insert(tag.clone()) {
                        self.out.push(Output::Effect(Effect::AddTag(tag)));
                    }
                    next
                }
                Step::RemoveTag { tag, next } => {
                    if self.profile.tags.remove(&tag) {
                        self.out.push(Output::Effect(Effect::RemoveTag(tag)));
                    }
                    next
                }
                Step::SetField { field, value, next } => {
                    let value = self.render(&value);
                    self.set_field(field, value);
                    next
                }
                Step::ClearField { field, next } => {
                    if self.profile.fields.remove(&field).is_some() {
                        self.out.push(Output::Effect(Effect::ClearField(field)));
                    }
                    next
                }
                Step::Condition {
                    matching,
                    conditions,
                    then,
                    otherwise,
                } => {
                    let (vars, spins) = self.vars();
                    let branch = if condition::holds(matching, &conditions, &vars, spins) {
                        (StepOutcome::Then, then)
                    } else {
                        (StepOutcome::Else, otherwise)
                    };
                    at = self.branch(at, branch.0, branch.1)?;
                    continue;
                }
                Step::Webhook {
                    endpoint_id,
                    timeout_seconds,
                    ..
                } => {
                    self.out.push(Output::CallWebhook {
                        at,
                        endpoint_id,
                        timeout_seconds,
                    });
                    return None;
                }
                Step::NotifyOwner { to, text, next } => {
                    let text = self.render(&text);
                    self.out.push(Output::NotifyOwner {
                        at: at.clone(),
                        to,
                        text,
                    });
                    next
                }
                Step::HandOver {
                    text,
                    email,
                    endpoint_id,
                } => {
                    let notice = self.render(text.as_deref().unwrap_or(HAND_OVER_NOTICE));
                    self.out.push(Output::HandOver {
                        at: at.clone(),
                        notice,
                        email,
                        endpoint_id,
                    });
                    self.branch(at, StepOutcome::HandedOver, None);
                    return None;
                }
                Step::Delay { ms, next } => {
                    self.out.push(Output::Delay(ms));
                    next
                }
                Step::ShowProducts { products, next, .. } => {
                    let action = ShopAction::ShowProducts(products);
                    self.out.push(Output::Shop {
                        at: at.clone(),
                        action,
                    });
                    next
                }
                Step::ShowCart { next, .. } => {
                    let action = ShopAction::ShowCart;
                    self.out.push(Output::Shop {
                        at: at.clone(),
                        action,
                    });
                    next
                }
                Step::Checkout {} => {
                    let action = ShopAction::Checkout;
                    self.out.push(Output::Shop {
                        at: at.clone(),
                        action,
                    });
                    None
                }
                Step::Goto { step: Some(step), .. } => Some(step),
                Step::Goto { flow: Some(flow), .. } => {
                    self.track(Track::Completed(at));
                    at = self.flow_start(&flow)?;
                    continue;
                }
                Step::Goto { .. } => return None,
            };
            match next {
                Some(next) => at.step = next,
                None => {
                    if !waits {
                        self.track(Track::Completed(at));
                    }
                    return None;
                }
            }
        }
        None
    }
}

/// Checks an answer to a question of `kind`: the value to save, or the message refusing it.
fn check_question_answer(kind: QuestionKind, choices: &[String], text: &str) -> Result<String, String> {
    match kind {
        QuestionKind::Choice => {
            let answer = fold(text);
            choices
                .iter()
                .find(|c| fold(c) == answer)
                .cloned()
                .ok_or_else(|| format!("Please choose one of: {}.", choices.join(", ")))
        }
        _ => check_answer(kind.expects(), text).map_err(str::to_owned),
    }
}

/// Whether a message, card or carousel step offers postback buttons or quick replies to go on with (link
/// buttons lead nowhere in the flow); a `show_products` or `show_cart` step always does.
fn waits_for_press(step: &Step) -> bool {
    matches!(step, Step::ShowProducts { .. } | Step::ShowCart { .. })
        || !step.quick_replies().is_empty()
        || step.buttons().iter().any(|(_, b)| b.url.is_none())
}

fn button(at: &StepRef, index: usize, def: &ButtonDef) -> Button {
    let action = match &def.url {
        Some(url) => ButtonAction::Url { url: url.clone() },
        None => ButtonAction::Postback {
            payload: payload::encode(at, ButtonKind::Button, index),
        },
    };
    Button {
        title: def.title.clone(),
        action,
    }
}

/// The text a webhook step saves of a JSON value: a string as it is, `null` nothing, any
/// other value as its JSON.
fn saved_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}
