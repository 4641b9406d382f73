//! `/api/v1/api-keys`: the workspace's API keys.

use super::http::{Method, Request};
use super::{Client, Error, ListParams, Page};
use parlo_model::api_key::{ApiKey, CreateApiKey, CreatedApiKey};

/// The API keys of the workspace; from [`Client::api_keys`].
#[derive(Clone, Copy, Debug)]
pub struct ApiKeysApi<'a> {
    pub(super) client: &'a Client,
}

impl ApiKeysApi<'_> {
    /// `POST /api/v1/api-keys`: a new key named `name` (1..=100 characters). The answer's
    /// `secret` is shown only now. 422 for a bad name.
    pub async fn create(self, name: &str) -> Result<CreatedApiKey, Error> {
        let body = CreateApiKey {
            name: name.to_owned(),
        };
        self.client
            .send(Request::new(Method::Post, "/api/v1/api-keys").json(&body)?)
            .await
    }

    /// `GET /api/v1/api-keys`: one page of unrevoked keys in id order (never their secrets).
    pub async fn list(self, params: ListParams) -> Result<Page<ApiKey>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/api-keys").query(&params)?)
            .await
    }

    /// `POST /api/v1/api-keys/{id}/regenerate`: a new secret for the key, same id and name,
    /// shown only in this answer; the old secret is refused from its next request. 404 for
    /// an unknown or revoked key.
    pub async fn regenerate(self, id: i64) -> Result<CreatedApiKey, Error> {
        self.client
            .send(Request::new(
                Method::Post,
                format!("/api/v1/api-keys/{id}/regenerate"),
            ))
            .await
    }

    /// `DELETE /api/v1/api-keys/{id}`: revokes the key (this client's own too); requests
    /// with it are refused from the next one. 404 for an unknown or revoked key.
    pub async fn revoke(self, id: i64) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, format!("/api/v1/api-keys/{id}")))
            .await
    }
}
