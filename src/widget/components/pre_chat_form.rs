//! [`PreChatForm`]: a [`LeadForm`] inside the chat panel.

use crate::lead_form::events::Listeners;
use crate::lead_form::style::FORM_CSS;
use crate::lead_form::{LeadForm, LeadFormProps};
use crate::shadow;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, HtmlElement};
use yew::prelude::*;

/// The event the form fires on its host element once the server has stored the submission.
const SUCCESS: &str = "parlo:success";

/// Props of [`PreChatForm`].
#[derive(Properties, PartialEq)]
pub struct PreChatFormProps {
    /// Public id of the form.
    pub form: AttrValue,
    /// Origin of the Parlo server (empty: the page's).
    pub api_base: AttrValue,
    /// Called with the form's id once the server has stored a submission.
    pub onsent: Callback<AttrValue>,
    /// The widget's language (its texts' tag, e.g. `de`), for the form's own texts.
    #[prop_or_default]
    pub locale: Option<AttrValue>,
    /// The page's `capture` function ([`crate::capture`]).
    #[prop_or_default]
    pub capture: JsValue,
}

/// The lead form `form`, rendered by the widget's own yew: a `<parlo-form form>` element,
/// as a form on the page would be (`loader.js` leaves this one alone), whose open shadow root
/// holds the form's stylesheet and, through a portal ([`create_portal`]), the [`LeadForm`].
/// The page hears its `parlo:submit`, `parlo:success` and `parlo:failure` events on that
/// element, like those of any form.
#[component]
pub fn PreChatForm(props: &PreChatFormProps) -> Html {
    let host = use_node_ref();
    let container = use_state(|| None::<Element>);
    {
        let (host, container, form, onsent) = (
            host.clone(),
            container.setter(),
            props.form.clone(),
            props.onsent.clone(),
        );
        use_effect_with((), move |_| {
            let element = host.cast::<HtmlElement>();
            let listener = element.and_then(|element| {
                let (_, inner) = shadow::attach(&element, FORM_CSS).ok()?;
                container.set(Some(inner));
                let listener = Closure::<dyn FnMut(Event)>::new(move |_: Event| onsent.emit(form.clone()));
                element
                    .add_event_listener_with_callback(SUCCESS, listener.as_ref().unchecked_ref())
                    .ok()?;
                Some((element, listener))
            });
            move || {
                if let Some((element, listener)) = listener {
                    let _ = element
                        .remove_event_listener_with_callback(SUCCESS, listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    let content = (*container).clone().map(|container| {
        let form = LeadFormProps {
            api_base: props.api_base.clone(),
            form: props.form.clone(),
            listeners: Listeners {
                host: host.cast(),
                callbacks: Default::default(),
            },
            preload: None,
            locale: props.locale.clone(),
            capture: props.capture.clone(),
            preview: false,
        };
        create_portal(html! { <LeadForm ..form /> }, container)
    });
    html! {
        <parlo-form form={props.form.clone()} ref={host}>{ for content }</parlo-form>
    }
}
