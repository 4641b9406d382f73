//! Management API: the workspace's webhook endpoints (see [`parlo_model::webhook`]).
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/webhook-endpoints?limit=&cursor=` | `Page<WebhookEndpoint>` in id order |
//! | POST | `/api/v1/webhook-endpoints` | [`WebhookEndpointWithSecret`], 201 (the secret is shown only here) |
//! | GET | `/api/v1/webhook-endpoints/{endpoint_id}` | [`WebhookEndpoint`] |
//! | DELETE | `/api/v1/webhook-endpoints/{endpoint_id}` | 204; its pending deliveries end `dead` |
//! | POST | `/api/v1/webhook-endpoints/{endpoint_id}/rotate-secret` | [`WebhookEndpointWithSecret`] with a new secret |
//!
//! Deliveries to an endpoint are listed with `GET /api/v1/deliveries?endpoint_id=`
//! ([`super::deliveries`]).

use crate::auth::ApiKey;
use crate::clock;
use crate::db::{self, flows, webhook_endpoints};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::outbox::signature::{SECRET_PATTERN, Secret};
use crate::outbox::target;
use crate::routes::{self, IntListQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::flow::Needed;
use parlo_model::page::Page;
use parlo_model::problem::FieldError;
use parlo_model::validate::{MemberRule, NO_CONTROL_PATTERN, Rule, URL};
use parlo_model::webhook::{CreateWebhookEndpoint, WebhookEndpoint, WebhookEndpointWithSecret};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Longest endpoint description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 1000;

/// What [`create_webhook_endpoint`] checks of its body, for the API document.
pub const SCHEMA_RULES: [MemberRule; 3] = [
    ("CreateWebhookEndpoint", "url", URL),
    ("CreateWebhookEndpoint", "secret", Rule::Pattern(SECRET_PATTERN)),
    (
        "CreateWebhookEndpoint",
        "description",
        Rule::Text {
            min: 0,
            max: MAX_DESCRIPTION_CHARS,
            pattern: NO_CONTROL_PATTERN,
        },
    ),
];

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhook_endpoints, create_webhook_endpoint))
        .routes(routes!(get_webhook_endpoint, delete_webhook_endpoint))
        .routes(routes!(rotate_webhook_endpoint_secret))
}

/// List webhook endpoints
///
/// Lists the workspace's webhook endpoints in id order (without their secrets).
#[utoipa::path(
    get,
    path = "/api/v1/webhook-endpoints",
    tag = "management",
    params(IntListQuery),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Endpoints in id order", body = Page<WebhookEndpoint>),
    )
)]
async fn list_webhook_endpoints(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<IntListQuery>,
) -> ApiResult<Json<Page<WebhookEndpoint>>> {
    let (limit, after) = query.checked()?;
    let mut conn = state.db.acquire().await?;
    let items = webhook_endpoints::page(&mut conn, key.workspace_id, after, limit + 1).await?;
    Ok(Json(routes::page(items, limit, |e| e.id.to_string())))
}

/// Create a webhook endpoint
///
/// Creates a webhook endpoint; answers it with its signing secret, shown only now.
#[utoipa::path(
    post,
    path = "/api/v1/webhook-endpoints",
    tag = "management",
    request_body = CreateWebhookEndpoint,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created; `secret` is shown only now", body = WebhookEndpointWithSecret),
    )
)]
async fn create_webhook_endpoint(
    State(state): State<AppState>,
    key: ApiKey,
    Json(body): Json<CreateWebhookEndpoint>,
) -> ApiResult<(StatusCode, Json<WebhookEndpointWithSecret>)> {
    let mut errors = Vec::new();
    let url = target::check_url(&body.url, state.allow_private_webhooks)
        .map_err(|problem| errors.push(FieldError::new("/url", problem)))
        .ok();
    let description = body.description.trim();
    if body.description.chars().count() > MAX_DESCRIPTION_CHARS
        || body.description.chars().any(char::is_control)
    {
        errors.push(FieldError::new(
            "/description",
            format!("must be at most {MAX_DESCRIPTION_CHARS} characters without control characters"),
        ));
    }
    let secret = match body.secret.as_deref() {
        None => Some(Secret::generate()),
        Some(text) => Secret::parse(text)
            .map_err(|problem| errors.push(FieldError::new("/secret", problem)))
            .ok(),
    };
    let (Some(url), Some(secret)) = (url, secret) else {
        return Err(ApiError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let secret = secret.expose();
    let mut conn = state.db.acquire().await?;
    let endpoint = webhook_endpoints::create(
        &mut conn,
        key.workspace_id,
        url.as_str(),
        description,
        &secret,
        &clock::now_rfc3339(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(WebhookEndpointWithSecret { endpoint, secret }),
    ))
}

/// Endpoint `endpoint_id` (a path segment) of the workspace; 400/404 otherwise.
async fn find(state: &AppState, key: &ApiKey, endpoint_id: &str) -> ApiResult<WebhookEndpoint> {
    let id = routes::int_id(endpoint_id)?;
    let mut conn = state.db.acquire().await?;
    webhook_endpoints::find(&mut conn, key.workspace_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no webhook endpoint {id}")))
}

/// Get a webhook endpoint
///
/// One webhook endpoint (without its secret).
#[utoipa::path(
    get,
    path = "/api/v1/webhook-endpoints/{endpoint_id}",
    tag = "management",
    params(("endpoint_id" = i64, Path, description = "Id of the endpoint")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The endpoint", body = WebhookEndpoint),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_webhook_endpoint(
    State(state): State<AppState>,
    key: ApiKey,
    Path(endpoint_id): Path<String>,
) -> ApiResult<Json<WebhookEndpoint>> {
    find(&state, &key, &endpoint_id).await.map(Json)
}

/// Delete a webhook endpoint
///
/// Deletes a webhook endpoint. Its deliveries stay listed; pending ones end `dead`. 409
/// `conflict` while a flow's `webhook` or `hand_over` step calls it.
#[utoipa::path(
    delete,
    path = "/api/v1/webhook-endpoints/{endpoint_id}",
    tag = "management",
    params(("endpoint_id" = i64, Path, description = "Id of the endpoint")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn delete_webhook_endpoint(
    State(state): State<AppState>,
    key: ApiKey,
    Path(endpoint_id): Path<String>,
) -> ApiResult<StatusCode> {
    let endpoint = find(&state, &key, &endpoint_id).await?;
    let mut tx = db::begin_write(&state.db).await?;
    let what = format!("webhook endpoint {}", endpoint.id);
    flows::refuse_if_read(&mut tx, key.workspace_id, Needed::Endpoint(endpoint.id), &what).await?;
    webhook_endpoints::delete(&mut tx, key.workspace_id, endpoint.id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rotate a webhook endpoint's secret
///
/// Replaces the endpoint's signing secret with a new random one, shown only now. Later
/// attempts (also retries of earlier events) are signed with it.
#[utoipa::path(
    post,
    path = "/api/v1/webhook-endpoints/{endpoint_id}/rotate-secret",
    tag = "management",
    params(("endpoint_id" = i64, Path, description = "Id of the endpoint")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The endpoint with its new secret", body = WebhookEndpointWithSecret),
        (status = 404, response = doc::NotFound),
    )
)]
async fn rotate_webhook_endpoint_secret(
    State(state): State<AppState>,
    key: ApiKey,
    Path(endpoint_id): Path<String>,
) -> ApiResult<Json<WebhookEndpointWithSecret>> {
    let endpoint = find(&state, &key, &endpoint_id).await?;
    let secret = Secret::generate().expose();
    let mut conn = state.db.acquire().await?;
    if !webhook_endpoints::set_secret(&mut conn, key.workspace_id, endpoint.id, &secret).await? {
        return Err(ApiError::NotFound(format!("no webhook endpoint {}", endpoint.id)));
    }
    Ok(Json(WebhookEndpointWithSecret { endpoint, secret }))
}
