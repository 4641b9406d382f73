//! The workspace's deliveries (webhooks, e-mails, …), newest first.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::link::Link;
use super::route::Route;
use crate::management::{DeliveryFilter, ListParams};
use parlo_model::automation::Automation;
use parlo_model::webhook::{Delivery, DeliveryStatus};
use web_sys::HtmlSelectElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`Deliveries`].
#[derive(Properties, PartialEq)]
pub struct DeliveriesProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
}

/// The newest 100 deliveries (event, what is delivered, state, attempts, the last answer), filtered by state,
/// each linking to its attempts; "Refresh" reads them again.
#[component]
pub fn Deliveries(props: &DeliveriesProps) -> Html {
    let deliveries = use_state(|| None::<Vec<Delivery>>);
    let status = use_state(|| None::<DeliveryStatus>);
    let error = use_state(|| None::<AttrValue>);
    let reload = use_state(|| 0_u32);
    {
        let (deliveries, error) = (deliveries.clone(), error.clone());
        let (ctx, client) = (props.ctx.clone(), props.ctx.client(props.workspace));
        use_effect_with(
            (props.ctx.clone(), props.workspace, *status, *reload),
            move |(_, _, status, _)| {
                let filter = DeliveryFilter {
                    status: *status,
                    endpoint_id: None,
                };
                spawn_local(async move {
                    match client.deliveries().list(&filter, ListParams::after(None)).await {
                        Ok(page) => {
                            error.set(None);
                            deliveries.set(Some(page.items));
                        }
                        Err(e) => error.set(ctx.shown(&e).general.map(AttrValue::from)),
                    }
                });
            },
        );
    }
    let onchange = {
        let status = status.clone();
        Callback::from(move |e: Event| {
            status.set(DeliveryStatus::parse(
                &e.target_unchecked_into::<HtmlSelectElement>().value(),
            ))
        })
    };
    let onrefresh = {
        let reload = reload.clone();
        Callback::from(move |_: MouseEvent| reload.set(*reload + 1))
    };
    let w = props.workspace;
    let rows = deliveries.as_ref().map(|list| {
        list.iter()
            .map(|d| {
                let last = match (d.last_status, &d.last_error) {
                    (Some(code), _) => format!("HTTP {code}"),
                    (None, Some(error)) => error.clone(),
                    (None, None) => String::new(),
                };
                let what = match &d.automation {
                    Automation::Webhook { endpoint_id } => format!("webhook to endpoint {endpoint_id}"),
                    other => other.kind().replace('_', " "),
                };
                html! {
                    <tr key={d.id}>
                        <th scope="row"><Link to={Route::Delivery(w, d.id)}>{ format!("#{} {}", d.id, d.event_type) }</Link></th>
                        <td>{ what }</td>
                        <td><span class={classes!("status", d.status.as_str())}>{ d.status.as_str() }</span></td>
                        <td>{ d.attempts }</td>
                        <td>{ last }</td>
                        <td>{ d.created_at.clone() }</td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    let current = status.map(DeliveryStatus::as_str).unwrap_or_default();
    html! {
        <section aria-labelledby="deliveries-title">
            <h2 id="deliveries-title">{ "Deliveries" }</h2>
            <div class="filters">
                <div>
                    <label for="delivery-status">{ "State" }</label>
                    <select id="delivery-status" {onchange}>
                        <option value="" selected={current.is_empty()}>{ "All" }</option>
                        { for ["pending", "delivered", "dead"].iter().map(|s| html! {
                            <option value={*s} selected={current == *s}>{ *s }</option>
                        }) }
                    </select>
                </div>
                <button type="button" onclick={onrefresh}>{ "Refresh" }</button>
            </div>
            <ErrorText id="deliveries-error" message={(*error).clone()} />
            <table tabindex="0">
                <caption>{ "Newest first: webhooks, e-mails and other deliveries of events" }</caption>
                <thead><tr>
                    <th scope="col">{ "Delivery" }</th><th scope="col">{ "What" }</th><th scope="col">{ "State" }</th>
                    <th scope="col">{ "Attempts" }</th><th scope="col">{ "Last answer" }</th>
                    <th scope="col">{ "Event time" }</th>
                </tr></thead>
                <tbody>{ rows.unwrap_or_default() }</tbody>
            </table>
        </section>
    }
}
