//! The inbox: the workspace's conversations, live, and the one opened.

use super::app::Ctx;
use super::conversation_list::ConversationList;
use super::conversation_view::ConversationView;
use super::error_text::ErrorText;
use super::inbox_filters::{self, InboxFilters};
use super::inbox_state::{InboxAction, InboxState};
use super::problem::Shown;
use super::subscriber_name::subscriber_name;
use super::use_inbox_events::{StreamState, use_inbox_events};
use crate::management::{InboxFilter, ListParams};
use parlo_model::ids::SubscriberId;
use std::collections::BTreeSet;
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
/// moves its conversation to the top at once, with its unread count (and, for one without a
/// name yet, its subscriber's name read from `GET /api/v1/subscribers/{id}`). Filters
/// ([`InboxFilters`]) are kept in the address bar. Beside them (under them on a phone) the
/// open conversation.
#[component]
pub fn Inbox(props: &InboxProps) -> Html {
    let state = use_reducer(|| InboxState {
        filter: inbox_filters::from_url(),
        ..InboxState::default()
    });
    let shown = use_state(Shown::default);
    let client = props.ctx.client(props.workspace);

    let load = {
        let (client, dispatcher, shown) = (client.clone(), state.dispatcher(), shown.clone());
        let ctx = props.ctx.clone();
        move |filter: InboxFilter, cursor: Option<String>| {
            let (client, dispatcher, shown, ctx) =
                (client.clone(), dispatcher.clone(), shown.clone(), ctx.clone());
            spawn_local(async move {
                let more = cursor.is_some();
                let params = ListParams { limit: None, cursor };
                match client.inbox().list(&filter, params).await {
                    Ok(page) => {
                        shown.set(Shown::default());
                        dispatcher.dispatch(InboxAction::Page {
                            filter,
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
        let (load, filter) = (load.clone(), state.filter.clone());
        use_effect_with((props.ctx.clone(), props.workspace), move |_| load(filter, None));
    }
    // The filter stays in the address bar, also once a conversation is opened (its path has
    // no query).
    use_effect_with((state.filter.clone(), props.open.clone()), |(filter, _)| {
        inbox_filters::to_url(filter)
    });
    let onfilter = {
        let (dispatcher, load) = (state.dispatcher(), load.clone());
        Callback::from(move |filter: InboxFilter| {
            dispatcher.dispatch(InboxAction::Filter(filter.clone()));
            load(filter, None);
        })
    };
    // Names the conversations the stream brought without one.
    let naming = use_mut_ref(BTreeSet::<SubscriberId>::new);
    {
        let (client, dispatcher) = (client.clone(), state.dispatcher());
        use_effect_with(state.unnamed.clone(), move |unnamed| {
            for id in unnamed {
                if !naming.borrow_mut().insert(id.clone()) {
                    continue;
                }
                let (client, dispatcher, naming, id) =
                    (client.clone(), dispatcher.clone(), naming.clone(), id.clone());
                spawn_local(async move {
                    let found = client.subscribers().get(&id).await.ok();
                    naming.borrow_mut().remove(&id);
                    dispatcher.dispatch(InboxAction::Named {
                        name: found.as_ref().and_then(subscriber_name),
                        email: found.and_then(|s| s.fields.get("email").cloned()),
                        id,
                    });
                });
            }
        });
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
        Callback::from(move |_: MouseEvent| load(state.filter.clone(), state.next_cursor.clone()))
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
                    <InboxFilters ctx={props.ctx.clone()} workspace={props.workspace} filter={state.filter.clone()}
                        onchange={onfilter} />
                    <ErrorText id="inbox-error" message={shown.general.clone().map(AttrValue::from)} />
                    { match &state.items {
                        None => html! { <p aria-busy="true">{ "Loading…" }</p> },
                        Some(items) if items.is_empty() && state.filter == InboxFilter::default() => {
                            html! { <p>{ "No conversations yet." }</p> }
                        }
                        Some(items) if items.is_empty() => html! { <p>{ "No conversations match." }</p> },
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
