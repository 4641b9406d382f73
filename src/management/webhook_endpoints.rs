//! `/api/v1/webhook-endpoints`: where the workspace's signed webhook events go.

use super::http::{Method, Request};
use super::{Client, Error, ListParams, Page};
use parlo_model::webhook::{CreateWebhookEndpoint, WebhookEndpoint, WebhookEndpointWithSecret};

/// The webhook endpoints of the workspace; from [`Client::webhook_endpoints`].
#[derive(Clone, Copy, Debug)]
pub struct WebhookEndpointsApi<'a> {
    pub(super) client: &'a Client,
}

impl WebhookEndpointsApi<'_> {
    /// `GET /api/v1/webhook-endpoints`: one page of endpoints in id order (no secrets).
    pub async fn list(self, page: ListParams) -> Result<Page<WebhookEndpoint>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/webhook-endpoints").query(&page)?)
            .await
    }

    /// `POST /api/v1/webhook-endpoints`: a new endpoint; its signing secret (Standard
    /// Webhooks `whsec_…`) is shown only in this answer.
    pub async fn create(self, endpoint: &CreateWebhookEndpoint) -> Result<WebhookEndpointWithSecret, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/webhook-endpoints").json(endpoint)?)
            .await
    }

    /// `GET /api/v1/webhook-endpoints/{id}`.
    pub async fn get(self, id: i64) -> Result<WebhookEndpoint, Error> {
        let path = format!("/api/v1/webhook-endpoints/{id}");
        self.client.send(Request::new(Method::Get, path)).await
    }

    /// `DELETE /api/v1/webhook-endpoints/{id}`; its pending deliveries end `dead`.
    pub async fn delete(self, id: i64) -> Result<(), Error> {
        let path = format!("/api/v1/webhook-endpoints/{id}");
        self.client.send_empty(Request::new(Method::Delete, path)).await
    }

    /// `POST /api/v1/webhook-endpoints/{id}/rotate-secret`: a new signing secret, shown
    /// only in this answer.
    pub async fn rotate_secret(self, id: i64) -> Result<WebhookEndpointWithSecret, Error> {
        let path = format!("/api/v1/webhook-endpoints/{id}/rotate-secret");
        self.client.send(Request::new(Method::Post, path)).await
    }
}
