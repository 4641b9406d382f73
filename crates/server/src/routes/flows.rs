//! Management API: flow documents of the key's workspace.
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/api/v1/flows?folder=&limit=&cursor=` | `Page<Flow>` in id order (of one folder with `folder`) |
//! | POST | `/api/v1/flows` | `Flow`, 201; 409 when the id is taken |
//! | GET | `/api/v1/flows/{flow_id}` | `Flow` |
//! | PUT | `/api/v1/flows/{flow_id}` | `Flow` (201 created, 200 replaced) |
//! | DELETE | `/api/v1/flows/{flow_id}` | 204; 409 while a channel or another flow starts it |
//! | GET | `/api/v1/flow-folders?parent=&limit=&cursor=` | `Page<FlowFolder>` in path order |
//!
//! Folders are paths like `sales/quotes` in a flow's `folder` (Botcake files flows in
//! folders the same way); a folder exists while a flow is filed in it or below it.

use crate::auth::ApiKey;
use crate::clock;
use crate::db::{self, channels, custom_fields, flows, tags, webhook_endpoints};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::openapi as doc;
use crate::routes;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use parlo_model::flow::{Flow, FlowFolder, Needed, check_flow_refs, is_valid_folder, is_valid_id};
use parlo_model::page::Page;
use parlo_model::problem::FieldError;
use parlo_model::tag::IdOrName;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_flows, create_flow))
        .routes(routes!(get_flow, put_flow, delete_flow))
        .routes(routes!(list_flow_folders))
}

/// The flow id of a path, checked: 1..=64 of `[a-z0-9_-]`; 400 `invalid_id` otherwise
/// (before any lookup, so a malformed id is never a 404).
pub fn flow_id(id: &str) -> ApiResult<&str> {
    if is_valid_id(id) {
        Ok(id)
    } else {
        Err(ApiError::InvalidId(format!(
            "'{id}' is not a flow id (1..=64 of a-z, 0-9, _ and -)"
        )))
    }
}

/// Page and folder of `GET /api/v1/flows`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListFlows {
    /// Only the flows filed directly in this folder path, e.g. `sales/quotes`; empty for
    /// the flows at the top level; absent for every flow.
    folder: Option<String>,
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`.
    limit: Option<u32>,
    /// `next_cursor` of the previous page (the last flow id).
    cursor: Option<String>,
}

/// The folder filter of a query: `None` absent, top level when empty; 400 `bad_request`
/// for a malformed path.
fn folder_query(folder: Option<&str>) -> ApiResult<flows::InFolder<'_>> {
    match folder {
        None => Ok(flows::InFolder::Any),
        Some("") => Ok(flows::InFolder::Top),
        Some(path) if is_valid_folder(path) => Ok(flows::InFolder::Path(path)),
        Some(path) => Err(ApiError::BadRequest(format!(
            "'{path}' is not a folder path (names of a-z, 0-9, _ and - joined by /)"
        ))),
    }
}

/// List flows
///
/// Lists the workspace's flows in id order.
#[utoipa::path(
    get,
    path = "/api/v1/flows",
    tag = "management",
    params(ListFlows),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Flows in id order; the cursor is the last flow id", body = Page<Flow>),
    )
)]
async fn list_flows(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<ListFlows>,
) -> ApiResult<Json<Page<Flow>>> {
    let limit = routes::check_limit(query.limit)?;
    let in_folder = folder_query(query.folder.as_deref())?;
    // The cursor is the id of the last flow of the previous page.
    let after = query.cursor.unwrap_or_default();
    let mut conn = state.db.acquire().await?;
    let items = flows::page(&mut conn, key.workspace_id, in_folder, &after, limit + 1).await?;
    Ok(Json(routes::page(items, limit, |f| f.id.to_string())))
}

/// Get a flow
///
/// One flow; 404 when the workspace has no flow with this id.
#[utoipa::path(
    get,
    path = "/api/v1/flows/{flow_id}",
    tag = "management",
    params(("flow_id" = String, Path, description = "Flow id, unique in the workspace, e.g. `welcome`")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "The flow document", body = Flow),
        (status = 404, response = doc::NotFound),
    )
)]
async fn get_flow(
    State(state): State<AppState>,
    key: ApiKey,
    Path(flow_id): Path<String>,
) -> ApiResult<Json<Flow>> {
    let mut conn = state.db.acquire().await?;
    flows::find(&mut conn, key.workspace_id, &flow_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no flow '{flow_id}'")))
}

/// Checks `flow` for storing (its rules, its `id` against `path_id`, that every flow it
/// references exists in the workspace or is itself, and that every tag, custom field and
/// channel its conditions and `clear_field` steps read exists in the workspace); 422
/// listing every problem.
async fn check(
    conn: &mut db::Connection,
    workspace_id: i64,
    flow: &Flow,
    path_id: Option<&str>,
) -> ApiResult<()> {
    let mut errors = flow.validate();
    if let Some(path_id) = path_id
        && flow.id.as_str() != path_id
    {
        errors.push(FieldError::new(
            "/id",
            format!("must equal the flow id of the URL, '{path_id}'"),
        ));
    }
    let known = flows::ids(conn, workspace_id).await?;
    errors.extend(check_flow_refs(flow, |f| {
        f == &flow.id || known.iter().any(|k| k == f.as_str())
    }));
    errors.extend(missing_records(conn, workspace_id, flow.needed_records()).await?);
    ApiError::unless_any(errors)
}

/// A problem at its pointer for each record of `needed` (tags, custom fields and channels
/// that flow conditions read) the workspace does not have.
pub(crate) async fn missing_records(
    conn: &mut db::Connection,
    workspace_id: i64,
    needed: Vec<(String, Needed<'_>)>,
) -> ApiResult<Vec<FieldError>> {
    let mut errors = Vec::new();
    for (pointer, needed) in needed {
        let missing = match needed {
            Needed::Tag(tag) => tags::find(conn, workspace_id, &IdOrName::Name(tag.to_owned()))
                .await?
                .is_none()
                .then(|| format!("no tag named '{tag}' in this workspace")),
            Needed::Field(field) => {
                custom_fields::find(conn, workspace_id, &IdOrName::Name(field.to_owned()))
                    .await?
                    .is_none()
                    .then(|| format!("no custom field named '{field}' in this workspace"))
            }
            Needed::Channel(channel) => channels::find_in(conn, workspace_id, channel.as_str())
                .await?
                .is_none()
                .then(|| format!("no channel '{channel}' in this workspace")),
            Needed::Endpoint(id) => webhook_endpoints::find(conn, workspace_id, id)
                .await?
                .is_none()
                .then(|| format!("no webhook endpoint {id} in this workspace")),
        };
        errors.extend(missing.map(|problem| FieldError::new(pointer, problem)));
    }
    Ok(errors)
}

/// Create a flow
///
/// Creates a flow from a valid flow document (rules as for `PUT`); 409 `conflict` when
/// the workspace has a flow with its id.
#[utoipa::path(
    post,
    path = "/api/v1/flows",
    tag = "management",
    request_body = Flow,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created", body = Flow),
        (status = 409, response = doc::Conflict),
    )
)]
async fn create_flow(
    State(state): State<AppState>,
    key: ApiKey,
    Json(flow): Json<Flow>,
) -> ApiResult<(StatusCode, Json<Flow>)> {
    let mut tx = db::begin_write(&state.db).await?;
    check(&mut tx, key.workspace_id, &flow, None).await?;
    if flows::find(&mut tx, key.workspace_id, flow.id.as_str())
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(format!(
            "a flow '{}' exists; replace it with PUT /api/v1/flows/{}",
            flow.id, flow.id
        )));
    }
    flows::upsert(&mut tx, key.workspace_id, &flow, &clock::now_rfc3339()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(flow)))
}

/// Create or replace a flow
///
/// Creates or replaces a flow. The body must be a valid flow document whose `id` equals
/// the path's; every flow it references must exist in the workspace (or be itself), and
/// so must every tag, custom field and channel its conditions and `clear_field` steps read
/// (steps that add tags or set fields create missing ones). Invalid: 422 `validation_failed` listing every problem with its JSON pointer.
#[utoipa::path(
    put,
    path = "/api/v1/flows/{flow_id}",
    tag = "management",
    params(("flow_id" = String, Path, description = "Flow id; must equal the body's `id`")),
    request_body = Flow,
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 201, description = "Created", body = Flow),
        (status = 200, description = "Replaced", body = Flow),
    )
)]
async fn put_flow(
    State(state): State<AppState>,
    key: ApiKey,
    Path(flow_id): Path<String>,
    Json(flow): Json<Flow>,
) -> ApiResult<(StatusCode, Json<Flow>)> {
    let mut tx = db::begin_write(&state.db).await?;
    check(&mut tx, key.workspace_id, &flow, Some(&flow_id)).await?;
    let created = flows::upsert(&mut tx, key.workspace_id, &flow, &clock::now_rfc3339()).await?;
    tx.commit().await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(flow)))
}

/// Delete a flow
///
/// Deletes a flow; 409 `conflict` while a channel starts it (welcome, keyword, fallback
/// flow, an ice breaker or a main-menu item) or another flow goes to it (a `goto` step or a button), naming each
/// reference with its JSON pointer, so nothing is left pointing at a missing flow.
#[utoipa::path(
    delete,
    path = "/api/v1/flows/{flow_id}",
    tag = "management",
    params(("flow_id" = String, Path, description = "Flow id")),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
    )
)]
async fn delete_flow(
    State(state): State<AppState>,
    key: ApiKey,
    Path(flow_id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut tx = db::begin_write(&state.db).await?;
    if flows::find(&mut tx, key.workspace_id, &flow_id).await?.is_none() {
        return Err(ApiError::NotFound(format!("no flow '{flow_id}'")));
    }
    let mut users: Vec<String> = flows::channels_starting(&mut tx, key.workspace_id, &flow_id)
        .await?
        .into_iter()
        .map(|(channel, pointer)| format!("channel '{channel}' ({pointer})"))
        .collect();
    for other in flows::all(&mut tx, key.workspace_id).await? {
        if other.id.as_str() == flow_id {
            continue;
        }
        for (pointer, _) in other.referenced_flows().filter(|(_, f)| f.as_str() == flow_id) {
            users.push(format!("flow '{}' ({pointer})", other.id));
        }
    }
    if !users.is_empty() {
        return Err(ApiError::Conflict(format!(
            "flow '{flow_id}' is still started by: {}",
            users.join(", ")
        )));
    }
    flows::delete(&mut tx, key.workspace_id, &flow_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Query of `GET /api/v1/flow-folders`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListFolders {
    /// The folder whose folders are listed, e.g. `sales`; absent or empty for the top level.
    parent: Option<String>,
    /// Page size, 1..=100 (default 20); out of range is a 400 `invalid_cursor`.
    limit: Option<u32>,
    /// `next_cursor` of the previous page (the last folder path).
    cursor: Option<String>,
}

/// The folders directly in `parent` (`None`: the top level), in path order, from the
/// folder of every flow (`sales/quotes` makes folders `sales` and `sales/quotes`).
fn child_folders(filed: &[Option<String>], parent: Option<&str>) -> Vec<FlowFolder> {
    use std::collections::{BTreeMap, BTreeSet};
    let prefix = parent.map_or(String::new(), |p| format!("{p}/"));
    let mut folders: BTreeMap<&str, FlowFolder> = BTreeMap::new();
    let mut grandchildren: BTreeSet<(&str, &str)> = BTreeSet::new();
    for path in filed.iter().flatten() {
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        let mut names = rest.split('/');
        let child = names.next().unwrap_or(rest);
        let folder = folders.entry(child).or_insert_with(|| FlowFolder {
            path: format!("{prefix}{child}"),
            name: child.to_owned(),
            flows: 0,
            folders: 0,
        });
        match names.next() {
            None => folder.flows += 1,
            Some(grandchild) => {
                grandchildren.insert((child, grandchild));
            }
        }
    }
    for (child, _) in grandchildren {
        if let Some(folder) = folders.get_mut(child) {
            folder.folders += 1;
        }
    }
    folders.into_values().collect()
}

/// List flow folders
///
/// Lists the folders directly in `parent` (the top level without it) with how many flows
/// and folders each holds; browse down by passing a folder's `path` as `parent`, and list
/// its flows with `GET /api/v1/flows?folder=<path>` (Botcake's `/flows/[:path]`).
#[utoipa::path(
    get,
    path = "/api/v1/flow-folders",
    tag = "management",
    params(ListFolders),
    security(("api_key" = []), ("api_key_basic" = [])),
    responses(
        (status = 200, description = "Folders in path order; the cursor is the last path", body = Page<FlowFolder>),
    )
)]
async fn list_flow_folders(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<ListFolders>,
) -> ApiResult<Json<Page<FlowFolder>>> {
    let limit = routes::check_limit(query.limit)?;
    let parent = match folder_query(query.parent.as_deref())? {
        flows::InFolder::Path(path) => Some(path),
        flows::InFolder::Any | flows::InFolder::Top => None,
    };
    let mut conn = state.db.acquire().await?;
    let filed = flows::folders(&mut conn, key.workspace_id).await?;
    let after = query.cursor.unwrap_or_default();
    let items: Vec<FlowFolder> = child_folders(&filed, parent)
        .into_iter()
        .filter(|f| f.path > after)
        .take(limit as usize + 1)
        .collect();
    Ok(Json(routes::page(items, limit, |f| f.path.clone())))
}

#[cfg(test)]
mod tests {
    use super::child_folders;

    #[test]
    fn folders_are_derived_from_the_flows_filed_in_them() {
        let filed: Vec<Option<String>> = [
            None,
            Some("sales"),
            Some("sales/quotes"),
            Some("sales/quotes/eu"),
            Some("support"),
        ]
        .into_iter()
        .map(|f| f.map(str::to_owned))
        .collect();
        let top: Vec<(String, u32, u32)> = child_folders(&filed, None)
            .into_iter()
            .map(|f| (f.path, f.flows, f.folders))
            .collect();
        assert_eq!(top, [("sales".into(), 1, 1), ("support".into(), 1, 0)]);
        let sales = child_folders(&filed, Some("sales"));
        assert_eq!(sales.len(), 1);
        assert_eq!(
            (sales[0].path.as_str(), sales[0].name.as_str()),
            ("sales/quotes", "quotes")
        );
        assert_eq!((sales[0].flows, sales[0].folders), (1, 1));
        assert!(child_folders(&filed, Some("sal")).is_empty());
    }
}
