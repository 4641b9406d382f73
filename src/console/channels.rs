//! The workspace's channels.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::link::Link;
use super::route::Route;
use crate::management::{ListParams, all_pages};
use parlo_model::channel::Channel;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Channels`].
#[derive(Properties, PartialEq)]
pub struct ChannelsProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
}

/// Every channel of the workspace (name linking to its settings, id, allowed origins,
/// archived or not) and a link to create one.
#[component]
pub fn Channels(props: &ChannelsProps) -> Html {
    let channels = use_state(|| None::<Vec<Channel>>);
    let error = use_state(|| None::<AttrValue>);
    {
        let (channels, error) = (channels.clone(), error.clone());
        let (ctx, client) = (props.ctx.clone(), props.ctx.client(props.workspace));
        use_effect_with((props.ctx.clone(), props.workspace), move |_| {
            spawn_local(async move {
                match all_pages(|c| client.channels().list(ListParams::after(c))).await {
                    Ok(items) => channels.set(Some(items)),
                    Err(e) => error.set(ctx.shown(&e).general.map(AttrValue::from)),
                }
            });
        });
    }
    let w = props.workspace;
    let rows = channels.as_ref().map(|list| {
        list.iter()
            .map(|c| {
                html! {
                    <tr key={c.id.as_str().to_owned()}>
                        <th scope="row"><Link to={Route::Channel(w, c.id.clone())}>{ c.settings.name.clone() }</Link></th>
                        <td><code>{ c.id.as_str().to_owned() }</code></td>
                        <td>{ c.settings.allowed_origins.join(", ") }</td>
                        <td>{ if c.archived_at.is_some() { "archived" } else { "active" } }</td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    html! {
        <>
            <h1>{ "Channels" }</h1>
            <p><Link to={Route::NewChannel(w)} class="button">{ "New channel" }</Link></p>
            <ErrorText id="channels-error" message={(*error).clone()} />
            <table tabindex="0">
                <caption>{ "Web chat channels of this workspace" }</caption>
                <thead><tr>
                    <th scope="col">{ "Name" }</th><th scope="col">{ "Id" }</th>
                    <th scope="col">{ "Allowed origins" }</th><th scope="col">{ "State" }</th>
                </tr></thead>
                <tbody>{ rows.unwrap_or_default() }</tbody>
            </table>
        </>
    }
}
