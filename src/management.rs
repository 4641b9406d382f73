//! A typed client for Parlo's management API (`/api/v1`, API key auth), for browsers,
//! workers and Node.js (feature `management`; exported to JavaScript as `ParloClient`).
//!
//! One accessor per resource, one method per operation, model types in and out:
//!
//! ```no_run
//! use parlo::management::{Client, FlowFilter, ListParams, SubscriberFilter, all_pages};
//! use parlo_model::tag::IdOrName;
//!
//! # async fn demo() -> Result<(), parlo::management::Error> {
//! let client = Client::new("https://chat.example.com", "parlo_sk_…");
//! let vip = client.tags().create("vip").await?;
//! let filter = SubscriberFilter { email: Some("ada@example.com".into()), ..Default::default() };
//! let page = client.subscribers().list(&filter, ListParams::default()).await?;
//! for subscriber in &page.items {
//!     client.subscribers().add_tags(&subscriber.id, &[IdOrName::Id(vip.id)]).await?;
//!     client.conversations().send_message(&subscriber.id, "Welcome to VIP!").await?;
//! }
//! // Every flow, page after page:
//! let all = FlowFilter::default();
//! let flows = all_pages(|cursor| client.flows().list(&all, ListParams::after(cursor))).await?;
//! # let _ = flows;
//! # Ok(())
//! # }
//! ```
//!
//! - Authentication: the API key as `Authorization: Bearer parlo_sk_…` on every request (or
//!   a console user's session token, see [`Client::login`], for [`Client::workspaces`], and
//!   with [`Client::in_workspace`] for everything else).
//! - Errors: one [`Error`] enum (the same as the widget client's): `Network`, `Api` with the
//!   decoded [`Problem`](parlo_model::problem::Problem) (its `status` and stable `code`) and
//!   `Retry-After`, `Decode` with the raw body.
//! - Retries ([`RetryPolicy`], default 5 attempts, 0.5 s doubling up to 10 s, equal
//!   jitter): idempotent requests (`GET`, `PUT`, `DELETE`) after a network error, a 408, a
//!   429 or a 5xx; any request after a 429, which the rate limit answers before doing anything.
//!   `Retry-After` is honoured (async-stripe's and async-openai's strategy).
//! - Lists answer a [`Page`]; [`all_pages`] walks every page of any list.
//!
//! # Where it runs, and what it costs
//!
//! It calls the global `fetch` and `setTimeout`, so it runs in pages, workers and Node.js
//! ≥ 18 — compiled to wasm32 (on other targets it compiles, but the first request panics).
//! A page calling it from another origin needs the server's CORS for `/api/v1`, which
//! answers every origin (see the server README): the key never rides on cookies.
//!
//! Its requests go through the crate's one [`transport`](crate::client::transport), like the
//! widget's and the forms': the model's serde derives over `serde-wasm-bindgen`, gloo-net's
//! `fetch`, one retry policy, one problem decoder. (Its JavaScript boundary, `ParloClient`,
//! still converts arguments and answers with `serde_json`.)
//! The whole client wasm is measured in `xtask/src/build.rs`'s docs.

mod api_keys;
mod broadcasts;
mod carts;
mod channels;
mod conversations;
mod custom_fields;
mod deliveries;
mod flows;
mod forms;
mod http;
mod inbox;
mod leads;
mod orders;
mod pages;
mod products;
mod subscribers;
mod tags;
mod webhook_endpoints;
mod workspaces;

pub use crate::client::{Error, RetryPolicy};
pub use api_keys::ApiKeysApi;
pub use broadcasts::BroadcastsApi;
pub use carts::CartsApi;
pub use channels::ChannelsApi;
pub use conversations::{ConversationsApi, HistoryFilter};
pub use custom_fields::{BotFieldsApi, CustomFieldsApi, FieldsApi};
pub use deliveries::{DeliveriesApi, DeliveryFilter};
pub use flows::{FlowFilter, FlowsApi};
pub use forms::FormsApi;
pub use inbox::{InboxApi, InboxEvents, InboxFilter};
pub use leads::{LeadFilter, LeadsApi};
pub use orders::{OrderFilter, OrdersApi};
pub use pages::{ListParams, all_pages};
pub use parlo_model::page::Page;
pub use products::ProductsApi;
pub use subscribers::{SubscriberFilter, SubscribersApi};
pub use tags::TagsApi;
pub use webhook_endpoints::WebhookEndpointsApi;
pub use workspaces::WorkspacesApi;

use std::fmt;
use std::marker::PhantomData;
use std::rc::Rc;

/// Client of one workspace's management API: the API key decides the workspace.
///
/// Cheap to clone (the configuration is shared). Its `Debug` never shows the key.
#[derive(Clone)]
pub struct Client {
    inner: Rc<Inner>,
}

struct Inner {
    base_url: String,
    /// `parlo_sk_…`, a user session token, or empty (no `Authorization`, for logging in).
    api_key: String,
    /// With a user session token: the workspace the requests act on (`Parlo-Workspace`).
    workspace: Option<i64>,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("workspace", &self.inner.workspace)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the server at `base_url` (e.g. `https://chat.example.com`; a trailing
    /// `/` is ignored) with the management API key `api_key` (`parlo_sk_…`) and the default
    /// [`RetryPolicy`].
    pub fn new(base_url: &str, api_key: &str) -> Self {
        Self::with_retry(base_url, api_key, RetryPolicy::default())
    }

    /// Like [`Client::new`], retrying by `retry` ([`RetryPolicy::NONE`]: never).
    pub fn with_retry(base_url: &str, api_key: &str, retry: RetryPolicy) -> Self {
        Self {
            inner: Rc::new(Inner {
                base_url: base_url.trim_end_matches('/').to_owned(),
                api_key: api_key.to_owned(),
                workspace: None,
                retry,
            }),
        }
    }

    /// API keys of the workspace: create, list, revoke.
    pub fn api_keys(&self) -> ApiKeysApi<'_> {
        ApiKeysApi { client: self }
    }

    /// Web chat channels: settings, embed snippets, identity secrets.
    pub fn channels(&self) -> ChannelsApi<'_> {
        ChannelsApi { client: self }
    }

    /// Tags of the workspace.
    pub fn tags(&self) -> TagsApi<'_> {
        TagsApi { client: self }
    }

    /// Custom (user) fields of the workspace.
    pub fn custom_fields(&self) -> CustomFieldsApi<'_> {
        FieldsApi {
            client: self,
            collection: "/api/v1/custom-fields",
            answer: PhantomData,
        }
    }

    /// Subscribers, their tags and field values.
    pub fn subscribers(&self) -> SubscribersApi<'_> {
        SubscribersApi { client: self }
    }

    /// A subscriber's conversation: history, agent messages, sending flows and content,
    /// pausing the bot.
    pub fn conversations(&self) -> ConversationsApi<'_> {
        ConversationsApi { client: self }
    }

    /// The inbox: conversations newest activity first, read markers, the live workspace
    /// event stream.
    pub fn inbox(&self) -> InboxApi<'_> {
        InboxApi { client: self }
    }

    /// Bot (global) fields and their values.
    pub fn bot_fields(&self) -> BotFieldsApi<'_> {
        FieldsApi {
            client: self,
            collection: "/api/v1/bot-fields",
            answer: PhantomData,
        }
    }

    /// Flow documents, their folders and statistics.
    pub fn flows(&self) -> FlowsApi<'_> {
        FlowsApi { client: self }
    }

    /// Lead form definitions.
    pub fn forms(&self) -> FormsApi<'_> {
        FormsApi { client: self }
    }

    /// Leads (accepted form submissions) and their CSV export.
    pub fn leads(&self) -> LeadsApi<'_> {
        LeadsApi { client: self }
    }

    /// Broadcasts: create, list, get with statistics, cancel, recipients.
    pub fn broadcasts(&self) -> BroadcastsApi<'_> {
        BroadcastsApi { client: self }
    }

    /// Webhook endpoints.
    pub fn webhook_endpoints(&self) -> WebhookEndpointsApi<'_> {
        WebhookEndpointsApi { client: self }
    }

    /// Deliveries of the outbox (webhooks, e-mails) and redelivery.
    pub fn deliveries(&self) -> DeliveriesApi<'_> {
        DeliveriesApi { client: self }
    }

    /// Shop products and their variants.
    pub fn products(&self) -> ProductsApi<'_> {
        ProductsApi { client: self }
    }

    /// Subscribers' carts.
    pub fn carts(&self) -> CartsApi<'_> {
        CartsApi { client: self }
    }

    /// Shop orders and the automations of order events.
    pub fn orders(&self) -> OrdersApi<'_> {
        OrdersApi { client: self }
    }

    /// The logged-in user's workspaces (needs a session token, see [`Client::login`]).
    pub fn workspaces(&self) -> WorkspacesApi<'_> {
        WorkspacesApi { client: self }
    }
}
