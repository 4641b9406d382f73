//! `parlo.broadcasts`: broadcasts, their statistics and recipients.

use super::{arg, page_params, promise, to_rust};
use crate::management::{Client, ListParams, all_pages};
use parlo_model::broadcast::CreateBroadcast;
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// `parlo.broadcasts`: the workspace's broadcasts.
#[wasm_bindgen]
pub struct Broadcasts(pub(super) Client);

#[wasm_bindgen]
impl Broadcasts {
    /// Schedules a broadcast, e.g. `{ name: "Spring", content: { type: "messages", messages:
    /// [{ type: "text", text: "Spring is here!" }] }, audience: { tags: ["newsletter"] },
    /// send_at: "2026-03-20T09:00:00Z" }`; rejects with `validation_failed` listing every
    /// problem.
    #[wasm_bindgen(unchecked_return_type = "Promise<Broadcast>")]
    pub fn create(&self, broadcast: Ts<CreateBroadcast>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .broadcasts()
                .create(&to_rust(&broadcast, "broadcast")?)
                .await?)
        })
    }

    /// One page of broadcasts in id order, each with its statistics.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Broadcast>>")]
    pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.broadcasts().list(page_params(params)?).await?) })
    }

    /// Every broadcast, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Broadcast[]>")]
    pub fn list_all(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(all_pages(|c| client.broadcasts().list(ListParams::after(c))).await?) })
    }

    /// One broadcast with its state and statistics.
    #[wasm_bindgen(unchecked_return_type = "Promise<Broadcast>")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.broadcasts().get(arg(&id, "id")?).await?) })
    }

    /// Cancels a scheduled broadcast or one being sent; rejects with `conflict` once it is
    /// `done`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Broadcast>")]
    pub fn cancel(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.broadcasts().cancel(arg(&id, "id")?).await?) })
    }

    /// One page of a broadcast's recipients in sending order, each with its state and
    /// reason.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<BroadcastRecipient>>")]
    pub fn recipients(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
        params: Option<Ts<ListParams>>,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, page) = (arg(&id, "id")?, page_params(params)?);
            Ok(client.broadcasts().recipients(id, page).await?)
        })
    }

    /// Every recipient of a broadcast, all pages.
    #[wasm_bindgen(js_name = recipientsAll, unchecked_return_type = "Promise<BroadcastRecipient[]>")]
    pub fn recipients_all(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let id: i64 = arg(&id, "id")?;
            let broadcasts = client.broadcasts();
            Ok(all_pages(|c| broadcasts.recipients(id, ListParams::after(c))).await?)
        })
    }
}
