//! `/api/v1/channels`: the workspace's web chat channels.

use super::http::{Method, Request, segment};
use super::{Client, Error, ListParams, Page};
use parlo_model::channel::{Channel, ChannelSettings, ChannelWithSecret};
use parlo_model::ids::ChannelId;
use parlo_model::keyword::{Keyword, KeywordSettings};
use serde::Serialize;

/// The channels of the workspace; from [`Client::channels`].
#[derive(Clone, Copy, Debug)]
pub struct ChannelsApi<'a> {
    pub(super) client: &'a Client,
}

/// `/api/v1/channels/{id}{rest}`.
fn path(id: &ChannelId, rest: &str) -> String {
    format!("/api/v1/channels/{}{rest}", segment(id.as_str()))
}

/// `/api/v1/channels/{id}/keywords/{keyword_id}`.
fn keyword_path(id: &ChannelId, keyword_id: &str) -> String {
    path(id, &format!("/keywords/{}", segment(keyword_id)))
}

/// Query of the delete request.
#[derive(Serialize)]
struct Archive {
    archive: bool,
}

impl ChannelsApi<'_> {
    /// `GET /api/v1/channels`: one page of channels in id order, archived ones too.
    pub async fn list(self, page: ListParams) -> Result<Page<Channel>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/channels").query(&page)?)
            .await
    }

    /// `POST /api/v1/channels`: a new channel with its embed snippet; its identity secret
    /// is shown only in this answer. 422 lists every problem of the settings (origins,
    /// colours, hours, unknown form or flows).
    pub async fn create(self, settings: &ChannelSettings) -> Result<ChannelWithSecret, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/channels").json(settings)?)
            .await
    }

    /// `GET /api/v1/channels/{id}`.
    pub async fn get(self, id: &ChannelId) -> Result<Channel, Error> {
        self.client.send(Request::new(Method::Get, path(id, ""))).await
    }

    /// `PUT /api/v1/channels/{id}`: replaces the channel's settings; new allowed origins
    /// apply from the next request of a page.
    pub async fn put(self, id: &ChannelId, settings: &ChannelSettings) -> Result<Channel, Error> {
        self.client
            .send(Request::new(Method::Put, path(id, "")).json(settings)?)
            .await
    }

    /// `DELETE /api/v1/channels/{id}`: deletes the channel, or with `archive` keeps it and
    /// its conversations but takes it off the public API. Deleting a channel with
    /// conversations is refused (409 `conflict`).
    pub async fn delete(self, id: &ChannelId, archive: bool) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, path(id, "")).query(&Archive { archive })?)
            .await
    }

    /// `POST /api/v1/channels/{id}/rotate-identity-secret`: a new identity secret, shown
    /// only in this answer.
    pub async fn rotate_identity_secret(self, id: &ChannelId) -> Result<ChannelWithSecret, Error> {
        self.client
            .send(Request::new(Method::Post, path(id, "/rotate-identity-secret")))
            .await
    }

    /// `GET /api/v1/channels/{id}/keywords`: the channel's keywords in the order they are
    /// tried (at most 100).
    pub async fn keywords(self, id: &ChannelId) -> Result<Vec<Keyword>, Error> {
        self.client
            .send(Request::new(Method::Get, path(id, "/keywords")))
            .await
    }

    /// `POST /api/v1/channels/{id}/keywords`: a new keyword, tried after the others; 422
    /// lists every problem (phrases, an unknown flow), 409 when the channel has 100.
    pub async fn create_keyword(self, id: &ChannelId, settings: &KeywordSettings) -> Result<Keyword, Error> {
        self.client
            .send(Request::new(Method::Post, path(id, "/keywords")).json(settings)?)
            .await
    }

    /// `GET /api/v1/channels/{id}/keywords/{keyword_id}`.
    pub async fn keyword(self, id: &ChannelId, keyword_id: &str) -> Result<Keyword, Error> {
        self.client
            .send(Request::new(Method::Get, keyword_path(id, keyword_id)))
            .await
    }

    /// `PUT /api/v1/channels/{id}/keywords/{keyword_id}`: replaces the keyword's settings;
    /// it keeps its id and place.
    pub async fn put_keyword(
        self,
        id: &ChannelId,
        keyword_id: &str,
        settings: &KeywordSettings,
    ) -> Result<Keyword, Error> {
        self.client
            .send(Request::new(Method::Put, keyword_path(id, keyword_id)).json(settings)?)
            .await
    }

    /// `DELETE /api/v1/channels/{id}/keywords/{keyword_id}`.
    pub async fn delete_keyword(self, id: &ChannelId, keyword_id: &str) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, keyword_path(id, keyword_id)))
            .await
    }
}
