//! The workspace's tags: list, create, delete.

use super::api_keys::day;
use super::app::Ctx;
use super::error_text::ErrorText;
use super::problem::Shown;
use super::route::Route;
use super::workspace_lists::use_tags;
use parlo_model::tag::IdOrName;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Tags`].
#[derive(Properties, PartialEq)]
pub struct TagsProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
}

/// Every tag (name, created, a link to its subscribers), a form to create one
/// (`POST /api/v1/tags`; a taken name is a 409 said next to the form) and per tag "Delete"
/// (asked for confirmation; it is removed from every subscriber).
#[component]
pub fn Tags(props: &TagsProps) -> Html {
    let shown = use_state(Shown::default);
    let none = use_state(|| None::<()>);
    let name = use_node_ref();
    let client = props.ctx.client(props.workspace);
    let tags = use_tags(&props.ctx, props.workspace);
    let onsubmit = {
        let (client, shown, tags, name) = (client.clone(), shown.clone(), tags.clone(), name.clone());
        let ctx = props.ctx.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = name.cast::<HtmlInputElement>();
            let value = input.as_ref().map(|i| i.value()).unwrap_or_default();
            let (client, shown, tags, ctx) = (client.clone(), shown.clone(), tags.clone(), ctx.clone());
            spawn_local(async move {
                match client.tags().create(value.trim()).await {
                    Ok(_) => {
                        if let Some(input) = input {
                            input.set_value("");
                        }
                        shown.set(Shown::default());
                        tags.changed(Ok(()));
                    }
                    Err(e) => shown.set(ctx.shown(&e)),
                }
            });
        })
    };
    let w = props.workspace;
    let rows = tags.items.as_ref().map(|list| {
        list.iter()
            .map(|t| {
                let ondelete = {
                    let (client, id) = (client.clone(), t.id);
                    tags.confirmed(
                        format!("Delete the tag “{}”? It is removed from every subscriber.", t.name),
                        move || {
                            let client = client.clone();
                            async move { client.tags().delete(&IdOrName::Id(id)).await.map(|()| None) }
                        },
                        &none,
                    )
                };
                let subscribers = format!(
                    "{}?tag={}",
                    Route::Subscribers(w).path(),
                    String::from(js_sys::encode_uri_component(&t.name))
                );
                html! {
                    <tr key={t.id}>
                        <th scope="row">{ t.name.clone() }</th>
                        <td>{ day(&t.created_at) }</td>
                        <td class="actions">
                            <a href={subscribers} aria-label={format!("Subscribers tagged {}", t.name)}>{ "Subscribers" }</a>
                            <button type="button" class="danger" onclick={ondelete}
                                aria-label={format!("Delete tag {}", t.name)}>{ "Delete" }</button>
                        </td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    let name_error = shown.field("/name");
    html! {
        <>
            <h1>{ "Tags" }</h1>
            <form class="inline" {onsubmit} aria-labelledby="new-tag-title">
                <h2 id="new-tag-title">{ "Create a tag" }</h2>
                <label for="tag-name">{ "Name" }</label>
                <div class="row">
                    <input id="tag-name" ref={name} placeholder="e.g. vip"
                        aria-invalid={name_error.is_some().then_some("true")} aria-describedby="tag-name-error tag-create-error" />
                    <button type="submit">{ "Create tag" }</button>
                </div>
                <ErrorText id="tag-name-error" message={name_error.map(AttrValue::from)} />
                <ErrorText id="tag-create-error" message={shown.general.clone().map(AttrValue::from)} />
            </form>
            <ErrorText id="tags-error" message={(*tags.error).clone()} />
            if tags.items.as_ref().is_some_and(Vec::is_empty) {
                <p>{ "No tags yet." }</p>
            } else {
                <table tabindex="0">
                    <caption>{ "Tags of this workspace" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Name" }</th><th scope="col">{ "Created" }</th>
                        <th scope="col">{ "Actions" }</th>
                    </tr></thead>
                    <tbody>{ rows.unwrap_or_default() }</tbody>
                </table>
            }
        </>
    }
}
