//! `fetch` with JSON bodies, problem+json errors and retries with backoff.

use super::json::{FromJson, ToJson};
use super::{Client, Error};
use parlo_model::ids::MessageId;
use parlo_model::problem::{Problem, codes};
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

/// How a retryable request is repeated: exponential backoff with full jitter, honouring
/// `Retry-After`, and waiting for the browser to be back online without spending attempts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// Longest delay between two attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
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

    /// The delay before retry number `retry` (0 for the first retry), with full jitter.
    pub fn delay(&self, retry: u32) -> Duration {
        let cap = self
            .base_delay
            .saturating_mul(1 << retry.min(16))
            .min(self.max_delay);
        let cap = cap.as_millis() as u64;
        // Jitter (AWS architecture blog, "equal jitter"): uniform in [cap/2, cap].
        Duration::from_millis(cap / 2 + (js_sys::Math::random() * (cap / 2) as f64) as u64)
    }
}

/// A fresh client message id, `crypto.randomUUID()` when available (secure contexts), else
/// a version 4 UUID made from `crypto.getRandomValues()`.
pub fn new_message_id() -> MessageId {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if let Some(crypto) = crypto {
        if js_sys::Reflect::has(&crypto, &"randomUUID".into()).unwrap_or(false) {
            return MessageId(crypto.random_uuid());
        }
        let mut bytes = [0u8; 16];
        if crypto.get_random_values_with_u8_array(&mut bytes).is_ok() {
            bytes[6] = (bytes[6] & 0x0f) | 0x40;
            bytes[8] = (bytes[8] & 0x3f) | 0x80;
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            return MessageId(format!(
                "{}-{}-{}-{}-{}",
                &hex[..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..]
            ));
        }
    }
    MessageId(format!("m{}", (js_sys::Math::random() * 1e16) as u64))
}

/// `true` unless the browser says it is offline.
pub(crate) fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

impl Client {
    /// Sends one request to `path` under the channel, repeated by `policy` while the error
    /// is retryable (only for idempotent requests), and decodes its JSON answer.
    pub(crate) async fn request<T: FromJson>(
        &self,
        policy: RetryPolicy,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&dyn ToJson>,
    ) -> Result<T, Error> {
        self.request_url(policy, method, &self.url(path), token, body)
            .await
    }

    /// [`Client::request`] to a full `url` (see [`Client::public_url`]).
    pub(crate) async fn request_url<T: FromJson>(
        &self,
        policy: RetryPolicy,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<&dyn ToJson>,
    ) -> Result<T, Error> {
        let body = match body {
            Some(body) => {
                Some(js_sys::JSON::stringify(&body.to_json()).map_err(|e| Error::Network(describe(&e)))?)
            }
            None => None,
        };
        let (value, text) = self
            .fetch_with_retry(policy, method, url, token, body.as_ref())
            .await?;
        T::from_json(&value).map_err(|message| Error::Decode { message, body: text })
    }

    /// The retry loop around [`Client::fetch`]; not generic, so it is compiled once.
    async fn fetch_with_retry(
        &self,
        policy: RetryPolicy,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<&js_sys::JsString>,
    ) -> Result<(JsValue, String), Error> {
        let mut attempt = 0;
        loop {
            while !online() {
                self.sleep(Duration::from_secs(1)).await?;
            }
            let error = match self.fetch(method, url, token, body).await {
                Ok(answer) => return Ok(answer),
                Err(error) => error,
            };
            // Failures while offline do not count: the browser never tried.
            if matches!(error, Error::Network(_)) && !online() {
                continue;
            }
            attempt += 1;
            if attempt >= policy.max_attempts || !error.is_retryable() {
                return Err(error);
            }
            let delay = match &error {
                Error::Api {
                    retry_after: Some(secs),
                    ..
                } => Duration::from_secs(u64::from(*secs)),
                _ => policy.delay(attempt - 1),
            };
            self.sleep(delay).await?;
        }
    }

    /// One `fetch`: the parsed JSON of a success answer (and its raw text), or the error.
    async fn fetch(
        &self,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<&js_sys::JsString>,
    ) -> Result<(JsValue, String), Error> {
        let init = RequestInit::new();
        init.set_method(method);
        let headers = js_sys::Object::new();
        let set = |name: &str, value: &str| {
            let _ = js_sys::Reflect::set(&headers, &name.into(), &value.into());
        };
        set("accept", "application/json");
        if let Some(token) = token {
            set("authorization", &format!("Bearer {token}"));
        }
        if let Some(body) = body {
            set("content-type", "application/json");
            init.set_body(body);
        }
        init.set_headers(&headers);
        if let Some(signal) = &self.signal {
            init.set_signal(Some(signal));
        }
        let window = web_sys::window().ok_or_else(|| Error::Network("no window".into()))?;
        let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await
            .map_err(fetch_error)?
            .unchecked_into();
        let status = response.status();
        let text = JsFuture::from(response.text().map_err(fetch_error)?)
            .await
            .map_err(fetch_error)?
            .as_string()
            .unwrap_or_default();
        let parsed = js_sys::JSON::parse(&text);
        if response.ok() {
            return match parsed {
                Ok(value) => Ok((value, text)),
                Err(e) => Err(Error::Decode {
                    message: describe(&e),
                    body: text,
                }),
            };
        }
        let problem = parsed
            .ok()
            .and_then(|value| Problem::from_json(&value).ok())
            .unwrap_or_else(|| {
                let code = match status {
                    401 => codes::UNAUTHORIZED,
                    403 => codes::FORBIDDEN,
                    404 => codes::NOT_FOUND,
                    429 => codes::RATE_LIMITED,
                    s if s >= 500 => codes::INTERNAL,
                    _ => codes::BAD_REQUEST,
                };
                Problem::new(status, code, response.status_text())
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

    /// Waits `duration`, or fails with [`Error::Aborted`] if the client was aborted by then.
    async fn sleep(&self, duration: Duration) -> Result<(), Error> {
        yew::platform::time::sleep(duration).await;
        match &self.signal {
            Some(signal) if signal.aborted() => Err(Error::Aborted),
            _ => Ok(()),
        }
    }
}

fn fetch_error(error: JsValue) -> Error {
    let name = js_sys::Reflect::get(&error, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    if name.as_deref() == Some("AbortError") {
        Error::Aborted
    } else {
        Error::Network(describe(&error))
    }
}

/// The message of a thrown JavaScript value: `Error.message` (a `DOMException` is an `Error`), or
/// the value itself when it is a string. Used instead of `{:?}`, which pulls in the Debug
/// machinery and the glue's `debugString` (and prints nothing under `-Zfmt-debug=none`).
pub(crate) fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
