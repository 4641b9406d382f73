//! `POST` and `GET /api/public/v1/channels/{channel_id}/messages`, `POST …/read`.

use super::transport::Method;
use super::{Client, Error, RetryPolicy};
use parlo_model::chat::{Message, SendMessage, SendMessageResponse};
use parlo_model::page::{MAX_LIMIT, Page};

/// The messages of one session's conversation; see [`Client::messages`].
#[derive(Debug)]
pub struct MessagesApi<'a> {
    pub(super) client: &'a Client,
    pub(super) token: &'a str,
}

impl MessagesApi<'_> {
    /// Sends a visitor message and returns it as stored plus the bot's immediate replies.
    ///
    /// Idempotent by `body.id`, so it is retried by `policy` on network errors, 429 and 5xx
    /// with the same id; `on_wait` is told before each wait, with the error retried (`None`:
    /// waiting for the browser to be online).
    pub async fn send(
        &self,
        body: &SendMessage,
        policy: RetryPolicy,
        on_wait: impl Fn(Option<&Error>) + 'static,
    ) -> Result<SendMessageResponse, Error> {
        self.client
            .request(Method::Post, "/messages")
            .bearer(self.token)
            .json(body)?
            .idempotent()
            .retry(policy)
            .on_wait(on_wait)
            .send()
            .await
    }

    /// Reports that the messages up to `seq` were shown to the visitor (`POST /read`, body
    /// [`ReadPosition`](parlo_model::chat::ReadPosition)); reporting it again changes
    /// nothing.
    pub async fn read(&self, seq: u64) -> Result<(), Error> {
        self.client
            .request(Method::Post, "/read")
            .bearer(self.token)
            .json_text(format!("{{\"seq\":{seq}}}"))
            .send_empty()
            .await
    }

    /// One page of at most `limit` (1..=100) messages with `seq > after`, oldest first.
    pub async fn list(&self, after: u64, limit: u32) -> Result<Page<Message>, Error> {
        let path = format!("/messages?after={after}&limit={limit}");
        self.client
            .request(Method::Get, &path)
            .bearer(self.token)
            .send()
            .await
    }

    /// Every message with `seq > after`, oldest first, walking all pages.
    ///
    /// Pages are walked by `seq` (`after` = the last `seq` received), which is what the
    /// cursor encodes for this list and survives a page boundary moving under new messages.
    pub async fn list_all(&self, mut after: u64) -> Result<Vec<Message>, Error> {
        let mut all: Vec<Message> = Vec::new();
        loop {
            let page = self.list(after, MAX_LIMIT).await?;
            let last = page.items.last().map(|m| m.seq);
            all.extend(page.items);
            match (page.next_cursor, last) {
                (Some(_), Some(seq)) if seq > after => after = seq,
                _ => return Ok(all),
            }
        }
    }
}
