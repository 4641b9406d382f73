//! The proactive message: a bubble beside the closed launcher.

use crate::storage::Store;
use gloo_timers::callback::Timeout;
use yew::prelude::*;

/// Key, in the channel's [`Store`], set to `1` once the visitor has seen the proactive
/// message and opened the panel or dismissed it: it does not show again.
pub const SEEN: &str = "proactive";

/// Props of [`ProactiveMessage`].
#[derive(Properties, PartialEq)]
pub struct ProactiveMessageProps {
    /// Channel id, whose [`Store`] remembers that the message was seen.
    pub channel: AttrValue,
    /// The bubble's text.
    pub text: AttrValue,
    /// Seconds after the page loaded (`performance.now()`) when it shows; at once when the
    /// widget mounts later than that.
    pub delay_seconds: u32,
    /// Whether the panel is open: the bubble is not shown then, and one that was is
    /// remembered as seen.
    pub panel_open: bool,
    /// The visitor pressed the bubble's text (the panel should open).
    pub onopen: Callback<()>,
}

/// The bubble: a button with the text, which opens the panel, and a "Dismiss" button (×).
/// Not shown when the visitor has already seen it on this browser.
#[component]
pub fn ProactiveMessage(props: &ProactiveMessageProps) -> Html {
    let shown = use_state(|| false);
    let store = Store::new(&props.channel);
    {
        let (shown, delay, seen) = (shown.setter(), props.delay_seconds, store.get(SEEN).is_some());
        use_effect_with((), move |_| {
            let now = web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now());
            let wait = (f64::from(delay) * 1000.0 - now).max(0.0) as u32;
            let timer = (!seen).then(|| Timeout::new(wait, move || shown.set(true)));
            move || drop(timer)
        });
    }
    {
        let (shown, store) = (shown.clone(), store.clone());
        use_effect_with(props.panel_open, move |&open| {
            if open && *shown {
                store.set(SEEN, Some("1"));
                shown.set(false);
            }
        });
    }
    if !*shown || props.panel_open {
        return Html::default();
    }
    let dismiss = Callback::from(move |_: MouseEvent| {
        store.set(SEEN, Some("1"));
        shown.set(false);
    });
    let open = props.onopen.reform(|_: MouseEvent| ());
    html! {
        <div class="parlo-proactive" role="status">
            <button type="button" class="parlo-proactive__text" onclick={open}>{ props.text.clone() }</button>
            <button type="button" class="parlo-close" aria-label="Dismiss" onclick={dismiss}>
                <span aria-hidden="true">{ "×" }</span>
            </button>
        </div>
    }
}
