//! `/api/v1/subscribers`: subscribers of the workspace, their tags and custom field values.

use super::http::{Method, Request, segment};
use super::{Client, Error, ListParams, Page};
use parlo_model::ids::SubscriberId;
use parlo_model::subscriber::Subscriber;
use parlo_model::tag::{FieldValue, IdOrName, SetFields, SubscriberTags};
use serde::{Deserialize, Serialize};

/// The subscribers of the workspace; from [`Client::subscribers`].
#[derive(Clone, Copy, Debug)]
pub struct SubscribersApi<'a> {
    pub(super) client: &'a Client,
}

/// Filters and page of [`SubscribersApi::list`]; every filter given must match. Date-times
/// are RFC 3339 (a bound that is not, or `…_from` after `…_to`, is a 400
/// `invalid_date_range`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, tsify::Tsify)]
pub struct SubscriberQuery {
    /// Page size, 1..=100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Has the tag of this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// With `value`: has this custom field (by name) set to `value` — finding a subscriber
    /// by a field value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value of `field`, compared in the field's canonical form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Field `email` equals this, ignoring ASCII case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Field `phone` equals this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Field `name`, `first_name` or `last_name` contains this, ignoring ASCII case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// First came through this channel id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Created at or after this date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_from: Option<String>,
    /// Created at or before this date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_to: Option<String>,
    /// Last seen at or after this date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen_from: Option<String>,
    /// Last seen at or before this date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen_to: Option<String>,
}

impl SubscriberQuery {
    /// The same filters with the page of `params` (for [`all_pages`](super::all_pages)).
    pub fn page(self, params: ListParams) -> Self {
        Self {
            limit: params.limit,
            cursor: params.cursor,
            ..self
        }
    }
}

/// `/api/v1/subscribers/{id}{rest}`.
fn path(id: &SubscriberId, rest: &str) -> String {
    format!("/api/v1/subscribers/{}{rest}", segment(id.as_str()))
}

impl SubscribersApi<'_> {
    /// `GET /api/v1/subscribers`: one page of the subscribers matching `query`, oldest
    /// first.
    pub async fn list(self, query: SubscriberQuery) -> Result<Page<Subscriber>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/subscribers").query(&query)?)
            .await
    }

    /// `GET /api/v1/subscribers/{id}`: one subscriber with fields and tags; 404 when the
    /// workspace has none with this id.
    pub async fn get(self, id: &SubscriberId) -> Result<Subscriber, Error> {
        self.client.send(Request::new(Method::Get, path(id, ""))).await
    }

    /// `DELETE /api/v1/subscribers/{id}`: deletes the subscriber with its sessions and
    /// conversations.
    pub async fn delete(self, id: &SubscriberId) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, path(id, "")))
            .await
    }

    /// `POST /api/v1/subscribers/{id}/tags`: adds 1..=100 tags (a name the workspace lacks
    /// creates the tag); answers the changed subscriber. 404 names unknown tag ids.
    pub async fn add_tags(self, id: &SubscriberId, tags: &[IdOrName]) -> Result<Subscriber, Error> {
        self.change_tags(Method::Post, id, tags).await
    }

    /// `DELETE /api/v1/subscribers/{id}/tags`: removes 1..=100 tags; answers the changed
    /// subscriber. 404 names unknown tags.
    pub async fn remove_tags(self, id: &SubscriberId, tags: &[IdOrName]) -> Result<Subscriber, Error> {
        self.change_tags(Method::Delete, id, tags).await
    }

    async fn change_tags(
        self,
        method: Method,
        id: &SubscriberId,
        tags: &[IdOrName],
    ) -> Result<Subscriber, Error> {
        let body = SubscriberTags { tags: tags.to_vec() };
        self.client
            .send(Request::new(method, path(id, "/tags")).json(&body)?)
            .await
    }

    /// `PATCH /api/v1/subscribers/{id}/fields`: sets 1..=100 field values (a `null` value
    /// clears the field), all or none; answers the changed subscriber. 422 lists every
    /// value that does not fit its field's type, 404 names unknown fields.
    pub async fn set_fields(self, id: &SubscriberId, fields: &[FieldValue]) -> Result<Subscriber, Error> {
        let body = SetFields {
            fields: fields.to_vec(),
        };
        self.client
            .send(Request::new(Method::Patch, path(id, "/fields")).json(&body)?)
            .await
    }

    /// Clears 1..=100 fields: [`SubscribersApi::set_fields`] with `null` values.
    pub async fn clear_fields(self, id: &SubscriberId, fields: &[IdOrName]) -> Result<Subscriber, Error> {
        let values: Vec<FieldValue> = fields
            .iter()
            .map(|field| FieldValue {
                field: field.clone(),
                value: serde_json::Value::Null,
            })
            .collect();
        self.set_fields(id, &values).await
    }
}
