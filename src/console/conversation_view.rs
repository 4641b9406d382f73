//! One conversation of the inbox: its messages, the agent's reply, the bot's state and the
//! subscriber's profile.

use super::app::Ctx;
use super::bot_control::BotControl;
use super::composer::Composer;
use super::conversation_list::display_name;
use super::history::History;
use super::subscriber_profile::SubscriberProfile;
use parlo_model::ids::SubscriberId;
use parlo_model::inbox::ConversationSummary;
use yew::prelude::*;

/// Props of [`ConversationView`].
#[derive(Properties, PartialEq)]
pub struct ConversationViewProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The subscriber whose conversation it is.
    pub id: SubscriberId,
    /// The conversation as the inbox lists it (`None` while it is not among the pages
    /// loaded): its newest message, which reloads the history when it changes, and the bot.
    pub summary: Option<ConversationSummary>,
    /// Called once the conversation is marked read.
    pub onread: Callback<SubscriberId>,
    /// Called with the bot's new state after a pause (`true`) or resume.
    pub onbot: Callback<(SubscriberId, bool)>,
}

/// The conversation's heading and bot state, its history (marked read as it is shown),
/// the reply box, and the subscriber's profile beside them (under them on a phone).
#[component]
pub fn ConversationView(props: &ConversationViewProps) -> Html {
    // Bumped after a reply is sent, so the history shows it even without the stream.
    let sent = use_state(|| 0u32);
    let onsent = {
        let sent = sent.clone();
        Callback::from(move |()| sent.set(*sent + 1))
    };
    let summary = props.summary.as_ref();
    let title = summary.map_or_else(|| format!("Visitor {}", props.id.as_str()), display_name);
    let last_seq = summary.and_then(|s| s.last_message.as_ref()).map_or(0, |m| m.seq);
    html! {
        <section class="conversation" aria-labelledby="conversation-title">
            <div class="conversation-head">
                <h2 id="conversation-title">{ title }</h2>
                <BotControl ctx={props.ctx.clone()} workspace={props.workspace} id={props.id.clone()}
                    paused={summary.map(|s| s.bot_paused)} onbot={props.onbot.clone()} />
            </div>
            <div class="conversation-body">
                <div class="thread">
                    <History ctx={props.ctx.clone()} workspace={props.workspace} id={props.id.clone()}
                        {last_seq} refresh={*sent} onread={props.onread.clone()} />
                    <Composer ctx={props.ctx.clone()} workspace={props.workspace} id={props.id.clone()} {onsent} />
                </div>
                <SubscriberProfile ctx={props.ctx.clone()} workspace={props.workspace} id={props.id.clone()} />
            </div>
        </section>
    }
}
