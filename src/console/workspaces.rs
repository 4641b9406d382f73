//! The workspace picker.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::link::Link;
use super::route::Route;
use crate::management::ListParams;
use parlo_model::workspace::Workspace;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Workspaces`].
#[derive(Properties, PartialEq)]
pub struct WorkspacesProps {
    /// Session and API.
    pub ctx: Ctx,
}

/// The user's workspaces (the first 100, `GET /api/v1/workspaces`), each a link to its API
/// keys and its leads.
#[component]
pub fn Workspaces(props: &WorkspacesProps) -> Html {
    let list = use_state(|| None::<Vec<Workspace>>);
    let error = use_state(|| None::<AttrValue>);
    {
        let (list, error, client) = (list.clone(), error.clone(), props.ctx.user());
        let ctx = props.ctx.clone();
        use_effect_with(props.ctx.clone(), move |_| {
            spawn_local(async move {
                match client.workspaces().list(ListParams::after(None)).await {
                    Ok(page) => list.set(Some(page.items)),
                    Err(e) => error.set(ctx.shown(&e).general.map(AttrValue::from)),
                }
            });
        });
    }
    let items = list.as_ref().map(|items| {
        if items.is_empty() {
            return html! { <p>{ "You have no workspace yet." }</p> };
        }
        html! {
            <ul class="cards">
                { for items.iter().map(|w| html! {
                    <li key={w.id}>
                        <h2>{ w.name.clone() }</h2>
                        <p class="muted">{ w.slug.clone() }</p>
                        <p>
                            <Link to={Route::ApiKeys(w.id)}>{ "API keys" }<span class="sr-only">{ format!(" of {}", w.name) }</span></Link>
                            { " · " }
                            <Link to={Route::Leads(w.id)}>{ "Leads" }<span class="sr-only">{ format!(" of {}", w.name) }</span></Link>
                            { " · " }
                            <Link to={Route::Conversations(w.id)}>{ "Inbox" }<span class="sr-only">{ format!(" of {}", w.name) }</span></Link>
                            { " · " }
                            <Link to={Route::Channels(w.id)}>{ "Channels" }<span class="sr-only">{ format!(" of {}", w.name) }</span></Link>
                            { " · " }
                            <Link to={Route::Webhooks(w.id)}>{ "Webhooks" }<span class="sr-only">{ format!(" of {}", w.name) }</span></Link>
                            { " · " }
                            <Link to={Route::Flows(w.id)}>{ "Flows" }<span class="sr-only">{ format!(" of {}", w.name) }</span></Link>
                        </p>
                    </li>
                }) }
            </ul>
        }
    });
    html! {
        <>
            <h1>{ "Choose a workspace" }</h1>
            <ErrorText id="workspaces-error" message={(*error).clone()} />
            { items.unwrap_or_else(|| html! { <p aria-busy="true">{ "Loading…" }</p> }) }
        </>
    }
}
