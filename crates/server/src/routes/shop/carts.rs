//! Management API: a subscriber's cart. Each answer is the cart priced now
//! ([`parlo_model::shop::Cart`]): lines at current prices and a total per currency.
//!
//! A SKU put in the cart must be buyable ([`buyable`]: 422 at `/sku` otherwise), and a
//! line holds 1..=1000 pieces (422 at `/quantity`). Stock is checked when ordering, not
//! here. Lines whose product was deleted disappear with it.

use crate::auth::ApiKey;
use crate::db::{self, shop};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::openapi as doc;
use crate::routes::shop::{buyable, sku_param, subscriber_in};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::ids::SubscriberId;
use parlo_model::shop::{Cart, CartItem, MAX_LINES, MAX_QUANTITY, SetQuantity, check_quantity, totals};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_cart, empty_cart))
        .routes(routes!(add_cart_item))
        .routes(routes!(set_cart_item, remove_cart_item))
}

/// The cart of `subscriber_id`, priced now.
pub async fn priced(conn: &mut db::Connection, workspace_id: i64, subscriber_id: &str) -> ApiResult<Cart> {
    let mut lines = Vec::new();
    for (sku, quantity) in shop::cart(conn, workspace_id, subscriber_id).await? {
        if let Some(item) = shop::item(conn, workspace_id, &sku).await? {
            lines.push(item.line(quantity)?);
        }
    }
    Ok(Cart {
        subscriber_id: SubscriberId::from(subscriber_id),
        totals: totals(&lines),
        lines,
    })
}

/// Adds `item` to the cart of `subscriber_id` (inside the caller's write transaction):
/// a new line, or more pieces on its line; answers the item added.
///
/// # Errors
/// 422 at `/quantity` for a quantity out of range (also once added to the line's), at
/// `/sku` when the SKU is not buyable ([`buyable`]); 409 when the cart already has
/// [`MAX_LINES`] lines.
pub async fn add(
    conn: &mut db::Connection,
    workspace_id: i64,
    subscriber_id: &str,
    item: &CartItem,
) -> ApiResult<shop::Item> {
    ApiError::unless_any(check_quantity("/quantity", item.quantity).into_iter().collect())?;
    let found = buyable(conn, workspace_id, &item.sku, "/sku").await?;
    let lines = shop::cart(conn, workspace_id, subscriber_id).await?;
    let quantity = match lines.iter().find(|(sku, _)| *sku == item.sku) {
        Some((_, had)) => had + item.quantity,
        None if lines.len() >= MAX_LINES => {
            return Err(ApiError::Conflict(format!(
                "the cart already has {MAX_LINES} lines, the most it can have"
            )));
        }
        None => item.quantity,
    };
    if quantity > MAX_QUANTITY {
        return Err(ApiError::invalid(
            "/quantity",
            format!("the line would have {quantity} pieces; at most {MAX_QUANTITY}"),
        ));
    }
    shop::set_cart_line(conn, workspace_id, subscriber_id, &item.sku, quantity).await?;
    Ok(found)
}

/// Get a subscriber's cart
///
/// The subscriber's cart at current prices, with a total per currency.
#[utoipa::path(
    get,
    path = "/api/v1/subscribers/{subscriber_id}/cart",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The cart", body = Cart),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_cart(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
) -> ApiResult<Json<Cart>> {
    let mut conn = state.db.acquire().await?;
    subscriber_in(&mut conn, key.workspace_id, &subscriber_id).await?;
    Ok(Json(priced(&mut conn, key.workspace_id, &subscriber_id).await?))
}

/// Empty a subscriber's cart
///
/// Removes every line of the subscriber's cart.
#[utoipa::path(
    delete,
    path = "/api/v1/subscribers/{subscriber_id}/cart",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Emptied"),
        (status = 404, response = doc::NotFound),
    )
)]
async fn empty_cart(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut tx = db::begin_write(&state.db).await?;
    subscriber_in(&mut tx, key.workspace_id, &subscriber_id).await?;
    shop::remove_cart_lines(&mut tx, key.workspace_id, &subscriber_id, None).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add to a subscriber's cart
///
/// Adds pieces of a SKU to the cart: a new line, or more pieces on its line (1..=1000 in
/// all, 422 beyond; at most 100 lines, 409 beyond).
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/{subscriber_id}/cart/items",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    request_body = CartItem,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The cart", body = Cart),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn add_cart_item(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
    Json(body): Json<CartItem>,
) -> ApiResult<Json<Cart>> {
    let mut tx = db::begin_write(&state.db).await?;
    subscriber_in(&mut tx, key.workspace_id, &subscriber_id).await?;
    add(&mut tx, key.workspace_id, &subscriber_id, &body).await?;
    let cart = priced(&mut tx, key.workspace_id, &subscriber_id).await?;
    tx.commit().await?;
    Ok(Json(cart))
}

/// Set a cart line's quantity
///
/// Sets how many pieces of a SKU the cart holds, adding the line when absent.
#[utoipa::path(
    put,
    path = "/api/v1/subscribers/{subscriber_id}/cart/items/{sku}",
    tag = "management",
    params(
        ("subscriber_id" = String, Path, description = "Subscriber id"),
        ("sku" = String, Path, description = "SKU of the line"),
    ),
    request_body = SetQuantity,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The cart", body = Cart),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn set_cart_item(
    State(state): State<AppState>,
    key: ApiKey,
    Path((subscriber_id, sku)): Path<(String, String)>,
    Json(body): Json<SetQuantity>,
) -> ApiResult<Json<Cart>> {
    let sku = sku_param(&sku)?;
    let mut tx = db::begin_write(&state.db).await?;
    subscriber_in(&mut tx, key.workspace_id, &subscriber_id).await?;
    ApiError::unless_any(check_quantity("/quantity", body.quantity).into_iter().collect())?;
    let lines = shop::cart(&mut tx, key.workspace_id, &subscriber_id).await?;
    if let Some(item) = shop::item(&mut tx, key.workspace_id, sku)
        .await?
        .filter(|i| i.active != 0 && i.has_variants == 0)
    {
        if lines.len() >= MAX_LINES && !lines.iter().any(|(s, _)| s == sku) {
            return Err(ApiError::Conflict(format!(
                "the cart already has {MAX_LINES} lines, the most it can have"
            )));
        }
        shop::set_cart_line(
            &mut tx,
            key.workspace_id,
            &subscriber_id,
            &item.sku,
            body.quantity,
        )
        .await?;
    } else {
        return Err(ApiError::NotFound(format!(
            "no buyable SKU '{sku}' in this workspace"
        )));
    }
    let cart = priced(&mut tx, key.workspace_id, &subscriber_id).await?;
    tx.commit().await?;
    Ok(Json(cart))
}

/// Remove a cart line
///
/// Removes a SKU's line from the cart; 404 when the cart has none.
#[utoipa::path(
    delete,
    path = "/api/v1/subscribers/{subscriber_id}/cart/items/{sku}",
    tag = "management",
    params(
        ("subscriber_id" = String, Path, description = "Subscriber id"),
        ("sku" = String, Path, description = "SKU of the line"),
    ),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The cart", body = Cart),
        (status = 404, response = doc::NotFound),
    )
)]
async fn remove_cart_item(
    State(state): State<AppState>,
    key: ApiKey,
    Path((subscriber_id, sku)): Path<(String, String)>,
) -> ApiResult<Json<Cart>> {
    let sku = sku_param(&sku)?;
    let mut tx = db::begin_write(&state.db).await?;
    subscriber_in(&mut tx, key.workspace_id, &subscriber_id).await?;
    if !shop::remove_cart_lines(&mut tx, key.workspace_id, &subscriber_id, Some(sku)).await? {
        return Err(ApiError::NotFound(format!("no line of SKU '{sku}' in this cart")));
    }
    let cart = priced(&mut tx, key.workspace_id, &subscriber_id).await?;
    tx.commit().await?;
    Ok(Json(cart))
}
