//! A subscriber's conversation: `/api/v1/subscribers/{id}/messages`, sending flows and
//! content, and pausing the bot for a human (takeover).

use super::http::{Method, Request};
use super::subscribers::path;
use super::{Client, Error, ListParams, Page};
use parlo_model::chat::Message;
use parlo_model::conversation::{AgentMessage, BotStatus, PauseBot, SendContent, SendFlow, SentMessages};
use parlo_model::ids::SubscriberId;
use serde::{Deserialize, Serialize};

/// Subscribers' conversations; from [`Client::conversations`].
#[derive(Clone, Copy, Debug)]
pub struct ConversationsApi<'a> {
    pub(super) client: &'a Client,
}

/// Filters of [`ConversationsApi::history`]. Date-times are RFC 3339 (`from` after `to` is
/// a 400 `invalid_date_range`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, tsify::Tsify)]
#[serde(deny_unknown_fields)]
pub struct HistoryFilter {
    /// Only messages stored at or after this date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Only messages stored at or before this date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Include the bot's messages (the server's default: `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_bot: Option<bool>,
    /// Include system notices such as "the bot is paused" (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_system: Option<bool>,
}

impl ConversationsApi<'_> {
    /// `GET /api/v1/subscribers/{id}/messages`: one page of the conversation in `seq` order
    /// (oldest first); visitor and agent messages always, bot messages and system notices
    /// unless excluded.
    pub async fn history(
        self,
        id: &SubscriberId,
        filter: &HistoryFilter,
        page: ListParams,
    ) -> Result<Page<Message>, Error> {
        let request = Request::new(Method::Get, path(id, "/messages"))
            .query(filter)?
            .query(&page)?;
        self.client.send(request).await
    }

    /// `POST /api/v1/subscribers/{id}/messages`: a message written by a human agent, shown
    /// at once in the subscriber's open widget and kept in the conversation.
    pub async fn send_message(self, id: &SubscriberId, text: &str) -> Result<SentMessages, Error> {
        let body = AgentMessage {
            text: text.to_owned(),
        };
        let request = Request::new(Method::Post, path(id, "/messages")).json(&body)?;
        self.client.send(request).await
    }

    /// `POST /api/v1/subscribers/{id}/send-flow`: runs a flow for the subscriber with payload
    /// variables (`{{payload.key}}`); answers the bot messages sent now. 409 while the bot
    /// is paused.
    pub async fn send_flow(self, id: &SubscriberId, send: &SendFlow) -> Result<SentMessages, Error> {
        let request = Request::new(Method::Post, path(id, "/send-flow")).json(send)?;
        self.client.send(request).await
    }

    /// `POST /api/v1/subscribers/{id}/send-content`: sends text, images, cards, carousels
    /// with buttons and quick replies, and runs the actions (tags, fields) with them.
    pub async fn send_content(self, id: &SubscriberId, content: &SendContent) -> Result<SentMessages, Error> {
        let request = Request::new(Method::Post, path(id, "/send-content")).json(content)?;
        self.client.send(request).await
    }

    /// `POST /api/v1/subscribers/{id}/pause-bot`: a human takes over; the bot stays silent
    /// for `minutes` (until resumed when `None`).
    pub async fn pause_bot(self, id: &SubscriberId, minutes: Option<u32>) -> Result<BotStatus, Error> {
        let request = Request::new(Method::Post, path(id, "/pause-bot")).json(&PauseBot { minutes })?;
        self.client.send(request).await
    }

    /// `POST /api/v1/subscribers/{id}/resume-bot`: the bot answers again.
    pub async fn resume_bot(self, id: &SubscriberId) -> Result<BotStatus, Error> {
        self.client
            .send(Request::new(Method::Post, path(id, "/resume-bot")))
            .await
    }
}
