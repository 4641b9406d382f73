//! The header: the workspace's screens, the user and log-out.

use super::app::Ctx;
use super::link::Link;
use super::route::Route;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Nav`].
#[derive(Properties, PartialEq)]
pub struct NavProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The screen shown.
    pub route: Route,
    /// Called once the session is logged out.
    pub onlogout: Callback<()>,
}

/// The header with links to the workspace's screens (when one is chosen), the user's
/// e-mail and a "Log out" button, which ends the session on the server too.
#[component]
pub fn Nav(props: &NavProps) -> Html {
    let onclick = {
        let (ctx, onlogout) = (props.ctx.clone(), props.onlogout.clone());
        Callback::from(move |_: MouseEvent| {
            let (client, onlogout) = (ctx.user(), onlogout.clone());
            // Logged out here even when the server cannot be reached: the token is forgotten.
            spawn_local(async move {
                let _ = client.logout().await;
                onlogout.emit(());
            });
        })
    };
    let workspace_links = props.route.workspace().map(|w| {
        let keys = matches!(props.route, Route::ApiKeys(_));
        let leads = matches!(props.route, Route::Leads(_) | Route::Lead(..));
        let inbox = matches!(props.route, Route::Conversations(_) | Route::Conversation(..));
        let channels = matches!(
            props.route,
            Route::Channels(_) | Route::NewChannel(_) | Route::Channel(..)
        );
        let webhooks = matches!(props.route, Route::Webhooks(_) | Route::Delivery(..));
        let flows = matches!(props.route, Route::Flows(_) | Route::Flow(..));
        html! {
            <>
                <li><Link to={Route::ApiKeys(w)} current={keys}>{ "API keys" }</Link></li>
                <li><Link to={Route::Leads(w)} current={leads}>{ "Leads" }</Link></li>
                <li><Link to={Route::Conversations(w)} current={inbox}>{ "Inbox" }</Link></li>
                <li><Link to={Route::Channels(w)} current={channels}>{ "Channels" }</Link></li>
                <li><Link to={Route::Webhooks(w)} current={webhooks}>{ "Webhooks" }</Link></li>
                <li><Link to={Route::Flows(w)} current={flows}>{ "Flows" }</Link></li>
            </>
        }
    });
    html! {
        <header class="top">
            <a class="skip" href="#main">{ "Skip to content" }</a>
            <nav aria-label="Console">
                <ul>
                    <li><Link to={Route::Workspaces} current={props.route == Route::Workspaces}>{ "Workspaces" }</Link></li>
                    { for workspace_links }
                </ul>
            </nav>
            <div class="user">
                <span>{ props.ctx.session.email.clone() }</span>
                <button type="button" {onclick}>{ "Log out" }</button>
            </div>
        </header>
    }
}
