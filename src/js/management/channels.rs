//! `parlo.channels`: web chat channels.

use super::{arg, page_params, promise, to_rust};
use crate::management::{Client, ListParams, all_pages};
use parlo_model::channel::ChannelSettings;
use parlo_model::ids::ChannelId;
use parlo_model::keyword::KeywordSettings;
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// `parlo.channels`: the workspace's web chat channels.
#[wasm_bindgen]
pub struct Channels(pub(super) Client);

#[wasm_bindgen]
impl Channels {
    /// One page of channels in id order, archived ones too.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Channel>>")]
    pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.channels().list(page_params(params)?).await?) })
    }

    /// Every channel, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Channel[]>")]
    pub fn list_all(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(all_pages(|c| client.channels().list(ListParams::after(c))).await?) })
    }

    /// A new channel with its `embed_snippet`; its `identity_secret` is shown only in
    /// this answer.
    #[wasm_bindgen(unchecked_return_type = "Promise<ChannelWithSecret>")]
    pub fn create(&self, settings: Ts<ChannelSettings>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.channels().create(&to_rust(&settings, "settings")?).await?) })
    }

    /// One channel.
    #[wasm_bindgen(unchecked_return_type = "Promise<Channel>")]
    pub fn get(&self, id: Ts<ChannelId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.channels().get(&to_rust(&id, "id")?).await?) })
    }

    /// Replaces the settings of channel `id`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Channel>")]
    pub fn put(&self, id: Ts<ChannelId>, settings: Ts<ChannelSettings>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, settings) = (to_rust(&id, "id")?, to_rust(&settings, "settings")?);
            Ok(client.channels().put(&id, &settings).await?)
        })
    }

    /// Deletes a channel, or archives it when `archive` is `true`; rejects with
    /// `conflict` when a channel with conversations is deleted without archiving.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(
        &self,
        id: Ts<ChannelId>,
        #[wasm_bindgen(unchecked_param_type = "boolean | undefined")] archive: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let id = to_rust(&id, "id")?;
            let archive = if archive.is_undefined() {
                false
            } else {
                arg(&archive, "archive")?
            };
            Ok(client.channels().delete(&id, archive).await?)
        })
    }

    /// A new identity secret, shown only in this answer.
    #[wasm_bindgen(js_name = rotateIdentitySecret, unchecked_return_type = "Promise<ChannelWithSecret>")]
    pub fn rotate_identity_secret(&self, id: Ts<ChannelId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .channels()
                .rotate_identity_secret(&to_rust(&id, "id")?)
                .await?)
        })
    }

    /// The channel's keywords in the order they are tried.
    #[wasm_bindgen(js_name = listKeywords, unchecked_return_type = "Promise<Keyword[]>")]
    pub fn list_keywords(&self, id: Ts<ChannelId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.channels().keywords(&to_rust(&id, "id")?).await?) })
    }

    /// A new keyword of channel `id`, tried after the others.
    #[wasm_bindgen(js_name = createKeyword, unchecked_return_type = "Promise<Keyword>")]
    pub fn create_keyword(&self, id: Ts<ChannelId>, settings: Ts<KeywordSettings>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, settings) = (to_rust(&id, "id")?, to_rust(&settings, "settings")?);
            Ok(client.channels().create_keyword(&id, &settings).await?)
        })
    }

    /// One keyword of channel `id`.
    #[wasm_bindgen(js_name = getKeyword, unchecked_return_type = "Promise<Keyword>")]
    pub fn get_keyword(&self, id: Ts<ChannelId>, keyword_id: String) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .channels()
                .keyword(&to_rust(&id, "id")?, &keyword_id)
                .await?)
        })
    }

    /// Replaces a keyword's settings; it keeps its id and place.
    #[wasm_bindgen(js_name = putKeyword, unchecked_return_type = "Promise<Keyword>")]
    pub fn put_keyword(
        &self,
        id: Ts<ChannelId>,
        keyword_id: String,
        settings: Ts<KeywordSettings>,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, settings) = (to_rust(&id, "id")?, to_rust(&settings, "settings")?);
            Ok(client.channels().put_keyword(&id, &keyword_id, &settings).await?)
        })
    }

    /// Deletes a keyword.
    #[wasm_bindgen(js_name = deleteKeyword, unchecked_return_type = "Promise<void>")]
    pub fn delete_keyword(&self, id: Ts<ChannelId>, keyword_id: String) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .channels()
                .delete_keyword(&to_rust(&id, "id")?, &keyword_id)
                .await?)
        })
    }
}
