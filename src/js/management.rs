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
//! One getter per resource (`apiKeys`, `tags`, `customFields`, `subscribers`, `flows`), one
//! async method per operation; arguments and answers are the wire types (snake_case
//! members, as in the JSON), declared in the `.d.ts` from the Rust types (tsify). A failed
//! request rejects with a `ParloError` (an `Error` with `code`, `status`, `problem`,
//! `retryAfter`, `body`); an argument that is not of its declared type rejects with a
//! `TypeError`.

use crate::management::{Client, Error, ListParams, RetryPolicy, SubscriberQuery, all_pages};
use parlo_model::flow::Flow;
use parlo_model::ids::{FlowId, SubscriberId};
use parlo_model::tag::{CreateCustomField, FieldValue, IdOrName, UpdateCustomField};
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

#[wasm_bindgen]
impl ParloClient {
    /// A client for the server at `baseUrl` with the API key `apiKey`. Throws a `TypeError`
    /// for missing or mistyped options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Ts<ClientOptions>) -> Result<ParloClient, JsValue> {
        let options = to_rust(&options, "options")?;
        let mut retry = RetryPolicy::default();
        if let Some(attempts) = options.max_attempts {
            retry.max_attempts = attempts.max(1);
        }
        Ok(Self {
            client: Client::with_retry(&options.base_url, &options.api_key, retry),
        })
    }

    /// API keys: `create`, `list`, `listAll`, `revoke`.
    #[wasm_bindgen(getter, js_name = apiKeys)]
    pub fn api_keys(&self) -> ApiKeys {
        ApiKeys(self.client.clone())
    }

    /// Tags: `list`, `listAll`, `create`, `get`, `delete` (by id or name).
    #[wasm_bindgen(getter)]
    pub fn tags(&self) -> Tags {
        Tags(self.client.clone())
    }

    /// Custom fields: `list`, `listAll`, `create`, `get`, `update`, `delete`.
    #[wasm_bindgen(getter, js_name = customFields)]
    pub fn custom_fields(&self) -> CustomFields {
        CustomFields(self.client.clone())
    }

    /// Subscribers: `list`, `listAll`, `get`, `delete`, `addTags`, `removeTags`,
    /// `setFields`, `clearFields`.
    #[wasm_bindgen(getter)]
    pub fn subscribers(&self) -> Subscribers {
        Subscribers(self.client.clone())
    }

    /// Flows: `list`, `listAll`, `get`, `put`.
    #[wasm_bindgen(getter)]
    pub fn flows(&self) -> Flows {
        Flows(self.client.clone())
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

    /// Revokes the key with this id; resolves to `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn revoke(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.api_keys().revoke(arg(&id, "id")?).await?) })
    }
}

/// `parlo.tags`: the workspace's tags, by id (number) or name (string).
#[wasm_bindgen]
pub struct Tags(Client);

#[wasm_bindgen]
impl Tags {
    /// One page of tags in id order.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Tag>>")]
    pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.tags().list(page_params(params)?).await?) })
    }

    /// Every tag, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Tag[]>")]
    pub fn list_all(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(all_pages(|c| client.tags().list(ListParams::after(c))).await?) })
    }

    /// A new tag named `name`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Tag>")]
    pub fn create(&self, name: String) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.tags().create(&name).await?) })
    }

    /// One tag by id or name.
    #[wasm_bindgen(unchecked_return_type = "Promise<Tag>")]
    pub fn get(&self, tag: Ts<IdOrName>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.tags().get(&to_rust(&tag, "tag")?).await?) })
    }

    /// Deletes a tag (by id or name) and removes it from every subscriber.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, tag: Ts<IdOrName>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.tags().delete(&to_rust(&tag, "tag")?).await?) })
    }
}

/// `parlo.customFields`: the workspace's custom fields, by id (number) or name (string).
#[wasm_bindgen]
pub struct CustomFields(Client);

#[wasm_bindgen]
impl CustomFields {
    /// One page of fields in id order.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<CustomField>>")]
    pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.custom_fields().list(page_params(params)?).await?) })
    }

    /// Every field, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<CustomField[]>")]
    pub fn list_all(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(all_pages(|c| client.custom_fields().list(ListParams::after(c))).await?) })
    }

    /// A new field, e.g. `{ name: "plan", type: "text" }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<CustomField>")]
    pub fn create(&self, field: Ts<CreateCustomField>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.custom_fields().create(&to_rust(&field, "field")?).await?) })
    }

    /// One field by id or name.
    #[wasm_bindgen(unchecked_return_type = "Promise<CustomField>")]
    pub fn get(&self, field: Ts<IdOrName>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.custom_fields().get(&to_rust(&field, "field")?).await?) })
    }

    /// Renames the field with this id or changes its description.
    #[wasm_bindgen(unchecked_return_type = "Promise<CustomField>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
        changes: Ts<UpdateCustomField>,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, changes) = (arg(&id, "id")?, to_rust(&changes, "changes")?);
            Ok(client.custom_fields().update(id, &changes).await?)
        })
    }

    /// Deletes a field (by id or name) with every subscriber's value of it.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, field: Ts<IdOrName>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.custom_fields().delete(&to_rust(&field, "field")?).await?) })
    }
}

/// `parlo.subscribers`: subscribers, their tags and field values.
#[wasm_bindgen]
pub struct Subscribers(Client);

#[wasm_bindgen]
impl Subscribers {
    /// One page of the subscribers matching every filter given, oldest first.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Subscriber>>")]
    pub fn list(&self, query: Option<Ts<SubscriberQuery>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let query = query
                .map(|q| to_rust(&q, "query"))
                .transpose()?
                .unwrap_or_default();
            Ok(client.subscribers().list(query).await?)
        })
    }

    /// Every subscriber matching the filters (`limit` and `cursor` are ignored), all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Subscriber[]>")]
    pub fn list_all(&self, query: Option<Ts<SubscriberQuery>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let query: SubscriberQuery = query
                .map(|q| to_rust(&q, "query"))
                .transpose()?
                .unwrap_or_default();
            let subscribers = client.subscribers();
            Ok(all_pages(|c| subscribers.list(query.clone().page(ListParams::after(c)))).await?)
        })
    }

    /// One subscriber with its fields and tags.
    #[wasm_bindgen(unchecked_return_type = "Promise<Subscriber>")]
    pub fn get(&self, id: Ts<SubscriberId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.subscribers().get(&to_rust(&id, "id")?).await?) })
    }

    /// Deletes a subscriber with its sessions and conversations.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, id: Ts<SubscriberId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.subscribers().delete(&to_rust(&id, "id")?).await?) })
    }

    /// Adds tags (by id or name; a new name creates the tag); resolves to the subscriber.
    #[wasm_bindgen(js_name = addTags, unchecked_return_type = "Promise<Subscriber>")]
    pub fn add_tags(
        &self,
        id: Ts<SubscriberId>,
        #[wasm_bindgen(unchecked_param_type = "IdOrName[]")] tags: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, tags): (_, Vec<IdOrName>) = (to_rust(&id, "id")?, arg(&tags, "tags")?);
            Ok(client.subscribers().add_tags(&id, &tags).await?)
        })
    }

    /// Removes tags (by id or name); resolves to the subscriber.
    #[wasm_bindgen(js_name = removeTags, unchecked_return_type = "Promise<Subscriber>")]
    pub fn remove_tags(
        &self,
        id: Ts<SubscriberId>,
        #[wasm_bindgen(unchecked_param_type = "IdOrName[]")] tags: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, tags): (_, Vec<IdOrName>) = (to_rust(&id, "id")?, arg(&tags, "tags")?);
            Ok(client.subscribers().remove_tags(&id, &tags).await?)
        })
    }

    /// Sets field values (`value: null` clears), all or none; resolves to the subscriber.
    #[wasm_bindgen(js_name = setFields, unchecked_return_type = "Promise<Subscriber>")]
    pub fn set_fields(
        &self,
        id: Ts<SubscriberId>,
        #[wasm_bindgen(unchecked_param_type = "FieldValue[]")] fields: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, fields): (_, Vec<FieldValue>) = (to_rust(&id, "id")?, arg(&fields, "fields")?);
            Ok(client.subscribers().set_fields(&id, &fields).await?)
        })
    }

    /// Clears fields (by id or name); resolves to the subscriber.
    #[wasm_bindgen(js_name = clearFields, unchecked_return_type = "Promise<Subscriber>")]
    pub fn clear_fields(
        &self,
        id: Ts<SubscriberId>,
        #[wasm_bindgen(unchecked_param_type = "IdOrName[]")] fields: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, fields): (_, Vec<IdOrName>) = (to_rust(&id, "id")?, arg(&fields, "fields")?);
            Ok(client.subscribers().clear_fields(&id, &fields).await?)
        })
    }
}

/// `parlo.flows`: flow documents.
#[wasm_bindgen]
pub struct Flows(Client);

#[wasm_bindgen]
impl Flows {
    /// One page of flows in id order.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Flow>>")]
    pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.flows().list(page_params(params)?).await?) })
    }

    /// Every flow, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Flow[]>")]
    pub fn list_all(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(all_pages(|c| client.flows().list(ListParams::after(c))).await?) })
    }

    /// One flow document.
    #[wasm_bindgen(unchecked_return_type = "Promise<Flow>")]
    pub fn get(&self, id: Ts<FlowId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.flows().get(&to_rust(&id, "id")?).await?) })
    }

    /// Creates or replaces the flow `flow.id`; rejects with `validation_failed` listing
    /// every problem of the document.
    #[wasm_bindgen(unchecked_return_type = "Promise<Flow>")]
    pub fn put(&self, flow: Ts<Flow>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.flows().put(&to_rust::<Flow>(&flow, "flow")?).await?) })
    }
}

/// Why a call failed: a rejected request ([`Error`]) or a bad argument (a `TypeError`).
enum Failure {
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
fn promise<T: Serialize>(answer: impl Future<Output = Result<T, Failure>> + 'static) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        let value = answer.await?;
        let json = serde_json::to_string(&value).map_err(|e| js_sys::Error::new(&e.to_string()))?;
        // `()` (a 204 answer) resolves to `undefined`, as `Promise<void>` says.
        if json == "null" {
            return Ok(JsValue::UNDEFINED);
        }
        js_sys::JSON::parse(&json)
    })
}

/// The Rust value of a typed argument; a `TypeError` naming `name` when it does not fit.
fn to_rust<T: Tsify + DeserializeOwned>(value: &Ts<T>, name: &str) -> Result<T, Failure> {
    arg(&value.js_value(), name)
}

/// The Rust value of an argument declared with `unchecked_param_type`; a `TypeError`
/// naming `name` when it does not fit (`undefined` included).
fn arg<T: DeserializeOwned>(value: &JsValue, name: &str) -> Result<T, Failure> {
    let bad =
        |why: String| Failure::Argument(js_sys::TypeError::new(&format!("invalid `{name}`: {why}")).into());
    let json = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| bad("not JSON data".into()))?;
    serde_json::from_str(&json).map_err(|e| bad(e.to_string()))
}

/// `ListParams` of an optional argument (the defaults without one).
fn page_params(params: Option<Ts<ListParams>>) -> Result<ListParams, Failure> {
    params.map_or(Ok(ListParams::default()), |p| to_rust(&p, "params"))
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
