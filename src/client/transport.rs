//! The one transport of the crate: every request of the widget, the lead forms and the
//! management client goes through [`Request::send_text`] (octocrab's `execute`, in spirit).
//!
//! ```ignore
//! // What the public client does for `POST /messages`:
//! let answer: SendMessageResponse = Request::new(Method::Post, url)
//!     .bearer(token)
//!     .json(&body)?
//!     .idempotent()            // `body.id` is its idempotency key
//!     .signal(client_signal)
//!     .send()
//!     .await?;
//! ```
//!
//! - HTTP: `gloo_net::http` builds each request and sends it with the global `fetch`, so the
//!   same code runs in pages, workers and Node.js ≥ 18. Bodies are JSON text.
//! - JSON: the model's own serde derives over `serde-wasm-bindgen`: answers are `JSON.parse`d
//!   and read with [`serde_wasm_bindgen::from_value`]; bodies are made with
//!   [`to_json`] (the JSON-compatible serializer, then `JSON.stringify`). The raw text of an
//!   answer is kept for [`Error::Decode`].
//! - Errors: [`Error::Api`] carries the `application/problem+json` body (RFC 9457), or, when
//!   the body is not one (a proxy's error page), a problem made from the status by
//!   [`code_for_status`] with the body as its `detail`.
//! - Retries ([`Request::retry`]): see [`Request::send_text`].

use super::Error;
use parlo_model::problem::{Problem, codes};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

/// How a retryable request is repeated: exponential backoff with jitter, honouring
/// `Retry-After` (async-stripe's `RequestStrategy`, async-openai's retries).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (`u32::MAX`: never give up).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// Longest delay between two attempts; a `Retry-After` longer than this ends the retries
    /// (the error carries it).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 0.5 s doubling up to 10 s.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };

    /// The delay before retry number `retry` (0 for the first retry): the exponential cap
    /// `min(base_delay · 2^retry, max_delay)`, jittered uniformly in `[cap/2, cap]` ("equal
    /// jitter", AWS Architecture Blog, "Exponential Backoff And Jitter").
    pub fn delay(&self, retry: u32) -> Duration {
        let cap = self
            .base_delay
            .saturating_mul(1 << retry.min(16))
            .min(self.max_delay);
        let cap = cap.as_millis() as u64;
        Duration::from_millis(cap / 2 + (js_sys::Math::random() * (cap / 2) as f64) as u64)
    }
}

/// HTTP methods of Parlo's APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// Idempotent in the sense of RFC 9110 §9.2.2: repeating the request leaves the same
    /// state as sending it once. `PATCH` is not, by the RFC, even where Parlo's are; a `POST`
    /// is made retryable by [`Request::idempotent`] when it carries an idempotency key.
    fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }

    fn gloo(self) -> gloo_net::http::Method {
        use gloo_net::http::Method as M;
        match self {
            Method::Get => M::GET,
            Method::Post => M::POST,
            Method::Put => M::PUT,
            Method::Patch => M::PATCH,
            Method::Delete => M::DELETE,
        }
    }
}

/// The stable `code` of a problem made up for an error answer whose body is not a problem
/// (e.g. a proxy's page), by status: the status of each code in
/// [`parlo_model::problem::codes`] (400 for any other 4xx, `internal` for any other 5xx).
pub fn code_for_status(status: u16) -> &'static str {
    match status {
        401 => codes::UNAUTHORIZED,
        403 => codes::FORBIDDEN,
        404 => codes::NOT_FOUND,
        409 => codes::CONFLICT,
        413 => codes::PAYLOAD_TOO_LARGE,
        429 => codes::RATE_LIMITED,
        503 => codes::SERVICE_UNAVAILABLE,
        500.. => codes::INTERNAL,
        _ => codes::BAD_REQUEST,
    }
}

/// `value` as JavaScript data shaped like the JSON the server's `serde_json` writes: the
/// model's serde derives through `serde-wasm-bindgen`'s JSON-compatible serializer (maps as
/// plain objects, `None` as `null`, 64-bit integers as numbers).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| encode_error(e.to_string()))
}

/// `value` as JSON text, as the server's `serde_json` writes it: [`to_js`], then
/// `JSON.stringify`.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    js_sys::JSON::stringify(&to_js(value)?)
        .map(String::from)
        .map_err(|e| encode_error(describe(&e)))
}

/// A value that cannot be encoded (e.g. a map with non-string keys).
pub(crate) fn encode_error(message: String) -> Error {
    Error::Decode {
        message: format!("cannot encode the request: {message}"),
        body: String::new(),
    }
}

/// JSON `text` read as `T` with the model's serde derives (`JSON.parse`, then
/// [`serde_wasm_bindgen::from_value`]); [`Error::Decode`] with the text when it does not fit.
pub fn from_json<T: DeserializeOwned>(text: String) -> Result<T, Error> {
    let value = match js_sys::JSON::parse(&text) {
        Ok(value) => value,
        Err(e) => {
            return Err(Error::Decode {
                message: describe(&e),
                body: text,
            });
        }
    };
    serde_wasm_bindgen::from_value(value).map_err(|e| Error::Decode {
        message: e.to_string(),
        body: text,
    })
}

/// What [`Request::on_wait`] calls before a wait: with the error retried, or `None` while the
/// browser is offline.
type OnWait = Rc<dyn Fn(Option<&Error>)>;

/// One request: method, URL, credentials, JSON body and how it is retried.
pub struct Request {
    method: Method,
    url: String,
    query: Vec<(String, String)>,
    /// Request headers besides `accept` and `content-type` (authorization, idempotency key).
    headers: Vec<(&'static str, String)>,
    accept: &'static str,
    body: Option<String>,
    idempotent: bool,
    retry: RetryPolicy,
    signal: Option<AbortSignal>,
    timeout: Option<Duration>,
    on_wait: Option<OnWait>,
}

impl Request {
    /// A `method` request to `url` (absolute, or a path; see [`Request::under`]) accepting
    /// JSON, retried by [`RetryPolicy::default`].
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            query: Vec::new(),
            headers: Vec::new(),
            accept: "application/json",
            body: None,
            idempotent: method.is_idempotent(),
            retry: RetryPolicy::default(),
            signal: None,
            timeout: None,
            on_wait: None,
        }
    }

    /// Puts `base` (e.g. `https://chat.example.com`) in front of the URL.
    pub fn under(mut self, base: &str) -> Self {
        self.url.insert_str(0, base);
        self
    }

    /// Sends `Authorization: Bearer {token}` (nothing for an empty token).
    pub fn bearer(mut self, token: &str) -> Self {
        if !token.is_empty() {
            self.headers.push(("authorization", format!("Bearer {token}")));
        }
        self
    }

    /// Sends the header `name: value` (`name` in lower case).
    pub fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The `Accept` header (default `application/json`).
    pub fn accept(mut self, accept: &'static str) -> Self {
        self.accept = accept;
        self
    }

    /// Sets the JSON body to `body` (see [`to_json`]).
    pub fn json<T: Serialize + ?Sized>(self, body: &T) -> Result<Self, Error> {
        Ok(self.json_text(to_json(body)?))
    }

    /// Sets the JSON body to `text`, sent byte for byte (a queued submission).
    pub fn json_text(mut self, text: String) -> Self {
        self.body = Some(text);
        self
    }

    /// Adds the members of `params` (a struct of scalars) to the query, skipping `null`s:
    /// strings as they are, other values as JSON.
    pub fn query(mut self, params: &impl Serialize) -> Result<Self, Error> {
        let value = to_js(params)?;
        if value.is_object() {
            for entry in js_sys::Object::entries(value.unchecked_ref()).iter() {
                let entry: js_sys::Array = entry.unchecked_into();
                let (name, value) = (entry.get(0), entry.get(1));
                let value = match value.as_string() {
                    Some(text) => text,
                    None if value.is_null() || value.is_undefined() => continue,
                    None => js_sys::JSON::stringify(&value)
                        .map(String::from)
                        .map_err(|e| encode_error(describe(&e)))?,
                };
                self.query.push((name.as_string().unwrap_or_default(), value));
            }
        }
        Ok(self)
    }

    /// Marks a `POST` as safe to repeat: it carries an idempotency key (a message id, a
    /// submission's key), so the server answers a repeat with the first result.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Sends `Idempotency-Key: {key}` and marks the request [`idempotent`](Self::idempotent):
    /// the server answers a repeat with the same key with the first result.
    pub fn idempotency_key(mut self, key: &str) -> Self {
        self.headers.push(("idempotency-key", key.to_owned()));
        self.idempotent()
    }

    /// Retries by `policy` ([`RetryPolicy::NONE`]: never).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Aborts the request, and any wait between attempts, when `signal` fires
    /// ([`Error::Aborted`]).
    pub fn signal(mut self, signal: Option<AbortSignal>) -> Self {
        self.signal = signal;
        self
    }

    /// Gives each attempt at most `timeout` to answer; a timed-out attempt is a retryable
    /// [`Error::Network`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Calls `on_wait` whenever the request waits: for the browser to be online (`None`), or
    /// before a retry, with the error retried (the lead form shows "saved, will be sent"
    /// then; the widget says "slow down" after a 429).
    pub fn on_wait(mut self, on_wait: impl Fn(Option<&Error>) + 'static) -> Self {
        self.on_wait = Some(Rc::new(on_wait));
        self
    }

    /// Sends the request and reads its JSON answer as `T`.
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        from_json(self.send_text().await?)
    }

    /// Sends the request, whose success answer has no body (204).
    pub async fn send_empty(self) -> Result<(), Error> {
        self.send_text().await.map(drop)
    }

    /// Sends the request and answers the raw text of its success answer, or the last error.
    ///
    /// Retried by its [`RetryPolicy`]: idempotent requests (`GET`, `PUT`, `DELETE`, and a
    /// `POST` marked [`Request::idempotent`]) after a network error, a 408, a 429 or a 5xx;
    /// every request after a 429 (the rate limit refuses before anything is done). The delay
    /// is `Retry-After` when the server sent one, else [`RetryPolicy::delay`]. While the
    /// browser is offline no attempt is made or counted; a wait ends early when it comes
    /// back online.
    pub async fn send_text(self) -> Result<String, Error> {
        let mut attempt = 0;
        loop {
            while !online() {
                self.wait(Duration::from_secs(1), None).await?;
            }
            let error = match self.attempt().await {
                Ok(text) => return Ok(text),
                Err(error) => error,
            };
            // Failures while offline do not count: the browser never tried.
            if matches!(error, Error::Network(_)) && !online() {
                continue;
            }
            attempt += 1;
            let retryable = error.status() == Some(429) || (self.idempotent && error.is_retryable());
            if !retryable || attempt >= self.retry.max_attempts {
                return Err(error);
            }
            let delay = match &error {
                Error::Api {
                    retry_after: Some(secs),
                    ..
                } => Duration::from_secs(u64::from(*secs)),
                _ => self.retry.delay(attempt - 1),
            };
            if delay > self.retry.max_delay {
                return Err(error);
            }
            self.wait(delay, Some(&error)).await?;
        }
    }

    /// The `fetch` request to send: method, URL, query, headers, signal, body.
    fn build(&self) -> Result<gloo_net::http::Request, Error> {
        let mut builder = gloo_net::http::RequestBuilder::new(&self.url)
            .method(self.method.gloo())
            .header("accept", self.accept);
        if !self.query.is_empty() {
            builder = builder.query(self.query.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        }
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        let timeout = self
            .timeout
            .map(|t| AbortSignal::timeout_with_u32(t.as_millis().try_into().unwrap_or(u32::MAX)));
        let signal = match (&self.signal, timeout) {
            (Some(signal), Some(timeout)) => Some(AbortSignal::any(&js_sys::Array::of2(signal, &timeout))),
            (signal, timeout) => signal.clone().or(timeout),
        };
        builder = builder.abort_signal(signal.as_ref());
        match &self.body {
            Some(body) => builder
                .header("content-type", "application/json")
                .body(body.as_str()),
            None => builder.build(),
        }
        .map_err(gloo_error)
    }

    /// One `fetch`: the body text of a 2xx answer, or the error.
    async fn attempt(&self) -> Result<String, Error> {
        let response = self.build()?.send().await.map_err(gloo_error)?;
        let text = response.text().await.map_err(gloo_error)?;
        if response.ok() {
            return Ok(text);
        }
        Err(api_error(&response, text))
    }

    /// Sends the request once (a stream is reopened by its reader, not retried here) and
    /// answers the reader of its 2xx answer's body, chunk by chunk, as it arrives (a
    /// `text/event-stream`, see [`super::sse`]). Dropping the reader aborts the request.
    ///
    /// # Errors
    /// [`Error::Network`] when the server cannot be reached, [`Error::Api`] with the
    /// problem of a non-2xx answer, [`Error::Aborted`] when the request's signal aborts it.
    #[cfg(feature = "management")]
    pub async fn open(mut self) -> Result<BodyReader, Error> {
        let abort = web_sys::AbortController::new().map_err(|e| Error::Network(describe(&e)))?;
        self.signal = Some(match self.signal.take() {
            Some(signal) => AbortSignal::any(&js_sys::Array::of2(&signal, &abort.signal())),
            None => abort.signal(),
        });
        let response = self.build()?.send().await.map_err(gloo_error)?;
        if !response.ok() {
            let text = response.text().await.map_err(gloo_error)?;
            return Err(api_error(&response, text));
        }
        let body = response
            .body()
            .ok_or_else(|| Error::Network("the answer has no body".into()))?;
        Ok(BodyReader {
            reader: body.get_reader().unchecked_into(),
            abort,
        })
    }

    /// Waits `delay` (less when the browser comes back online), telling `on_wait` why
    /// (`cause`); fails with [`Error::Aborted`] if the request was aborted by then.
    async fn wait(&self, delay: Duration, cause: Option<&Error>) -> Result<(), Error> {
        if let Some(on_wait) = &self.on_wait {
            on_wait(cause);
        }
        let epoch = online_epoch();
        let mut waited = Duration::ZERO;
        while waited < delay && online_epoch() == epoch && !self.aborted() {
            let step = (delay - waited).min(Duration::from_millis(250));
            gloo_timers::future::sleep(step).await;
            waited += step;
        }
        if self.aborted() {
            return Err(Error::Aborted);
        }
        Ok(())
    }

    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::aborted)
    }
}

/// The error of a non-2xx answer whose body is `text`: its problem (RFC 9457), or one made
/// from the status when the body is not one (a proxy's error page), with `Retry-After`.
fn api_error(response: &gloo_net::http::Response, text: String) -> Error {
    let status = response.status();
    let problem = from_json::<Problem>(text.clone()).unwrap_or_else(|_| {
        let problem = Problem::new(status, code_for_status(status), response.status_text());
        if text.is_empty() {
            problem
        } else {
            problem.with_detail(text)
        }
    });
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    Error::Api {
        problem: Box::new(problem),
        retry_after,
    }
}

/// The body of an answer opened with [`Request::open`], read as it arrives. Dropping it
/// aborts the request.
#[cfg(feature = "management")]
#[derive(Debug)]
pub struct BodyReader {
    reader: web_sys::ReadableStreamDefaultReader,
    abort: web_sys::AbortController,
}

#[cfg(feature = "management")]
impl BodyReader {
    /// The next chunk of the body; `None` at its end.
    ///
    /// # Errors
    /// [`Error::Network`] when the connection breaks.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let read = wasm_bindgen_futures::JsFuture::from(self.reader.read())
            .await
            .map_err(|e| Error::Network(describe(&e)))?;
        let read: web_sys::ReadableStreamReadResult = read.unchecked_into();
        if read.get_done().unwrap_or(false) {
            return Ok(None);
        }
        Ok(Some(js_sys::Uint8Array::new(&read.get_value()).to_vec()))
    }
}

#[cfg(feature = "management")]
impl Drop for BodyReader {
    fn drop(&mut self) {
        self.abort.abort();
    }
}

/// A gloo-net error: the thrown JavaScript error's name decides.
fn gloo_error(error: gloo_net::Error) -> Error {
    match error {
        gloo_net::Error::JsError(e) if e.name == "AbortError" => Error::Aborted,
        gloo_net::Error::JsError(e) if e.name == "TimeoutError" => Error::Network("no answer in time".into()),
        gloo_net::Error::JsError(e) => Error::Network(e.message),
        other => Error::Network(other.to_string()),
    }
}

/// `true` unless the browser says it is offline (always `true` outside a page, e.g. Node.js).
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

thread_local! {
    /// Bumped by every `online` event of the page; `None` until the listener is installed.
    static ONLINE_EPOCH: Cell<Option<u32>> = const { Cell::new(None) };
}

/// How many times the page came back online; installs the `online` listener on first use.
fn online_epoch() -> u32 {
    if let Some(epoch) = ONLINE_EPOCH.with(Cell::get) {
        return epoch;
    }
    ONLINE_EPOCH.with(|e| e.set(Some(0)));
    if let Some(window) = web_sys::window() {
        let listener = Closure::<dyn FnMut()>::new(|| {
            ONLINE_EPOCH.with(|e| e.set(Some(e.get().unwrap_or(0).wrapping_add(1))));
        });
        let _ = window.add_event_listener_with_callback("online", listener.as_ref().unchecked_ref());
        // Lives as long as the page, like the requests that wait for it.
        listener.forget();
    }
    0
}

/// The message of a thrown JavaScript value: `Error.message` (a `DOMException` is an
/// `Error`), or the value itself when it is a string. Used instead of `{:?}`, which pulls in
/// the Debug machinery and the glue's `debugString` (and prints nothing under
/// `-Zfmt-debug=none`).
pub(crate) fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
