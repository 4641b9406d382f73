//! The workspace's webhook endpoints: create, rotate the signing secret, delete; and their
//! deliveries.

use super::api_keys::day;
use super::app::Ctx;
use super::created_key::CreatedKey;
use super::deliveries::Deliveries;
use super::error_text::ErrorText;
use super::text_field::TextField;
use super::use_listed::use_listed;
use crate::management::{Error, ListParams};
use parlo_model::webhook::{CreateWebhookEndpoint, WebhookEndpointWithSecret};
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
    let created = use_state(|| None::<WebhookEndpointWithSecret>);
    let url = use_state(String::new);
    let description = use_state(String::new);
    let errors = use_state(Vec::<(String, String)>::new);
    let create_error = use_state(|| None::<AttrValue>);
    let client = props.ctx.client(props.workspace);
    let endpoints = {
        let client = client.clone();
        use_listed(&props.ctx, props.workspace, move |cursor| {
            let client = client.clone();
            async move { client.webhook_endpoints().list(ListParams::after(cursor)).await }
        })
    };
    let done = {
        let (created, endpoints) = (created.clone(), endpoints.clone());
        move |result: Result<Option<WebhookEndpointWithSecret>, Error>| {
            if let Some(Some(new)) = endpoints.changed(result) {
                created.set(Some(new));
            }
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
    let rows = endpoints.items.as_ref().map(|list| {
        list.iter()
            .map(|ep| {
                let act = |rotate: bool| {
                    let (client, id) = (client.clone(), ep.id);
                    let question = if rotate {
                        format!("Rotate the signing secret of {}? Signatures made with the old one stop verifying.", ep.url)
                    } else {
                        format!("Delete the endpoint {}? Its pending deliveries are given up.", ep.url)
                    };
                    endpoints.confirmed(
                        question,
                        move || {
                            let client = client.clone();
                            async move {
                                if rotate {
                                    client.webhook_endpoints().rotate_secret(id).await.map(Some)
                                } else {
                                    client.webhook_endpoints().delete(id).await.map(|()| None)
                                }
                            }
                        },
                        &created,
                    )
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
            <ErrorText id="endpoints-error" message={(*endpoints.error).clone()} />
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
