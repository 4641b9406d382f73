//! Workspaces: every resource (channel, flow, subscriber, tag, key…) lives in one. A
//! console user owns several; an API key is scoped to one.
//!
//! | method | path | body → answer |
//! |---|---|---|
//! | GET | `/api/v1/workspaces?limit=&cursor=` | → `Page<Workspace>` (the user's) |
//! | POST | `/api/v1/workspaces` | [`CreateWorkspace`] → [`Workspace`], 201 |
//! | GET | `/api/v1/workspaces/{workspace_id}/api-keys` | → `Page<ApiKey>` |
//! | POST | `/api/v1/workspaces/{workspace_id}/api-keys` | `CreateApiKey` → `CreatedApiKey`, 201 |
//!
//! These routes take a user session token ([`crate::user`]), not an API key.

use serde::{Deserialize, Serialize};

/// A workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Workspace {
    /// Id of the workspace.
    pub id: i64,
    /// Unique short name, 1..=64 of `[a-z0-9_-]`, e.g. `acme` (used by
    /// `parlo-server create-key --workspace`).
    pub slug: String,
    /// Display name, e.g. `Acme Inc.`.
    pub name: String,
    /// When it was created, RFC 3339 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
}

/// Body of `POST /api/v1/workspaces`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "openapi", schema(examples(json!({"slug": "acme", "name": "Acme Inc."}))))]
#[serde(deny_unknown_fields)]
pub struct CreateWorkspace {
    /// Unique short name, 1..=64 of `[a-z0-9_-]`; 409 when taken.
    pub slug: String,
    /// Display name, 1..=100 characters.
    pub name: String,
}
