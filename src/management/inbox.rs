//! The owner's inbox: `GET /api/v1/conversations` (newest activity first, with unread
//! counts), `POST /api/v1/subscribers/{id}/read`, and the workspace event stream
//! `GET /api/v1/events` that keeps it live.
//!
//! ```no_run
//! use parlo::management::{Client, InboxFilter, ListParams};
//! # async fn demo(client: Client) -> Result<(), parlo::management::Error> {
//! let unread = InboxFilter { unread: Some(true), ..Default::default() };
//! let page = client.inbox().list(&unread, ListParams::default()).await?;
//! let mut events = client.inbox().events(None).await?;
//! while let Some((id, event)) = events.next().await? {
//!     // A new message in `event.subscriber_id`'s conversation; `id` resumes after it.
//!     # let _ = (id, event, &page);
//! }
//! // The server ended the stream (it shuts down): open it again after
//! // `events.retry_ms()` with `events.last_event_id()`, on any instance.
//! # Ok(())
//! # }
//! ```

use super::http::{Method, Request};
use super::subscribers::path;
use super::{Client, Error, ListParams, Page};
use crate::client::sse::SseReader;
use crate::client::transport::from_json;
use parlo_model::ids::SubscriberId;
use parlo_model::inbox::{ConversationSummary, InboxEvent, MarkRead, ReadMarker};
use serde::{Deserialize, Serialize};

/// The inbox; from [`Client::inbox`].
#[derive(Clone, Copy, Debug)]
pub struct InboxApi<'a> {
    pub(super) client: &'a Client,
}

/// Filters of [`InboxApi::list`]; every filter given must match.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, tsify::Tsify)]
#[serde(deny_unknown_fields)]
pub struct InboxFilter {
    /// Only conversations on this channel id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// `true`: only conversations with unread visitor messages; `false`: only those without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<bool>,
    /// `true`: only conversations whose bot is paused; `false`: only those where it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_paused: Option<bool>,
    /// `true`: only conversations a flow handed over to a person; `false`: the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handed_over: Option<bool>,
}

impl InboxApi<'_> {
    /// `GET /api/v1/conversations`: one page of the workspace's conversations, newest
    /// activity first, each with its newest message, unread count and bot state.
    pub async fn list(
        self,
        filter: &InboxFilter,
        page: ListParams,
    ) -> Result<Page<ConversationSummary>, Error> {
        let request = Request::new(Method::Get, "/api/v1/conversations")
            .query(filter)?
            .query(&page)?;
        self.client.send(request).await
    }

    /// `POST /api/v1/subscribers/{id}/read`: marks the subscriber's conversation read up to
    /// message `seq` (every message so far when `None`); a marker never moves back. 422
    /// for a `seq` after the newest message.
    pub async fn mark_read(self, id: &SubscriberId, seq: Option<u64>) -> Result<ReadMarker, Error> {
        let request = Request::new(Method::Post, path(id, "/read"))
            .json(&MarkRead { seq })?
            .idempotent();
        self.client.send(request).await
    }

    /// `GET /api/v1/events`: opens the workspace event stream — every message stored in any
    /// of its conversations from now on, or after event `last_event_id` (the `id` of the
    /// last event received) to resume. Read with `fetch`, since it needs the API key in
    /// `Authorization`.
    ///
    /// # Errors
    /// As every request: network, or the server's problem (401 for a bad key).
    pub async fn events(self, last_event_id: Option<u64>) -> Result<InboxEvents, Error> {
        let mut request = Request::new(Method::Get, "/api/v1/events");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let mut reader = self.client.open_stream(request).await?;
        // The stream announces its position first: a resume point before any event.
        reader.wait_for_id().await?;
        Ok(InboxEvents { reader })
    }
}

/// An open workspace event stream ([`InboxApi::events`]). Dropping it closes the
/// connection.
#[derive(Debug)]
pub struct InboxEvents {
    reader: SseReader,
}

impl InboxEvents {
    /// The next message stored in the workspace, with its event id; `None` once the
    /// server ended the stream (reopen after [`InboxEvents::retry_ms`], resuming after
    /// [`InboxEvents::last_event_id`]). Events this client does not know are skipped.
    ///
    /// # Errors
    /// [`Error::Network`] when the connection breaks (reopen and resume), [`Error::Decode`]
    /// for an event whose data is not an [`InboxEvent`].
    pub async fn next(&mut self) -> Result<Option<(u64, InboxEvent)>, Error> {
        while let Some(event) = self.reader.next().await? {
            if event.event != "message" {
                continue;
            }
            let data: InboxEvent = from_json(event.data)?;
            return Ok(Some((self.last_event_id().unwrap_or(0), data)));
        }
        Ok(None)
    }

    /// Where the stream is: the id of the last event received, else the position the
    /// server announced when the stream opened. Pass it to [`InboxApi::events`] to resume
    /// without missing a message (`None` only if the server announced none).
    pub fn last_event_id(&self) -> Option<u64> {
        self.reader.last_id().and_then(|id| id.parse().ok())
    }

    /// The delay the server asked for before reconnecting, in milliseconds (sent when it
    /// shuts down).
    pub fn retry_ms(&self) -> Option<u64> {
        self.reader.retry_ms()
    }
}
