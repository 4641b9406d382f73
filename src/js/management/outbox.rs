//! `parlo.webhookEndpoints` and `parlo.deliveries`: where events go, and how each went.

use super::{arg, opt, page_params, promise, to_rust};
use crate::management::{Client, DeliveryFilter, ListParams, all_pages};
use parlo_model::webhook::CreateWebhookEndpoint;
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// `parlo.webhookEndpoints`: the workspace's webhook endpoints.
#[wasm_bindgen]
pub struct WebhookEndpoints(pub(super) Client);

#[wasm_bindgen]
impl WebhookEndpoints {
    /// One page of endpoints in id order (no secrets).
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<WebhookEndpoint>>")]
    pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.webhook_endpoints().list(page_params(params)?).await?) })
    }

    /// Every endpoint, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<WebhookEndpoint[]>")]
    pub fn list_all(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(
            async move { Ok(all_pages(|c| client.webhook_endpoints().list(ListParams::after(c))).await?) },
        )
    }

    /// A new endpoint; its signing `secret` is shown only in this answer.
    #[wasm_bindgen(unchecked_return_type = "Promise<WebhookEndpointWithSecret>")]
    pub fn create(&self, endpoint: Ts<CreateWebhookEndpoint>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .webhook_endpoints()
                .create(&to_rust(&endpoint, "endpoint")?)
                .await?)
        })
    }

    /// One endpoint.
    #[wasm_bindgen(unchecked_return_type = "Promise<WebhookEndpoint>")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.webhook_endpoints().get(arg(&id, "id")?).await?) })
    }

    /// Deletes an endpoint; its pending deliveries end `dead`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.webhook_endpoints().delete(arg(&id, "id")?).await?) })
    }

    /// A new signing secret, shown only in this answer.
    #[wasm_bindgen(js_name = rotateSecret, unchecked_return_type = "Promise<WebhookEndpointWithSecret>")]
    pub fn rotate_secret(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.webhook_endpoints().rotate_secret(arg(&id, "id")?).await?) })
    }
}

/// `parlo.deliveries`: the outbox's deliveries (webhooks, e-mails).
#[wasm_bindgen]
pub struct Deliveries(pub(super) Client);

#[wasm_bindgen]
impl Deliveries {
    /// One page of deliveries, newest first.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Delivery>>")]
    pub fn list(
        &self,
        filter: Option<Ts<DeliveryFilter>>,
        params: Option<Ts<ListParams>>,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (filter, page) = (opt(filter, "filter")?, page_params(params)?);
            Ok(client.deliveries().list(&filter, page).await?)
        })
    }

    /// Every delivery matching the filter, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Delivery[]>")]
    pub fn list_all(&self, filter: Option<Ts<DeliveryFilter>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let filter = opt(filter, "filter")?;
            let deliveries = client.deliveries();
            Ok(all_pages(|c| deliveries.list(&filter, ListParams::after(c))).await?)
        })
    }

    /// One delivery with its attempts so far.
    #[wasm_bindgen(unchecked_return_type = "Promise<Delivery>")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.deliveries().get(arg(&id, "id")?).await?) })
    }

    /// Every finished attempt of a delivery, oldest first, all pages.
    #[wasm_bindgen(unchecked_return_type = "Promise<DeliveryAttempt[]>")]
    pub fn attempts(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, deliveries) = (arg(&id, "id")?, client.deliveries());
            Ok(all_pages(|c| deliveries.attempts(id, ListParams::after(c))).await?)
        })
    }

    /// Queues a delivery again; rejects with `conflict` while it is pending.
    #[wasm_bindgen(unchecked_return_type = "Promise<Delivery>")]
    pub fn redeliver(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.deliveries().redeliver(arg(&id, "id")?).await?) })
    }
}
