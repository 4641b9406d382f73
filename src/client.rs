//! A small typed client for Parlo's public widget API (`/api/public/v1`).
//!
//! One accessor per resource, one method per operation, model types in and out:
//!
//! ```no_run
//! use parlo::client::Client;
//! use parlo_model::chat::StartSession;
//!
//! # async fn demo() -> Result<(), parlo::client::Error> {
//! let client = Client::new("https://chat.example.com", "demo".into());
//! let session = client.sessions().start(&StartSession::default(), "start-1").await?;
//! let history = client.messages(&session.session_token).list_all(0).await?;
//! # let _ = history;
//! # Ok(())
//! # }
//! ```
//!
//! Errors are one [`Error`] enum; an API error carries the decoded
//! [`Problem`](parlo_model::problem::Problem) body.
//!
//! Every request goes through the crate's one [`transport`] — the same request builder,
//! retry policy, problem decoder and status table as the lead forms and the management
//! client — and every value is read and written with the model's own serde derives over
//! `serde-wasm-bindgen`. Only the event stream ([`Client::events`]) uses `EventSource`
//! directly, for the reason given there.
//!
//! # What serde and gloo-net cost
//!
//! Bytes after `brotli -q 11` of `cargo xtask build` (Debian route, its size flags; wasm +
//! JS glue), 2026-12-06, before: hand-written codecs and raw `fetch`; after: this code.
//!
//! | bundle | before | after | change |
//! |---|---:|---:|---:|
//! | chat widget (`parlo_widget_bg.wasm` + `parlo_widget.js`) | 87,360 + 6,942 = 94,302 | 108,287 + 7,786 = 116,073 | +21,771 |
//! | lead forms (`pkg/forms/`) | 95,210 + 6,767 = 101,977 | 112,036 + 7,626 = 119,662 | +17,685 |
//! | management client (`pkg/client/`) | 156,081 + 7,986 = 164,067 | 176,725 + 9,413 = 186,138 | +22,071 |
//!
//! Both page bundles stay under their 125,000-byte budget. The forms pay less than the widget
//! because they already carried core's float formatting (the model's number checks), which
//! serde's error messages need too. The management client now carries `serde-wasm-bindgen`
//! beside the `serde_json` its JavaScript boundary (`ParloClient`) and the model's
//! `serde_json::Value` fields still use.

mod channel;
mod error;
mod events;
mod messages;
mod sessions;
#[cfg(feature = "management")]
pub mod sse;
pub mod transport;

pub use channel::ChannelApi;
pub use error::Error;
pub use events::{EventStream, StreamSignal};
pub use messages::MessagesApi;
pub use sessions::SessionsApi;
pub(crate) use transport::describe;
pub use transport::{RetryPolicy, online};

use parlo_model::ids::{ChannelId, MessageId};
use std::rc::Rc;
use transport::{Method, Request};
use web_sys::AbortSignal;

/// Client of one channel's public API.
///
/// Cheap to clone. Every request made through it can be cancelled at once with the
/// [`AbortSignal`] given to [`Client::with_signal`].
#[derive(Clone, Debug)]
pub struct Client {
    api_base: Rc<str>,
    channel: ChannelId,
    signal: Option<AbortSignal>,
}

impl PartialEq for Client {
    fn eq(&self, other: &Self) -> bool {
        self.api_base == other.api_base && self.channel == other.channel
    }
}

impl Client {
    /// A client for `channel` on the server at `api_base` (e.g. `https://chat.example.com`;
    /// a trailing `/` is ignored, an empty string means the page's own origin).
    pub fn new(api_base: &str, channel: ChannelId) -> Self {
        Self {
            api_base: api_base.trim_end_matches('/').into(),
            channel,
            signal: None,
        }
    }

    /// The same client, with every request aborted when `signal` fires.
    pub fn with_signal(mut self, signal: AbortSignal) -> Self {
        self.signal = Some(signal);
        self
    }

    /// The channel this client talks to.
    pub fn channel_id(&self) -> &ChannelId {
        &self.channel
    }

    /// The server's base URL, without a trailing `/` (empty: the page's own origin).
    pub fn api_base(&self) -> &str {
        &self.api_base
    }

    /// The channel's public configuration.
    pub fn channel(&self) -> ChannelApi<'_> {
        ChannelApi { client: self }
    }

    /// Visitor sessions: start or resume.
    pub fn sessions(&self) -> SessionsApi<'_> {
        SessionsApi { client: self }
    }

    /// Messages of the conversation of the session holding `session_token`.
    pub fn messages<'a>(&'a self, session_token: &'a str) -> MessagesApi<'a> {
        MessagesApi {
            client: self,
            token: session_token,
        }
    }

    /// A request to `path` under this channel, e.g. `/messages` →
    /// `{api_base}/api/public/v1/channels/{channel}/messages`, aborted with the client.
    fn request(&self, method: Method, path: &str) -> Request {
        let channel = String::from(js_sys::encode_uri_component(self.channel.as_str()));
        Request::new(
            method,
            public_url(&self.api_base, &format!("/channels/{channel}{path}")),
        )
        .signal(self.signal.clone())
    }
}

/// URL of `path` under the public API root of the server at `api_base`, e.g. `/forms/quote`
/// → `{api_base}/api/public/v1/forms/quote`.
pub(crate) fn public_url(api_base: &str, path: &str) -> String {
    format!("{}/api/public/v1{path}", api_base.trim_end_matches('/'))
}

/// A fresh client message id: `crypto.randomUUID()` (a version 4 UUID; every current
/// browser has it in secure contexts, i.e. HTTPS and `localhost`), else, on a plain-HTTP page,
/// `m` + the time in milliseconds + 16 random decimal digits (`Math.random`: unique enough
/// for an idempotency key within one conversation, not secret).
pub fn new_message_id() -> MessageId {
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .filter(|crypto| js_sys::Reflect::has(crypto, &"randomUUID".into()).unwrap_or(false));
    match crypto {
        Some(crypto) => MessageId(crypto.random_uuid()),
        None => MessageId(format!(
            "m{}{}",
            js_sys::Date::now() as u64,
            (js_sys::Math::random() * 1e16) as u64
        )),
    }
}
