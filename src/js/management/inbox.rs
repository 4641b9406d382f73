//! `parlo.inbox`: the workspace's conversations, newest activity first, read markers, and
//! the live workspace event stream.
//!
//! ```js
//! const stream = await parlo.inbox.events();
//! for (let item; (item = await stream.next()); ) {
//!   console.log(item.id, item.event.subscriber_id, item.event.message.content.text);
//! }
//! // The server ended the stream: reopen with `parlo.inbox.events(stream.lastEventId)`.
//! ```

use super::{Failure, opt, page_params, promise, to_rust};
use crate::management::{Client, InboxEvents, InboxFilter, ListParams, all_pages};
use parlo_model::ids::SubscriberId;
use parlo_model::inbox::InboxEvent;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
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

    /// Opens the workspace event stream: every message stored in the workspace from now
    /// on, or after event `lastEventId` to resume. Resolves once the server answered.
    #[wasm_bindgen(unchecked_return_type = "Promise<InboxStream>")]
    pub fn events(&self, last_event_id: Option<f64>) -> js_sys::Promise {
        let client = self.0.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let events = client
                .inbox()
                .events(last_event_id.map(|id| id as u64))
                .await
                .map_err(Failure::from)?;
            Ok(InboxStream(Rc::new(RefCell::new(Some(events)))).into())
        })
    }
}

/// One event of an [`InboxStream`]: its id and its data.
#[derive(Serialize)]
struct StreamItem {
    id: u64,
    event: InboxEvent,
}

/// An open workspace event stream (`parlo.inbox.events()`).
#[wasm_bindgen]
pub struct InboxStream(Rc<RefCell<Option<InboxEvents>>>);

#[wasm_bindgen]
impl InboxStream {
    /// The next event, `{ id, event }`; `undefined` once the server ended the stream (or
    /// after `close()`). Rejects with a `ParloError` when the connection breaks: reopen
    /// with `lastEventId`. One call at a time.
    #[wasm_bindgen(unchecked_return_type = "Promise<{ id: number; event: InboxEvent } | undefined>")]
    pub fn next(&self) -> js_sys::Promise {
        let cell = self.0.clone();
        promise(async move {
            let Some(mut events) = cell.borrow_mut().take() else {
                return Ok(None);
            };
            let next = events.next().await;
            *cell.borrow_mut() = Some(events);
            Ok(next?.map(|(id, event)| StreamItem { id, event }))
        })
    }

    /// Where the stream is: pass it to `parlo.inbox.events()` to resume.
    #[wasm_bindgen(getter, js_name = lastEventId)]
    pub fn last_event_id(&self) -> Option<f64> {
        let events = self.0.borrow();
        events.as_ref()?.last_event_id().map(|id| id as f64)
    }

    /// Closes the connection (between two `next()` calls).
    pub fn close(&self) {
        self.0.borrow_mut().take();
    }
}
