//! `/api/v1/flows`: the workspace's flow documents.

use super::http::{Method, Request, segment};
use super::{Client, Error, ListParams, Page};
use parlo_model::flow::Flow;
use parlo_model::ids::FlowId;

/// The flows of the workspace; from [`Client::flows`].
#[derive(Clone, Copy, Debug)]
pub struct FlowsApi<'a> {
    pub(super) client: &'a Client,
}

/// `/api/v1/flows/{id}`.
fn path(id: &FlowId) -> String {
    format!("/api/v1/flows/{}", segment(id.as_str()))
}

impl FlowsApi<'_> {
    /// `GET /api/v1/flows`: one page of flows in id order.
    pub async fn list(self, params: ListParams) -> Result<Page<Flow>, Error> {
        self.client
            .send(Request::new(Method::Get, "/api/v1/flows").query(&params)?)
            .await
    }

    /// `GET /api/v1/flows/{id}`: one flow document; 404 when there is none.
    pub async fn get(self, id: &FlowId) -> Result<Flow, Error> {
        self.client.send(Request::new(Method::Get, path(id))).await
    }

    /// `PUT /api/v1/flows/{flow.id}`: creates or replaces the flow. 422
    /// `validation_failed` lists every problem of the document with its JSON pointer
    /// (including references to flows the workspace lacks).
    pub async fn put(self, flow: &Flow) -> Result<Flow, Error> {
        self.client
            .send(Request::new(Method::Put, path(&flow.id)).json(flow)?)
            .await
    }
}
