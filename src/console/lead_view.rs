//! One lead: its values, consents and capture.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::link::Link;
use super::route::Route;
use parlo_model::ids::LeadId;
use parlo_model::lead::Lead;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`LeadView`].
#[derive(Properties, PartialEq)]
pub struct LeadViewProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// The lead.
    pub id: LeadId,
}

/// `GET /api/v1/leads/{id}`: the values by field, each consent (its text, version and
/// whether it was given) and where the visitor came from.
#[component]
pub fn LeadView(props: &LeadViewProps) -> Html {
    let lead = use_state(|| None::<Lead>);
    let error = use_state(|| None::<AttrValue>);
    {
        let (lead, error, client, id) = (
            lead.clone(),
            error.clone(),
            props.ctx.client(props.workspace),
            props.id.clone(),
        );
        let ctx = props.ctx.clone();
        use_effect_with(
            (props.ctx.clone(), props.workspace, props.id.clone()),
            move |_| {
                spawn_local(async move {
                    match client.leads().get(&id).await {
                        Ok(found) => lead.set(Some(found)),
                        Err(e) => error.set(ctx.shown(&e).general.map(AttrValue::from)),
                    }
                });
            },
        );
    }
    let body = lead.as_ref().map(|lead| {
        let captured: Vec<(&str, &str)> = lead
            .capture
            .entries()
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| (name, v)))
            .collect();
        html! {
            <>
                <p class="muted">{ format!("Form {} · received {}", lead.form_id.as_str(), lead.created_at) }</p>
                <h2>{ "Values" }</h2>
                <dl class="values">
                    { for lead.values.iter().map(|(name, value)| html! {
                        <><dt>{ name.clone() }</dt><dd>{ value.display() }</dd></>
                    }) }
                </dl>
                <h2>{ "Consent" }</h2>
                if lead.consents.is_empty() {
                    <p>{ "The form asked for no consent." }</p>
                } else {
                    <table>
                        <thead><tr>
                            <th scope="col">{ "Field" }</th><th scope="col">{ "Text" }</th>
                            <th scope="col">{ "Version" }</th><th scope="col">{ "Given" }</th>
                        </tr></thead>
                        <tbody>{ for lead.consents.iter().map(|c| html! {
                            <tr>
                                <th scope="row">{ c.field.clone() }</th><td>{ c.text.clone() }</td>
                                <td>{ c.version.clone() }</td><td>{ if c.given { "yes" } else { "no" } }</td>
                            </tr>
                        }) }</tbody>
                    </table>
                }
                <h2>{ "Capture" }</h2>
                if captured.is_empty() {
                    <p>{ "Nothing was captured." }</p>
                } else {
                    <dl class="values">
                        { for captured.iter().map(|(name, value)| html! {
                            <><dt>{ *name }</dt><dd>{ *value }</dd></>
                        }) }
                    </dl>
                }
            </>
        }
    });
    html! {
        <>
            <p><Link to={Route::Leads(props.workspace)}>{ "← All leads" }</Link></p>
            <h1>{ "Lead" }</h1>
            <ErrorText id="lead-error" message={(*error).clone()} />
            { body.unwrap_or_default() }
        </>
    }
}
