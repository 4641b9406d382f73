//! The workspace's flows, by folder: open, create, delete.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::flow_create::FlowCreate;
use super::link::Link;
use super::route::Route;
use super::use_listed::confirm;
use super::workspace_lists::use_flows;
use crate::management::Error;
use parlo_model::flow::Flow;
use std::collections::BTreeMap;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Flows`].
#[derive(Properties, PartialEq)]
pub struct FlowsProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
}

/// Every flow of the workspace, one table per folder (the top level first, then the folder
/// paths in order): name linking to its editor, id, number of steps, and "Delete" (asked
/// for confirmation; a flow a channel or another flow still starts is kept, and the
/// server's list of those is said in words, see [`conflict_text`]). The form to create one
/// is above ([`FlowCreate`]).
#[component]
pub fn Flows(props: &FlowsProps) -> Html {
    let client = props.ctx.client(props.workspace);
    let flows = use_flows(&props.ctx, props.workspace);
    let w = props.workspace;
    let ondelete = |flow: &Flow| {
        let (client, flows, id, name) = (client.clone(), flows.clone(), flow.id.clone(), flow.name.clone());
        Callback::from(move |_: MouseEvent| {
            if !confirm(&format!("Delete the flow “{name}”? This cannot be undone.")) {
                return;
            }
            let (client, flows, id, name) = (client.clone(), flows.clone(), id.clone(), name.clone());
            spawn_local(async move {
                match client.flows().delete(&id).await {
                    Err(Error::Api { problem, .. }) if problem.status == 409 => {
                        let detail = problem.detail.unwrap_or(problem.title);
                        flows.error.set(Some(conflict_text(&name, &detail).into()));
                    }
                    result => {
                        flows.changed(result);
                    }
                }
            });
        })
    };
    let mut folders: BTreeMap<Option<&str>, Vec<&Flow>> = BTreeMap::new();
    for flow in flows.items.iter().flatten() {
        folders.entry(flow.folder.as_deref()).or_default().push(flow);
    }
    let tables = folders.iter().map(|(folder, list)| {
        let caption = match folder {
            None => "Top level".to_owned(),
            Some(path) => format!("Folder {path}"),
        };
        let rows = list.iter().map(|f| {
            html! {
                <tr key={f.id.as_str().to_owned()}>
                    <th scope="row"><Link to={Route::Flow(w, f.id.clone())}>{ f.name.clone() }</Link></th>
                    <td><code>{ f.id.as_str().to_owned() }</code></td>
                    <td>{ f.steps.len() }</td>
                    <td class="actions">
                        <button type="button" class="danger" onclick={ondelete(f)}
                            aria-label={format!("Delete {}", f.name)}>{ "Delete" }</button>
                    </td>
                </tr>
            }
        });
        html! {
            <section key={caption.clone()} aria-label={caption.clone()}>
                <h2>{ caption.clone() }</h2>
                <table tabindex="0">
                    <caption>{ format!("Flows: {caption}") }</caption>
                    <thead><tr>
                        <th scope="col">{ "Name" }</th><th scope="col">{ "Id" }</th>
                        <th scope="col">{ "Steps" }</th><th scope="col">{ "Actions" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </section>
        }
    });
    let oncreated = {
        let flows = flows.clone();
        Callback::from(move |()| {
            flows.changed(Ok(()));
        })
    };
    html! {
        <>
            <h1>{ "Flows" }</h1>
            <FlowCreate ctx={props.ctx.clone()} workspace={w} {oncreated} />
            <ErrorText id="flows-error" message={(*flows.error).clone()} />
            if flows.items.is_none() && flows.error.is_none() {
                <p aria-busy="true">{ "Loading…" }</p>
            }
            { for tables }
        </>
    }
}

/// The 409 of `DELETE /api/v1/flows/{id}` in words. Its detail lists what still starts the
/// flow, `flow 'x' is still started by: channel 'demo' (/start_flow), flow 'menu'
/// (/steps/a/buttons/0/flow)`; each reference is said by what it is in the channel or
/// flow (“channel demo: its welcome flow”). A detail of another shape is said as it is.
pub fn conflict_text(name: &str, detail: &str) -> String {
    let Some((_, list)) = detail.split_once(" is still started by: ") else {
        return detail.to_owned();
    };
    let users: Vec<String> = list.split(", ").map(user_text).collect();
    format!(
        "“{name}” was not deleted: it is still started by {}. Change those first, then delete it.",
        users.join("; ")
    )
}

/// One reference of [`conflict_text`], `kind 'id' (/pointer)`, in words.
fn user_text(item: &str) -> String {
    let parsed = item.split_once(" '").and_then(|(kind, rest)| {
        let (id, pointer) = rest.split_once("' (")?;
        Some((kind, id, pointer.strip_suffix(')')?))
    });
    let Some((kind, id, pointer)) = parsed else {
        return item.to_owned();
    };
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    let nth = |i: &str| i.parse::<usize>().map_or(0, |i| i + 1);
    let place = match (kind, parts.as_slice()) {
        ("channel", ["start_flow"]) => "its welcome flow".to_owned(),
        ("channel", ["fallback_flow"]) => "its fallback flow".to_owned(),
        ("channel", ["keywords", i, ..]) => format!("keyword {}", nth(i)),
        ("channel", ["ice_breakers", i, ..]) => format!("ice breaker {}", nth(i)),
        ("channel", ["main_menu", i, ..]) => format!("main-menu item {}", nth(i)),
        ("flow", ["steps", step, ..]) => format!("step {step}"),
        _ => pointer.to_owned(),
    };
    format!("{kind} {id} ({place})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_are_said_in_words() {
        assert_eq!(
            conflict_text(
                "Welcome",
                "flow 'welcome' is still started by: channel 'demo' (/start_flow), channel 'shop' (/keywords/1/flow), flow 'menu' (/steps/a/buttons/0/flow)"
            ),
            "“Welcome” was not deleted: it is still started by channel demo (its welcome flow); \
             channel shop (keyword 2); flow menu (step a). Change those first, then delete it."
        );
        assert_eq!(conflict_text("X", "something else"), "something else");
    }
}
