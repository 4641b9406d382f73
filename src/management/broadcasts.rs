//! `/api/v1/broadcasts`: a flow or messages sent to many subscribers, now or at a UTC time,
//! at a limited rate, with their statistics and recipients (see
//! [`parlo_model::broadcast`]).

use super::http::{Method, Request};
use super::{Client, Error, ListParams, Page};
use parlo_model::broadcast::{Broadcast, BroadcastRecipient, CreateBroadcast};

/// The broadcasts of the workspace; from [`Client::broadcasts`].
#[derive(Clone, Copy, Debug)]
pub struct BroadcastsApi<'a> {
    pub(super) client: &'a Client,
}

impl BroadcastsApi<'_> {
    /// `POST /api/v1/broadcasts`: schedules `broadcast` (state `scheduled`, sent at its
    /// `send_at`, now when absent or past). 422 `validation_failed` lists every problem of
    /// the body with its JSON pointer (unknown flows, tags, fields, channels, subscribers).
    pub async fn create(self, broadcast: &CreateBroadcast) -> Result<Broadcast, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/broadcasts").json(broadcast)?)
            .await
    }

    /// `GET /api/v1/broadcasts`: one page of broadcasts in id order, each with its
    /// statistics.
    pub async fn list(self, params: ListParams) -> Result<Page<Broadcast>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/broadcasts").query(&params)?)
            .await
    }

    /// `GET /api/v1/broadcasts/{id}`: one broadcast with its state and statistics; 404
    /// when the workspace has none with this id.
    pub async fn get(self, id: i64) -> Result<Broadcast, Error> {
        self.client
            .send(Request::new(Method::Get, format!("/api/v1/broadcasts/{id}")))
            .await
    }

    /// `POST /api/v1/broadcasts/{id}/cancel`: recipients not sent to yet never will be
    /// (state `cancelled`); a cancelled broadcast is answered unchanged; 409 `conflict`
    /// once it is `done`, 404 for an unknown id.
    pub async fn cancel(self, id: i64) -> Result<Broadcast, Error> {
        self.client
            .send(Request::new(
                Method::Post,
                format!("/api/v1/broadcasts/{id}/cancel"),
            ))
            .await
    }

    /// `GET /api/v1/broadcasts/{id}/recipients`: one page of the subscribers its audience
    /// resolved to (none before `send_at`), in sending order, each with its state and, when
    /// it failed, the reason; 404 for an unknown id.
    pub async fn recipients(self, id: i64, params: ListParams) -> Result<Page<BroadcastRecipient>, Error> {
        let request =
            Request::new(Method::Get, format!("/api/v1/broadcasts/{id}/recipients")).query(&params)?;
        self.client.send(request).await
    }
}
