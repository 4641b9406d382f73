//! `ParloClient`: the management client ([`crate::management`]) for JavaScript.
//!
//! ```js
//! import { ParloClient } from "parlo/client";
//! const parlo = new ParloClient({ baseUrl: "https://chat.example.com", apiKey: "parlo_sk_…" });
//! const tag = await parlo.tags.create("vip");
//! const { items } = await parlo.subscribers.list({ tag: "vip", limit: 50 });
//! await parlo.subscribers.addTags(items[0].id, ["vip", tag.id]);
//! ```
//!
//! One getter per resource (`apiKeys`, `channels`, `tags`, `customFields`, `botFields`, `subscribers`,
//! `conversations`, `inbox`, `flows`, `broadcasts`, `forms`, `leads`, `webhookEndpoints`, `deliveries`,
//! `products`, `carts`, `orders`, `workspaces`), one async method per operation, and `listAll` beside each `list` (every
//! page). Arguments and answers are the wire types (snake_case members, as in the JSON),
//! declared in the `.d.ts` from the Rust types (tsify). A failed request rejects with a
//! `ParloError` (an `Error` with `code`, `status`, `problem`, `retryAfter`, `body`); an
//! argument that is not of its declared type rejects with a `TypeError`.

mod broadcasts;
mod channels;
mod content;
mod fields;
mod flows;
mod inbox;
mod outbox;
mod shop;
mod subscribers;

pub use broadcasts::Broadcasts;
pub use channels::Channels;
pub use content::{Forms, Leads};
pub use fields::{BotFields, CustomFields, Tags};
pub use flows::Flows;
pub use inbox::{Inbox, InboxStream};
pub use outbox::{Deliveries, WebhookEndpoints};
pub use shop::{Carts, Orders, Products};
pub use subscribers::{Conversations, Subscribers};

use crate::management::{Client, Error, ListParams, RetryPolicy, all_pages};
use parlo_model::user::Login;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const PARLO_ERROR: &str = r##"
/** What a `ParloClient` promise rejects with when a request fails. */
export interface ParloError extends Error {
  name: "ParloError";
  /** The problem's stable code (e.g. "not_found", "validation_failed"), or "network_error" / "decode_error". */
  code: string;
  /** HTTP status of an API error. */
  status?: number;
  /** The decoded problem+json body of an API error (`errors` lists per-field problems). */
  problem?: Problem;
  /** `Retry-After` in seconds, when the server sent one. */
  retryAfter?: number;
  /** The raw body of an answer that was not what the API documents. */
  body?: string;
}
"##;

/// Options of `new ParloClient(…)`.
#[derive(Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientOptions {
    /// Origin of the Parlo server, e.g. `https://chat.example.com`.
    pub base_url: String,
    /// A management API key, `parlo_sk_…`.
    pub api_key: String,
    /// Attempts per request, the first included (default 5; 1 never retries).
    #[serde(default)]
    #[tsify(optional)]
    pub max_attempts: Option<u32>,
}

/// The management API client. `new ParloClient({ baseUrl, apiKey })`.
#[wasm_bindgen]
pub struct ParloClient {
    client: Client,
}

/// A resource getter's answer: the resource's JS class around a clone of the client.
///
/// Docs are given as `#[doc = "…"]`: a `///` comment passed through a `macro_rules!` becomes a
/// raw string (`r"…"`), which wasm-bindgen copies into the `.d.ts` with its `r"`.
macro_rules! resources {
    ($($(#[$doc:meta])* $getter:ident $js:literal => $class:ident),* $(,)?) => {
        #[wasm_bindgen]
        impl ParloClient {
            $(
                $(#[$doc])*
                #[wasm_bindgen(getter, js_name = $js)]
                pub fn $getter(&self) -> $class {
                    $class(self.client.clone())
                }
            )*
        }
    };
}

resources! {
    #[doc = " API keys: `create`, `list`, `listAll`, `regenerate`, `revoke`."]
    api_keys "apiKeys" => ApiKeys,
    #[doc = " Channels: `list`, `listAll`, `create`, `get`, `put`, `delete`, `rotateIdentitySecret`,"]
    #[doc = " and their keywords: `listKeywords`, `createKeyword`, `getKeyword`, `putKeyword`, `deleteKeyword`."]
    channels "channels" => Channels,
    #[doc = " Tags: `list`, `listAll`, `create`, `get`, `delete` (by id or name)."]
    tags "tags" => Tags,
    #[doc = " Custom fields: `list`, `listAll`, `create`, `get`, `update`, `delete`."]
    custom_fields "customFields" => CustomFields,
    #[doc = " Bot fields: `list`, `listAll`, `create`, `get`, `update`, `delete`, `setValues`."]
    bot_fields "botFields" => BotFields,
    #[doc = " Subscribers: `list`, `listAll`, `find`, `create`, `createMany`, `get`, `update`,"]
    #[doc = " `delete`, `export`, `erase`, `addTags`, `removeTags`, `setFields`, `clearFields`."]
    subscribers "subscribers" => Subscribers,
    #[doc = " Conversations: `history`, `historyAll`, `sendMessage`, `sendFlow`, `sendContent`,"]
    #[doc = " `pauseBot`, `resumeBot`."]
    conversations "conversations" => Conversations,
    #[doc = " The inbox: `list`, `listAll` (newest activity first, unread counts), `markRead`,"]
    #[doc = " `events` (the live workspace event stream)."]
    inbox "inbox" => Inbox,
    #[doc = " Flows: `list`, `listAll`, `get`, `create`, `put`, `delete`, `folders`, `statistics`,"]
    #[doc = " `trigger`."]
    flows "flows" => Flows,
    #[doc = " Broadcasts: `create`, `list`, `listAll`, `get`, `cancel`, `recipients`, `recipientsAll`."]
    broadcasts "broadcasts" => Broadcasts,
    #[doc = " Lead forms: `list`, `listAll`, `create`, `get`, `put`, `delete`, `stats`."]
    forms "forms" => Forms,
    #[doc = " Leads: `list`, `listAll`, `get`, `exportCsv`."]
    leads "leads" => Leads,
    #[doc = " Webhook endpoints: `list`, `listAll`, `create`, `get`, `delete`, `rotateSecret`."]
    webhook_endpoints "webhookEndpoints" => WebhookEndpoints,
    #[doc = " Deliveries: `list`, `listAll`, `get`, `redeliver`."]
    deliveries "deliveries" => Deliveries,
    #[doc = " Shop products: `create`, `list`, `listAll`, `get`, `put`, `delete`."]
    products "products" => Products,
    #[doc = " Subscribers' carts: `get`, `add`, `setQuantity`, `remove`, `empty`."]
    carts "carts" => Carts,
    #[doc = " Orders: `create`, `list`, `listAll`, `get`, `setStatus`, `automations`, `setAutomations`."]
    orders "orders" => Orders,
    #[doc = " The logged-in user's workspaces: `list`, `listAll`, `create`, `delete`, `apiKeys`,"]
    #[doc = " `createApiKey` (a client from `ParloClient.login`)."]
    workspaces "workspaces" => Workspaces,
}

#[wasm_bindgen]
impl ParloClient {
    /// A client for the server at `baseUrl` with the API key `apiKey`. Throws a `TypeError`
    /// for missing or mistyped options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Ts<ClientOptions>) -> Result<ParloClient, JsValue> {
        let options = to_rust(&options, "options")?;
        Ok(Self {
            client: Client::with_retry(
                &options.base_url,
                &options.api_key,
                retry_policy(options.max_attempts),
            ),
        })
    }

    /// Logs a console user in; resolves to `{ client, session }`, `client` holding the
    /// session token (for `workspaces`, and every resource of the user's workspaces).
    #[wasm_bindgen(unchecked_return_type = "Promise<{ client: ParloClient; session: UserSession }>")]
    pub fn login(base_url: String, login: Ts<Login>) -> js_sys::Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            let login = to_rust(&login, "login")?;
            let (client, session) = Client::login(&base_url, &login).await.map_err(Failure::from)?;
            let answer = js_sys::Object::new();
            js_sys::Reflect::set(&answer, &"client".into(), &ParloClient { client }.into())?;
            js_sys::Reflect::set(&answer, &"session".into(), &json_value(&session)?)?;
            Ok(answer.into())
        })
    }

    /// A client acting on the workspace with id `workspaceId` (the `Parlo-Workspace` header
    /// on every request) with this client's session token: a logged-in user's way to the
    /// workspace's resources. Throws a `TypeError` for an id that is not a positive integer.
    #[wasm_bindgen(js_name = inWorkspace)]
    pub fn in_workspace(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] workspace_id: JsValue,
    ) -> Result<ParloClient, JsValue> {
        let id: i64 = arg(&workspace_id, "workspaceId")?;
        if id <= 0 {
            return Err(js_sys::TypeError::new("invalid `workspaceId`: not a positive integer").into());
        }
        Ok(ParloClient {
            client: self.client.in_workspace(id),
        })
    }

    /// Ends this client's user session (its token stops working).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn logout(&self) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move { Ok(client.logout().await?) })
    }

    /// Ends every session of this client's user.
    #[wasm_bindgen(js_name = logoutAll, unchecked_return_type = "Promise<void>")]
    pub fn logout_all(&self) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move { Ok(client.logout_all().await?) })
    }
}

/// `parlo.apiKeys`: the workspace's API keys.
#[wasm_bindgen]
pub struct ApiKeys(Client);

#[wasm_bindgen]
impl ApiKeys {
    /// A new key; its `secret` is shown only in this answer.
    #[wasm_bindgen(unchecked_return_type = "Promise<CreatedApiKey>")]
    pub fn create(&self, name: String) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.api_keys().create(&name).await?) })
    }

    /// One page of unrevoked keys (never their secrets).
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<ApiKey>>")]
    pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.api_keys().list(page_params(params)?).await?) })
    }

    /// Every unrevoked key, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<ApiKey[]>")]
    pub fn list_all(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(all_pages(|c| client.api_keys().list(ListParams::after(c))).await?) })
    }

    /// A new secret for the key with this id (same id and name), shown only in this
    /// answer; the old secret is refused from its next request.
    #[wasm_bindgen(unchecked_return_type = "Promise<CreatedApiKey>")]
    pub fn regenerate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.api_keys().regenerate(arg(&id, "id")?).await?) })
    }

    /// Revokes the key with this id; resolves to `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn revoke(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.api_keys().revoke(arg(&id, "id")?).await?) })
    }
}

/// `parlo.workspaces`: the logged-in user's workspaces and their API keys.
#[wasm_bindgen]
pub struct Workspaces(Client);

#[wasm_bindgen]
impl Workspaces {
    /// One page of the workspaces the user owns.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Workspace>>")]
    pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.workspaces().list(page_params(params)?).await?) })
    }

    /// Every workspace the user owns, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Workspace[]>")]
    pub fn list_all(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(all_pages(|c| client.workspaces().list(ListParams::after(c))).await?) })
    }

    /// A new workspace, e.g. `{ slug: "acme", name: "Acme" }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Workspace>")]
    pub fn create(&self, workspace: Ts<parlo_model::workspace::CreateWorkspace>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .workspaces()
                .create(&to_rust(&workspace, "workspace")?)
                .await?)
        })
    }

    /// Deletes a workspace with everything in it; `confirm` must be its slug.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] workspace_id: JsValue,
        confirm: String,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let id = arg(&workspace_id, "workspaceId")?;
            Ok(client.workspaces().delete(id, &confirm).await?)
        })
    }

    /// One page of a workspace's API keys.
    #[wasm_bindgen(js_name = apiKeys, unchecked_return_type = "Promise<Page<ApiKey>>")]
    pub fn api_keys(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] workspace_id: JsValue,
        params: Option<Ts<ListParams>>,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let id = arg(&workspace_id, "workspaceId")?;
            Ok(client.workspaces().api_keys(id, page_params(params)?).await?)
        })
    }

    /// A new API key of a workspace; its `secret` is shown only in this answer.
    #[wasm_bindgen(js_name = createApiKey, unchecked_return_type = "Promise<CreatedApiKey>")]
    pub fn create_api_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] workspace_id: JsValue,
        name: String,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let id = arg(&workspace_id, "workspaceId")?;
            Ok(client.workspaces().create_api_key(id, &name).await?)
        })
    }
}

/// The retry policy of `maxAttempts` (the default one without).
fn retry_policy(max_attempts: Option<u32>) -> RetryPolicy {
    let mut retry = RetryPolicy::default();
    if let Some(attempts) = max_attempts {
        retry.max_attempts = attempts.max(1);
    }
    retry
}

/// Why a call failed: a rejected request ([`Error`]) or a bad argument (a `TypeError`).
pub(crate) enum Failure {
    Request(Error),
    Argument(JsValue),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Request(error)
    }
}

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Request(error) => parlo_error(&error),
            Failure::Argument(error) => error,
        }
    }
}

/// A `Promise` of `answer`'s value as JSON data, or rejected with its failure.
pub(crate) fn promise<T: Serialize>(
    answer: impl Future<Output = Result<T, Failure>> + 'static,
) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move { json_value(&answer.await?) })
}

/// `value` as JavaScript data (`JSON.parse` of its JSON); `()` (a 204 answer) is
/// `undefined`, as `Promise<void>` says.
fn json_value<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(value).map_err(|e| js_sys::Error::new(&e.to_string()))?;
    if json == "null" {
        return Ok(JsValue::UNDEFINED);
    }
    js_sys::JSON::parse(&json)
}

/// The Rust value of a typed argument; a `TypeError` naming `name` when it does not fit.
pub(crate) fn to_rust<T: Tsify + DeserializeOwned>(value: &Ts<T>, name: &str) -> Result<T, Failure> {
    arg(&value.js_value(), name)
}

/// The Rust value of an argument declared with `unchecked_param_type`; a `TypeError`
/// naming `name` when it does not fit (`undefined` included).
pub(crate) fn arg<T: DeserializeOwned>(value: &JsValue, name: &str) -> Result<T, Failure> {
    let bad =
        |why: String| Failure::Argument(js_sys::TypeError::new(&format!("invalid `{name}`: {why}")).into());
    let json = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| bad("not JSON data".into()))?;
    serde_json::from_str(&json).map_err(|e| bad(e.to_string()))
}

/// The value of an optional typed argument (its `Default` without one).
pub(crate) fn opt<T: Tsify + DeserializeOwned + Default>(
    value: Option<Ts<T>>,
    name: &str,
) -> Result<T, Failure> {
    value.map_or(Ok(T::default()), |v| to_rust(&v, name))
}

/// `ListParams` of an optional argument (the defaults without one).
pub(crate) fn page_params(params: Option<Ts<ListParams>>) -> Result<ListParams, Failure> {
    opt(params, "params")
}

/// The `ParloError` (see the TypeScript declaration above) for `error`.
fn parlo_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("ParloError");
    let set = |name: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&js, &name.into(), &value);
    };
    match error {
        Error::Api { problem, retry_after } => {
            set("code", problem.code.as_str().into());
            set("status", problem.status.into());
            let problem = serde_json::to_string(problem)
                .ok()
                .and_then(|p| js_sys::JSON::parse(&p).ok());
            set("problem", problem.unwrap_or(JsValue::UNDEFINED));
            if let Some(secs) = retry_after {
                set("retryAfter", (*secs).into());
            }
        }
        Error::Decode { body, .. } => {
            set("code", "decode_error".into());
            set("body", body.as_str().into());
        }
        _ => set("code", "network_error".into()),
    }
    js.into()
}
