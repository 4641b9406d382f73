//! `POST /api/public/v1/channels/{channel_id}/sessions`.

use super::transport::{Method, to_json};
use super::{Client, Error};
use parlo_model::chat::{Session, StartSession};

/// The sessions resource; see [`Client::sessions`].
#[derive(Debug)]
pub struct SessionsApi<'a> {
    pub(super) client: &'a Client,
}

impl SessionsApi<'_> {
    /// Starts a visitor session, or resumes the one of `body.session_token`.
    ///
    /// `idempotency_key` (1..=64 of `[A-Za-z0-9_-]`, e.g. a fresh
    /// [`new_message_id`](super::new_message_id)) makes every start safe to repeat: the
    /// server creates at most one subscriber per key and answers a repeat with that
    /// subscriber (and a new token of it) for as long as the server keeps the key. Send the
    /// same key on every retry of a start. Retried on network errors, 429 and 5xx.
    pub async fn start(&self, body: &StartSession, idempotency_key: &str) -> Result<Session, Error> {
        self.start_json(to_json(body)?, idempotency_key).await
    }

    /// [`start`](Self::start) with the body as JSON text of a [`StartSession`], e.g. built
    /// from the page's own objects (the widget passes `Parlo.setUser`'s user on as it is).
    /// 403 `identity_invalid` when its `user.id` comes without the valid `user_hash`.
    pub async fn start_json(&self, body: String, idempotency_key: &str) -> Result<Session, Error> {
        self.client
            .request(Method::Post, "/sessions")
            .json_text(body)
            .idempotency_key(idempotency_key)
            .send()
            .await
    }
}
