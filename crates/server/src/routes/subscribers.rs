//! Management API: subscribers of the key's workspace, their tags and custom fields.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/v1/subscribers?limit=&cursor=&tag=&field=&value=&email=&phone=&name=&channel=&created_from=&created_to=&last_seen_from=&last_seen_to=` | → `Page<Subscriber>` |
//! | GET | `/api/v1/subscribers/find?field=&value=&limit=&cursor=` | → `Page<Subscriber>` |
//! | POST | `/api/v1/subscribers` | `CreateSubscriber` → [`Subscriber`], 201 |
//! | POST | `/api/v1/subscribers/batch` | `CreateSubscribers` → `CreatedSubscribers`, 201 |
//! | GET | `/api/v1/subscribers/{subscriber_id}` | → [`Subscriber`] |
//! | PATCH | `/api/v1/subscribers/{subscriber_id}` | `UpdateSubscriber` → [`Subscriber`] |
//! | DELETE | `/api/v1/subscribers/{subscriber_id}` | 204, with its sessions and conversations |
//! | GET | `/api/v1/subscribers/{subscriber_id}/export` | → `SubscriberExport` ([`privacy`]) |
//! | POST | `/api/v1/subscribers/{subscriber_id}/erase` | 204, with everything they sent ([`privacy`]) |
//! | POST | `/api/v1/subscribers/{subscriber_id}/tags` | [`SubscriberTags`] → [`Subscriber`] (add) |
//! | DELETE | `/api/v1/subscribers/{subscriber_id}/tags` | [`SubscriberTags`] → [`Subscriber`] (remove) |
//! | PATCH | `/api/v1/subscribers/{subscriber_id}/fields` | [`SetFields`] → [`Subscriber`] (set / clear) |
//!
//! Changes of one request are applied together or not at all: 422 lists every invalid
//! value and every unknown tag or field with its JSON pointer; 404 answers an unknown
//! subscriber, or one of another workspace. A `{subscriber_id}` that is not of
//! the subscriber id format is a 400 `invalid_id` on every route ([`subscriber_id`]).

pub(crate) mod changes;
mod privacy;
pub mod profile;

use crate::auth::ApiKey;
use crate::clock;
use crate::db::{self, custom_fields, erasure, subscribers};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::field_values;
use crate::openapi as doc;
use crate::routes;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use changes::Changes;
use parlo_model::page::Page;
use parlo_model::subscriber::{Subscriber, is_valid_subscriber_id};
use parlo_model::tag::{IdOrName, MAX_BATCH, SetFields, SubscriberTags};
use parlo_model::validate::{MemberRule, items};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_subscribers, profile::create_subscriber))
        .routes(routes!(profile::create_subscribers))
        .routes(routes!(find_subscribers))
        .routes(routes!(
            get_subscriber,
            profile::update_subscriber,
            delete_subscriber
        ))
        .routes(routes!(add_subscriber_tags, remove_subscriber_tags))
        .routes(routes!(set_subscriber_fields))
        .routes(routes!(privacy::export_subscriber))
        .routes(routes!(privacy::erase_subscriber))
}

/// The subscriber id of a path, checked: `sub_` + 20 base62 characters; 400 `invalid_id`
/// otherwise (before any lookup, so a malformed id is never a 404).
pub fn subscriber_id(id: &str) -> ApiResult<&str> {
    if is_valid_subscriber_id(id) {
        Ok(id)
    } else {
        Err(ApiError::InvalidId(format!(
            "'{id}' is not a subscriber id (sub_ and 20 letters or digits)"
        )))
    }
}

/// Filters and page of `GET /api/v1/subscribers`; every filter given must match.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListSubscribers {
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`.
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Has the tag of this name.
    tag: Option<String>,
    /// With `value`: has this custom field (by name) set to `value` (checked and compared
    /// in the field's canonical form, e.g. `2026-11-21T09:30:00.000Z` for a datetime).
    field: Option<String>,
    /// The value of `field`.
    value: Option<String>,
    /// Field `email` equals this, ignoring ASCII case.
    email: Option<String>,
    /// Field `phone` equals this.
    phone: Option<String>,
    /// Field `name`, `first_name` or `last_name` contains this, ignoring ASCII case.
    name: Option<String>,
    /// First came through this channel id.
    channel: Option<String>,
    /// A search, as the console's box: the subscriber id or the external id (of a verified
    /// identity) equals this, or field `name`, `first_name`, `last_name` or `email` contains
    /// it, ignoring ASCII case; blank is no filter.
    q: Option<String>,
    /// Created at or after this RFC 3339 date-time.
    created_from: Option<String>,
    /// Created at or before this RFC 3339 date-time.
    created_to: Option<String>,
    /// Last seen at or after this RFC 3339 date-time.
    last_seen_from: Option<String>,
    /// Last seen at or before this RFC 3339 date-time.
    last_seen_to: Option<String>,
}

/// The cursor of a subscriber page: base64url of `created_at` and id.
fn cursor_of(subscriber: &Subscriber) -> String {
    URL_SAFE_NO_PAD.encode(format!("{},{}", subscriber.created_at, subscriber.id))
}

/// The `(created_at, id)` of a cursor; 400 `invalid_cursor` for one not issued here.
fn parse_cursor(cursor: &str) -> ApiResult<(String, String)> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|s| s.split_once(',').map(|(at, id)| (at.to_owned(), id.to_owned())))
        .ok_or_else(|| ApiError::InvalidCursor(format!("unknown cursor '{cursor}'")))
}

/// List or find subscribers
///
/// Lists the workspace's subscribers matching every filter given, oldest first
/// (`created_at`, then id). Finding a subscriber by a field value is `field` + `value`.
#[utoipa::path(
    get,
    path = "/api/v1/subscribers",
    tag = "management",
    params(ListSubscribers),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Matching subscribers, oldest first", body = Page<Subscriber>),
    )
)]
async fn list_subscribers(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<ListSubscribers>,
) -> ApiResult<Json<Page<Subscriber>>> {
    search(&state, key, query).await.map(Json)
}

/// The page of subscribers matching `query`.
async fn search(state: &AppState, key: ApiKey, query: ListSubscribers) -> ApiResult<Page<Subscriber>> {
    let limit = routes::check_limit(query.limit)?;
    let after = query.cursor.as_deref().map(parse_cursor).transpose()?;
    let created = routes::date_range(
        ["created_from", "created_to"],
        query.created_from.as_deref(),
        query.created_to.as_deref(),
    )?;
    let last_seen = routes::date_range(
        ["last_seen_from", "last_seen_to"],
        query.last_seen_from.as_deref(),
        query.last_seen_to.as_deref(),
    )?;
    let mut conn = state.db.acquire().await?;
    let field = match (&query.field, &query.value) {
        (None, None) => None,
        (Some(name), Some(value)) => {
            let field = custom_fields::find(&mut conn, key.workspace_id, &IdOrName::Name(name.clone()))
                .await?
                .ok_or_else(|| ApiError::BadRequest(format!("no custom field '{name}'")))?;
            let value = field_values::canonical(field.field_type, &serde_json::Value::String(value.clone()))
                .map_err(|e| ApiError::BadRequest(format!("value of field '{name}': {e}")))?;
            Some((field.id, value))
        }
        _ => return Err(ApiError::BadRequest("give field and value together".to_owned())),
    };
    let filter = subscribers::Filter {
        tag: query.tag,
        field,
        email: query.email,
        phone: query.phone,
        name: query.name,
        channel: query.channel,
        q: query.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()),
        created,
        last_seen,
    };
    let ids = subscribers::search(&mut conn, key.workspace_id, &filter, after.as_ref(), limit + 1).await?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(find(&mut conn, key, &id).await?);
    }
    Ok(routes::page(items, limit, cursor_of))
}

/// Query of `GET /api/v1/subscribers/find`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FindSubscribers {
    /// Name of a custom field, e.g. `email`, `phone` or `customer_id`.
    field: String,
    /// The value to find, compared in the field's canonical form (`email`: ignoring case).
    value: String,
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`.
    limit: Option<u32>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Find subscribers by a field value
///
/// Finds the subscribers whose custom field `field` holds `value` (UChat's "get
/// subscribers by custom field", Floatchat's "users by attribute"), oldest first. An
/// e-mail is unique among subscribers created or changed through this API, so
/// `field=email` finds one. 400 `bad_request` for an unknown field or a value the field's
/// type refuses.
#[utoipa::path(
    get,
    path = "/api/v1/subscribers/find",
    tag = "management",
    params(FindSubscribers),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Matching subscribers, oldest first", body = Page<Subscriber>),
    )
)]
async fn find_subscribers(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<FindSubscribers>,
) -> ApiResult<Json<Page<Subscriber>>> {
    let mut list = ListSubscribers {
        limit: query.limit,
        cursor: query.cursor,
        ..ListSubscribers::default()
    };
    if query.field == "email" {
        list.email = Some(query.value);
    } else {
        list.field = Some(query.field);
        list.value = Some(query.value);
    }
    search(&state, key, list).await.map(Json)
}

/// Delete a subscriber
///
/// Deletes a subscriber with its sessions (they stop working; open event streams end),
/// conversations and messages; their leads stay, without a subscriber (`POST …/erase`
/// deletes those too). 404 when not of the key's workspace.
#[utoipa::path(
    delete,
    path = "/api/v1/subscribers/{subscriber_id}",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = doc::NotFound),
    )
)]
async fn delete_subscriber(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
) -> ApiResult<StatusCode> {
    let subscriber_id = self::subscriber_id(&subscriber_id)?;
    let mut tx = db::begin_write(&state.db).await?;
    let conversations = erasure::conversations_of(&mut tx, key.workspace_id, subscriber_id).await?;
    if !subscribers::delete(&mut tx, key.workspace_id, subscriber_id).await? {
        return Err(ApiError::NotFound(format!("no subscriber '{subscriber_id}'")));
    }
    tx.commit().await?;
    let ids: Vec<i64> = conversations.iter().map(|c| c.id).collect();
    state.hub.close(&ids);
    Ok(StatusCode::NO_CONTENT)
}

/// Get a subscriber
///
/// The subscriber with its fields and tags; 404 when not of the key's workspace.
#[utoipa::path(
    get,
    path = "/api/v1/subscribers/{subscriber_id}",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id, e.g. `sub_4ZyT0rW8qk2mB1xLcV9d`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The subscriber with its fields and tags", body = Subscriber),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_subscriber(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
) -> ApiResult<Json<Subscriber>> {
    let subscriber_id = self::subscriber_id(&subscriber_id)?;
    let mut conn = state.db.acquire().await?;
    find(&mut conn, key, subscriber_id).await.map(Json)
}

/// The subscriber `id` of the key's workspace; 404 when there is none.
async fn find(conn: &mut db::Connection, key: ApiKey, id: &str) -> ApiResult<Subscriber> {
    subscribers::find(conn, key.workspace_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no subscriber '{id}'")))
}

/// What [`check_batch`] checks (the bot fields' values too), for the API document.
pub const SCHEMA_RULES: [MemberRule; 2] = [
    ("SubscriberTags", "tags", items(1, MAX_BATCH)),
    ("SetFields", "fields", items(1, MAX_BATCH)),
];

/// 422 at `pointer` unless `len` is 1..=[`MAX_BATCH`].
fn check_batch(pointer: &str, len: usize) -> ApiResult<()> {
    if (1..=MAX_BATCH).contains(&len) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            pointer,
            format!("must list 1..={MAX_BATCH} items"),
        ))
    }
}

/// Adds (`add`) or removes the tags of `body` to/from the subscriber, in one transaction.
async fn change_tags(
    state: &AppState,
    key: ApiKey,
    subscriber_id: &str,
    body: &SubscriberTags,
    add: bool,
) -> ApiResult<Subscriber> {
    let subscriber_id = self::subscriber_id(subscriber_id)?;
    check_batch("/tags", body.tags.len())?;
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(&state.db).await?;
    let mut changes = Changes::default();
    changes
        .tags(&mut tx, key.workspace_id, "/tags", &body.tags, add, &now)
        .await?;
    if !changes.errors.is_empty() {
        return Err(ApiError::Validation(changes.errors));
    }
    find(&mut tx, key, subscriber_id).await?;
    changes.unknown_as_errors();
    if !changes.errors.is_empty() {
        return Err(ApiError::Validation(changes.errors));
    }
    changes.apply(&mut tx, subscriber_id, add, &now).await?;
    let subscriber = find(&mut tx, key, subscriber_id).await?;
    tx.commit().await?;
    Ok(subscriber)
}

/// Add tags to a subscriber
///
/// Adds 1..=100 tags (by id, or by name, creating missing ones) to the subscriber.
#[utoipa::path(
    post,
    path = "/api/v1/subscribers/{subscriber_id}/tags",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    request_body = SubscriberTags,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The subscriber with its tags", body = Subscriber),
        (status = 404, response = doc::NotFound),
    )
)]
async fn add_subscriber_tags(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
    Json(body): Json<SubscriberTags>,
) -> ApiResult<Json<Subscriber>> {
    change_tags(&state, key, &subscriber_id, &body, true)
        .await
        .map(Json)
}

/// Remove tags from a subscriber
///
/// Removes 1..=100 tags (by id or name; all must exist) from the subscriber.
#[utoipa::path(
    delete,
    path = "/api/v1/subscribers/{subscriber_id}/tags",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    request_body = SubscriberTags,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The subscriber with its tags", body = Subscriber),
        (status = 404, response = doc::NotFound),
    )
)]
async fn remove_subscriber_tags(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
    Json(body): Json<SubscriberTags>,
) -> ApiResult<Json<Subscriber>> {
    change_tags(&state, key, &subscriber_id, &body, false)
        .await
        .map(Json)
}

/// Set or clear custom fields of a subscriber
///
/// Sets (or clears, with `null`) 1..=100 custom field values of the subscriber; each value
/// is checked against its field's type ([`field_values`]).
#[utoipa::path(
    patch,
    path = "/api/v1/subscribers/{subscriber_id}/fields",
    tag = "management",
    params(("subscriber_id" = String, Path, description = "Subscriber id")),
    request_body = SetFields,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The subscriber with its fields", body = Subscriber),
        (status = 404, response = doc::NotFound),
    )
)]
async fn set_subscriber_fields(
    State(state): State<AppState>,
    key: ApiKey,
    Path(subscriber_id): Path<String>,
    Json(body): Json<SetFields>,
) -> ApiResult<Json<Subscriber>> {
    let subscriber_id = self::subscriber_id(&subscriber_id)?;
    check_batch("/fields", body.fields.len())?;
    let now = clock::now_rfc3339();
    let mut tx = db::begin_write(&state.db).await?;
    find(&mut tx, key, subscriber_id).await?;
    let mut changes = Changes::default();
    changes
        .fields(&mut tx, key.workspace_id, "/fields", &body.fields)
        .await?;
    changes.unknown_as_errors();
    if !changes.errors.is_empty() {
        return Err(ApiError::Validation(changes.errors));
    }
    changes.apply(&mut tx, subscriber_id, true, &now).await?;
    let subscriber = find(&mut tx, key, subscriber_id).await?;
    tx.commit().await?;
    Ok(Json(subscriber))
}
