//! The two public form endpoints, `GET /api/public/v1/forms/{form_id}` and
//! `POST /api/public/v1/forms/{form_id}/submissions`, through the crate's one
//! [`transport`](crate::client::transport) (forms are not scoped to a channel, so no
//! [`Client`](crate::client::Client) of one is involved).

use super::queue::{ATTEMPT_TIMEOUT, BACKOFF, Pending};
use crate::client::Error;
use crate::client::public_url;
use crate::client::transport::{Method, Request};
use parlo_model::form::PublicForm;
use parlo_model::lead::SubmissionAccepted;

fn form_url(api_base: &str, form: &str, rest: &str) -> String {
    public_url(
        api_base,
        &format!("/forms/{}{rest}", js_sys::encode_uri_component(form)),
    )
}

/// The public view of `form`, its texts in the first language of `locale` (comma-separated
/// language tags) the server has (retried on network errors, 408, 429 and 5xx; aborted with
/// `signal`).
pub async fn fetch_form(
    api_base: &str,
    form: &str,
    locale: Option<&str>,
    signal: Option<web_sys::AbortSignal>,
) -> Result<PublicForm, Error> {
    let query = locale.map_or(String::new(), |l| {
        format!("?locale={}", js_sys::encode_uri_component(l))
    });
    Request::new(Method::Get, form_url(api_base, form, &query))
        .signal(signal)
        .send()
        .await
}

/// Sends `pending` until the server answers it for good: retried by [`BACKOFF`] (idempotent
/// by its key; each attempt given [`ATTEMPT_TIMEOUT`]), `on_wait` told whenever it waits. A
/// success answer whose body does not decode (`None`) still means the server has it.
pub async fn submit(
    pending: &Pending,
    on_wait: impl Fn() + 'static,
) -> Result<Option<SubmissionAccepted>, Error> {
    let url = form_url(&pending.api_base, &pending.form, "/submissions");
    let request = Request::new(Method::Post, url)
        .json_text(pending.body.clone())
        .idempotent()
        .retry(BACKOFF)
        .timeout(ATTEMPT_TIMEOUT)
        .on_wait(move |_| on_wait());
    match request.send().await {
        Ok(accepted) => Ok(Some(accepted)),
        Err(Error::Decode { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}
