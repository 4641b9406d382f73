//! `/api/v1/products`: the shop's products and their variants (see
//! [`parlo_model::shop`]).

use super::http::{Method, Request};
use super::{Client, Error, ListParams, Page};
use parlo_model::shop::{Product, ProductSettings};

/// The products of the workspace; from [`Client::products`].
#[derive(Clone, Copy, Debug)]
pub struct ProductsApi<'a> {
    pub(super) client: &'a Client,
}

impl ProductsApi<'_> {
    /// `POST /api/v1/products`: creates a product with its variants. 422
    /// `validation_failed` lists every problem (a SKU another product uses among them).
    pub async fn create(self, product: &ProductSettings) -> Result<Product, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/products").json(product)?)
            .await
    }

    /// `GET /api/v1/products`: one page of products in id order.
    pub async fn list(self, params: ListParams) -> Result<Page<Product>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/products").query(&params)?)
            .await
    }

    /// `GET /api/v1/products/{id}`: one product with its stock now; 404 for an unknown id.
    pub async fn get(self, id: i64) -> Result<Product, Error> {
        self.client
            .send(Request::new(Method::Get, format!("/api/v1/products/{id}")))
            .await
    }

    /// `PUT /api/v1/products/{id}`: replaces its settings, variants and stock.
    pub async fn replace(self, id: i64, product: &ProductSettings) -> Result<Product, Error> {
        self.client
            .send(Request::new(Method::Put, format!("/api/v1/products/{id}")).json(product)?)
            .await
    }

    /// `DELETE /api/v1/products/{id}`: deletes it (cart lines of it too; orders keep their
    /// copy).
    pub async fn delete(self, id: i64) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, format!("/api/v1/products/{id}")))
            .await
    }
}
