//! [`LeadForm`]: fetches a form, renders it, validates while the visitor types, and hands
//! the submission to the [`queue`](super::queue).

use super::api;
use super::components::{ControlProps, FormField, honeypot};
use super::events::{Detail, FormEvent, Listeners};
use super::queue::{self, Outcome, Pending};
use super::state::{Action, FormState, Status};
use crate::capture;
use crate::client::transport::to_json;
use crate::client::{Error, new_message_id, online};
use crate::storage::{SESSION, Store};
use parlo_model::form::{FieldType, PublicForm, Submission, Success};
use parlo_model::locale::is_rtl;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, HtmlElement};
use yew::platform::spawn_local;
use yew::prelude::*;

/// Props of [`LeadForm`].
#[derive(Properties, PartialEq)]
pub struct LeadFormProps {
    /// Origin of the Parlo server (empty: the page's).
    #[prop_or_default]
    pub api_base: AttrValue,
    /// Public id of the form, e.g. `quote`.
    pub form: AttrValue,
    /// Who hears of submit, success and failure.
    #[prop_or_default]
    pub listeners: Listeners,
    /// The form's public view when the caller has it already (then nothing is fetched).
    #[prop_or_default]
    pub preload: Option<Rc<PublicForm>>,
    /// The visitor's languages, most preferred first, as comma-separated language tags
    /// (e.g. `es-MX,en`): the form's own texts come in the first the server has (English
    /// without). Read once, at mount.
    #[prop_or_default]
    pub locale: Option<AttrValue>,
    /// The page's `capture` function, called at each submission for its `capture`
    /// ([`crate::capture`]); nothing is captured without it.
    #[prop_or_default]
    pub capture: JsValue,
    /// A preview of `preload` (the owner's console): a valid submission shows the success
    /// message but is not sent (nor queued, nor told to listeners), a redirect does not
    /// happen, and mounting sends no queued submission.
    #[prop_or_default]
    pub preview: bool,
}

/// Shown while a submission waits for the network (key `form.queued`).
pub const QUEUED_TEXT: &str = "Saved — it will be sent when you are back online.";

/// A lead form: labelled inputs per field kind, per-field messages once a field has been
/// left (and for every field on submit, the focus moving to the first invalid one), the
/// server's 422 messages on their fields, then the success message (or redirect) or, when
/// the server cannot be reached, [`QUEUED_TEXT`] until it can. Mounting it sends the
/// submissions left in the queue (except in a [preview](LeadFormProps::preview)).
#[component]
pub fn LeadForm(props: &LeadFormProps) -> Html {
    let state = use_reducer(FormState::default);
    let form_ref = use_node_ref();
    {
        let (dispatch, api_base, form, preload, locale, preview) = (
            state.dispatcher(),
            props.api_base.clone(),
            props.form.clone(),
            props.preload.clone(),
            props.locale.clone(),
            props.preview,
        );
        use_effect_with((), move |_| {
            if !preview {
                queue::flush();
            }
            let abort = AbortController::new().ok();
            match preload {
                Some(form) => dispatch.dispatch(Action::Loaded(form)),
                None => {
                    let signal = abort.as_ref().map(|a| a.signal());
                    spawn_local(async move {
                        match api::fetch_form(&api_base, &form, locale.as_deref(), signal).await {
                            Ok(form) => dispatch.dispatch(Action::Loaded(Rc::new(form))),
                            Err(Error::Aborted) => {}
                            Err(_) => dispatch.dispatch(Action::Unavailable),
                        }
                    });
                }
            }
            move || {
                if let Some(abort) = abort {
                    abort.abort();
                }
            }
        });
    }
    {
        let form_ref = form_ref.clone();
        use_effect_with(state.focus_error, move |n| {
            let first = form_ref
                .cast::<web_sys::Element>()
                .filter(|_| *n > 0)
                .and_then(|f| f.query_selector("[aria-invalid=\"true\"]").ok().flatten());
            if let Some(input) = first.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = input.focus();
            }
        });
    }
    {
        let success = state.form.as_ref().map(|f| f.success.clone());
        let preview = props.preview;
        use_effect_with(state.status.clone(), move |status| {
            if let (Status::Sent, Some(Success::Redirect { url }), false) = (status, success, preview)
                && (url.starts_with("https://") || url.starts_with("http://"))
                && let Some(window) = web_sys::window()
            {
                let _ = window.location().assign(&url);
            }
        });
    }

    let Some(form) = state.form.clone() else {
        return html! {
            if state.unavailable {
                <p class="parlo-form-note" role="alert">{ "This form isn't available right now." }</p>
            } else {
                <p class="parlo-form-note" aria-busy="true">{ "Loading…" }</p>
            }
        };
    };
    let strings = &form.strings;
    let lang = form.locale.clone();
    let dir = lang.as_deref().filter(|l| is_rtl(l)).map(|_| "rtl");
    let done = match (&state.status, &form.success) {
        (Status::Sent, Success::Message { text }) => Some(text.as_str()),
        (Status::Sent, Success::Redirect { .. }) => Some(strings.get("form.sent", "Sent.")),
        (Status::Queued, _) => Some(strings.get("form.queued", QUEUED_TEXT)),
        _ => None,
    };
    if let Some(done) = done {
        return html! { <p class="parlo-form-done" role="status" {lang} {dir}>{ done.to_owned() }</p> };
    }

    let onsubmit = {
        let (state, listeners, api_base) = (state.clone(), props.listeners.clone(), props.api_base.clone());
        let (form, capture, preview) = (form.clone(), props.capture.clone(), props.preview);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if state.status == Status::Sending {
                return;
            }
            if state.all_errors().iter().any(Option::is_some) {
                state.dispatch(Action::Invalid);
                return;
            }
            if preview {
                state.dispatch(Action::Previewed);
                return;
            }
            submit(&state, &form, &listeners, &api_base, &capture);
        })
    };
    let fields = form.fields.iter().enumerate().map(|(i, field)| {
        let dispatch = state.dispatcher();
        let (name, mut field) = (field.name.clone(), field.clone());
        if field.kind == FieldType::Select && field.placeholder.is_none() {
            field.placeholder = Some(strings.get("form.choose", "Choose…").to_owned());
        }
        let control = ControlProps {
            field: Rc::new(field),
            id: format!("pf-{name}").into(),
            value: state.values.get(i).cloned().flatten(),
            invalid: false,
            describedby: None,
            oninput: {
                let dispatch = dispatch.clone();
                Callback::from(move |value| dispatch.dispatch(Action::Input(i, value)))
            },
            onblur: Callback::from(move |()| dispatch.dispatch(Action::Blur(i))),
        };
        let error = state.errors.get(i).cloned().flatten().map(AttrValue::from);
        html! { <FormField key={name} {control} {error} /> }
    });
    let onhoneypot = {
        let dispatch = state.dispatcher();
        Callback::from(move |value| dispatch.dispatch(Action::Honeypot(value)))
    };
    let sending = state.status == Status::Sending;
    html! {
        <form class="parlo-form" novalidate=true aria-label={form.name.clone()} {lang} {dir} {onsubmit} ref={form_ref}>
            { for fields }
            { honeypot(&state.honeypot.clone().into(), &onhoneypot) }
            if let Status::Failed(message) = &state.status {
                <p class="parlo-form-error" role="alert">{ message.clone() }</p>
            }
            <button type="submit" class="parlo-submit" aria-disabled={sending.then_some("true")}>
                { if sending { strings.get("form.sending", "Sending…") } else { &form.submit_label }.to_owned() }
            </button>
        </form>
    }
}

/// Makes the submission of the current values, tells the page, and queues it.
fn submit(
    state: &UseReducerHandle<FormState>,
    form: &PublicForm,
    listeners: &Listeners,
    api_base: &str,
    capture: &JsValue,
) {
    let key = new_message_id().0;
    let session_token = form
        .channel_id
        .as_ref()
        .and_then(|channel| Store::new(channel.as_str()).get(SESSION));
    let submission = Submission {
        idempotency_key: key.clone(),
        // Empty fields are left out.
        values: form
            .fields
            .iter()
            .zip(&state.values)
            .filter_map(|(f, v)| Some((f.name.clone(), v.clone()?)))
            .collect(),
        capture: capture::read(capture),
        honeypot: state.honeypot.clone(),
        render_token: Some(form.render_token.clone()),
        session_token,
    };
    let Ok(body) = to_json(&submission) else {
        return;
    };
    let values = Rc::new(submission.values);
    let form_id = form.id.as_str().to_owned();
    listeners.emit(
        FormEvent::Submit,
        &Detail {
            form: &form_id,
            key: &key,
            values: &values,
            queued: Some(!online()),
            accepted_at: None,
            problem: None,
        },
    );
    state.dispatch(Action::Sending(key.clone()));
    let notify = {
        let (dispatch, listeners, form_id, key) = (
            state.dispatcher(),
            listeners.clone(),
            form_id.clone(),
            key.clone(),
        );
        Callback::from(move |outcome: Outcome| {
            let detail = Detail {
                form: &form_id,
                key: &key,
                values: &values,
                queued: None,
                accepted_at: None,
                problem: None,
            };
            match &outcome {
                Outcome::Sent(accepted) => listeners.emit(
                    FormEvent::Success,
                    &Detail {
                        accepted_at: accepted.as_ref().map(|a| a.accepted_at.as_str()),
                        ..detail
                    },
                ),
                Outcome::Rejected(problem) => listeners.emit(
                    FormEvent::Failure,
                    &Detail {
                        problem: Some(problem),
                        ..detail
                    },
                ),
                Outcome::Queued => {}
            }
            dispatch.dispatch(Action::Outcome(key.clone(), outcome));
        })
    };
    queue::submit(
        Pending {
            key,
            api_base: api_base.to_owned(),
            form: form_id,
            body,
        },
        notify,
    );
}
