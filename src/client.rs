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
//! let session = client.sessions().start(&StartSession::default()).await?;
//! let history = client.messages(&session.session_token).list_all(0).await?;
//! # let _ = history;
//! # Ok(())
//! # }
//! ```
//!
//! Errors are one [`Error`] enum; an API error carries the decoded
//! [`Problem`](parlo_model::problem::Problem) body.
//!
//! # Why a hand-written codec and raw `fetch`/`EventSource`
//!
//! The platform's usual crates would be `serde` + `serde-wasm-bindgen` for the JSON values
//! and `gloo-net` for HTTP and the event stream. Each was built in and measured against the
//! bundle budget (≤ 100,000 bytes brotli for `parlo_bg.wasm` + `parlo.js`; `cargo build
//! --profile web` with `opt-level = "z"`, fat LTO, one codegen unit, `panic = "abort"`, then
//! `wasm-bindgen --target web`, `wasm-opt -Oz`, `brotli -q 11`; 2026-11-21):
//!
//! | variant | wasm | JS glue | total |
//! |---|---:|---:|---:|
//! | hand codec ([`json`]), raw web-sys `fetch` + `EventSource` (this code) | 91,815 | 7,315 | **99,130** |
//! | serde: `JSON.parse` → `serde_wasm_bindgen::from_value`, `Serializer::json_compatible()` → `JSON.stringify`, stream events as the model's `StreamEvent` | 121,500 | 7,913 | 129,413 |
//! | the same, stream data decoded as `Message` / `{duration_ms}` (no adjacently tagged enum) | 112,795 | 7,888 | 120,683 |
//! | hand codec + `gloo-net` 0.7 `http` (no default features) | 93,556 | 7,558 | 101,114 |
//! | hand codec + `gloo-net` 0.7 `eventsource` | 94,020 | 7,451 | 101,471 |
//! | hand codec + `gloo-net` 0.7 `http` + `eventsource` | 95,477 | 7,638 | 103,115 |
//!
//! serde costs about 21.5 KB brotli at best: its error messages format `f64`
//! (`Unexpected::Float`, pulling in core's float printing, ≈ 25 KB raw with its tables), and
//! the internally tagged `ButtonAction` needs serde's `Content` buffering. `gloo-net` alone
//! costs 2–4 KB, more than the 870 bytes left; its `EventSource` also reports no `open`
//! event and hides errors while the browser reconnects, which the connection indicator
//! ("Online" / "Reconnecting…") and the resume-after-last-`seq` backoff rely on.
//! `tests/client.rs` checks the codec against the model's serde encoding, so the two cannot
//! drift apart.
//!
//! (These figures predate the size flags of `cargo xtask build`, which brought the total of
//! this code to 86,890 (see the crate docs); the other rows were not measured again with them.)

mod channel;
mod error;
mod events;
mod http;
pub mod json;
mod messages;
mod sessions;

pub use channel::ChannelApi;
pub use error::Error;
pub use events::{EventStream, StreamSignal};
pub(crate) use http::describe;
pub use http::{RetryPolicy, new_message_id};
// Only the widget and lead forms wait for the browser to be online.
#[cfg(any(feature = "widget", feature = "forms"))]
pub(crate) use http::online;
pub use messages::MessagesApi;
pub use sessions::SessionsApi;

use parlo_model::ids::ChannelId;
use std::rc::Rc;
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

    /// URL of `path` under this channel, e.g. `/messages` →
    /// `{api_base}/api/public/v1/channels/{channel}/messages`.
    fn url(&self, path: &str) -> String {
        let channel = String::from(js_sys::encode_uri_component(self.channel.as_str()));
        self.public_url(&format!("/channels/{channel}{path}"))
    }

    /// URL of `path` under the public API root, e.g. `/forms/quote` →
    /// `{api_base}/api/public/v1/forms/quote` (resources not scoped to the channel).
    pub(crate) fn public_url(&self, path: &str) -> String {
        format!("{}/api/public/v1{path}", self.api_base)
    }
}
