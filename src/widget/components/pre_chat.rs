//! The pre-chat form: the channel's lead form (`ChannelConfig::pre_chat_form`), shown in the
//! panel instead of the conversation until the visitor has submitted it once on this browser
//! (remembered per channel in its [`Store`]).
//!
//! The widget renders the form itself ([`PreChatForm`], the lead forms' own [`LeadForm`]),
//! so one yew runs the whole panel: Esc in the form closes the panel as anywhere else in it.
//! Only the bundle built with the `forms` feature too (`pkg/prechat/`, which `loader.js`
//! loads for a channel with a pre-chat form this browser has not submitted) has this hook;
//! the chat-only bundle (`pkg/parlo_widget.js`) shows the conversation.
//!
//! [`LeadForm`]: crate::lead_form::LeadForm

use super::PreChatForm;
use crate::client::Client;
use crate::storage::Store;
use crate::widget::state::ChatState;
use crate::widget::texts::Texts;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// Key, in the channel's [`Store`], of the id of the pre-chat form the visitor submitted
/// (`loader.js` reads it too, to choose the bundle).
const DONE: &str = "pre_chat";

/// The form's fields that can take the focus (not hidden ones, not its honeypot).
const FIELDS: &str = "input:not([type=hidden]):not([tabindex='-1']),select,textarea";

/// The pre-chat form of `client`'s channel, while the panel should show it.
///
/// `state.config`: the channel's configuration, whose `pre_chat_form` it is. The answer is `None` — show the conversation — when
/// there is none or when the visitor has submitted it (this browser remembers its id, so a
/// changed form is asked again). Otherwise it is a `<section>` with a heading and, once
/// `state.session_ready` (the session is started, so the lead can be linked to it), the [`PreChatForm`];
/// its submission, once the server has stored it, ends it. The heading is in `texts`'
/// language, the form's texts in the configuration's `locale`.
///
/// Its submission carries what the page's `capture` function answers ([`crate::capture`]).
///
/// When `state.open` (the panel shows it) and `state.focus_composer` (the visitor or the page opened the panel),
/// the heading (`tabindex=-1`) takes the focus at once, then the form's first field once it
/// has rendered, if the focus is still on the heading.
#[hook]
pub fn use_pre_chat(client: &Client, state: &ChatState, texts: &Texts, capture: &JsValue) -> Option<Html> {
    let (config, ready, open, focus) = (
        state.config.as_deref(),
        state.session_ready,
        state.open,
        state.focus_composer,
    );
    let form = config.and_then(|c| c.pre_chat_form.as_ref());
    let locale = config.and_then(|c| c.locale.clone()).map(AttrValue::from);
    let channel = client.channel_id().as_str();
    let submitted = use_state(|| Store::new(channel).get(DONE));
    let heading = use_node_ref();
    let pending = form
        .filter(|form| submitted.as_deref() != Some(form.as_str()))
        .map(|form| AttrValue::from(form.as_str().to_owned()));
    {
        let heading = heading.clone();
        use_effect_with((pending.is_some() && open, ready), move |&(shown, ready)| {
            if shown
                && focus
                && let Some(heading) = heading.cast::<HtmlElement>()
            {
                let _ = heading.focus();
                if ready {
                    spawn_local(focus_first_field(heading));
                }
            }
        });
    }
    let onsent = {
        let (store, submitted) = (Store::new(channel), submitted.setter());
        Callback::from(move |form: AttrValue| {
            store.set(DONE, Some(form.as_str()));
            submitted.set(Some(form.as_str().to_owned()));
        })
    };
    pending.map(|form| {
        html! {
            <section class="parlo-prechat" aria-labelledby="parlo-prechat-title">
                <h3 id="parlo-prechat-title" class="parlo-prechat__title" tabindex="-1" ref={heading}>
                    { texts.get("widget.pre_chat.title", "Before we chat") }
                </h3>
                if ready {
                    <PreChatForm
                        {form}
                        api_base={client.api_base().to_owned()}
                        {onsent}
                        {locale}
                        capture={capture.clone()}
                    />
                }
            </section>
        }
    })
}

/// Focuses the first field of the form next to `heading` once it has rendered (it fetches
/// its definition first), as long as the focus is still on `heading`; gives up after 10 s.
async fn focus_first_field(heading: HtmlElement) {
    for _ in 0..100 {
        sleep(Duration::from_millis(100)).await;
        if !heading.matches(":focus").unwrap_or(false) {
            return;
        }
        let field = heading
            .parent_element()
            .and_then(|section| section.query_selector("parlo-form").ok()?)
            .and_then(|form| form.shadow_root())
            .and_then(|root| root.query_selector(FIELDS).ok()?)
            .and_then(|field| field.dyn_into::<HtmlElement>().ok());
        if let Some(field) = field {
            let _ = field.focus();
            return;
        }
    }
}
