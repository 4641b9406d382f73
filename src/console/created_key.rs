//! A new secret (an API key, a webhook signing secret), shown once.

use super::clipboard;
use yew::prelude::*;

/// Props of [`CreatedKey`].
#[derive(Properties, PartialEq)]
pub struct CreatedKeyProps {
    /// Heading, e.g. `New secret of “zapier”`.
    pub title: AttrValue,
    /// Label of the secret's box, e.g. `API key`.
    pub label: AttrValue,
    /// What the secret is called in the warning, e.g. `key`.
    pub noun: AttrValue,
    /// What to do when it is lost, e.g. `if you lose it, regenerate the key.`
    pub if_lost: AttrValue,
    /// The secret.
    pub secret: AttrValue,
    /// Called when the user is done with the secret (it is then gone).
    pub ondismiss: Callback<()>,
}

/// A secret just created or renewed, with a copy button and the warning that it will not
/// be shown again (the server keeps only a hash of an API key, and answers a signing
/// secret only on creation and rotation).
#[component]
pub fn CreatedKey(props: &CreatedKeyProps) -> Html {
    let copied = use_state(|| None::<&'static str>);
    let oncopy = {
        let (secret, copied) = (props.secret.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| copied.set(Some(clipboard::outcome(clipboard::copy(&secret)))))
    };
    let ondone = props.ondismiss.reform(|_: MouseEvent| ());
    html! {
        <section class="created" aria-labelledby="created-title">
            <h2 id="created-title">{ props.title.clone() }</h2>
            <p class="warning"><strong>{ format!("Copy this {} now: it will not be shown again.", props.noun) }</strong>
                { format!(" {}", props.if_lost) }</p>
            <label for="secret">{ props.label.clone() }</label>
            <div class="row">
                <input id="secret" readonly=true value={props.secret.clone()} spellcheck="false" />
                <button type="button" onclick={oncopy}>{ "Copy" }</button>
            </div>
            <p class="muted" role="status">{ copied.unwrap_or_default() }</p>
            <button type="button" onclick={ondone}>{ "Done" }</button>
        </section>
    }
}
