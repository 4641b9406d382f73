//! `parlo.inbox`: the workspace's conversations, newest activity first, and read markers.

use super::{opt, page_params, promise, to_rust};
use crate::management::{Client, InboxFilter, ListParams, all_pages};
use parlo_model::ids::SubscriberId;
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// `parlo.inbox`: conversations newest activity first, with unread counts; read markers.
#[wasm_bindgen]
pub struct Inbox(pub(super) Client);

#[wasm_bindgen]
impl Inbox {
    /// One page of the conversations matching every filter given, newest activity first,
    /// e.g. `list({ unread: true }, { limit: 50 })`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<ConversationSummary>>")]
    pub fn list(&self, filter: Option<Ts<InboxFilter>>, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (filter, page) = (opt(filter, "filter")?, page_params(params)?);
            Ok(client.inbox().list(&filter, page).await?)
        })
    }

    /// Every conversation matching the filter, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<ConversationSummary[]>")]
    pub fn list_all(&self, filter: Option<Ts<InboxFilter>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let filter = opt(filter, "filter")?;
            let inbox = client.inbox();
            Ok(all_pages(|c| inbox.list(&filter, ListParams::after(c))).await?)
        })
    }

    /// Marks the subscriber's conversation read up to message `seq` (everything so far
    /// when omitted); resolves to the marker and the unread count left.
    #[wasm_bindgen(js_name = markRead, unchecked_return_type = "Promise<ReadMarker>")]
    pub fn mark_read(&self, id: Ts<SubscriberId>, seq: Option<f64>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let id = to_rust(&id, "id")?;
            Ok(client.inbox().mark_read(&id, seq.map(|s| s as u64)).await?)
        })
    }
}
