//! `/api/v1/orders`: orders with the buyer's details and a copy of their lines, their
//! status, and the automations of order events (`/api/v1/shop/settings`); see
//! [`parlo_model::shop`].

use super::http::{Method, Request};
use super::{Client, Error, ListParams, Page};
use parlo_model::shop::{NewOrder, Order, OrderStatus, ShopSettings, StatusChange};
use serde::{Deserialize, Serialize};

/// The orders of the workspace; from [`Client::orders`].
#[derive(Clone, Copy, Debug)]
pub struct OrdersApi<'a> {
    pub(super) client: &'a Client,
}

/// Filters of [`OrdersApi::list`]; every one given must match. Date-times are RFC 3339
/// (`from` after `to` is a 400 `invalid_date_range`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, tsify::Tsify)]
#[serde(deny_unknown_fields)]
pub struct OrderFilter {
    /// Only orders in this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OrderStatus>,
    /// Only orders of this subscriber.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriber_id: Option<String>,
    /// Only orders created at or after this date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Only orders created at or before this date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

impl OrdersApi<'_> {
    /// `POST /api/v1/orders`: orders `order.lines`, or the subscriber's cart (then
    /// emptied). 409 `out_of_stock` names a SKU with too few pieces left (nothing is
    /// ordered); 422 lists every problem of the body.
    pub async fn create(self, order: &NewOrder) -> Result<Order, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/orders").json(order)?)
            .await
    }

    /// `GET /api/v1/orders`: one page of orders, newest first.
    pub async fn list(self, filter: &OrderFilter, page: ListParams) -> Result<Page<Order>, Error> {
        let request = Request::new(Method::Get, "/api/v1/orders")
            .query(filter)?
            .query(&page)?;
        self.client.send(request).await
    }

    /// `GET /api/v1/orders/{id}`; 404 for an unknown id.
    pub async fn get(self, id: i64) -> Result<Order, Error> {
        self.client
            .send(Request::new(Method::Get, format!("/api/v1/orders/{id}")))
            .await
    }

    /// `POST /api/v1/orders/{id}/status`: moves the order to `status`; 409
    /// `invalid_transition` when its status may not go there
    /// ([`OrderStatus::can_become`]).
    pub async fn set_status(self, id: i64, status: OrderStatus) -> Result<Order, Error> {
        let request = Request::new(Method::Post, format!("/api/v1/orders/{id}/status"))
            .json(&StatusChange { status })?;
        self.client.send(request).await
    }

    /// `GET /api/v1/shop/settings`: the automations of `order.created`, `order.paid` and
    /// `order.cancelled`.
    pub async fn automations(self) -> Result<ShopSettings, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/shop/settings"))
            .await
    }

    /// `PUT /api/v1/shop/settings`: replaces the automations of the order events.
    pub async fn set_automations(self, settings: &ShopSettings) -> Result<ShopSettings, Error> {
        self.client
            .send(Request::new(Method::Put, "/api/v1/shop/settings").json(settings)?)
            .await
    }
}
