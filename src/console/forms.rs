//! The workspace's lead forms.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::link::Link;
use super::route::Route;
use super::workspace_lists::use_forms;
use parlo_model::form::FormStats;
use std::collections::BTreeMap;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Forms`].
#[derive(Properties, PartialEq)]
pub struct FormsProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
}

/// Every form of the workspace (name linking to its editor, id, published or not, its
/// leads and the submissions held back as spam, from `/stats`), "Delete" (asked for
/// confirmation; the leads stay) and a link to create one.
#[component]
pub fn Forms(props: &FormsProps) -> Html {
    let client = props.ctx.client(props.workspace);
    let forms = use_forms(&props.ctx, props.workspace);
    let stats = use_state(BTreeMap::<String, FormStats>::new);
    {
        let (stats, client) = (stats.clone(), client.clone());
        use_effect_with((*forms.items).clone(), move |items| {
            let ids: Vec<_> = items.iter().flatten().map(|f| f.id.clone()).collect();
            spawn_local(async move {
                let mut found = BTreeMap::new();
                for id in ids {
                    // A form whose stats cannot be read shows none.
                    if let Ok(s) = client.forms().stats(&id).await {
                        found.insert(id.as_str().to_owned(), s);
                    }
                }
                stats.set(found);
            });
        });
    }
    let none = use_state(|| None::<()>);
    let w = props.workspace;
    let rows = forms.items.as_ref().map(|list| {
        list.iter()
            .map(|f| {
                let ondelete = {
                    let (client, id) = (client.clone(), f.id.clone());
                    forms.confirmed(
                        format!(
                            "Delete the form “{}”? Its leads stay; pages showing it say it is unavailable.",
                            f.name
                        ),
                        move || {
                            let (client, id) = (client.clone(), id.clone());
                            async move { client.forms().delete(&id).await.map(|()| None) }
                        },
                        &none,
                    )
                };
                let s = stats.get(f.id.as_str());
                let count = |n: Option<u64>| n.map_or("–".to_owned(), |n| n.to_string());
                html! {
                    <tr key={f.id.as_str().to_owned()}>
                        <th scope="row"><Link to={Route::Form(w, f.id.clone())}>{ f.name.clone() }</Link></th>
                        <td><code>{ f.id.as_str().to_owned() }</code></td>
                        <td>{ if f.published { "published" } else { "not published" } }</td>
                        <td>{ count(s.map(|s| s.leads)) }</td>
                        <td>{ count(s.map(|s| s.honeypot + s.too_fast)) }</td>
                        <td class="actions">
                            <button type="button" class="danger" onclick={ondelete}
                                aria-label={format!("Delete {}", f.name)}>{ "Delete" }</button>
                        </td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    html! {
        <>
            <h1>{ "Forms" }</h1>
            <p><Link to={Route::NewForm(w)} class="button">{ "New form" }</Link></p>
            <ErrorText id="forms-error" message={(*forms.error).clone()} />
            <table tabindex="0">
                <caption>{ "Lead forms of this workspace" }</caption>
                <thead><tr>
                    <th scope="col">{ "Name" }</th><th scope="col">{ "Id" }</th>
                    <th scope="col">{ "State" }</th><th scope="col">{ "Leads" }</th>
                    <th scope="col">{ "Held back as spam" }</th><th scope="col">{ "Actions" }</th>
                </tr></thead>
                <tbody>{ rows.unwrap_or_default() }</tbody>
            </table>
        </>
    }
}
