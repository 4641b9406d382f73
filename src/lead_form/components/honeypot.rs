//! The honeypot: an input people never see or reach, so only bots fill it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`Honeypot`].
#[derive(Properties, PartialEq)]
pub struct HoneypotProps {
    /// Its current value.
    pub value: AttrValue,
    /// It changed.
    pub oninput: Callback<String>,
}

/// A text input named like a real field (`website`), moved off-screen (not `display:none`,
/// which bots skip), out of the tab order (`tabindex=-1`), hidden from assistive technology
/// (`aria-hidden`) and from autofill (`autocomplete=off`).
#[component]
pub fn Honeypot(props: &HoneypotProps) -> Html {
    let oninput = props
        .oninput
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <div class="parlo-hp" aria-hidden="true">
            <label>{ "Website" }
                <input type="text" name="website" tabindex="-1" autocomplete="off" value={props.value.clone()} {oninput} />
            </label>
        </div>
    }
}
