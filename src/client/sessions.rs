//! `POST /api/public/v1/channels/{channel_id}/sessions`.

use super::transport::Method;
use super::{Client, Error, RetryPolicy};
use parlo_model::chat::{Session, StartSession};

/// The sessions resource; see [`Client::sessions`].
#[derive(Debug)]
pub struct SessionsApi<'a> {
    pub(super) client: &'a Client,
}

impl SessionsApi<'_> {
    /// Starts a visitor session, or resumes the one of `body.session_token`.
    ///
    /// Resuming is idempotent and retried on network errors, 429 and 5xx; starting a new
    /// session is not (it creates a subscriber) and is tried once.
    pub async fn start(&self, body: &StartSession) -> Result<Session, Error> {
        let request = self.client.request(Method::Post, "/sessions").json(body)?;
        let request = match body.session_token {
            Some(_) => request.idempotent(),
            None => request.retry(RetryPolicy::NONE),
        };
        request.send().await
    }
}
