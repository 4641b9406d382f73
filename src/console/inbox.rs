//! The inbox: the workspace's conversations, live, and the one opened.

use super::app::Ctx;
use super::conversation_list::ConversationList;
use super::conversation_view::ConversationView;
use super::error_text::ErrorText;
use super::inbox_state::{InboxAction, InboxState};
use super::problem::Shown;
use super::use_inbox_events::{StreamState, use_inbox_events};
use crate::management::{InboxFilter, ListParams};
use parlo_model::ids::SubscriberId;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Inbox`].
#[derive(Properties, PartialEq)]
pub struct InboxProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The subscriber whose conversation is open (from the address bar).
    pub open: Option<SubscriberId>,
}

/// The conversations, newest activity first, 20 at a time with "Load more"
/// (`GET /api/v1/conversations`), kept live by the workspace event stream: a new message
/// moves its conversation to the top at once, with its unread count. Beside them (under
/// them on a phone) the open conversation.
#[component]
pub fn Inbox(props: &InboxProps) -> Html {
    let state = use_reducer(InboxState::default);
    let shown = use_state(Shown::default);
    let client = props.ctx.client(props.workspace);

    let load = {
        let (client, dispatcher, shown) = (client.clone(), state.dispatcher(), shown.clone());
        let ctx = props.ctx.clone();
        move |cursor: Option<String>| {
            let (client, dispatcher, shown, ctx) =
                (client.clone(), dispatcher.clone(), shown.clone(), ctx.clone());
            spawn_local(async move {
                let more = cursor.is_some();
                let params = ListParams { limit: None, cursor };
                match client.inbox().list(&InboxFilter::default(), params).await {
                    Ok(page) => {
                        shown.set(Shown::default());
                        dispatcher.dispatch(InboxAction::Page {
                            items: page.items,
                            next_cursor: page.next_cursor,
                            more,
                        });
                    }
                    Err(e) => shown.set(ctx.shown(&e)),
                }
            });
        }
    };
    {
        let load = load.clone();
        use_effect_with((props.ctx.clone(), props.workspace), move |_| load(None));
    }
    let onevent = {
        let dispatcher = state.dispatcher();
        use_callback((), move |event, _| {
            dispatcher.dispatch(InboxAction::Event(Box::new(event)))
        })
    };
    let stream = use_inbox_events(&props.ctx, props.workspace, onevent);
    let onmore = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| load(state.next_cursor.clone()))
    };
    let onread = {
        let dispatcher = state.dispatcher();
        use_callback((), move |id, _| dispatcher.dispatch(InboxAction::Read(id)))
    };
    let onbot = {
        let dispatcher = state.dispatcher();
        use_callback((), move |(id, paused), _| {
            dispatcher.dispatch(InboxAction::Bot(id, paused))
        })
    };

    let (status, class) = match stream {
        StreamState::Connecting => ("Connecting…", "stream"),
        StreamState::Live => ("Live", "stream live"),
        StreamState::Reconnecting => ("Connection lost, reconnecting…", "stream lost"),
    };
    let open = props.open.as_ref().map(|id| {
        let summary = state
            .items
            .iter()
            .flatten()
            .find(|c| &c.subscriber_id == id)
            .cloned();
        html! {
            <ConversationView key={id.as_str().to_owned()} ctx={props.ctx.clone()} workspace={props.workspace}
                id={id.clone()} {summary} onread={onread.clone()} onbot={onbot.clone()} />
        }
    });
    html! {
        <>
            <div class="inbox-head">
                <h1>{ "Inbox" }</h1>
                <p class={class} role="status">{ status }</p>
            </div>
            <div class={classes!("inbox", props.open.is_some().then_some("has-open"))}>
                <section class="inbox-list" aria-labelledby="conversations-title">
                    <h2 id="conversations-title">{ "Conversations" }</h2>
                    <ErrorText id="inbox-error" message={shown.general.clone().map(AttrValue::from)} />
                    { match &state.items {
                        None => html! { <p aria-busy="true">{ "Loading…" }</p> },
                        Some(items) if items.is_empty() => html! { <p>{ "No conversations yet." }</p> },
                        Some(items) => html! {
                            <ConversationList workspace={props.workspace} items={items.clone()} open={props.open.clone()} />
                        },
                    } }
                    if state.next_cursor.is_some() {
                        <button type="button" onclick={onmore}>{ "Load more" }</button>
                    }
                </section>
                { for open }
            </div>
        </>
    }
}
