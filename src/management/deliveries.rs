//! `/api/v1/deliveries`: the outbox's deliveries (webhooks, e-mails, …) and redelivery.

use super::http::{Method, Request};
use super::{Client, Error, ListParams, Page};
use parlo_model::webhook::{Delivery, DeliveryAttempt, DeliveryStatus};
use serde::{Deserialize, Serialize};

/// The deliveries of the workspace; from [`Client::deliveries`].
#[derive(Clone, Copy, Debug)]
pub struct DeliveriesApi<'a> {
    pub(super) client: &'a Client,
}

/// Filters of [`DeliveriesApi::list`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, tsify::Tsify)]
#[serde(deny_unknown_fields)]
pub struct DeliveryFilter {
    /// Only deliveries in this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DeliveryStatus>,
    /// Only webhook deliveries to this endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<i64>,
}

impl DeliveriesApi<'_> {
    /// `GET /api/v1/deliveries`: one page of deliveries, newest first.
    pub async fn list(self, filter: &DeliveryFilter, page: ListParams) -> Result<Page<Delivery>, Error> {
        let request = Request::new(Method::Get, "/api/v1/deliveries")
            .query(filter)?
            .query(&page)?;
        self.client.send(request).await
    }

    /// `GET /api/v1/deliveries/{id}`: one delivery with its attempts so far.
    pub async fn get(self, id: i64) -> Result<Delivery, Error> {
        let path = format!("/api/v1/deliveries/{id}");
        self.client.send(Request::new(Method::Get, path)).await
    }

    /// `GET /api/v1/deliveries/{id}/attempts`: one page of the delivery's finished attempts,
    /// oldest first.
    pub async fn attempts(self, id: i64, page: ListParams) -> Result<Page<DeliveryAttempt>, Error> {
        let path = format!("/api/v1/deliveries/{id}/attempts");
        self.client
            .send(Request::new(Method::Get, path).query(&page)?)
            .await
    }

    /// `POST /api/v1/deliveries/{id}/redeliver`: queues the delivery again; 409 while it is
    /// pending.
    pub async fn redeliver(self, id: i64) -> Result<Delivery, Error> {
        let path = format!("/api/v1/deliveries/{id}/redeliver");
        self.client.send(Request::new(Method::Post, path)).await
    }
}
