//! The profile of a conversation's subscriber.

use super::app::Ctx;
use super::conversation_list::short_time;
use super::error_text::ErrorText;
use super::field_editor::FieldEditor;
use super::subscriber_name::subscriber_name;
use super::tag_editor::TagEditor;
use parlo_model::ids::SubscriberId;
use parlo_model::subscriber::Subscriber;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`SubscriberProfile`].
#[derive(Properties, PartialEq)]
pub struct SubscriberProfileProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The subscriber.
    pub id: SubscriberId,
}

/// Who the visitor is (`GET /api/v1/subscribers/{id}`): name, e-mail, external id,
/// channel, first and last seen, tags (added and removed here) and custom fields (edited
/// here, [`FieldEditor`]).
#[component]
pub fn SubscriberProfile(props: &SubscriberProfileProps) -> Html {
    let subscriber = use_state(|| None::<Subscriber>);
    let error = use_state(|| None::<AttrValue>);
    {
        let (subscriber, error) = (subscriber.clone(), error.clone());
        let (ctx, id) = (props.ctx.clone(), props.id.clone());
        let client = props.ctx.client(props.workspace);
        use_effect_with(props.id.clone(), move |_| {
            spawn_local(async move {
                match client.subscribers().get(&id).await {
                    Ok(s) => subscriber.set(Some(s)),
                    Err(e) => error.set(ctx.shown(&e).general.map(AttrValue::from)),
                }
            });
        });
    }
    let onchange = {
        let subscriber = subscriber.clone();
        Callback::from(move |s: Subscriber| subscriber.set(Some(s)))
    };
    let body = subscriber.as_ref().map(|s| {
        let field = |name: &str| s.fields.get(name).filter(|v| !v.is_empty()).cloned();
        let name = subscriber_name(s);
        let unknown = || html! { <span class="muted">{ "—" }</span> };
        html! {
            <>
                <dl class="values">
                    <dt>{ "Name" }</dt><dd>{ name.map_or_else(unknown, Html::from) }</dd>
                    <dt>{ "E-mail" }</dt><dd>{ field("email").map_or_else(unknown, Html::from) }</dd>
                    <dt>{ "External id" }</dt><dd>{ s.external_id.clone().map_or_else(unknown, Html::from) }</dd>
                    <dt>{ "Channel" }</dt><dd><code>{ s.channel_id.as_str().to_owned() }</code></dd>
                    <dt>{ "First seen" }</dt><dd>{ short_time(&s.created_at) }</dd>
                    <dt>{ "Last seen" }</dt><dd>{ short_time(&s.last_seen_at) }</dd>
                </dl>
                <TagEditor ctx={props.ctx.clone()} workspace={props.workspace} id={s.id.clone()}
                    tags={s.tags.clone()} onchange={onchange.clone()} />
                <FieldEditor ctx={props.ctx.clone()} workspace={props.workspace} subscriber={s.clone()} {onchange} />
            </>
        }
    });
    html! {
        <aside class="profile" aria-labelledby="profile-title">
            <h3 id="profile-title">{ "Profile" }</h3>
            <ErrorText id="profile-error" message={(*error).clone()} />
            { body.unwrap_or_else(|| html! { <p aria-busy="true">{ "Loading…" }</p> }) }
        </aside>
    }
}
