//! The pre-chat form: the channel's lead form (`ChannelConfig::pre_chat_form`), shown in the
//! panel instead of the conversation until the visitor has submitted it once on this browser
//! (remembered per channel in its [`Store`]).
//!
//! The form itself is the `<parlo-form>` custom element that `loader.js` defines (its own
//! bundle, loaded when the element is connected); the widget only renders the element and
//! listens for its `parlo:success` event (bubbling, composed; see `js/loader.d.ts`). The
//! form links the lead to the chat's subscriber by sending the session token the widget
//! stores for the channel, so the element is rendered only once the session is started.
//!
//! Both bundles run their own copy of yew, and each numbers its trees from 1, so yew's event
//! delegation in the widget would take the form's clicks, input and keys for its own (it
//! finds the form's tree id, equal to its own, on them, and runs the widget's handler of the
//! same listener number: a click on the form's submit button closed the panel). While the
//! form shows, [`guard`] keeps such events from the widget's yew and gives them back to the
//! form's; Esc in the form still closes the panel (`onescape`).
//!
//! A hook rather than a component: a component of its own measured 1.2 KB brotli more in
//! the widget bundle, which has a size budget (`src/lib.rs`).

use crate::client::Client;
use crate::storage::Store;
use parlo_model::ids::FormId;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, EventTarget, HtmlElement, KeyboardEvent};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// Tag of the form's custom element.
const ELEMENT: &str = "parlo-form";

/// Key, in the channel's [`Store`], of the id of the pre-chat form the visitor submitted.
const DONE: &str = "pre_chat";

/// The event the form fires on its element once the server has stored the submission.
const SUCCESS: &str = "parlo:success";

/// The form's fields that can take the focus (not hidden ones, not its honeypot).
const FIELDS: &str = "input:not([type=hidden]):not([tabindex='-1']),select,textarea";

/// Types of the events yew handles in the widget (its components' `on…` listeners) or
/// the form: those coming from inside the form are kept from the widget's yew.
const GUARDED: [&str; 6] = ["click", "input", "keydown", "change", "focusout", "submit"];

/// The pre-chat form of `client`'s channel, while the panel should show it.
///
/// `form`: the channel's `pre_chat_form`. The answer is `None` — show the conversation — when
/// there is none, when the visitor has submitted it (this browser remembers its id, so a
/// changed form is asked again), or when `<parlo-form>` is not defined on the page (no
/// `loader.js`). Otherwise it is a `<section>` with a heading and, once `ready` (the session
/// is started), the `<parlo-form form api-base>` element; its `parlo:success` ends it.
///
/// When `open` (the panel shows it) and `focus` (the visitor or the page opened the panel),
/// the heading (`tabindex=-1`) takes the focus at once, then the form's first field once
/// it has rendered, if the focus is still on the heading. Esc pressed in the form calls
/// `onescape`.
#[hook]
pub fn use_pre_chat(
    client: &Client,
    form: Option<&FormId>,
    ready: bool,
    open: bool,
    focus: bool,
    onescape: Callback<()>,
) -> Option<Html> {
    let channel = client.channel_id().as_str();
    let submitted = use_state(|| Store::new(channel).get(DONE));
    let (element, heading) = (use_node_ref(), use_node_ref());
    let pending = form
        .filter(|form| submitted.as_deref() != Some(form.as_str()) && defined())
        .map(|form| AttrValue::from(form.as_str().to_owned()));
    {
        let (element, heading, submitted) = (element.clone(), heading.clone(), submitted.setter());
        let (store, form) = (Store::new(channel), pending.clone());
        use_effect_with((form.is_some() && open, ready), move |&(shown, ready)| {
            if shown
                && focus
                && let Some(heading) = heading.cast::<HtmlElement>()
            {
                let _ = heading.focus();
                if ready {
                    spawn_local(focus_first_field(element.clone(), heading));
                }
            }
            let listeners = element.cast::<Element>().zip(form).map(|(element, form)| {
                let done = move |_: Event| {
                    store.set(DONE, Some(&form));
                    submitted.set(Some(form.as_str().to_owned()));
                };
                let mut listeners = guard(&element, onescape);
                listeners.push(listen(element.into(), SUCCESS, false, done));
                listeners
            });
            move || {
                for (target, kind, capture, listener) in listeners.into_iter().flatten() {
                    let _ = target.remove_event_listener_with_callback_and_bool(
                        kind,
                        listener.as_ref().unchecked_ref(),
                        capture,
                    );
                }
            }
        });
    }
    pending.map(|form| {
        html! {
            <section class="parlo-prechat" aria-labelledby="parlo-prechat-title">
                <h3 id="parlo-prechat-title" class="parlo-prechat__title" tabindex="-1" ref={heading}>
                    { "Before we chat" }
                </h3>
                if ready {
                    <parlo-form {form} api-base={client.api_base().to_owned()} ref={element} />
                }
            </section>
        }
    })
}

/// An event listener added to a target: remove it with the same type and `capture` flag.
type Listening = (EventTarget, &'static str, bool, Closure<dyn FnMut(Event)>);

/// Adds `listener` for `kind` events on `target`.
fn listen(
    target: EventTarget,
    kind: &'static str,
    capture: bool,
    listener: impl FnMut(Event) + 'static,
) -> Listening {
    let listener = Closure::<dyn FnMut(Event)>::new(listener);
    let _ =
        target.add_event_listener_with_callback_and_bool(kind, listener.as_ref().unchecked_ref(), capture);
    (target, kind, capture, listener)
}

/// Keeps the [`GUARDED`] events from inside `form` (the `<parlo-form>` element) from the
/// widget's yew, and calls `onescape` on Esc in the form.
///
/// yew handles events in the capture phase on its root and remembers on the event which
/// tree it belongs to (`__yew_subtree_id`, valid while `__yew_subtree_cache_key` is the
/// length of the event's composed path; yew 0.23 `dom_bundle/subtree_root.rs`). Before the
/// widget's root sees such an event (capture on the widget's shadow root, above its root),
/// it is marked as belonging to no tree (id 0), which the widget's yew skips; on the form
/// element, below the widget's root and above the form's, the mark is removed, so the
/// form's yew finds its own tree as usual.
fn guard(form: &Element, onescape: Callback<()>) -> Vec<Listening> {
    let shadow_root = form.get_root_node();
    let mut listeners = Vec::new();
    for kind in GUARDED {
        let inner = form.clone();
        listeners.push(listen(
            shadow_root.clone().into(),
            kind,
            true,
            move |event: Event| {
                let path = event.composed_path();
                if path.index_of(&inner, 0) > 0 {
                    let _ = js_sys::Reflect::set(&event, &"__yew_subtree_id".into(), &0.into());
                    let _ = js_sys::Reflect::set(
                        &event,
                        &"__yew_subtree_cache_key".into(),
                        &path.length().into(),
                    );
                }
            },
        ));
        let onescape = onescape.clone();
        listeners.push(listen(form.clone().into(), kind, true, move |event: Event| {
            let _ = js_sys::Reflect::set(&event, &"__yew_subtree_cache_key".into(), &JsValue::UNDEFINED);
            if event
                .dyn_ref::<KeyboardEvent>()
                .is_some_and(|key| key.key() == "Escape")
            {
                onescape.emit(());
            }
        }));
    }
    listeners
}

/// Whether `<parlo-form>` is defined on the page (by `loader.js`).
fn defined() -> bool {
    web_sys::window().is_some_and(|w| !w.custom_elements().get(ELEMENT).is_undefined())
}

/// Focuses the first field of the form in `element` once it has rendered (it loads its
/// bundle and definition first), as long as the focus is still on `heading`; gives up
/// after 10 s.
async fn focus_first_field(element: NodeRef, heading: HtmlElement) {
    for _ in 0..100 {
        sleep(Duration::from_millis(100)).await;
        if !heading.matches(":focus").unwrap_or(false) {
            return;
        }
        let field = element
            .cast::<Element>()
            .and_then(|e| e.shadow_root())
            .and_then(|root| root.query_selector(FIELDS).ok()?)
            .and_then(|field| field.dyn_into::<HtmlElement>().ok());
        if let Some(field) = field {
            let _ = field.focus();
            return;
        }
    }
}
