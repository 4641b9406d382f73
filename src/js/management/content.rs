//! `parlo.forms` and `parlo.leads`: lead forms and what visitors submitted.

use super::{opt, page_params, promise, to_rust};
use crate::management::{Client, LeadFilter, ListParams, all_pages};
use parlo_model::form::Form;
use parlo_model::ids::{FormId, LeadId};
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// `parlo.forms`: the workspace's lead form definitions.
#[wasm_bindgen]
pub struct Forms(pub(super) Client);

#[wasm_bindgen]
impl Forms {
    /// One page of forms in id order.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Form>>")]
    pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.forms().list(page_params(params)?).await?) })
    }

    /// Every form, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Form[]>")]
    pub fn list_all(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(all_pages(|c| client.forms().list(ListParams::after(c))).await?) })
    }

    /// A new form; rejects with `conflict` when the id is taken.
    #[wasm_bindgen(unchecked_return_type = "Promise<Form>")]
    pub fn create(&self, form: Ts<Form>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.forms().create(&to_rust(&form, "form")?).await?) })
    }

    /// One form.
    #[wasm_bindgen(unchecked_return_type = "Promise<Form>")]
    pub fn get(&self, id: Ts<FormId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.forms().get(&to_rust(&id, "id")?).await?) })
    }

    /// Replaces the form `form.id`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Form>")]
    pub fn put(&self, form: Ts<Form>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.forms().put(&to_rust(&form, "form")?).await?) })
    }

    /// Deletes a form; its leads stay.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, id: Ts<FormId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.forms().delete(&to_rust(&id, "id")?).await?) })
    }

    /// Leads, and submissions taken for spam, of a form.
    #[wasm_bindgen(unchecked_return_type = "Promise<FormStats>")]
    pub fn stats(&self, id: Ts<FormId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.forms().stats(&to_rust(&id, "id")?).await?) })
    }
}

/// `parlo.leads`: accepted form submissions.
#[wasm_bindgen]
pub struct Leads(pub(super) Client);

#[wasm_bindgen]
impl Leads {
    /// One page of leads, newest first.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Lead>>")]
    pub fn list(&self, filter: Option<Ts<LeadFilter>>, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (filter, page) = (opt(filter, "filter")?, page_params(params)?);
            Ok(client.leads().list(&filter, page).await?)
        })
    }

    /// Every lead matching the filter, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Lead[]>")]
    pub fn list_all(&self, filter: Option<Ts<LeadFilter>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let filter = opt(filter, "filter")?;
            let leads = client.leads();
            Ok(all_pages(|c| leads.list(&filter, ListParams::after(c))).await?)
        })
    }

    /// One lead.
    #[wasm_bindgen(unchecked_return_type = "Promise<Lead>")]
    pub fn get(&self, id: Ts<LeadId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.leads().get(&to_rust(&id, "id")?).await?) })
    }

    /// Every lead matching the filter as CSV text, one row per lead.
    #[wasm_bindgen(js_name = exportCsv, unchecked_return_type = "Promise<string>")]
    pub fn export_csv(&self, filter: Option<Ts<LeadFilter>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.leads().export_csv(&opt(filter, "filter")?).await?) })
    }
}
