//! `parlo.products`, `parlo.carts` and `parlo.orders`: the shop.

use super::{arg, opt, page_params, promise, to_rust};
use crate::management::{Client, ListParams, OrderFilter, all_pages};
use parlo_model::ids::SubscriberId;
use parlo_model::shop::{NewOrder, OrderStatus, ProductSettings, ShopSettings};
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// `parlo.products`: products and their variants.
#[wasm_bindgen]
pub struct Products(pub(super) Client);

#[wasm_bindgen]
impl Products {
    /// Creates a product, e.g. `{ name: "Latte", currency: "EUR", price: 350, sku: "latte" }`
    /// (prices in minor units); rejects with `validation_failed` listing every problem.
    #[wasm_bindgen(unchecked_return_type = "Promise<Product>")]
    pub fn create(&self, product: Ts<ProductSettings>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.products().create(&to_rust(&product, "product")?).await?) })
    }

    /// One page of products in id order.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Product>>")]
    pub fn list(&self, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.products().list(page_params(params)?).await?) })
    }

    /// Every product, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Product[]>")]
    pub fn list_all(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(all_pages(|c| client.products().list(ListParams::after(c))).await?) })
    }

    /// One product with its stock now.
    #[wasm_bindgen(unchecked_return_type = "Promise<Product>")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.products().get(arg(&id, "id")?).await?) })
    }

    /// Replaces a product's settings, variants and stock.
    #[wasm_bindgen(unchecked_return_type = "Promise<Product>")]
    pub fn put(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
        product: Ts<ProductSettings>,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, product) = (arg(&id, "id")?, to_rust(&product, "product")?);
            Ok(client.products().replace(id, &product).await?)
        })
    }

    /// Deletes a product; orders keep their copy.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.products().delete(arg(&id, "id")?).await?) })
    }
}

/// `parlo.carts`: the subscribers' carts, priced on the server.
#[wasm_bindgen]
pub struct Carts(pub(super) Client);

#[wasm_bindgen]
impl Carts {
    /// A subscriber's cart with a total per currency.
    #[wasm_bindgen(unchecked_return_type = "Promise<Cart>")]
    pub fn get(&self, id: Ts<SubscriberId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.carts().get(&to_rust(&id, "id")?).await?) })
    }

    /// Adds pieces of a SKU to a subscriber's cart.
    #[wasm_bindgen(unchecked_return_type = "Promise<Cart>")]
    pub fn add(
        &self,
        id: Ts<SubscriberId>,
        sku: String,
        #[wasm_bindgen(unchecked_param_type = "number")] quantity: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, quantity) = (to_rust(&id, "id")?, arg(&quantity, "quantity")?);
            Ok(client.carts().add(&id, &sku, quantity).await?)
        })
    }

    /// Sets how many pieces of a SKU the cart holds.
    #[wasm_bindgen(js_name = setQuantity, unchecked_return_type = "Promise<Cart>")]
    pub fn set_quantity(
        &self,
        id: Ts<SubscriberId>,
        sku: String,
        #[wasm_bindgen(unchecked_param_type = "number")] quantity: JsValue,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, quantity) = (to_rust(&id, "id")?, arg(&quantity, "quantity")?);
            Ok(client.carts().set_quantity(&id, &sku, quantity).await?)
        })
    }

    /// Removes a SKU's line from the cart.
    #[wasm_bindgen(unchecked_return_type = "Promise<Cart>")]
    pub fn remove(&self, id: Ts<SubscriberId>, sku: String) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.carts().remove(&to_rust(&id, "id")?, &sku).await?) })
    }

    /// Empties the cart.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn empty(&self, id: Ts<SubscriberId>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.carts().empty(&to_rust(&id, "id")?).await?) })
    }
}

/// `parlo.orders`: orders and the automations of order events.
#[wasm_bindgen]
pub struct Orders(pub(super) Client);

#[wasm_bindgen]
impl Orders {
    /// Orders `lines`, or the subscriber's cart; rejects with `out_of_stock` when a SKU has
    /// too few pieces left.
    #[wasm_bindgen(unchecked_return_type = "Promise<Order>")]
    pub fn create(&self, order: Ts<NewOrder>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.orders().create(&to_rust(&order, "order")?).await?) })
    }

    /// One page of orders, newest first.
    #[wasm_bindgen(unchecked_return_type = "Promise<Page<Order>>")]
    pub fn list(&self, filter: Option<Ts<OrderFilter>>, params: Option<Ts<ListParams>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (filter, page) = (opt(filter, "filter")?, page_params(params)?);
            Ok(client.orders().list(&filter, page).await?)
        })
    }

    /// Every order matching the filter, all pages.
    #[wasm_bindgen(js_name = listAll, unchecked_return_type = "Promise<Order[]>")]
    pub fn list_all(&self, filter: Option<Ts<OrderFilter>>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let filter = opt(filter, "filter")?;
            let orders = client.orders();
            Ok(all_pages(|c| orders.list(&filter, ListParams::after(c))).await?)
        })
    }

    /// One order.
    #[wasm_bindgen(unchecked_return_type = "Promise<Order>")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.orders().get(arg(&id, "id")?).await?) })
    }

    /// Moves an order to `status`; rejects with `invalid_transition` when not allowed.
    #[wasm_bindgen(js_name = setStatus, unchecked_return_type = "Promise<Order>")]
    pub fn set_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
        status: Ts<OrderStatus>,
    ) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            let (id, status) = (arg(&id, "id")?, to_rust(&status, "status")?);
            Ok(client.orders().set_status(id, status).await?)
        })
    }

    /// The automations of `order.created`, `order.paid` and `order.cancelled`.
    #[wasm_bindgen(unchecked_return_type = "Promise<ShopSettings>")]
    pub fn automations(&self) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move { Ok(client.orders().automations().await?) })
    }

    /// Replaces the automations of the order events.
    #[wasm_bindgen(js_name = setAutomations, unchecked_return_type = "Promise<ShopSettings>")]
    pub fn set_automations(&self, settings: Ts<ShopSettings>) -> js_sys::Promise {
        let client = self.0.clone();
        promise(async move {
            Ok(client
                .orders()
                .set_automations(&to_rust(&settings, "settings")?)
                .await?)
        })
    }
}
