//! A flow's statistics per step (`GET /api/v1/flows/{id}/statistics`).

use super::app::Ctx;
use super::error_text::ErrorText;
use parlo_model::flow_statistics::{ButtonStatistics, FlowStatistics};
use parlo_model::ids::FlowId;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`FlowStats`].
#[derive(Properties, PartialEq)]
pub struct FlowStatsProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The flow.
    pub id: FlowId,
    /// Read again whenever this changes (the editor counts its saves).
    pub version: u32,
    /// Called with the JSON pointer of a step (`/steps/greet`) to show it in the document.
    pub onjump: Callback<String>,
}

/// `title: clicks` of each button, joined by commas.
fn clicks(list: &[ButtonStatistics]) -> String {
    list.iter()
        .map(|b| format!("{}: {}", b.title, b.clicks))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A table of the flow's steps (id, kind, sent, completions, clicks of each button and quick
/// reply, outcomes of condition, webhook and hand-over steps) with the flow's completions,
/// read when shown, after each save and on "Refresh". A step's id shows it in the document.
#[component]
pub fn FlowStats(props: &FlowStatsProps) -> Html {
    let stats = use_state(|| None::<FlowStatistics>);
    let error = use_state(|| None::<AttrValue>);
    let reload = use_state(|| 0_u32);
    {
        let (stats, error, ctx) = (stats.clone(), error.clone(), props.ctx.clone());
        let client = props.ctx.client(props.workspace);
        use_effect_with(
            (props.ctx.clone(), props.id.clone(), props.version, *reload),
            move |(_, id, _, _)| {
                let id = id.clone();
                spawn_local(async move {
                    match client.flows().statistics(&id).await {
                        Ok(s) => {
                            error.set(None);
                            stats.set(Some(s));
                        }
                        Err(e) => error.set(ctx.shown(&e).general.map(AttrValue::from)),
                    }
                });
            },
        );
    }
    let onrefresh = {
        let reload = reload.clone();
        Callback::from(move |_: MouseEvent| reload.set(*reload + 1))
    };
    let rows = stats.as_ref().map(|s| {
        s.steps
            .iter()
            .map(|step| {
                let onclick = {
                    let (onjump, pointer) =
                        (props.onjump.clone(), format!("/steps/{}", step.step_id.as_str()));
                    Callback::from(move |_: MouseEvent| onjump.emit(pointer.clone()))
                };
                let outcomes = step
                    .outcomes
                    .iter()
                    .map(|(name, n)| format!("{name}: {n}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                html! {
                    <tr key={step.step_id.as_str().to_owned()}>
                        <th scope="row">
                            <button type="button" class="link" {onclick}
                                aria-label={format!("Show step {} in the document", step.step_id.as_str())}>
                                { step.step_id.as_str().to_owned() }
                            </button>
                        </th>
                        <td>{ step.step_type.clone() }</td>
                        <td class="num">{ step.sent }</td>
                        <td class="num">{ step.completions }</td>
                        <td>{ clicks(&step.buttons) }</td>
                        <td>{ clicks(&step.quick_replies) }</td>
                        <td>{ outcomes }</td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    html! {
        <section aria-labelledby="flow-stats-title">
            <div class="row">
                <h2 id="flow-stats-title">{ "Statistics" }</h2>
                <button type="button" onclick={onrefresh}>{ "Refresh" }</button>
            </div>
            <ErrorText id="flow-stats-error" message={(*error).clone()} />
            if let Some(s) = &*stats {
                <p>{ format!("Completed {} times.", s.completions) }</p>
            }
            <table tabindex="0" class="stats">
                <caption>{ "Per step, since the flow was created: messages sent, flows that ended at the step, presses of its buttons and quick replies, how it branched" }</caption>
                <thead><tr>
                    <th scope="col">{ "Step" }</th><th scope="col">{ "Kind" }</th>
                    <th scope="col">{ "Sent" }</th><th scope="col">{ "Completions" }</th>
                    <th scope="col">{ "Button clicks" }</th><th scope="col">{ "Quick replies" }</th>
                    <th scope="col">{ "Outcomes" }</th>
                </tr></thead>
                <tbody>{ rows.unwrap_or_default() }</tbody>
            </table>
        </section>
    }
}
