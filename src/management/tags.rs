//! `/api/v1/tags`: the workspace's tags, by id or by name.

use super::http::{Method, Request, by_id_or_name};
use super::{Client, Error, ListParams, Page};
use parlo_model::tag::{CreateTag, IdOrName, Tag};

/// The tags of the workspace; from [`Client::tags`].
#[derive(Clone, Copy, Debug)]
pub struct TagsApi<'a> {
    pub(super) client: &'a Client,
}

/// The path of one tag: `/api/v1/tags/{id}` or `/api/v1/tags/by-name/{name}`.
fn path(tag: &IdOrName) -> String {
    by_id_or_name("/api/v1/tags", tag)
}

impl TagsApi<'_> {
    /// `GET /api/v1/tags`: one page of tags in id order.
    pub async fn list(self, params: ListParams) -> Result<Page<Tag>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/tags").query(&params)?)
            .await
    }

    /// `POST /api/v1/tags`: a new tag; 409 `conflict` when the name is taken, 422 for a
    /// name that is empty, longer than 100 characters or has control characters.
    pub async fn create(self, name: &str) -> Result<Tag, Error> {
        let body = CreateTag {
            name: name.to_owned(),
        };
        self.client
            .send(Request::new(Method::Post, "/api/v1/tags").json(&body)?)
            .await
    }

    /// `GET /api/v1/tags/{id}` or `…/by-name/{name}`: one tag; 404 when there is none.
    pub async fn get(self, tag: &IdOrName) -> Result<Tag, Error> {
        self.client.send(Request::new(Method::Get, path(tag))).await
    }

    /// `DELETE /api/v1/tags/{id}` or `…/by-name/{name}`: deletes the tag and removes it
    /// from every subscriber; 404 when there is none.
    pub async fn delete(self, tag: &IdOrName) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, path(tag)))
            .await
    }
}
