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
pub(crate) use http::online;
pub use http::{RetryPolicy, new_message_id};
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
        format!("{}/api/public/v1/channels/{channel}{path}", self.api_base)
    }
}
