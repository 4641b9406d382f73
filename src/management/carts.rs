//! `/api/v1/subscribers/{id}/cart`: a subscriber's cart, priced on the server (see
//! [`parlo_model::shop::Cart`]).

use super::http::{Method, Request, segment};
use super::{Client, Error};
use parlo_model::ids::SubscriberId;
use parlo_model::shop::{Cart, CartItem, SetQuantity};

/// The subscribers' carts; from [`Client::carts`].
#[derive(Clone, Copy, Debug)]
pub struct CartsApi<'a> {
    pub(super) client: &'a Client,
}

fn path(id: &SubscriberId, rest: &str) -> String {
    format!("/api/v1/subscribers/{}/cart{rest}", segment(id.as_str()))
}

impl CartsApi<'_> {
    /// `GET …/cart`: the cart at current prices with a total per currency.
    pub async fn get(self, id: &SubscriberId) -> Result<Cart, Error> {
        self.client.send(Request::new(Method::Get, path(id, ""))).await
    }

    /// `POST …/cart/items`: adds `quantity` pieces of `sku` (to its line when there is
    /// one). 422 for a SKU that cannot be bought or a line over 1000 pieces.
    pub async fn add(self, id: &SubscriberId, sku: &str, quantity: i64) -> Result<Cart, Error> {
        let item = CartItem {
            sku: sku.to_owned(),
            quantity,
        };
        self.client
            .send(Request::new(Method::Post, path(id, "/items")).json(&item)?)
            .await
    }

    /// `PUT …/cart/items/{sku}`: sets the line's quantity (adding the line when absent).
    pub async fn set_quantity(self, id: &SubscriberId, sku: &str, quantity: i64) -> Result<Cart, Error> {
        let rest = format!("/items/{}", segment(sku));
        self.client
            .send(Request::new(Method::Put, path(id, &rest)).json(&SetQuantity { quantity })?)
            .await
    }

    /// `DELETE …/cart/items/{sku}`: removes the line; 404 when the cart has none.
    pub async fn remove(self, id: &SubscriberId, sku: &str) -> Result<Cart, Error> {
        let rest = format!("/items/{}", segment(sku));
        self.client
            .send(Request::new(Method::Delete, path(id, &rest)))
            .await
    }

    /// `DELETE …/cart`: empties the cart.
    pub async fn empty(self, id: &SubscriberId) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, path(id, "")))
            .await
    }
}
