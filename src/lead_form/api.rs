//! The two public form endpoints: `GET /api/public/v1/forms/{form_id}` and
//! `POST /api/public/v1/forms/{form_id}/submissions`, through [`Client`].

use super::queue::Pending;
use crate::client::json::ToJson;
use crate::client::{Client, Error, RetryPolicy};
use parlo_model::form::PublicForm;
use parlo_model::lead::SubmissionAccepted;
use std::time::Duration;
use wasm_bindgen::JsValue;
use web_sys::AbortController;
use yew::platform::spawn_local;
use yew::platform::time::sleep;

/// A client for the public API of `api_base`. Forms are not scoped to a channel, so only
/// [`Client::public_url`] paths are used with it.
fn client(api_base: &str) -> Client {
    Client::new(api_base, "".into())
}

fn form_path(form: &str, rest: &str) -> String {
    format!("/forms/{}{rest}", js_sys::encode_uri_component(form))
}

/// The public view of `form` (retried on network errors, 429 and 5xx; aborted with `signal`).
pub async fn fetch_form(
    api_base: &str,
    form: &str,
    signal: Option<web_sys::AbortSignal>,
) -> Result<PublicForm, Error> {
    let mut client = client(api_base);
    if let Some(signal) = signal {
        client = client.with_signal(signal);
    }
    let url = client.public_url(&form_path(form, ""));
    client
        .request_url(RetryPolicy::default(), "GET", &url, None, None)
        .await
}

/// A body that is already JSON text (a queued submission, sent byte for byte again).
struct Raw(JsValue);

impl ToJson for Raw {
    fn to_json(&self) -> JsValue {
        self.0.clone()
    }
}

/// One attempt to send `pending`, given up after `timeout` ([`Error::Aborted`]). A success
/// answer whose body does not decode (`None`) still means the server has it.
pub async fn submit(pending: &Pending, timeout: Duration) -> Result<Option<SubmissionAccepted>, Error> {
    // `Pending` only holds bodies that parse (see `queue`).
    let body = js_sys::JSON::parse(&pending.body).unwrap_or(JsValue::NULL);
    let mut client = client(&pending.api_base);
    let abort = AbortController::new().ok();
    if let Some(abort) = &abort {
        client = client.with_signal(abort.signal());
        let abort = abort.clone();
        spawn_local(async move {
            sleep(timeout).await;
            abort.abort();
        });
    }
    let url = client.public_url(&form_path(&pending.form, "/submissions"));
    match client
        .request_url(RetryPolicy::NONE, "POST", &url, None, Some(&Raw(body)))
        .await
    {
        Ok(accepted) => Ok(Some(accepted)),
        Err(Error::Decode { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}
