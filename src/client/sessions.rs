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
    /// `idempotency_key` (1..=64 of `[A-Za-z0-9_-]`, e.g. [`new_message_id`](super::new_message_id))
    /// makes a start safe to repeat: the server creates at most one subscriber per key and
    /// answers a repeat with that subscriber (and a new token of it). Send the same key on
    /// every retry of one start. Resuming, or starting with a key, is retried on network
    /// errors, 429 and 5xx; starting without a key is tried once.
    pub async fn start(&self, body: &StartSession, idempotency_key: Option<&str>) -> Result<Session, Error> {
        let request = self.client.request(Method::Post, "/sessions").json(body)?;
        let request = match (idempotency_key, &body.session_token) {
            (Some(key), _) => request.idempotency_key(key),
            (None, Some(_)) => request.idempotent(),
            (None, None) => request.retry(RetryPolicy::NONE),
        };
        request.send().await
    }
}
