//! One delivery: its attempts so far, and redelivery.

use super::app::Ctx;
use super::error_text::ErrorText;
use super::link::Link;
use super::route::Route;
use parlo_model::webhook::{Delivery, DeliveryStatus};
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

/// The delivery's state, its attempts (count, the last one's time, HTTP status and error,
/// the next one's time), its message id and data, and "Redeliver" (not while pending). A
/// pending delivery is read again every second until it ends, so the outcome of a
/// redelivery shows without reloading.
#[component]
pub fn DeliveryView(props: &DeliveryViewProps) -> Html {
    let delivery = use_state(|| None::<Delivery>);
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
                    match client.deliveries().get(id).await {
                        Ok(d) => {
                            let pending = d.status == DeliveryStatus::Pending;
                            error.set(None);
                            delivery.set(Some(d));
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
    let details = delivery.as_ref().map(|d| {
        let row = |term: &'static str, value: Option<String>| {
            html! { <><dt>{ term }</dt><dd>{ value.unwrap_or_else(|| "—".to_owned()) }</dd></> }
        };
        html! {
            <>
                <p>{ "State: " }<strong class={classes!("status", d.status.as_str())}>{ d.status.as_str() }</strong></p>
                <h2>{ "Attempts" }</h2>
                <dl class="values">
                    { row("Attempts", Some(d.attempts.to_string())) }
                    { row("Last attempt", d.last_attempt_at.clone()) }
                    { row("Last answer", d.last_status.map(|s| format!("HTTP {s}"))) }
                    { row("Last error", d.last_error.clone()) }
                    { row("Next attempt", d.next_attempt_at.clone()) }
                    { row("Delivered", d.delivered_at.clone()) }
                </dl>
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
