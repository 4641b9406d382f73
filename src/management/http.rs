//! The management client's side of the crate's one
//! [`transport`](crate::client::transport): every request gets the base URL, the API key
//! and the client's retry policy, then is sent like the widget's and the forms' requests.

use super::{Client, Error};
use crate::client::sse::SseReader;
pub(crate) use crate::client::transport::{Method, Request};
use parlo_model::tag::IdOrName;
use serde::de::DeserializeOwned;

/// [`parlo_model::user::WORKSPACE_HEADER`] in lower case, as the transport sends headers.
const WORKSPACE: &str = "parlo-workspace";

/// `segment` percent-encoded for use as one path segment (`encodeURIComponent`).
pub(crate) fn segment(segment: &str) -> String {
    js_sys::encode_uri_component(segment).into()
}

/// The path of one record of `collection` by id (`{collection}/{id}`) or by name
/// (`{collection}/by-name/{name}`), the scheme of tags and custom fields.
pub(crate) fn by_id_or_name(collection: &str, record: &IdOrName) -> String {
    match record {
        IdOrName::Id(id) => format!("{collection}/{id}"),
        IdOrName::Name(name) => format!("{collection}/by-name/{}", segment(name)),
    }
}

impl Client {
    /// Sends `request` (a path under the base URL) and decodes its JSON answer as `T`.
    pub(crate) async fn send<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        self.prepare(request).send().await
    }

    /// Sends `request`, whose success answer has no body (204).
    pub(crate) async fn send_empty(&self, request: Request) -> Result<(), Error> {
        self.prepare(request).send_empty().await
    }

    /// Sends `request` and answers the raw text of its success answer (CSV for an export).
    pub(crate) async fn send_text(&self, request: Request) -> Result<String, Error> {
        self.prepare(request)
            .accept("application/json, text/csv")
            .send_text()
            .await
    }

    /// Opens the event stream `request` answers (one attempt; its reader reconnects).
    pub(crate) async fn open_stream(&self, request: Request) -> Result<SseReader, Error> {
        SseReader::open(self.prepare(request)).await
    }

    /// `request` under the base URL, with the API key (and the workspace of a user
    /// session, see [`Client::in_workspace`]) and the client's retry policy.
    fn prepare(&self, request: Request) -> Request {
        let request = request
            .under(&self.inner.base_url)
            .bearer(&self.inner.api_key)
            .retry(self.inner.retry);
        match self.inner.workspace {
            Some(id) => request.header(WORKSPACE, id.to_string()),
            None => request,
        }
    }
}
