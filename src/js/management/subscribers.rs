//! `parlo.subscribers` and `parlo.conversations`.

use super::{arg, opt, page_params, promise, to_rust};
use crate::management::{Client, HistoryFilter, ListParams, SubscriberFilter, all_pages};
use parlo_model::conversation::{SendContent, SendFlow};
use parlo_model::ids::SubscriberId;
use parlo_model::subscriber::{CreateSubscriber, UpdateSubscriber};
use parlo_model::tag::{FieldValue, IdOrName};
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// `parlo.subscribers`: subscribers, their tags and field values.
#[wasm_bindgen]
pub struct Subscribers(pub(super) Client);

#[wasm_bindgen]
impl Subscribers {
    /// One page of the subscribers matching every filter given, oldest first.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Subscriber>>")]
    pub fn list(
        &self,
        filter: Option<Ts<SubscriberFilter>>,
        params: Option<Ts<ListParams>>,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (filter, page) = (opt(filter, "filter")?, page_params(params)?);
            Ok(client.subscribers().list(&filter, page).await?)
        })
    }

    /// Every subscriber matching the filters, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Subscriber[]>")]
    pub fn list_all(&self, filter: Option<Ts<SubscriberFilter>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let filter = opt(filter, "filter")?;
            let subscribers = client.subscribers();
            Ok(all_pages(|c| subscribers.list(&filter, ListParams::after(c))).await?)
        })
    }

    /// One page of the subscribers whose custom field `field` (by name) has `value`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Subscriber>>")]
    pub fn find(&self, field: String, value: String, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .subscribers()
                .find(&field, &value, page_params(params)?)
                .await?)
        })
    }

    /// A new subscriber with profile, fields and tags.
    #[wasm_bindgen(unchecked_return_type = "Promise<Subscriber>")]
    pub fn create(&self, subscriber: Ts<CreateSubscriber>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .subscribers()
                .create(&to_rust(&subscriber, "subscriber")?)
                .await?)
        })
    }

    /// 1..=100 new subscribers, all or none; resolves to them in the same order.
    #[wasm_bindgen(js_name = createMany, unchecked_return_type = "Promise<Subscriber[]>")]
    pub fn create_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateSubscriber[]")] subscribers: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let subscribers: Vec<CreateSubscriber> = arg(&subscribers, "subscribers")?;
            Ok(client.subscribers().create_many(&subscribers).await?)
        })
    }

    /// One subscriber with its fields and tags.
    #[wasm_bindgen(unchecked_return_type = "Promise<Subscriber>")]
    pub fn get(&self, id: Ts<SubscriberId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.subscribers().get(&to_rust(&id, "id")?).await?) })
    }

    /// Changes profile members (`null` clears one) or the channel.
    #[wasm_bindgen(unchecked_return_type = "Promise<Subscriber>")]
    pub fn update(&self, id: Ts<SubscriberId>, changes: Ts<UpdateSubscriber>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, changes) = (to_rust(&id, "id")?, to_rust(&changes, "changes")?);
            Ok(client.subscribers().update(&id, &changes).await?)
        })
    }

    /// Deletes a subscriber with its sessions and conversations; their leads stay.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, id: Ts<SubscriberId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.subscribers().delete(&to_rust(&id, "id")?).await?) })
    }

    /// Everything the workspace holds about the subscriber as one document: profile,
    /// fields, tags, every conversation with all its messages, every lead.
    #[wasm_bindgen(unchecked_return_type = "Promise<SubscriberExport>")]
    pub fn export(&self, id: Ts<SubscriberId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.subscribers().export(&to_rust(&id, "id")?).await?) })
    }

    /// Erases a subscriber with everything they sent (conversations, leads, fields, tags,
    /// sessions); unlike `delete`, which keeps their leads.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn erase(&self, id: Ts<SubscriberId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.subscribers().erase(&to_rust(&id, "id")?).await?) })
    }

    /// Adds tags (by id or name; a new name creates the tag); resolves to the subscriber.
    #[wasm_bindgen(js_name = addTags, unchecked_return_type = "Promise<Subscriber>")]
    pub fn add_tags(
        &self,
        id: Ts<SubscriberId>,
        #[wasm_bindgen(unchecked_param_type = "IdOrName[]")] tags: JsValue,
    ) -> js_sys::Promise {
        self.change_tags(id, tags, true)
    }

    /// Removes tags (by id or name); resolves to the subscriber.
    #[wasm_bindgen(js_name = removeTags, unchecked_return_type = "Promise<Subscriber>")]
    pub fn remove_tags(
        &self,
        id: Ts<SubscriberId>,
        #[wasm_bindgen(unchecked_param_type = "IdOrName[]")] tags: JsValue,
    ) -> js_sys::Promise {
        self.change_tags(id, tags, false)
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

impl Subscribers {
    /// `addTags` (`add`) or `removeTags`.
    fn change_tags(&self, id: Ts<SubscriberId>, tags: JsValue, add: bool) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, tags): (_, Vec<IdOrName>) = (to_rust(&id, "id")?, arg(&tags, "tags")?);
            let subscribers = client.subscribers();
            Ok(if add {
                subscribers.add_tags(&id, &tags).await?
            } else {
                subscribers.remove_tags(&id, &tags).await?
            })
        })
    }
}

/// `parlo.conversations`: a subscriber's conversation, sending, and human takeover.
#[wasm_bindgen]
pub struct Conversations(pub(super) Client);

#[wasm_bindgen]
impl Conversations {
    /// One page of the subscriber's conversation, oldest first.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Message>>")]
    pub fn history(
        &self,
        id: Ts<SubscriberId>,
        filter: Option<Ts<HistoryFilter>>,
        params: Option<Ts<ListParams>>,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, filter, page) = (to_rust(&id, "id")?, opt(filter, "filter")?, page_params(params)?);
            Ok(client.conversations().history(&id, &filter, page).await?)
        })
    }

    /// The whole conversation (matching the filter), all pages.
    #[wasm_bindgen(js_name = historyAll, unchecked_return_type = "Promise<Message[]>")]
    pub fn history_all(&self, id: Ts<SubscriberId>, filter: Option<Ts<HistoryFilter>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, filter) = (to_rust(&id, "id")?, opt(filter, "filter")?);
            let conversations = client.conversations();
            Ok(all_pages(|c| conversations.history(&id, &filter, ListParams::after(c))).await?)
        })
    }

    /// A message from a human agent, shown at once in the subscriber's open widget.
    #[wasm_bindgen(js_name = sendMessage, unchecked_return_type = "Promise<SentMessages>")]
    pub fn send_message(&self, id: Ts<SubscriberId>, text: String) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .conversations()
                .send_message(&to_rust(&id, "id")?, &text)
                .await?)
        })
    }

    /// Runs a flow for the subscriber, e.g. `{ flow_id: "welcome", payload: { order: 42 } }`.
    #[wasm_bindgen(js_name = sendFlow, unchecked_return_type = "Promise<SentMessages>")]
    pub fn send_flow(&self, id: Ts<SubscriberId>, send: Ts<SendFlow>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, send) = (to_rust(&id, "id")?, to_rust(&send, "send")?);
            Ok(client.conversations().send_flow(&id, &send).await?)
        })
    }

    /// Sends text, images, cards or carousels, and runs their tag and field actions.
    #[wasm_bindgen(js_name = sendContent, unchecked_return_type = "Promise<SentMessages>")]
    pub fn send_content(&self, id: Ts<SubscriberId>, content: Ts<SendContent>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, content) = (to_rust(&id, "id")?, to_rust(&content, "content")?);
            Ok(client.conversations().send_content(&id, &content).await?)
        })
    }

    /// Pauses the bot for the subscriber (`minutes`, or until resumed): a human takes over.
    #[wasm_bindgen(js_name = pauseBot, unchecked_return_type = "Promise<BotStatus>")]
    pub fn pause_bot(&self, id: Ts<SubscriberId>, minutes: Option<u32>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .conversations()
                .pause_bot(&to_rust(&id, "id")?, minutes)
                .await?)
        })
    }

    /// The bot answers the subscriber again.
    #[wasm_bindgen(js_name = resumeBot, unchecked_return_type = "Promise<BotStatus>")]
    pub fn resume_bot(&self, id: Ts<SubscriberId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.conversations().resume_bot(&to_rust(&id, "id")?).await?) })
    }
}
