//! A new API key's secret, shown once.

use parlo_model::api_key::CreatedApiKey;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// Props of [`CreatedKey`].
#[derive(Properties, PartialEq)]
pub struct CreatedKeyProps {
    /// The key with its secret.
    pub key_data: CreatedApiKey,
    /// Called when the user is done with the secret (it is then gone).
    pub ondismiss: Callback<()>,
}

/// The secret of a key just created or regenerated, with a copy button and the warning that
/// it will not be shown again (the server keeps only its SHA-256).
#[component]
pub fn CreatedKey(props: &CreatedKeyProps) -> Html {
    let copied = use_state(|| None::<&'static str>);
    let oncopy = {
        let (secret, copied) = (props.key_data.secret.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            copied.set(Some(if copy(&secret) {
                "Copied to the clipboard."
            } else {
                "Copying failed: select the key and copy it yourself."
            }));
        })
    };
    let ondone = props.ondismiss.reform(|_: MouseEvent| ());
    html! {
        <section class="created" aria-labelledby="created-title">
            <h2 id="created-title">{ format!("New secret of “{}”", props.key_data.name) }</h2>
            <p class="warning"><strong>{ "Copy this key now: it will not be shown again." }</strong>
                { " Parlo keeps only a hash of it; if you lose it, regenerate the key." }</p>
            <label for="secret">{ "API key" }</label>
            <div class="row">
                <input id="secret" readonly=true value={props.key_data.secret.clone()} spellcheck="false" />
                <button type="button" onclick={oncopy}>{ "Copy" }</button>
            </div>
            <p class="muted" role="status">{ copied.unwrap_or_default() }</p>
            <button type="button" onclick={ondone}>{ "Done" }</button>
        </section>
    }
}

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`); `false` when the
/// browser has no clipboard API here (e.g. an insecure origin).
fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard =
        js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into()).unwrap_or(JsValue::UNDEFINED);
    match write.dyn_ref::<js_sys::Function>() {
        Some(write) => write.call1(&clipboard, &text.into()).is_ok(),
        None => false,
    }
}
