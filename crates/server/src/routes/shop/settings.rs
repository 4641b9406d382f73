//! Management API: the shop's settings, the automations of order events (see
//! [`parlo_model::shop::ShopSettings`]). Webhook endpoints and flows they name must be the
//! workspace's (422 at their pointer otherwise).

use crate::auth::ApiKey;
use crate::db::{self, shop};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::forms::automation_references;
use crate::state::AppState;
use axum::extract::State;
use parlo_model::shop::ShopSettings;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_shop_settings, replace_shop_settings))
}

/// Get the shop settings
///
/// The automations run on `order.created`, `order.paid` and `order.cancelled`.
#[utoipa::path(
    get,
    path = "/api/v1/shop/settings",
    tag = "management",
    security(("api_key" = []), ("api_key_basic" = [])),
    responses((status = 200, description = "The settings", body = ShopSettings))
)]
async fn get_shop_settings(State(state): State<AppState>, key: ApiKey) -> ApiResult<Json<ShopSettings>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(shop::settings(&mut conn, key.workspace_id).await?))
}

/// Replace the shop settings
///
/// Replaces the automations of the order events.
#[utoipa::path(
    put,
    path = "/api/v1/shop/settings",
    tag = "management",
    request_body = ShopSettings,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses((status = 200, description = "The stored settings", body = ShopSettings))
)]
async fn replace_shop_settings(
    State(state): State<AppState>,
    key: ApiKey,
    Json(settings): Json<ShopSettings>,
) -> ApiResult<Json<ShopSettings>> {
    let mut tx = db::begin_write(&state.db).await?;
    let mut errors = settings.validate();
    for (member, list) in [
        ("order_created", &settings.order_created),
        ("order_paid", &settings.order_paid),
        ("order_cancelled", &settings.order_cancelled),
    ] {
        for mut error in automation_references(&mut tx, key.workspace_id, list).await? {
            error.pointer = error.pointer.replacen("/automations", &format!("/{member}"), 1);
            errors.push(error);
        }
    }
    ApiError::unless_any(errors)?;
    shop::put_settings(&mut tx, key.workspace_id, &settings).await?;
    tx.commit().await?;
    Ok(Json(settings))
}
