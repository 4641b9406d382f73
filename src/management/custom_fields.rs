//! `/api/v1/custom-fields` and `/api/v1/bot-fields`: the workspace's custom (user) fields and
//! bot (global) fields, by id or by name. Both have the same definitions and rules, so one
//! [`FieldsApi`] serves both; bot fields also carry a value.

use super::http::{Method, Request, by_id_or_name};
use super::{Client, Error, ListParams, Page};
use parlo_model::bot_field::BotField;
use parlo_model::tag::{CreateCustomField, CustomField, FieldValue, IdOrName, SetFields, UpdateCustomField};
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

/// Custom fields or bot fields (their answers are `T`); from [`Client::custom_fields`] or
/// [`Client::bot_fields`].
#[derive(Debug)]
pub struct FieldsApi<'a, T> {
    pub(super) client: &'a Client,
    /// `/api/v1/custom-fields` or `/api/v1/bot-fields`.
    pub(super) collection: &'static str,
    pub(super) answer: PhantomData<T>,
}

/// The custom fields of the workspace.
pub type CustomFieldsApi<'a> = FieldsApi<'a, CustomField>;
/// The bot fields of the workspace, with their values.
pub type BotFieldsApi<'a> = FieldsApi<'a, BotField>;

impl<T> Clone for FieldsApi<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for FieldsApi<'_, T> {}

impl<T: DeserializeOwned> FieldsApi<'_, T> {
    /// The path of one field: `{collection}/{id}` or `{collection}/by-name/{name}`.
    fn path(self, field: &IdOrName) -> String {
        by_id_or_name(self.collection, field)
    }

    /// `GET {collection}`: one page of fields in id order.
    pub async fn list(self, page: ListParams) -> Result<Page<T>, Error> {
        self.client
            .send(Request::new(Method::Get, self.collection).query(&page)?)
            .await
    }

    /// `POST {collection}`: a new field (a bot field without a value); its type cannot change
    /// later. 409 `conflict` when the name is taken, 422 for a bad name or description.
    pub async fn create(self, field: &CreateCustomField) -> Result<T, Error> {
        self.client
            .send(Request::new(Method::Post, self.collection).json(field)?)
            .await
    }

    /// `GET {collection}/{id}` or `…/by-name/{name}`: one field; 404 when there is none.
    pub async fn get(self, field: &IdOrName) -> Result<T, Error> {
        self.client
            .send(Request::new(Method::Get, self.path(field)))
            .await
    }

    /// `PATCH {collection}/{id}`: renames the field or changes its description (the members
    /// given); 409 when the new name is taken.
    pub async fn update(self, id: i64, changes: &UpdateCustomField) -> Result<T, Error> {
        let request = Request::new(Method::Patch, self.path(&IdOrName::Id(id))).json(changes)?;
        self.client.send(request).await
    }

    /// `DELETE {collection}/{id}` or `…/by-name/{name}`: deletes the field (a custom field
    /// with every subscriber's value of it); 404 when there is none.
    pub async fn delete(self, field: &IdOrName) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, self.path(field)))
            .await
    }
}

impl BotFieldsApi<'_> {
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
