//! Management API: products and their variants (see [`parlo_model::shop`]).
//!
//! A product's SKUs (its own and its variants') must be free in the workspace: 422 at the
//! SKU's pointer otherwise. Replacing a product replaces its variants and sets their stock
//! to the numbers sent.

use crate::auth::ApiKey;
use crate::clock;
use crate::db::{self, shop};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes::{self, IntListQuery, shop::product_in};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::page::Page;
use parlo_model::problem::FieldError;
use parlo_model::shop::{Product, ProductSettings};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_products, create_product))
        .routes(routes!(get_product, replace_product, delete_product))
}

/// 422 with every problem of `settings`: its own, and SKUs another product of the
/// workspace uses (`except` is the product being replaced).
async fn check(
    conn: &mut db::Connection,
    workspace_id: i64,
    settings: &ProductSettings,
    except: Option<i64>,
) -> ApiResult<()> {
    let mut errors = settings.validate();
    if errors.is_empty() {
        let skus: Vec<&str> = std::iter::once(settings.sku.as_str())
            .chain(settings.variants.iter().map(|v| v.sku.as_str()))
            .collect();
        let taken = shop::taken_skus(conn, workspace_id, &skus, except).await?;
        for sku in taken {
            let pointer = if sku == settings.sku {
                "/sku".to_owned()
            } else {
                let i = settings
                    .variants
                    .iter()
                    .position(|v| v.sku == sku)
                    .unwrap_or_default();
                format!("/variants/{i}/sku")
            };
            errors.push(FieldError::new(
                pointer,
                format!("SKU '{sku}' is used by another product"),
            ));
        }
    }
    ApiError::unless_any(errors)
}

/// The settings as stored: the name trimmed.
fn stored(mut settings: ProductSettings) -> ProductSettings {
    settings.name = settings.name.trim().to_owned();
    settings
}

/// List products
///
/// Lists the workspace's products in id order.
#[utoipa::path(
    get,
    path = "/api/v1/products",
    tag = "management",
    params(IntListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses((status = 200, description = "Products in id order", body = Page<Product>))
)]
async fn list_products(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<Product>>> {
    let (limit, after) = query.checked()?;
    let mut conn = state.db.acquire().await?;
    let rows = shop::products(&mut conn, key.workspace_id, after, limit + 1).await?;
    Ok(Json(routes::page(rows, limit, |p| p.id.to_string())))
}

/// Create a product
///
/// Adds a product with its variants; its SKUs must be free in the workspace.
#[utoipa::path(
    post,
    path = "/api/v1/products",
    tag = "management",
    request_body = ProductSettings,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses((status = 201, description = "Created", body = Product))
)]
async fn create_product(
    State(state): State<AppState>,
    key: ApiKey,
    Json(settings): Json<ProductSettings>,
) -> ApiResult<(StatusCode, Json<Product>)> {
    let mut tx = db::begin_write(&state.db).await?;
    check(&mut tx, key.workspace_id, &settings, None).await?;
    let id = shop::create_product(
        &mut tx,
        key.workspace_id,
        &stored(settings),
        &clock::now_rfc3339(),
    )
    .await?;
    let product = product_in(&mut tx, key.workspace_id, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(product)))
}

/// Get a product
///
/// One product of the workspace with its variants and their stock now.
#[utoipa::path(
    get,
    path = "/api/v1/products/{product_id}",
    tag = "management",
    params(("product_id" = i64, Path, description = "Product id")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The product", body = Product),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_product(
    State(state): State<AppState>,
    key: ApiKey,
    Path(product_id): Path<String>,
) -> ApiResult<Json<Product>> {
    let id = routes::int_id(&product_id)?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(product_in(&mut conn, key.workspace_id, id).await?))
}

/// Replace a product
///
/// Replaces a product's settings, variants and stock.
#[utoipa::path(
    put,
    path = "/api/v1/products/{product_id}",
    tag = "management",
    params(("product_id" = i64, Path, description = "Product id")),
    request_body = ProductSettings,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The stored product", body = Product),
        (status = 404, response = doc::NotFound),
    )
)]
async fn replace_product(
    State(state): State<AppState>,
    key: ApiKey,
    Path(product_id): Path<String>,
    Json(settings): Json<ProductSettings>,
) -> ApiResult<Json<Product>> {
    let id = routes::int_id(&product_id)?;
    let mut tx = db::begin_write(&state.db).await?;
    product_in(&mut tx, key.workspace_id, id).await?;
    check(&mut tx, key.workspace_id, &settings, Some(id)).await?;
    shop::replace_product(
        &mut tx,
        key.workspace_id,
        id,
        &stored(settings),
        &clock::now_rfc3339(),
    )
    .await?;
    let product = product_in(&mut tx, key.workspace_id, id).await?;
    tx.commit().await?;
    Ok(Json(product))
}

/// Delete a product
///
/// Deletes a product and its variants; cart lines of them go too, orders keep their copy.
#[utoipa::path(
    delete,
    path = "/api/v1/products/{product_id}",
    tag = "management",
    params(("product_id" = i64, Path, description = "Product id")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = doc::NotFound),
    )
)]
async fn delete_product(
    State(state): State<AppState>,
    key: ApiKey,
    Path(product_id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = routes::int_id(&product_id)?;
    let mut tx = db::begin_write(&state.db).await?;
    if !shop::delete_product(&mut tx, key.workspace_id, id).await? {
        return Err(ApiError::NotFound(format!("no product {id}")));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
