//! Management API: orders (see [`parlo_model::shop::Order`]).
//!
//! Creating an order, in one write transaction: the buyer's details and the lines are
//! checked (422 with every problem: each SKU buyable, quantities 1..=1000, each SKU once,
//! one currency), the stock of each line is taken with a conditional update (409
//! `out_of_stock` naming the SKU when fewer pieces are left; nothing is stored then), the
//! order is stored `pending` with a copy of the lines and prices, the subscriber's cart is
//! emptied when the order was made from it, and the automations of `order.created` are
//! enqueued ([`crate::outbox`]). With an `Idempotency-Key` header an order is created once
//! per key: a repeat with the same body answers that order as it is now (201), with
//! another body a 409 `conflict`. A status change must be allowed
//! ([`OrderStatus::can_become`], 409 `invalid_transition` otherwise); `paid` and
//! `cancelled` run their automations, and `cancelled` and `refunded` give the stock back
//! (the pieces of each line return to their SKU when it still exists and its stock is
//! counted).

use crate::auth::ApiKey;
use crate::clock;
use crate::db::{self, shop};
use crate::error::{ApiError, ApiResult};
use crate::extract::{IdempotencyKey, Json, Path, Query};
use crate::openapi as doc;
use crate::outbox;
use crate::routes::shop::buyable;
use crate::routes::{self, subscribers};
use crate::state::AppState;
use crate::tokens;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::page::Page;
use parlo_model::problem::FieldError;
use parlo_model::shop::{
    Buyer, CartItem, MAX_LINES, Money, NewOrder, ORDER_CANCELLED, ORDER_CREATED, ORDER_PAID, Order,
    OrderStatus, StatusChange, check_quantity,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_orders, create_order))
        .routes(routes!(get_order))
        .routes(routes!(change_order_status))
}

/// Filters and page of `GET /api/v1/orders`; every filter given must match.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct OrderQuery {
    /// Only orders in this status.
    status: Option<OrderStatus>,
    /// Only orders of this subscriber (a subscriber id; 400 `invalid_id` otherwise).
    subscriber_id: Option<String>,
    /// Only orders created at or after this RFC 3339 date-time.
    from: Option<String>,
    /// Only orders created at or before this RFC 3339 date-time (400 `invalid_date_range`
    /// before `from`).
    to: Option<String>,
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`.
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = routes::int_cursor_schema)]
    cursor: Option<String>,
}

/// List orders
///
/// Lists the workspace's orders, newest first, filtered by status, subscriber and
/// creation time.
#[utoipa::path(
    get,
    path = "/api/v1/orders",
    tag = "management",
    params(OrderQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses((status = 200, description = "Orders, newest first", body = Page<Order>))
)]
async fn list_orders(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<OrderQuery>,
) -> ApiResult<Json<Page<Order>>> {
    let limit = routes::check_limit(query.limit)?;
    let before = routes::int_cursor(query.cursor.as_deref())?;
    let (from, to) = routes::date_range(["from", "to"], query.from.as_deref(), query.to.as_deref())?;
    let subscriber_id = query
        .subscriber_id
        .as_deref()
        .map(subscribers::subscriber_id)
        .transpose()?;
    let filter = shop::OrderFilter {
        status: query.status,
        subscriber_id,
        from: from.as_deref(),
        to: to.as_deref(),
    };
    let mut conn = state.db.acquire().await?;
    let rows = shop::orders(&mut conn, key.workspace_id, &filter, before, limit + 1).await?;
    Ok(Json(routes::page(rows, limit, |o| o.id.to_string())))
}

/// The items of `body`: its `lines`, or the subscriber's cart (and whether it was). 422
/// when neither is there, for repeated SKUs and quantities out of range.
async fn items(
    conn: &mut db::Connection,
    workspace_id: i64,
    body: &NewOrder,
) -> ApiResult<(Vec<CartItem>, bool)> {
    let mut errors = Vec::new();
    let (items, from_cart) = match (&body.lines, &body.subscriber_id) {
        (Some(lines), _) => (lines.clone(), false),
        (None, Some(subscriber_id)) => {
            let cart = shop::cart(conn, workspace_id, subscriber_id.as_str()).await?;
            if cart.is_empty() {
                errors.push(FieldError::new(
                    "/subscriber_id",
                    "the subscriber's cart is empty: send `lines`",
                ));
            }
            let items = cart
                .into_iter()
                .map(|(sku, quantity)| CartItem { sku, quantity })
                .collect();
            (items, true)
        }
        (None, None) => {
            errors.push(FieldError::new(
                "/lines",
                "give `lines`, or a `subscriber_id` whose cart to order",
            ));
            (Vec::new(), false)
        }
    };
    if !from_cart && !(1..=MAX_LINES).contains(&items.len()) && body.lines.is_some() {
        errors.push(FieldError::new(
            "/lines",
            format!("must list 1..={MAX_LINES} lines"),
        ));
    }
    for (i, item) in items.iter().enumerate() {
        errors.extend(check_quantity(&format!("/lines/{i}/quantity"), item.quantity));
        if items[..i].iter().any(|other| other.sku == item.sku) {
            errors.push(FieldError::new(
                format!("/lines/{i}/sku"),
                "is ordered twice: one line per SKU",
            ));
        }
    }
    ApiError::unless_any(errors)?;
    Ok((items, from_cart))
}

/// Enqueues the automations of `event_type` for `order` (inside the caller's transaction);
/// whether there were any.
async fn emit(
    conn: &mut db::Connection,
    workspace_id: i64,
    event_type: &str,
    order: &Order,
) -> ApiResult<bool> {
    let settings = shop::settings(conn, workspace_id).await?;
    let automations = settings.automations(event_type);
    let event = outbox::Event {
        workspace_id,
        subscriber_id: order.subscriber_id.clone(),
        event_type: event_type.to_owned(),
        data: serde_json::to_value(order).map_err(anyhow::Error::from)?,
    };
    outbox::enqueue(conn, &event, automations).await?;
    Ok(!automations.is_empty())
}

/// Create an order
///
/// Orders the given `lines`, or the subscriber's cart (then emptied), for the buyer; takes
/// the stock and runs the `order.created` automations.
#[utoipa::path(
    post,
    path = "/api/v1/orders",
    tag = "management",
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Client-generated key of this \
          order, the same on every retry: the order is created once; a repeat answers it as it \
          is now, and the key with another body is a 409."),
    ),
    request_body = NewOrder,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created, `pending` (or, for a known `Idempotency-Key`, that order)", body = Order),
        (status = 409, response = doc::OutOfStock),
    )
)]
async fn create_order(
    State(state): State<AppState>,
    key: ApiKey,
    IdempotencyKey(idempotency_key): IdempotencyKey,
    Json(body): Json<NewOrder>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    let workspace_id = key.workspace_id;
    let buyer = body.buyer.checked();
    let body_hash = tokens::digest(&serde_json::to_string(&body).map_err(anyhow::Error::from)?);
    let mut tx = db::begin_write(&state.db).await?;
    if let Some(key) = &idempotency_key
        && let Some((id, hash)) = shop::order_by_idempotency_key(&mut tx, workspace_id, key).await?
    {
        if hash != body_hash {
            return Err(ApiError::Conflict(format!(
                "idempotency key '{key}' was used for another order"
            )));
        }
        return Ok((
            StatusCode::CREATED,
            Json(order_in(&mut tx, workspace_id, id).await?),
        ));
    }
    if let Some(subscriber_id) = &body.subscriber_id
        && db::subscribers::find(&mut tx, workspace_id, subscriber_id.as_str())
            .await?
            .is_none()
    {
        return Err(ApiError::invalid(
            "/subscriber_id",
            format!("no subscriber '{subscriber_id}' in this workspace"),
        ));
    }
    let (items, from_cart) = items(&mut tx, workspace_id, &body).await?;
    let buyer = buyer.map_err(ApiError::Validation)?;
    let placing = Placing {
        subscriber_id: body.subscriber_id.as_ref().map(|s| s.as_str()),
        buyer: &buyer,
        items: &items,
        from_cart,
        idempotency: idempotency_key.as_deref().map(|key| (key, body_hash.as_str())),
    };
    let (order, notify) = place(&mut tx, workspace_id, &placing).await?;
    tx.commit().await?;
    if notify {
        state.outbox.notify_one();
    }
    Ok((StatusCode::CREATED, Json(order)))
}

/// An order to place with [`place`].
#[derive(Debug)]
pub struct Placing<'a> {
    /// The subscriber who orders, if any (a subscriber of the workspace).
    pub subscriber_id: Option<&'a str>,
    /// Contact details, checked ([`parlo_model::shop::Buyer::checked`]).
    pub buyer: &'a Buyer,
    /// What is ordered: each SKU once, quantities in range.
    pub items: &'a [CartItem],
    /// Whether the items are the subscriber's cart, to empty.
    pub from_cart: bool,
    /// The `Idempotency-Key` of the request and the hash of its body, if it had one.
    pub idempotency: Option<(&'a str, &'a str)>,
}

/// Places an order inside the caller's write transaction (see the module docs): prices
/// the items, takes their stock, stores the order `pending`, empties the cart when the
/// items were it, and enqueues the `order.created` automations. Answers the order and
/// whether automations were enqueued (the outbox worker is then to be woken after the
/// commit).
///
/// # Errors
/// 422 with every problem of the SKUs (not buyable, several currencies); 409
/// `out_of_stock` naming the first line short of pieces, after giving back the stock
/// taken for the lines before it, so that nothing of the order stays even when the
/// caller commits.
pub async fn place(
    conn: &mut db::Connection,
    workspace_id: i64,
    placing: &Placing<'_>,
) -> ApiResult<(Order, bool)> {
    let mut lines = Vec::with_capacity(placing.items.len());
    let mut errors = Vec::new();
    for (i, item) in placing.items.iter().enumerate() {
        match buyable(conn, workspace_id, &item.sku, &format!("/lines/{i}/sku")).await {
            Ok(found) => lines.push(found.line(item.quantity)?),
            Err(ApiError::Validation(problems)) => errors.extend(problems),
            Err(other) => return Err(other),
        }
    }
    if let Some(first) = lines.first()
        && lines.iter().any(|l| l.currency != first.currency)
    {
        errors.push(FieldError::new(
            "/lines",
            "must all be in one currency: one order per currency",
        ));
    }
    ApiError::unless_any(errors)?;
    for (taken, line) in lines.iter().enumerate() {
        if !shop::take_stock(conn, workspace_id, &line.sku, line.quantity).await? {
            for line in &lines[..taken] {
                shop::give_back_stock(conn, workspace_id, &line.sku, line.quantity).await?;
            }
            let left = shop::item(conn, workspace_id, &line.sku)
                .await?
                .and_then(|i| i.stock)
                .unwrap_or(0);
            return Err(ApiError::OutOfStock(format!(
                "SKU '{}' has {left} pieces left, {} ordered",
                line.sku, line.quantity
            )));
        }
    }
    let total = Money {
        currency: lines[0].currency.clone(),
        amount: lines.iter().map(|l| l.total).sum(),
    };
    let now = clock::now_rfc3339();
    let new = shop::NewOrder {
        subscriber_id: placing.subscriber_id,
        buyer: placing.buyer,
        lines: &lines,
        total: &total,
        idempotency: placing.idempotency,
        now: &now,
    };
    let id = shop::create_order(conn, workspace_id, &new).await?;
    if let (true, Some(subscriber_id)) = (placing.from_cart, placing.subscriber_id) {
        shop::remove_cart_lines(conn, workspace_id, subscriber_id, None).await?;
    }
    let order = order_in(conn, workspace_id, id).await?;
    let notify = emit(conn, workspace_id, ORDER_CREATED, &order).await?;
    Ok((order, notify))
}

/// Order `id` of the workspace; 404 when it has none.
async fn order_in(conn: &mut db::Connection, workspace_id: i64, id: i64) -> ApiResult<Order> {
    shop::find_order(conn, workspace_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no order {id}")))
}

/// Get an order
///
/// One order of the workspace.
#[utoipa::path(
    get,
    path = "/api/v1/orders/{order_id}",
    tag = "management",
    params(("order_id" = i64, Path, description = "Order id")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_order(
    State(state): State<AppState>,
    key: ApiKey,
    Path(order_id): Path<String>,
) -> ApiResult<Json<Order>> {
    let id = routes::int_id(&order_id)?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(order_in(&mut conn, key.workspace_id, id).await?))
}

/// Change an order's status
///
/// Moves an order along `pending → paid → fulfilled`, to `cancelled` (from `pending` or
/// `paid`) or to `refunded` (from `paid` or `fulfilled`), both of which give the order's
/// pieces back to the stock of their SKUs (when still there and counted); any
/// other change is a 409 `invalid_transition`. `paid` and `cancelled` run their
/// automations (`order.paid`, `order.cancelled`).
#[utoipa::path(
    post,
    path = "/api/v1/orders/{order_id}/status",
    tag = "management",
    params(("order_id" = i64, Path, description = "Order id")),
    request_body = StatusChange,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The order in its new status", body = Order),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::InvalidTransition),
    )
)]
async fn change_order_status(
    State(state): State<AppState>,
    key: ApiKey,
    Path(order_id): Path<String>,
    Json(body): Json<StatusChange>,
) -> ApiResult<Json<Order>> {
    let workspace_id = key.workspace_id;
    let id = routes::int_id(&order_id)?;
    let mut tx = db::begin_write(&state.db).await?;
    let order = order_in(&mut tx, workspace_id, id).await?;
    let (from, to) = (order.status, body.status);
    if !from.can_become(to) {
        return Err(ApiError::InvalidTransition(format!(
            "order {id} cannot go from {} to {}",
            from.as_str(),
            to.as_str()
        )));
    }
    shop::set_order_status(&mut tx, workspace_id, id, from, to, &clock::now_rfc3339()).await?;
    if matches!(to, OrderStatus::Cancelled | OrderStatus::Refunded) {
        for line in &order.lines {
            shop::give_back_stock(&mut tx, workspace_id, &line.sku, line.quantity).await?;
        }
    }
    let order = order_in(&mut tx, workspace_id, id).await?;
    let event = match to {
        OrderStatus::Paid => Some(ORDER_PAID),
        OrderStatus::Cancelled => Some(ORDER_CANCELLED),
        _ => None,
    };
    let notify = match event {
        Some(event) => emit(&mut tx, workspace_id, event, &order).await?,
        None => false,
    };
    tx.commit().await?;
    if notify {
        state.outbox.notify_one();
    }
    Ok(Json(order))
}
