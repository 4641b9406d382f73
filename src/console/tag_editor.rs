//! A subscriber's tags, added and removed.

use super::app::Ctx;
use super::error_text::ErrorText;
use parlo_model::ids::SubscriberId;
use parlo_model::subscriber::Subscriber;
use parlo_model::tag::IdOrName;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`TagEditor`].
#[derive(Properties, PartialEq)]
pub struct TagEditorProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The subscriber.
    pub id: SubscriberId,
    /// The subscriber's tags (names).
    pub tags: Vec<String>,
    /// Called with the changed subscriber after an addition or removal.
    pub onchange: Callback<Subscriber>,
}

/// The tags, each with a "Remove" button (`DELETE /api/v1/subscribers/{id}/tags`), and a
/// labelled input to add one by name (`POST …/tags`; a new name creates the tag).
#[component]
pub fn TagEditor(props: &TagEditorProps) -> Html {
    let error = use_state(|| None::<AttrValue>);
    let input = use_node_ref();
    // Adds (`true`) or removes `tag`, then reports the changed subscriber.
    let change = {
        let error = error.clone();
        let (ctx, id, onchange) = (props.ctx.clone(), props.id.clone(), props.onchange.clone());
        let client = props.ctx.client(props.workspace);
        let input = input.clone();
        Callback::from(move |(add, tag): (bool, String)| {
            let (error, ctx, id, onchange, client) = (
                error.clone(),
                ctx.clone(),
                id.clone(),
                onchange.clone(),
                client.clone(),
            );
            let input = input.clone();
            spawn_local(async move {
                let tags = [IdOrName::Name(tag)];
                let changed = if add {
                    client.subscribers().add_tags(&id, &tags).await
                } else {
                    client.subscribers().remove_tags(&id, &tags).await
                };
                match changed {
                    Ok(s) => {
                        error.set(None);
                        if let (true, Some(input)) = (add, input.cast::<HtmlInputElement>()) {
                            input.set_value("");
                        }
                        onchange.emit(s);
                    }
                    Err(e) => {
                        let shown = ctx.shown(&e);
                        let field = shown.fields.first().map(|(_, m)| m.clone());
                        error.set(shown.general.or(field).map(AttrValue::from));
                    }
                }
            });
        })
    };
    let onsubmit = {
        let (change, input) = (change.clone(), input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let tag = input
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let tag = tag.trim();
            if !tag.is_empty() {
                change.emit((true, tag.to_owned()));
            }
        })
    };
    html! {
        <div class="tags">
            <h4 id="tags-title">{ "Tags" }</h4>
            if props.tags.is_empty() {
                <p class="muted">{ "No tags." }</p>
            } else {
                <ul class="tag-list" aria-labelledby="tags-title">
                    { for props.tags.iter().map(|tag| {
                        let (change, name) = (change.clone(), tag.clone());
                        let onclick = Callback::from(move |_: MouseEvent| change.emit((false, name.clone())));
                        html! {
                            <li key={tag.clone()}>
                                <span>{ tag.clone() }</span>
                                <button type="button" class="remove" {onclick} aria-label={format!("Remove tag {tag}")}>{ "Remove" }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
            <form class="row" {onsubmit}>
                <label for="new-tag" class="sr-only">{ "New tag" }</label>
                <input id="new-tag" ref={input} placeholder="New tag" aria-describedby="tag-error" />
                <button type="submit">{ "Add tag" }</button>
            </form>
            <ErrorText id="tag-error" message={(*error).clone()} />
        </div>
    }
}
