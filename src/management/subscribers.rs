//! `/api/v1/subscribers`: subscribers of the workspace, their tags and custom field values.

use super::http::{Method, Request, segment};
use super::{Client, Error, ListParams, Page};
use parlo_model::export::SubscriberExport;
use parlo_model::ids::SubscriberId;
use parlo_model::subscriber::{
    CreateSubscriber, CreateSubscribers, CreatedSubscribers, Subscriber, UpdateSubscriber,
};
use parlo_model::tag::{FieldValue, IdOrName, SetFields, SubscriberTags};
use serde::{Deserialize, Serialize};

/// The subscribers of the workspace; from [`Client::subscribers`].
#[derive(Clone, Copy, Debug)]
pub struct SubscribersApi<'a> {
    pub(super) client: &'a Client,
}

/// Filters of [`SubscribersApi::list`]; every filter given must match. Date-times are RFC
/// 3339 (a bound that is not, or `…_from` after `…_to`, is a 400 `invalid_date_range`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, tsify::Tsify)]
#[serde(deny_unknown_fields)]
pub struct SubscriberFilter {
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
    /// A search: the subscriber id or external id equals this, or field `name`,
    /// `first_name`, `last_name` or `email` contains it, ignoring ASCII case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
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

/// `/api/v1/subscribers/{id}{rest}`.
pub(super) fn path(id: &SubscriberId, rest: &str) -> String {
    format!("/api/v1/subscribers/{}{rest}", segment(id.as_str()))
}

impl SubscribersApi<'_> {
    /// `GET /api/v1/subscribers`: one page of the subscribers matching `filter`, oldest
    /// first.
    pub async fn list(self, filter: &SubscriberFilter, page: ListParams) -> Result<Page<Subscriber>, Error> {
        let request = Request::new(Method::Get, "/api/v1/subscribers")
            .query(filter)?
            .query(&page)?;
        self.client.send(request).await
    }

    /// `GET /api/v1/subscribers/find?field=&value=`: one page of the subscribers whose custom
    /// field `field` (by name) has `value` (compared in the field's canonical form). 404
    /// when the workspace has no such field, 400 when `value` does not fit its type.
    pub async fn find(self, field: &str, value: &str, page: ListParams) -> Result<Page<Subscriber>, Error> {
        let request = Request::new(Method::Get, "/api/v1/subscribers/find")
            .query(&serde_json::json!({ "field": field, "value": value }))?
            .query(&page)?;
        self.client.send(request).await
    }

    /// `POST /api/v1/subscribers`: a new subscriber with profile, fields and tags; 409 when
    /// its e-mail is taken, 422 lists every invalid member.
    pub async fn create(self, subscriber: &CreateSubscriber) -> Result<Subscriber, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/subscribers").json(subscriber)?)
            .await
    }

    /// `POST /api/v1/subscribers/batch`: 1..=100 new subscribers, all or none; answers them
    /// in request order.
    pub async fn create_many(self, subscribers: &[CreateSubscriber]) -> Result<Vec<Subscriber>, Error> {
        let body = CreateSubscribers {
            subscribers: subscribers.to_vec(),
        };
        let created: CreatedSubscribers = self
            .client
            .send(Request::new(Method::Post, "/api/v1/subscribers/batch").json(&body)?)
            .await?;
        Ok(created.items)
    }

    /// `PATCH /api/v1/subscribers/{id}`: changes the profile members given (`Some(None)`
    /// clears one) or the channel.
    pub async fn update(self, id: &SubscriberId, changes: &UpdateSubscriber) -> Result<Subscriber, Error> {
        self.client
            .send(Request::new(Method::Patch, path(id, "")).json(changes)?)
            .await
    }

    /// `GET /api/v1/subscribers/{id}`: one subscriber with fields and tags; 404 when the
    /// workspace has none with this id.
    pub async fn get(self, id: &SubscriberId) -> Result<Subscriber, Error> {
        self.client.send(Request::new(Method::Get, path(id, ""))).await
    }

    /// `DELETE /api/v1/subscribers/{id}`: deletes the subscriber with its sessions and
    /// conversations; their leads stay, without a subscriber (see [`erase`](Self::erase)).
    pub async fn delete(self, id: &SubscriberId) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, path(id, "")))
            .await
    }

    /// `GET /api/v1/subscribers/{id}/export`: everything the workspace holds about the
    /// subscriber as one document (profile, fields, tags, every conversation with all its
    /// messages, every lead), for a data subject's access request; 404 when the workspace
    /// has none with this id.
    pub async fn export(self, id: &SubscriberId) -> Result<SubscriberExport, Error> {
        self.client
            .send(Request::new(Method::Get, path(id, "/export")))
            .await
    }

    /// `POST /api/v1/subscribers/{id}/erase`: erases the subscriber with everything they
    /// sent: conversations, messages, leads, field values, tags, sessions (their open event
    /// streams end) and the outbox rows made for them. Unlike [`delete`](Self::delete),
    /// which keeps their leads. 404 when the workspace has none with this id (also after
    /// an erase).
    pub async fn erase(self, id: &SubscriberId) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Post, path(id, "/erase")))
            .await
    }

    /// `POST /api/v1/subscribers/{id}/tags`: adds 1..=100 tags (a name the workspace lacks
    /// creates the tag); answers the changed subscriber. 422 points at unknown tag ids.
    pub async fn add_tags(self, id: &SubscriberId, tags: &[IdOrName]) -> Result<Subscriber, Error> {
        self.change_tags(Method::Post, id, tags).await
    }

    /// `DELETE /api/v1/subscribers/{id}/tags`: removes 1..=100 tags; answers the changed
    /// subscriber. 422 points at unknown tags.
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
    /// value that does not fit its field's type and every unknown field.
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
