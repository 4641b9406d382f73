//! `parlo.tags`, `parlo.customFields`, `parlo.botFields`: by id (a number) or name (a string).

use super::{arg, page_params, promise, to_rust};
use crate::management::{Client, ListParams, all_pages};
use parlo_model::tag::{CreateCustomField, FieldValue, IdOrName, UpdateCustomField};
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// `parlo.tags`: the workspace's tags.
#[wasm_bindgen]
pub struct Tags(pub(super) Client);

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

/// A JS class for custom fields or bot fields (`$api` of the Rust client; `$page`, `$all`
/// and `$one` the TypeScript answers): the same operations on both. Its docs are given as
/// `#[doc = "…"]`, for the reason given at `resources!`.
macro_rules! fields_class {
    ($(#[$doc:meta])* $class:ident, $api:ident, $page:tt, $all:tt, $one:tt) => {
        $(#[$doc])*
        #[wasm_bindgen]
        pub struct $class(pub(super) Client);

        #[wasm_bindgen]
        impl $class {
            /// One page of fields in id order.
            #[wasm_bindgen(unchecked_return_type = $page)]
            pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
                let client = self.0.clone();
                promise(async move { Ok(client.$api().list(page_params(params)?).await?) })
            }

            /// Every field, all pages.
            #[wasm_bindgen(js_name = listAll, unchecked_return_type = $all)]
            pub fn list_all(&self) -> js_sys::Promise {
                let client = self.0.clone();
                promise(async move { Ok(all_pages(|c| client.$api().list(ListParams::after(c))).await?) })
            }

            /// A new field, e.g. `{ name: "plan", type: "text" }`.
            #[wasm_bindgen(unchecked_return_type = $one)]
            pub fn create(&self, field: Ts<CreateCustomField>) -> js_sys::Promise {
                let client = self.0.clone();
                promise(async move { Ok(client.$api().create(&to_rust(&field, "field")?).await?) })
            }

            /// One field by id or name.
            #[wasm_bindgen(unchecked_return_type = $one)]
            pub fn get(&self, field: Ts<IdOrName>) -> js_sys::Promise {
                let client = self.0.clone();
                promise(async move { Ok(client.$api().get(&to_rust(&field, "field")?).await?) })
            }

            /// Renames the field with this id or changes its description.
            #[wasm_bindgen(unchecked_return_type = $one)]
            pub fn update(
                &self,
                #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
                changes: Ts<UpdateCustomField>,
            ) -> js_sys::Promise {
                let client = self.0.clone();
                promise(async move {
                    let (id, changes) = (arg(&id, "id")?, to_rust(&changes, "changes")?);
                    Ok(client.$api().update(id, &changes).await?)
                })
            }

            /// Deletes a field (by id or name); a custom field with every subscriber's value.
            #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
            pub fn delete(&self, field: Ts<IdOrName>) -> js_sys::Promise {
                let client = self.0.clone();
                promise(async move { Ok(client.$api().delete(&to_rust(&field, "field")?).await?) })
            }
        }
    };
}

fields_class!(
    #[doc = " `parlo.customFields`: the workspace's custom (user) fields."]
    CustomFields,
    custom_fields,
    "Promise<Page<CustomField>>",
    "Promise<CustomField[]>",
    "Promise<CustomField>"
);

fields_class!(
    #[doc = " `parlo.botFields`: the workspace's bot (global) fields, with their values."]
    BotFields,
    bot_fields,
    "Promise<Page<BotField>>",
    "Promise<BotField[]>",
    "Promise<BotField>"
);

#[wasm_bindgen]
impl BotFields {
    /// Sets values (`value: null` clears), all or none; resolves to the changed fields.
    #[wasm_bindgen(js_name = setValues, unchecked_return_type = "Promise<BotField[]>")]
    pub fn set_values(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FieldValue[]")] values: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let values: Vec<FieldValue> = arg(&values, "values")?;
            Ok(client.bot_fields().set_values(&values).await?)
        })
    }
}
