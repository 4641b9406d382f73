//! Subscribers: search by name, e-mail or id, filter by tag and channel, page after page.

use super::app::Ctx;
use super::conversation_list::short_time;
use super::error_text::ErrorText;
use super::link::Link;
use super::paged::{Found, load_page};
use super::problem::Shown;
use super::route::Route;
use super::subscriber_name::subscriber_label;
use super::url_query;
use super::workspace_lists::{use_channels, use_tags};
use crate::management::{ListParams, SubscriberFilter};
use parlo_model::subscriber::Subscriber;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`Subscribers`].
#[derive(Properties, PartialEq)]
pub struct SubscribersProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
}

/// What the owner searches for, as the address bar keeps it (`?q=&tag=&channel=`).
#[derive(Clone, Debug, Default, PartialEq)]
struct Search {
    /// Part of a name or e-mail, or a subscriber id or external id.
    q: String,
    /// A tag name.
    tag: String,
    /// A channel id.
    channel: String,
}

impl Search {
    /// The search of the address bar.
    fn from_url() -> Self {
        let get = |name| url_query::get(name).unwrap_or_default();
        Search {
            q: get("q"),
            tag: get("tag"),
            channel: get("channel"),
        }
    }

    /// The search in the address bar (only what is set).
    fn to_url(&self) {
        let pairs: Vec<(&str, String)> = [("q", &self.q), ("tag", &self.tag), ("channel", &self.channel)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, v.clone()))
            .collect();
        url_query::replace(&pairs);
    }

    /// The list filter (the server's `q` search, `tag` and `channel`).
    fn filter(&self) -> SubscriberFilter {
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        SubscriberFilter {
            q: some(&self.q),
            tag: some(&self.tag),
            channel: some(&self.channel),
            ..SubscriberFilter::default()
        }
    }
}

/// A search (part of a name or e-mail, or a subscriber id or external id), a tag and a
/// channel (each optional) → the matching
/// subscribers, oldest first, 20 at a time with "Load more" (`GET /api/v1/subscribers`),
/// each a link to the subscriber. The search is kept in the address bar.
#[component]
pub fn Subscribers(props: &SubscribersProps) -> Html {
    let search = use_state(Search::from_url);
    let found = use_state(|| None::<Found<Subscriber>>);
    let shown = use_state(Shown::default);
    let (q_ref, tag_ref, channel_ref) = (use_node_ref(), use_node_ref(), use_node_ref());
    let client = props.ctx.client(props.workspace);
    let tags = use_tags(&props.ctx, props.workspace);
    let channels = use_channels(&props.ctx, props.workspace);

    // Loads the first page of `search`, or the next page after `cursor`.
    let load = {
        let (client, found, shown) = (client.clone(), found.clone(), shown.clone());
        let ctx = props.ctx.clone();
        move |search: Search, cursor: Option<String>| {
            let client = client.clone();
            let params = ListParams {
                limit: None,
                cursor: cursor.clone(),
            };
            load_page(&ctx, &found, &shown, cursor, async move {
                client.subscribers().list(&search.filter(), params).await
            });
        }
    };
    {
        let (load, search) = (load.clone(), (*search).clone());
        use_effect_with((props.ctx.clone(), props.workspace), move |_| load(search, None));
    }
    let onsubmit = {
        let (search, load) = (search.clone(), load.clone());
        let (q_ref, tag_ref, channel_ref) = (q_ref.clone(), tag_ref.clone(), channel_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let select = |r: &NodeRef| {
                r.cast::<HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default()
            };
            let next = Search {
                q: q_ref
                    .cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default(),
                tag: select(&tag_ref),
                channel: select(&channel_ref),
            };
            next.to_url();
            search.set(next.clone());
            load(next, None);
        })
    };
    let onmore = {
        let (search, found) = (search.clone(), found.clone());
        Callback::from(move |_: MouseEvent| {
            let cursor = found.as_ref().and_then(|f| f.next_cursor.clone());
            load((*search).clone(), cursor);
        })
    };

    let error = shown
        .fields
        .first()
        .map(|(_, m)| m.clone())
        .or(shown.general.clone())
        .or((*tags.error).as_ref().map(|e| e.to_string()));
    let w = props.workspace;
    let rows = found.as_ref().map(|found| {
        if found.items.is_empty() {
            return html! { <p>{ "No subscribers match." }</p> };
        }
        html! {
            <table tabindex="0">
                <caption>{ "Subscribers, oldest first" }</caption>
                <thead><tr>
                    <th scope="col">{ "Name" }</th><th scope="col">{ "E-mail" }</th>
                    <th scope="col">{ "Channel" }</th><th scope="col">{ "Tags" }</th>
                    <th scope="col">{ "Last seen" }</th>
                </tr></thead>
                <tbody>
                    { for found.items.iter().map(|s| html! {
                        <tr key={s.id.as_str().to_owned()}>
                            <th scope="row">
                                <Link to={Route::Subscriber(w, s.id.clone())}>
                                    { subscriber_label(s) }
                                </Link>
                            </th>
                            <td>{ s.fields.get("email").cloned().unwrap_or_default() }</td>
                            <td><code>{ s.channel_id.as_str().to_owned() }</code></td>
                            <td>{ s.tags.join(", ") }</td>
                            <td>{ short_time(&s.last_seen_at) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        }
    });
    let more = found.as_ref().is_some_and(|f| f.next_cursor.is_some());
    html! {
        <>
            <h1>{ "Subscribers" }</h1>
            <form class="filters" {onsubmit} role="search" aria-label="Find subscribers">
                <div>
                    <label for="subscriber-q">{ "Search" }</label>
                    <input id="subscriber-q" type="search" ref={q_ref} value={search.q.clone()}
                        aria-describedby="subscriber-q-hint subscribers-error" />
                    <p class="muted hint" id="subscriber-q-hint">{ "Name, e-mail, or a subscriber or external id" }</p>
                </div>
                <div>
                    <label for="subscriber-tag">{ "Tag" }</label>
                    <select id="subscriber-tag" ref={tag_ref}>
                        <option value="" selected={search.tag.is_empty()}>{ "Any tag" }</option>
                        { for tags.items.iter().flatten().map(|t| html! {
                            <option value={t.name.clone()} selected={t.name == search.tag}>{ t.name.clone() }</option>
                        }) }
                    </select>
                </div>
                <div>
                    <label for="subscriber-channel">{ "Channel" }</label>
                    <select id="subscriber-channel" ref={channel_ref}>
                        <option value="" selected={search.channel.is_empty()}>{ "Any channel" }</option>
                        { for channels.items.iter().flatten().map(|c| html! {
                            <option value={c.id.as_str().to_owned()} selected={c.id.as_str() == search.channel}>
                                { c.settings.name.clone() }
                            </option>
                        }) }
                    </select>
                </div>
                <button type="submit">{ "Search" }</button>
            </form>
            <ErrorText id="subscribers-error" message={error.map(AttrValue::from)} />
            { rows.unwrap_or_else(|| html! { <p aria-busy="true">{ "Loading…" }</p> }) }
            if more {
                <button type="button" onclick={onmore}>{ "Load more" }</button>
            }
        </>
    }
}
