//! `/api/v1/flows` and `/api/v1/flow-folders`: the workspace's flow documents, their
//! folders and statistics, and the API trigger.

use super::http::{Method, Request, segment};
use super::{Client, Error, ListParams, Page};
use parlo_model::flow::{Flow, FlowFolder};
use parlo_model::flow_statistics::FlowStatistics;
use parlo_model::ids::FlowId;
use parlo_model::trigger::{FlowTriggered, TriggerFlow};
use serde::{Deserialize, Serialize};

/// The flows of the workspace; from [`Client::flows`].
#[derive(Clone, Copy, Debug)]
pub struct FlowsApi<'a> {
    pub(super) client: &'a Client,
}

/// Filter of [`FlowsApi::list`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, tsify::Tsify)]
#[serde(deny_unknown_fields)]
pub struct FlowFilter {
    /// Only the flows filed in this folder path (e.g. `sales/quotes`; `""`: the top level);
    /// every flow when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
}

/// `/api/v1/flows/{id}{rest}`.
fn path(id: &FlowId, rest: &str) -> String {
    format!("/api/v1/flows/{}{rest}", segment(id.as_str()))
}

impl FlowsApi<'_> {
    /// `GET /api/v1/flows`: one page of flows in id order (of one folder with
    /// `filter.folder`).
    pub async fn list(self, filter: &FlowFilter, page: ListParams) -> Result<Page<Flow>, Error> {
        let request = Request::new(Method::Get, "/api/v1/flows")
            .query(filter)?
            .query(&page)?;
        self.client.send(request).await
    }

    /// `GET /api/v1/flows/{id}`: one flow document; 404 when there is none.
    pub async fn get(self, id: &FlowId) -> Result<Flow, Error> {
        self.client.send(Request::new(Method::Get, path(id, ""))).await
    }

    /// `POST /api/v1/flows`: a new flow; 409 when the id is taken, 422 `validation_failed`
    /// lists every problem of the document with its JSON pointer.
    pub async fn create(self, flow: &Flow) -> Result<Flow, Error> {
        self.client
            .send(Request::new(Method::Post, "/api/v1/flows").json(flow)?)
            .await
    }

    /// `PUT /api/v1/flows/{flow.id}`: creates or replaces the flow. 422 as for
    /// [`FlowsApi::create`] (including references to flows the workspace lacks).
    pub async fn put(self, flow: &Flow) -> Result<Flow, Error> {
        self.client
            .send(Request::new(Method::Put, path(&flow.id, "")).json(flow)?)
            .await
    }

    /// `DELETE /api/v1/flows/{id}`; 409 while a channel or another flow starts it.
    pub async fn delete(self, id: &FlowId) -> Result<(), Error> {
        self.client
            .send_empty(Request::new(Method::Delete, path(id, "")))
            .await
    }

    /// `GET /api/v1/flow-folders?parent=`: one page of the folders directly under `parent`
    /// (the top level when `None`), in path order.
    pub async fn folders(self, parent: Option<&str>, page: ListParams) -> Result<Page<FlowFolder>, Error> {
        let request = Request::new(Method::Get, "/api/v1/flow-folders")
            .query(&serde_json::json!({ "parent": parent }))?
            .query(&page)?;
        self.client.send(request).await
    }

    /// `POST /api/v1/flows/{id}/trigger` (the API trigger): finds the subscriber of
    /// `trigger.find` (creating them on `trigger.channel_id` when none matches), sets their
    /// profile members, fields and tags, and starts the flow with `trigger.payload`, all or
    /// nothing. With an `idempotency_key` (1..=64 of `[A-Za-z0-9_-]`, e.g. a UUID; the same
    /// on every retry) the trigger runs once per key and is retried on network errors, 429
    /// and 5xx; the key with another flow or body is a 409.
    pub async fn trigger(
        self,
        id: &FlowId,
        trigger: &TriggerFlow,
        idempotency_key: Option<&str>,
    ) -> Result<FlowTriggered, Error> {
        let mut request = Request::new(Method::Post, path(id, "/trigger")).json(trigger)?;
        if let Some(key) = idempotency_key {
            request = request.idempotency_key(key);
        }
        self.client.send(request).await
    }

    /// `GET /api/v1/flows/{id}/statistics`: sent, button clicks and completions per step.
    pub async fn statistics(self, id: &FlowId) -> Result<FlowStatistics, Error> {
        self.client
            .send(Request::new(Method::Get, path(id, "/statistics")))
            .await
    }
}
