//! The form creating a flow: name, id and folder.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::link::Navigate;
use super::problem::Shown;
use super::route::Route;
use super::text_field::TextField;
use parlo_model::flow::{Flow, Step};
use parlo_model::ids::{FlowId, StepId};
use std::collections::BTreeMap;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`FlowCreate`].
#[derive(Properties, PartialEq)]
pub struct FlowCreateProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// Called once a flow is created (before its editor opens).
    pub oncreated: Callback<()>,
}

/// The id a name gives when the id is left empty: its ASCII letters and digits in lower
/// case, every other run of characters one `_`, at most 64 (e.g. “Order status?” →
/// `order_status`).
fn id_of(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('_') {
            id.push('_');
        }
    }
    id.trim_end_matches('_').chars().take(64).collect()
}

/// A new flow with one message step, `start`, saying "Hello!" (the owner writes the rest in
/// its editor).
fn new_flow(id: &str, name: &str, folder: &str) -> Flow {
    let start = StepId::from("start");
    let step = Step::Message {
        text: "Hello!".to_owned(),
        buttons: Vec::new(),
        quick_replies: Vec::new(),
        next: None,
    };
    Flow {
        id: FlowId::from(id),
        name: name.trim().to_owned(),
        start: start.clone(),
        steps: BTreeMap::from([(start, step)]),
        folder: Some(folder.trim().to_owned()).filter(|f| !f.is_empty()),
    }
}

/// Name, id (from the name when empty) and folder of a new flow, checked with the model's
/// rules before sending ([`Flow::validate`]) and by the server; each problem is shown at its
/// field. A created flow opens in its editor.
#[component]
pub fn FlowCreate(props: &FlowCreateProps) -> Html {
    let name = use_state(String::new);
    let id = use_state(String::new);
    let folder = use_state(String::new);
    let shown = use_state(Shown::default);
    let navigate = use_context::<Navigate>();
    let onsubmit = {
        let (name, id, folder, shown) = (name.clone(), id.clone(), folder.clone(), shown.clone());
        let (ctx, workspace, oncreated) = (props.ctx.clone(), props.workspace, props.oncreated.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let given = id.trim();
            let flow_id = if given.is_empty() {
                id_of(&name)
            } else {
                given.to_owned()
            };
            let flow = new_flow(&flow_id, &name, &folder);
            let fields: Vec<(String, String)> = flow
                .validate()
                .into_iter()
                .map(|e| (e.pointer, e.message))
                .collect();
            if !fields.is_empty() {
                shown.set(Shown {
                    fields,
                    general: None,
                });
                return;
            }
            let (client, shown, navigate, oncreated, ctx) = (
                ctx.client(workspace),
                shown.clone(),
                navigate.clone(),
                oncreated.clone(),
                ctx.clone(),
            );
            spawn_local(async move {
                match client.flows().create(&flow).await {
                    Ok(created) => {
                        shown.set(Shown::default());
                        oncreated.emit(());
                        if let Some(navigate) = navigate {
                            navigate.0.emit(Route::Flow(workspace, created.id));
                        }
                    }
                    Err(e) => shown.set(ctx.shown(&e)),
                }
            });
        })
    };
    let field = |pointer: &str| shown.field(pointer).map(AttrValue::from);
    let id_hint = match id_of(&name) {
        derived if id.is_empty() && !derived.is_empty() => {
            format!("Used in links and channels; “{derived}” when empty.")
        }
        _ => "Used in links and channels: 1 to 64 of a–z, 0–9, _ and -; from the name when empty.".to_owned(),
    };
    html! {
        <form class="new-flow" {onsubmit} aria-labelledby="new-flow" novalidate=true>
            <h2 id="new-flow">{ "New flow" }</h2>
            <div class="row">
                <TextField id="flow-name" label="Name" value={AttrValue::from((*name).clone())}
                    oninput={name.setter()} error={field("/name")} />
                <TextField id="flow-id" label="Id" value={AttrValue::from((*id).clone())}
                    oninput={id.setter()} hint={Some(AttrValue::from(id_hint))} error={field("/id")} />
                <TextField id="flow-folder" label="Folder" value={AttrValue::from((*folder).clone())}
                    oninput={folder.setter()} error={field("/folder")}
                    hint={Some(AttrValue::Static("A path like sales/quotes; the top level when empty."))} />
            </div>
            <button type="submit">{ "Create flow" }</button>
            <ErrorText id="flow-create-error" message={shown.general.clone().map(AttrValue::from)} />
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_gives_an_id_the_model_accepts() {
        assert_eq!(id_of("Order status?"), "order_status");
        assert_eq!(id_of("  Été 2026 — offers "), "t_2026_offers");
        let flow = new_flow(&id_of("Order status?"), " Order status? ", "sales/quotes");
        assert!(flow.validate().is_empty());
        assert_eq!(new_flow("x", "X", " ").folder, None);
    }
}
