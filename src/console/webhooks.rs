//! The workspace's webhook endpoints: create, rotate the signing secret, delete; and their
//! deliveries.

use super::api_keys::{confirm, day};
use super::app::Ctx;
use super::created_key::CreatedKey;
use super::deliveries::Deliveries;
use super::error_text::ErrorText;
use super::text_field::TextField;
use crate::management::{Error, ListParams, all_pages};
use parlo_model::webhook::{CreateWebhookEndpoint, WebhookEndpoint, WebhookEndpointWithSecret};
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Webhooks`].
#[derive(Properties, PartialEq)]
pub struct WebhooksProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
}

/// The endpoints (URL, description, disabled or not) with "Rotate secret" and "Delete"
/// (both asked for confirmation), a form to add one, and the [`Deliveries`] below. A new
/// signing secret is shown once ([`CreatedKey`]).
#[component]
pub fn Webhooks(props: &WebhooksProps) -> Html {
    let endpoints = use_state(|| None::<Vec<WebhookEndpoint>>);
    let created = use_state(|| None::<WebhookEndpointWithSecret>);
    let url = use_state(String::new);
    let description = use_state(String::new);
    let errors = use_state(Vec::<(String, String)>::new);
    let create_error = use_state(|| None::<AttrValue>);
    let list_error = use_state(|| None::<AttrValue>);
    let reload = use_state(|| 0_u32);
    let client = props.ctx.client(props.workspace);
    {
        let (endpoints, list_error, client) = (endpoints.clone(), list_error.clone(), client.clone());
        let ctx = props.ctx.clone();
        use_effect_with((props.ctx.clone(), props.workspace, *reload), move |_| {
            spawn_local(async move {
                match all_pages(|c| client.webhook_endpoints().list(ListParams::after(c))).await {
                    Ok(items) => endpoints.set(Some(items)),
                    Err(e) => list_error.set(ctx.shown(&e).general.map(AttrValue::from)),
                }
            });
        });
    }
    let done = {
        let (created, reload, list_error) = (created.clone(), reload.clone(), list_error.clone());
        let ctx = props.ctx.clone();
        move |result: Result<Option<WebhookEndpointWithSecret>, Error>| match result {
            Ok(new) => {
                if new.is_some() {
                    created.set(new);
                }
                list_error.set(None);
                reload.set(*reload + 1);
            }
            Err(e) => list_error.set(ctx.shown(&e).general.map(AttrValue::from)),
        }
    };
    let onsubmit = {
        let (client, url, description, errors, create_error, done) = (
            client.clone(),
            url.clone(),
            description.clone(),
            errors.clone(),
            create_error.clone(),
            done.clone(),
        );
        let ctx = props.ctx.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = CreateWebhookEndpoint {
                url: url.trim().to_owned(),
                description: description.trim().to_owned(),
                secret: None,
            };
            let (client, url, description, errors, create_error, done, ctx) = (
                client.clone(),
                url.clone(),
                description.clone(),
                errors.clone(),
                create_error.clone(),
                done.clone(),
                ctx.clone(),
            );
            spawn_local(async move {
                match client.webhook_endpoints().create(&body).await {
                    Ok(endpoint) => {
                        url.set(String::new());
                        description.set(String::new());
                        errors.set(Vec::new());
                        create_error.set(None);
                        done(Ok(Some(endpoint)));
                    }
                    Err(e) => {
                        let shown = ctx.shown(&e);
                        errors.set(shown.fields);
                        create_error.set(shown.general.map(AttrValue::from));
                    }
                }
            });
        })
    };
    let rows = endpoints.as_ref().map(|list| {
        list.iter()
            .map(|ep| {
                let act = |rotate: bool| {
                    let (client, done, id, url) = (client.clone(), done.clone(), ep.id, ep.url.clone());
                    Callback::from(move |_: MouseEvent| {
                        let question = if rotate {
                            format!("Rotate the signing secret of {url}? Signatures made with the old one stop verifying.")
                        } else {
                            format!("Delete the endpoint {url}? Its pending deliveries are given up.")
                        };
                        if !confirm(&question) {
                            return;
                        }
                        let (client, done) = (client.clone(), done.clone());
                        spawn_local(async move {
                            let result = if rotate {
                                client.webhook_endpoints().rotate_secret(id).await.map(Some)
                            } else {
                                client.webhook_endpoints().delete(id).await.map(|()| None)
                            };
                            done(result);
                        });
                    })
                };
                html! {
                    <tr key={ep.id}>
                        <th scope="row"><code>{ ep.url.clone() }</code></th>
                        <td>{ ep.description.clone() }</td>
                        <td>{ day(&ep.created_at) }</td>
                        <td>{ if ep.disabled_at.is_some() { "disabled (answered 410 Gone)" } else { "active" } }</td>
                        <td class="actions">
                            <button type="button" onclick={act(true)}
                                aria-label={format!("Rotate secret of {}", ep.url)}>{ "Rotate secret" }</button>
                            <button type="button" class="danger" onclick={act(false)}
                                aria-label={format!("Delete {}", ep.url)}>{ "Delete" }</button>
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
    let field = |pointer: &str| {
        errors
            .iter()
            .find(|(p, _)| p == pointer)
            .map(|(_, m)| AttrValue::from(m.clone()))
    };
    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |text: String| state.set(text))
    };
    html! {
        <>
            <h1>{ "Webhooks" }</h1>
            if let Some(new) = (*created).clone() {
                <CreatedKey title={format!("Signing secret of {}", new.endpoint.url)} label="Signing secret" noun="secret"
                    if_lost="Verify every webhook's signature with it (Standard Webhooks); if you lose it, rotate it."
                    secret={new.secret} {ondismiss} />
            }
            <form {onsubmit} aria-labelledby="new-endpoint" novalidate=true>
                <h2 id="new-endpoint">{ "Add an endpoint" }</h2>
                <TextField id="endpoint-url" label="URL" kind="url" value={AttrValue::from((*url).clone())}
                    oninput={set(&url)} hint={Some(AttrValue::Static("Events are POSTed here, signed, e.g. https://hooks.example.com/parlo."))}
                    error={field("/url")} />
                <TextField id="endpoint-description" label="Description" value={AttrValue::from((*description).clone())}
                    oninput={set(&description)} error={field("/description")} />
                <button type="submit">{ "Add endpoint" }</button>
                <ErrorText id="endpoint-create-error" message={(*create_error).clone()} />
            </form>
            <ErrorText id="endpoints-error" message={(*list_error).clone()} />
            <table tabindex="0">
                <caption>{ "Endpoints of this workspace (their secrets are never shown again)" }</caption>
                <thead><tr>
                    <th scope="col">{ "URL" }</th><th scope="col">{ "Description" }</th>
                    <th scope="col">{ "Created" }</th><th scope="col">{ "State" }</th>
                    <th scope="col">{ "Actions" }</th>
                </tr></thead>
                <tbody>{ rows.unwrap_or_default() }</tbody>
            </table>
            <Deliveries ctx={props.ctx.clone()} workspace={props.workspace} />
        </>
    }
}
