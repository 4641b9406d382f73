//! `/api/v1/bot-fields`: the workspace's bot (global) fields and their values.

use super::http::{Method, Request, by_id_or_name};
use super::{Client, Error, ListParams, Page};
use parlo_model::bot_field::BotField;
use parlo_model::tag::{CreateCustomField, FieldValue, IdOrName, SetFields, UpdateCustomField};

/// The bot fields of the workspace; from [`Client::bot_fields`].
#[derive(Clone, Copy, Debug)]
pub struct BotFieldsApi<'a> {
    pub(super) client: &'a Client,
}

/// The path of one bot field: `/api/v1/bot-fields/{id}` or `…/by-name/{name}`.
fn path(field: &IdOrName) -> String {
    by_id_or_name("/api/v1/bot-fields", field)
}

impl BotFieldsApi<'_> {
    /// `GET /api/v1/bot-fields`: one page of bot fields (with their values) in id order.
    pub async fn list(self, page: ListParams) -> Result<Page<BotField>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/bot-fields").query(&page)?)
            .await
    }

    /// `POST /api/v1/bot-fields`: a new bot field, without a value (rules as for custom
    /// fields); 409 when the name is taken.
    pub async fn create(self, field: &CreateCustomField) -> Result<BotField, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/bot-fields").json(field)?)
            .await
    }

    /// `GET /api/v1/bot-fields/{id}` or `…/by-name/{name}`: one bot field with its value.
    pub async fn get(self, field: &IdOrName) -> Result<BotField, Error> {
        self.client.send(Request::new(Method::Get, path(field))).await
    }

    /// `PATCH /api/v1/bot-fields/{id}`: renames the field or changes its description.
    pub async fn update(self, id: i64, changes: &UpdateCustomField) -> Result<BotField, Error> {
        let request = Request::new(Method::Patch, path(&IdOrName::Id(id))).json(changes)?;
        self.client.send(request).await
    }

    /// `DELETE /api/v1/bot-fields/{id}` or `…/by-name/{name}`.
    pub async fn delete(self, field: &IdOrName) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, path(field)))
            .await
    }

    /// `PATCH /api/v1/bot-fields/values`: sets 1..=100 values at once (`null` clears), all
    /// or none, checked against each field's type; answers the changed fields in request
    /// order.
    pub async fn set_values(self, values: &[FieldValue]) -> Result<Vec<BotField>, Error> {
        let body = SetFields {
            fields: values.to_vec(),
        };
        let request = Request::new(Method::Patch, "/api/v1/bot-fields/values").json(&body)?;
        let changed: Page<BotField> = self.client.send(request).await?;
        Ok(changed.items)
    }
}
