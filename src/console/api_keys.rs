//! The workspace's API keys: create, regenerate, revoke.

use super::app::Ctx;
use super::created_key::CreatedKey;
use super::error_text::ErrorText;
use super::problem::Shown;
use super::use_listed::use_listed;
use crate::management::ListParams;
use parlo_model::api_key::CreatedApiKey;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`ApiKeys`].
#[derive(Properties, PartialEq)]
pub struct ApiKeysProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
}

/// The workspace's unrevoked keys (name, prefix, dates), a form to create one, and per key
/// "Regenerate" and "Revoke" (both asked for confirmation). A new secret is shown once
/// ([`CreatedKey`]).
#[component]
pub fn ApiKeys(props: &ApiKeysProps) -> Html {
    let created = use_state(|| None::<CreatedApiKey>);
    let shown = use_state(Shown::default);
    let name = use_node_ref();
    let client = props.ctx.client(props.workspace);
    let keys = {
        let client = client.clone();
        use_listed(&props.ctx, props.workspace, move |cursor| {
            let client = client.clone();
            async move { client.api_keys().list(ListParams::after(cursor)).await }
        })
    };
    let onsubmit = {
        let (client, shown, created, keys, name) = (
            client.clone(),
            shown.clone(),
            created.clone(),
            keys.clone(),
            name.clone(),
        );
        let ctx = props.ctx.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = name.cast::<HtmlInputElement>();
            let value = input.as_ref().map(|i| i.value()).unwrap_or_default();
            let (client, shown, created, keys) =
                (client.clone(), shown.clone(), created.clone(), keys.clone());
            let ctx = ctx.clone();
            spawn_local(async move {
                match client.api_keys().create(&value).await {
                    Ok(key) => {
                        if let Some(input) = input {
                            input.set_value("");
                        }
                        shown.set(Shown::default());
                        created.set(Some(key));
                        keys.changed(Ok(()));
                    }
                    Err(e) => shown.set(ctx.shown(&e)),
                }
            });
        })
    };
    let rows = keys.items.as_ref().map(|list| {
        list.iter()
            .map(|k| {
                let act = |verb: &'static str, regenerate: bool| {
                    let (client, id) = (client.clone(), k.id);
                    keys.confirmed(
                        format!("{verb} the key “{}”? Programs using it stop working.", k.name),
                        move || {
                            let client = client.clone();
                            async move {
                                if regenerate {
                                    client.api_keys().regenerate(id).await.map(Some)
                                } else {
                                    client.api_keys().revoke(id).await.map(|()| None)
                                }
                            }
                        },
                        &created,
                    )
                };
                html! {
                    <tr key={k.id}>
                        <th scope="row">{ k.name.clone() }</th>
                        <td><code>{ format!("{}…", k.prefix) }</code></td>
                        <td>{ day(&k.created_at) }</td>
                        <td>{ k.last_used_at.as_deref().map_or("never".to_owned(), day) }</td>
                        <td class="actions">
                            <button type="button" onclick={act("Regenerate", true)}
                                aria-label={format!("Regenerate {}", k.name)}>{ "Regenerate" }</button>
                            <button type="button" class="danger" onclick={act("Revoke", false)}
                                aria-label={format!("Revoke {}", k.name)}>{ "Revoke" }</button>
                        </td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    let ondismiss = {
        let created = created.clone();
        Callback::from(move |()| created.set(None))
    };
    let name_error = shown.field("/name");
    html! {
        <>
            <h1>{ "API keys" }</h1>
            if let Some(key) = (*created).clone() {
                <CreatedKey title={format!("New secret of “{}”", key.name)} label="API key" noun="key"
                    if_lost="Parlo keeps only a hash of it; if you lose it, regenerate the key."
                    secret={key.secret} {ondismiss} />
            }
            <form class="inline" {onsubmit} aria-labelledby="new-key">
                <h2 id="new-key">{ "Create a key" }</h2>
                <label for="key-name">{ "Name" }</label>
                <div class="row">
                    <input id="key-name" ref={name} name="name" placeholder="e.g. zapier"
                        aria-invalid={name_error.is_some().then_some("true")} aria-describedby="key-name-error create-error" />
                    <button type="submit">{ "Create key" }</button>
                </div>
                <ErrorText id="key-name-error" message={name_error.map(AttrValue::from)} />
                <ErrorText id="create-error" message={shown.general.clone().map(AttrValue::from)} />
            </form>
            <ErrorText id="keys-error" message={(*keys.error).clone()} />
            <table>
                <caption>{ "Keys of this workspace (their secrets are never shown again)" }</caption>
                <thead><tr>
                    <th scope="col">{ "Name" }</th><th scope="col">{ "Prefix" }</th>
                    <th scope="col">{ "Created" }</th><th scope="col">{ "Last used" }</th>
                    <th scope="col">{ "Actions" }</th>
                </tr></thead>
                <tbody>{ rows.unwrap_or_default() }</tbody>
            </table>
        </>
    }
}

/// The date of an RFC 3339 date-time (`2026-12-07`).
pub(super) fn day(at: &str) -> String {
    at.get(..10).unwrap_or(at).to_owned()
}
