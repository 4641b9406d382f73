//! The honeypot: an input people never see or reach, so only bots fill it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A text input named like a real field (`website`), moved off-screen (not `display:none`,
/// which bots skip), out of the tab order (`tabindex=-1`), hidden from assistive technology
/// (`aria-hidden`) and from autofill (`autocomplete=off`). `oninput` gets its value.
pub fn honeypot(value: &AttrValue, oninput: &Callback<String>) -> Html {
    let oninput = oninput.reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <div class="parlo-hp" aria-hidden="true">
            <label>{ "Website" }
                <input type="text" name="website" tabindex="-1" autocomplete="off" value={value.clone()} {oninput} />
            </label>
        </div>
    }
}
