//! One delivery: its attempts so far, each with its time, duration, answer and error, and
//! redelivery.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::link::Link;
use super::route::Route;
use crate::management::{ListParams, all_pages};
use parlo_model::webhook::{Delivery, DeliveryAttempt, DeliveryStatus};
use std::time::Duration;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`DeliveryView`].
#[derive(Properties, PartialEq)]
pub struct DeliveryViewProps {
    /// Session and API.
    pub ctx: Ctx,
    /// The workspace.
    pub workspace: i64,
    /// Id of the delivery.
    pub id: i64,
}

/// How often a pending delivery is read again, and how many times at most (one minute).
const POLL: (Duration, u32) = (Duration::from_secs(1), 60);

/// The delivery's state, its attempts (count, the next one's time, and a table of every
/// finished attempt: number, end, duration, HTTP status, error), its message id and data,
/// and "Redeliver" (not while pending). A pending delivery is read again every second until
/// it ends, so the outcome of a redelivery shows without reloading.
#[component]
pub fn DeliveryView(props: &DeliveryViewProps) -> Html {
    let delivery = use_state(|| None::<(Delivery, Vec<DeliveryAttempt>)>);
    let error = use_state(|| None::<AttrValue>);
    let generation = use_mut_ref(|| 0_u32);
    let client = props.ctx.client(props.workspace);
    // Reads the delivery, again every second while it is pending; a newer read (after a
    // redelivery) ends an older one.
    let follow = {
        let (delivery, error, client, generation) = (
            delivery.clone(),
            error.clone(),
            client.clone(),
            generation.clone(),
        );
        let (ctx, id) = (props.ctx.clone(), props.id);
        Callback::from(move |()| {
            let mine = {
                let mut g = generation.borrow_mut();
                *g += 1;
                *g
            };
            let (delivery, error, client, generation, ctx) = (
                delivery.clone(),
                error.clone(),
                client.clone(),
                generation.clone(),
                ctx.clone(),
            );
            spawn_local(async move {
                for _ in 0..POLL.1 {
                    let deliveries = client.deliveries();
                    let read = async {
                        let d = deliveries.get(id).await?;
                        let attempts = all_pages(|c| deliveries.attempts(id, ListParams::after(c))).await?;
                        Ok::<_, crate::management::Error>((d, attempts))
                    };
                    match read.await {
                        Ok(read) => {
                            let pending = read.0.status == DeliveryStatus::Pending;
                            error.set(None);
                            delivery.set(Some(read));
                            if !pending {
                                return;
                            }
                        }
                        Err(e) => {
                            error.set(ctx.shown(&e).general.map(AttrValue::from));
                            return;
                        }
                    }
                    gloo_timers::future::sleep(POLL.0).await;
                    if *generation.borrow() != mine {
                        return;
                    }
                }
            });
        })
    };
    {
        let (follow, generation) = (follow.clone(), generation.clone());
        use_effect_with((props.ctx.clone(), props.workspace, props.id), move |_| {
            follow.emit(());
            // Leaving the screen ends the polling.
            move || *generation.borrow_mut() += 1
        });
    }
    let onredeliver = {
        let (client, error, follow, ctx, id) = (
            client.clone(),
            error.clone(),
            follow.clone(),
            props.ctx.clone(),
            props.id,
        );
        Callback::from(move |_: MouseEvent| {
            let (client, error, follow, ctx) = (client.clone(), error.clone(), follow.clone(), ctx.clone());
            spawn_local(async move {
                match client.deliveries().redeliver(id).await {
                    Ok(_) => follow.emit(()),
                    Err(e) => error.set(ctx.shown(&e).general.map(AttrValue::from)),
                }
            });
        })
    };
    let details = delivery.as_ref().map(|(d, attempts)| {
        let row = |term: &'static str, value: Option<String>| {
            html! { <><dt>{ term }</dt><dd>{ value.unwrap_or_else(|| "—".to_owned()) }</dd></> }
        };
        html! {
            <>
                <p>{ "State: " }<strong class={classes!("status", d.status.as_str())}>{ d.status.as_str() }</strong></p>
                <h2>{ "Attempts" }</h2>
                <dl class="values">
                    { row("Attempts", Some(d.attempts.to_string())) }
                    { row("Next attempt", d.next_attempt_at.clone()) }
                    { row("Delivered", d.delivered_at.clone()) }
                </dl>
                <table class="attempts" aria-label="Attempts">
                    <thead><tr>
                        <th scope="col">{ "#" }</th><th scope="col">{ "Ended" }</th>
                        <th scope="col">{ "Took" }</th><th scope="col">{ "Answer" }</th>
                        <th scope="col">{ "Error" }</th>
                    </tr></thead>
                    <tbody>{ for attempts.iter().map(attempt_row) }</tbody>
                </table>
                <button type="button" onclick={onredeliver.clone()} disabled={d.status == DeliveryStatus::Pending}>
                    { "Redeliver" }</button>
                <h2>{ "Event" }</h2>
                <dl class="values">
                    { row("Type", Some(d.event_type.clone())) }
                    { row("Message id", Some(d.message_id.clone())) }
                    { row("Time", Some(d.created_at.clone())) }
                </dl>
                <pre class="data" tabindex="0" aria-label="Event data">
                    { serde_json::to_string_pretty(&d.data).unwrap_or_default() }</pre>
            </>
        }
    });
    html! {
        <>
            <p><Link to={Route::Webhooks(props.workspace)}>{ "← Webhooks" }</Link></p>
            <h1>{ format!("Delivery #{}", props.id) }</h1>
            <ErrorText id="delivery-error" message={(*error).clone()} />
            { for details }
        </>
    }
}

/// One row of the attempts table.
fn attempt_row(a: &DeliveryAttempt) -> Html {
    html! {
        <tr key={a.id}>
            <td>{ a.attempt }</td>
            <td>{ &a.ended_at }</td>
            <td>{ format!("{} ms", a.duration_ms) }</td>
            <td>{ a.status.map_or_else(|| "—".to_owned(), |s| format!("HTTP {s}")) }</td>
            <td>{ a.error.clone().unwrap_or_else(|| "—".to_owned()) }</td>
        </tr>
    }
}
