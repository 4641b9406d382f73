//! The transport: the global `fetch` with JSON bodies, problem+json errors, and retries with
//! exponential backoff and jitter that honour `Retry-After`.
//!
//! `fetch` and `setTimeout` are taken from the global scope (not from `window`), so the
//! same code runs in browser pages, workers and Node.js ≥ 18.

use super::{Client, Error};
use crate::client::describe;
use parlo_model::problem::{Problem, codes};
use parlo_model::tag::IdOrName;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch(input, init)` (WHATWG Fetch), present in browsers and Node.js ≥ 18.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> js_sys::Promise;
}

/// HTTP methods of the management API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Idempotent in the sense of RFC 9110 §9.2.2: repeating the request leaves the same
    /// state as sending it once. `PATCH` is not, by the RFC, even where Parlo's are.
    fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }
}

/// One request: method, path under the base URL (e.g. `/api/v1/tags`), query pairs and an
/// optional JSON body.
pub(crate) struct Request {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<String>,
}

impl Request {
    /// A request without query or body.
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
        }
    }

    /// Adds the members of `params` (a struct of scalars, e.g. [`ListParams`](super::ListParams))
    /// to the query, skipping `null`s: strings as they are, other values as JSON.
    pub(crate) fn query(mut self, params: &impl Serialize) -> Result<Self, Error> {
        if let serde_json::Value::Object(members) = serde_json::to_value(params).map_err(encode_error)? {
            for (name, value) in members {
                match value {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(s) => self.query.push((name, s)),
                    other => self.query.push((name, other.to_string())),
                }
            }
        }
        Ok(self)
    }

    /// Sets the JSON body.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Result<Self, Error> {
        self.body = Some(serde_json::to_string(body).map_err(encode_error)?);
        Ok(self)
    }
}

/// A value that serde cannot encode as JSON (e.g. a map with non-string keys).
fn encode_error(e: serde_json::Error) -> Error {
    Error::Decode {
        message: format!("cannot encode the request: {e}"),
        body: String::new(),
    }
}

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
    /// Sends `request` (retried by the client's policy, see [`Client::send_text`]) and decodes
    /// its JSON answer as `T`.
    pub(crate) async fn send<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let body = self.send_text(request).await?;
        serde_json::from_str(&body).map_err(|e| Error::Decode {
            message: e.to_string(),
            body,
        })
    }

    /// Sends `request`, whose success answer has no body (204).
    pub(crate) async fn send_empty(&self, request: Request) -> Result<(), Error> {
        self.send_text(request).await.map(drop)
    }

    /// Sends `request` and answers the raw text of its success answer (JSON, or CSV for an
    /// export), or the last error.
    ///
    /// Retried: idempotent requests ([`Method::is_idempotent`]) after a network error, a 429
    /// or a 5xx; every request after a 429 (the rate limit refuses before anything is done).
    /// The delay is `Retry-After` when the server sent one, else [`RetryPolicy::delay`](super::RetryPolicy::delay); a
    /// `Retry-After` longer than [`RetryPolicy::max_delay`](super::RetryPolicy::max_delay) ends the retries (the error
    /// carries it).
    pub(crate) async fn send_text(&self, request: Request) -> Result<String, Error> {
        let url = self.url(&request);
        let init = RequestInit::new();
        init.set_method(request.method.as_str());
        let headers = js_sys::Object::new();
        let set = |name: &str, value: &str| {
            let _ = js_sys::Reflect::set(&headers, &name.into(), &value.into());
        };
        set("accept", "application/json, text/csv");
        if !self.inner.api_key.is_empty() {
            set("authorization", &format!("Bearer {}", self.inner.api_key));
        }
        if let Some(body) = &request.body {
            set("content-type", "application/json");
            init.set_body(&JsValue::from_str(body));
        }
        init.set_headers(&headers);

        let policy = self.inner.retry;
        let mut attempt = 0;
        loop {
            let error = match fetch_once(&url, &init).await {
                Ok(text) => return Ok(text),
                Err(error) => error,
            };
            attempt += 1;
            let rate_limited = error.status() == Some(429);
            let retryable = rate_limited || (request.method.is_idempotent() && error.is_retryable());
            if !retryable || attempt >= policy.max_attempts {
                return Err(error);
            }
            let delay = match &error {
                Error::Api {
                    retry_after: Some(secs),
                    ..
                } => Duration::from_secs(u64::from(*secs)),
                _ => policy.delay(attempt - 1),
            };
            if delay > policy.max_delay {
                return Err(error);
            }
            gloo_timers::future::sleep(delay).await;
        }
    }

    /// `{base_url}{path}?{query}`, every query value percent-encoded.
    fn url(&self, request: &Request) -> String {
        let mut url = format!("{}{}", self.inner.base_url, request.path);
        for (i, (name, value)) in request.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            url.push_str(&segment(value));
        }
        url
    }
}

/// One `fetch`: the body text of a 2xx answer, or the error.
async fn fetch_once(url: &str, init: &RequestInit) -> Result<String, Error> {
    let network = |e: JsValue| Error::Network(describe(&e));
    let response: Response = JsFuture::from(global_fetch(url, init))
        .await
        .map_err(network)?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        return Ok(text);
    }
    let status = response.status();
    let problem = serde_json::from_str::<Problem>(&text).unwrap_or_else(|_| {
        // Not a problem body (e.g. a proxy's error page): a problem from the status alone.
        let code = match status {
            401 => codes::UNAUTHORIZED,
            403 => codes::FORBIDDEN,
            404 => codes::NOT_FOUND,
            409 => codes::CONFLICT,
            413 => codes::PAYLOAD_TOO_LARGE,
            429 => codes::RATE_LIMITED,
            503 => codes::SERVICE_UNAVAILABLE,
            500.. => codes::INTERNAL,
            _ => codes::BAD_REQUEST,
        };
        Problem::new(status, code, response.status_text()).with_detail(text)
    });
    let retry_after = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok());
    Err(Error::Api {
        problem: Box::new(problem),
        retry_after,
    })
}
