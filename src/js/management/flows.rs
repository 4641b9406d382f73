//! `parlo.flows`: flow documents, their folders and statistics, and the API trigger.

use super::{opt, page_params, promise, to_rust};
use crate::management::{Client, FlowFilter, ListParams, all_pages};
use parlo_model::flow::Flow;
use parlo_model::ids::FlowId;
use parlo_model::trigger::TriggerFlow;
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// `parlo.flows`: the workspace's flows.
#[wasm_bindgen]
pub struct Flows(pub(super) Client);

#[wasm_bindgen]
impl Flows {
    /// One page of flows in id order (of one folder with `filter.folder`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Flow>>")]
    pub fn list(&self, filter: Option<Ts<FlowFilter>>, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (filter, page) = (opt(filter, "filter")?, page_params(params)?);
            Ok(client.flows().list(&filter, page).await?)
        })
    }

    /// Every flow (of one folder with `filter.folder`), all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Flow[]>")]
    pub fn list_all(&self, filter: Option<Ts<FlowFilter>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let filter = opt(filter, "filter")?;
            let flows = client.flows();
            Ok(all_pages(|c| flows.list(&filter, ListParams::after(c))).await?)
        })
    }

    /// One flow document.
    #[wasm_bindgen(unchecked_return_type = "Promise<Flow>")]
    pub fn get(&self, id: Ts<FlowId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.flows().get(&to_rust(&id, "id")?).await?) })
    }

    /// A new flow; rejects with `conflict` when the id is taken, `validation_failed` listing
    /// every problem of the document.
    #[wasm_bindgen(unchecked_return_type = "Promise<Flow>")]
    pub fn create(&self, flow: Ts<Flow>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.flows().create(&to_rust(&flow, "flow")?).await?) })
    }

    /// Creates or replaces the flow `flow.id`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Flow>")]
    pub fn put(&self, flow: Ts<Flow>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.flows().put(&to_rust(&flow, "flow")?).await?) })
    }

    /// Deletes a flow; rejects with `conflict` while a channel or another flow starts it.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, id: Ts<FlowId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.flows().delete(&to_rust(&id, "id")?).await?) })
    }

    /// One page of the folders directly under `parent` (the top level without one).
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<FlowFolder>>")]
    pub fn folders(&self, parent: Option<String>, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .flows()
                .folders(parent.as_deref(), page_params(params)?)
                .await?)
        })
    }

    /// The API trigger: finds the subscriber of `trigger.find` (creating them on
    /// `trigger.channel_id` when none matches), sets their profile, fields and tags, and
    /// starts the flow with `trigger.payload`, e.g. `{ find: { type: "email", email },
    /// channel_id: "demo", payload: { order: 42 } }`. With `idempotencyKey` (1..=64 of
    /// `[A-Za-z0-9_-]`, the same on every retry) it runs once per key; the key with another
    /// flow or body rejects with `conflict`.
    #[wasm_bindgen(unchecked_return_type = "Promise<FlowTriggered>")]
    pub fn trigger(
        &self,
        id: Ts<FlowId>,
        trigger: Ts<TriggerFlow>,
        #[wasm_bindgen(js_name = idempotencyKey)] idempotency_key: Option<String>,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, trigger) = (to_rust(&id, "id")?, to_rust(&trigger, "trigger")?);
            Ok(client
                .flows()
                .trigger(&id, &trigger, idempotency_key.as_deref())
                .await?)
        })
    }

    /// Sent, button clicks and completions per step of a flow.
    #[wasm_bindgen(unchecked_return_type = "Promise<FlowStatistics>")]
    pub fn statistics(&self, id: Ts<FlowId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.flows().statistics(&to_rust(&id, "id")?).await?) })
    }
}
