//! `/api/v1/forms`: the workspace's lead form definitions.

use super::http::{Method, Request, segment};
use super::{Client, Error, ListParams, Page};
use parlo_model::form::{Form, FormStats};
use parlo_model::ids::FormId;

/// The lead forms of the workspace; from [`Client::forms`].
#[derive(Clone, Copy, Debug)]
pub struct FormsApi<'a> {
    pub(super) client: &'a Client,
}

/// `/api/v1/forms/{id}{rest}`.
fn path(id: &FormId, rest: &str) -> String {
    format!("/api/v1/forms/{}{rest}", segment(id.as_str()))
}

impl FormsApi<'_> {
    /// `GET /api/v1/forms`: one page of forms in id order.
    pub async fn list(self, page: ListParams) -> Result<Page<Form>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/forms").query(&page)?)
            .await
    }

    /// `POST /api/v1/forms`: a new form; 409 when the id is taken (form ids are unique on
    /// the server), 422 lists every problem of the definition.
    pub async fn create(self, form: &Form) -> Result<Form, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/forms").json(form)?)
            .await
    }

    /// `GET /api/v1/forms/{id}`.
    pub async fn get(self, id: &FormId) -> Result<Form, Error> {
        self.client.send(Request::new(Method::Get, path(id, ""))).await
    }

    /// `PUT /api/v1/forms/{form.id}`: replaces the form; 404 when the workspace has none.
    pub async fn put(self, form: &Form) -> Result<Form, Error> {
        self.client
            .send(Request::new(Method::Put, path(&form.id, "")).json(form)?)
            .await
    }

    /// `DELETE /api/v1/forms/{id}`; its leads stay.
    pub async fn delete(self, id: &FormId) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, path(id, "")))
            .await
    }

    /// `GET /api/v1/forms/{id}/stats`: leads, and submissions taken for spam.
    pub async fn stats(self, id: &FormId) -> Result<FormStats, Error> {
        self.client
            .send(Request::new(Method::Get, path(id, "/stats")))
            .await
    }
}
