//! `/api/v1/custom-fields`: the workspace's custom (user) fields, by id or by name.

use super::http::{Method, Request, by_id_or_name};
use super::{Client, Error, ListParams, Page};
use parlo_model::tag::{CreateCustomField, CustomField, IdOrName, UpdateCustomField};

/// The custom fields of the workspace; from [`Client::custom_fields`].
#[derive(Clone, Copy, Debug)]
pub struct CustomFieldsApi<'a> {
    pub(super) client: &'a Client,
}

/// The path of one field: `/api/v1/custom-fields/{id}` or `…/by-name/{name}`.
fn path(field: &IdOrName) -> String {
    by_id_or_name("/api/v1/custom-fields", field)
}

impl CustomFieldsApi<'_> {
    /// `GET /api/v1/custom-fields`: one page of fields in id order.
    pub async fn list(self, params: ListParams) -> Result<Page<CustomField>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/custom-fields").query(&params)?)
            .await
    }

    /// `POST /api/v1/custom-fields`: a new field; its type cannot change later. 409
    /// `conflict` when the name is taken, 422 for a bad name or description.
    pub async fn create(self, field: &CreateCustomField) -> Result<CustomField, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/custom-fields").json(field)?)
            .await
    }

    /// `GET /api/v1/custom-fields/{id}` or `…/by-name/{name}`: one field; 404 when there is
    /// none.
    pub async fn get(self, field: &IdOrName) -> Result<CustomField, Error> {
        self.client.send(Request::new(Method::Get, path(field))).await
    }

    /// `PATCH /api/v1/custom-fields/{id}`: renames the field or changes its description
    /// (the members given); 409 when the new name is taken.
    pub async fn update(self, id: i64, changes: &UpdateCustomField) -> Result<CustomField, Error> {
        let request = Request::new(Method::Patch, path(&IdOrName::Id(id))).json(changes)?;
        self.client.send(request).await
    }

    /// `DELETE /api/v1/custom-fields/{id}` or `…/by-name/{name}`: deletes the field with
    /// every subscriber's value of it; 404 when there is none.
    pub async fn delete(self, field: &IdOrName) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, path(field)))
            .await
    }
}
