//! A conversation's messages, oldest first.

use super::app::Ctx;
use super::conversation_list::{author_label, short_time};
use super::error_text::ErrorText;
use crate::management::{HistoryFilter, ListParams, all_pages};
use parlo_model::chat::{Author, Message};
use parlo_model::ids::SubscriberId;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`History`].
#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The subscriber whose conversation it is.
    pub id: SubscriberId,
    /// The `seq` of the conversation's newest message as the inbox knows it; the history
    /// loads again when it changes.
    pub last_seq: u64,
    /// Changed by the parent to load the history again (after a reply was sent).
    pub refresh: u32,
    /// Called once the conversation is marked read up to the newest message shown.
    pub onread: Callback<SubscriberId>,
}

/// Every message of the conversation (`GET /api/v1/subscribers/{id}/messages`, page after
/// page), each labelled with who wrote it — visitor, bot, agent, or a system notice — and
/// styled apart; scrolled to the newest, new ones announced by screen readers (a polite live
/// region). Once shown, the conversation is marked read
/// (`POST /api/v1/subscribers/{id}/read`).
#[component]
pub fn History(props: &HistoryProps) -> Html {
    let messages = use_state(|| None::<Vec<Message>>);
    let error = use_state(|| None::<AttrValue>);
    let list = use_node_ref();
    {
        let (messages, error) = (messages.clone(), error.clone());
        let (ctx, id, onread) = (props.ctx.clone(), props.id.clone(), props.onread.clone());
        let client = props.ctx.client(props.workspace);
        use_effect_with((props.id.clone(), props.last_seq, props.refresh), move |_| {
            spawn_local(async move {
                let filter = HistoryFilter::default();
                let loaded =
                    all_pages(|c| client.conversations().history(&id, &filter, ListParams::after(c))).await;
                match loaded {
                    Ok(all) => {
                        let newest = all.last().map(|m| m.seq);
                        messages.set(Some(all));
                        error.set(None);
                        if newest.is_some() && client.inbox().mark_read(&id, newest).await.is_ok() {
                            onread.emit(id);
                        }
                    }
                    Err(e) => error.set(ctx.shown(&e).general.map(AttrValue::from)),
                }
            });
        });
    }
    {
        let list = list.clone();
        use_effect_with(messages.as_ref().map(Vec::len), move |_| {
            if let Some(list) = list.cast::<web_sys::Element>() {
                list.set_scroll_top(list.scroll_height());
            }
        });
    }
    let body = match &*messages {
        None => html! { <p aria-busy="true">{ "Loading…" }</p> },
        Some(all) if all.is_empty() => html! { <p>{ "No messages yet." }</p> },
        Some(all) => html! {
            <ol class="history" ref={list} tabindex="0" aria-label="Messages" aria-live="polite">
                { for all.iter().map(|m| html! {
                    <li key={m.id.as_str().to_owned()} class={classes!("msg", class(&m.author))}>
                        <span class="author">{ author_label(&m.author) }</span>
                        <span class="text">{ text(m) }</span>
                        <span class="when">{ short_time(&m.created_at) }</span>
                    </li>
                }) }
            </ol>
        },
    };
    html! {
        <>
            <ErrorText id="history-error" message={(*error).clone()} />
            { body }
        </>
    }
}

/// The class that styles a message by its author.
fn class(author: &Author) -> &'static str {
    match author {
        Author::Visitor => "visitor",
        Author::Bot => "bot",
        Author::Agent => "agent",
        Author::System => "system",
    }
}

/// A message's text, with its image's alt text or card titles when it has them.
fn text(m: &Message) -> String {
    let mut parts = vec![m.content.text.clone()];
    if let Some(image) = &m.content.image {
        parts.push(format!("[image: {}]", image.alt));
    }
    parts.extend(m.content.cards.iter().map(|c| format!("[card: {}]", c.title)));
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}
