//! Management API: the shop of the key's workspace (see [`parlo_model::shop`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET, POST | `/api/v1/products` | `Page<Product>` in id order; [`Product`], 201 ([`products`]) |
//! | GET, PUT, DELETE | `/api/v1/products/{product_id}` | [`Product`]; [`Product`]; 204 |
//! | GET, DELETE | `/api/v1/subscribers/{subscriber_id}/cart` | [`Cart`](parlo_model::shop::Cart); 204 emptied ([`carts`]) |
//! | POST | `/api/v1/subscribers/{subscriber_id}/cart/items` | `CartItem` → `Cart` (added to the line) |
//! | PUT, DELETE | `/api/v1/subscribers/{subscriber_id}/cart/items/{sku}` | `SetQuantity` → `Cart`; `Cart` |
//! | GET, POST | `/api/v1/orders` | `Page<Order>` newest first, filtered; [`Order`](parlo_model::shop::Order), 201 ([`orders`]) |
//! | GET | `/api/v1/orders/{order_id}` | `Order` |
//! | POST | `/api/v1/orders/{order_id}/status` | `StatusChange` → `Order`; 409 `invalid_transition` |
//! | GET, PUT | `/api/v1/shop/settings` | [`ShopSettings`](parlo_model::shop::ShopSettings) ([`settings`]) |
//!
//! Every write runs in one write transaction ([`crate::db::begin_write`]); stock is taken
//! there with a conditional update, so of two orders for the last piece one is stored and
//! the other is a 409 `out_of_stock`, on either backend and across server processes.

pub mod carts;
pub mod orders;
pub mod products;
pub mod settings;

use crate::db::{self, shop};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use parlo_model::problem::FieldError;
use parlo_model::shop::Product;
use utoipa_axum::router::OpenApiRouter;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(products::router())
        .merge(carts::router())
        .merge(orders::router())
        .merge(settings::router())
}

/// Item `sku` of the workspace when it can be put in a cart or ordered: it exists, its
/// product is active, and it is not the own SKU of a product with variants. 422 at
/// `pointer` otherwise.
pub async fn buyable(
    conn: &mut db::Connection,
    workspace_id: i64,
    sku: &str,
    pointer: &str,
) -> ApiResult<shop::Item> {
    let problem = match shop::item(conn, workspace_id, sku).await? {
        None => format!("no product or variant with SKU '{sku}' in this workspace"),
        Some(item) if item.active == 0 => format!("product {} of SKU '{sku}' is not active", item.product_id),
        Some(item) if item.has_variants != 0 => {
            format!(
                "product {} has variants: order one of their SKUs, not '{sku}'",
                item.product_id
            )
        }
        Some(item) => return Ok(item),
    };
    Err(ApiError::Validation(vec![FieldError::new(pointer, problem)]))
}

/// 404 unless subscriber `subscriber_id` (of the id format, else 400) is the workspace's.
pub async fn subscriber_in(
    conn: &mut db::Connection,
    workspace_id: i64,
    subscriber_id: &str,
) -> ApiResult<()> {
    let id = crate::routes::subscribers::subscriber_id(subscriber_id)?;
    match db::subscribers::find(conn, workspace_id, id).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::NotFound(format!("no subscriber '{id}'"))),
    }
}

/// A SKU from the path; 400 `invalid_id` when it is not of [`parlo_model::shop::SKU_PATTERN`].
pub fn sku_param(sku: &str) -> ApiResult<&str> {
    if parlo_model::shop::is_sku(sku) {
        Ok(sku)
    } else {
        Err(ApiError::InvalidId(format!(
            "'{sku}' is not a SKU (1..=64 of A-Z, a-z, 0-9, '.', '_', '-')"
        )))
    }
}

/// Product `id` of the workspace; 404 when it has none.
pub async fn product_in(conn: &mut db::Connection, workspace_id: i64, id: i64) -> ApiResult<Product> {
    shop::find_product(conn, workspace_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no product {id}")))
}
