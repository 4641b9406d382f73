//! One subscriber: profile, tags, custom fields, and the way to their conversation.

use super::app::Ctx;
use super::link::Link;
use super::route::Route;
use super::subscriber_profile::SubscriberProfile;
use parlo_model::ids::SubscriberId;
use yew::prelude::*;

/// Props of [`SubscriberView`].
#[derive(Properties, PartialEq)]
pub struct SubscriberViewProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The subscriber.
    pub id: SubscriberId,
}

/// The subscriber's [`SubscriberProfile`] (tags and custom fields edited there) with links
/// back to the list and to their conversation in the inbox.
#[component]
pub fn SubscriberView(props: &SubscriberViewProps) -> Html {
    let w = props.workspace;
    html! {
        <>
            <p><Link to={Route::Subscribers(w)}>{ "← All subscribers" }</Link></p>
            <h1>{ "Subscriber" }</h1>
            <p><Link to={Route::Conversation(w, props.id.clone())} class="button">{ "Open conversation" }</Link></p>
            <SubscriberProfile ctx={props.ctx.clone()} workspace={w} id={props.id.clone()} />
        </>
    }
}
