//! A channel's embed snippet with a copy button.

use super::clipboard;
use yew::prelude::*;

/// Props of [`Snippet`].
#[derive(Properties, PartialEq)]
pub struct SnippetProps {
    /// The snippet: the `<script>` tag of the README's "Embed" with the channel's id and
    /// this server's public origin, as the API answers it.
    pub code: AttrValue,
}

/// The snippet in a read-only text area, its "Copy" button and what copying did.
#[component]
pub fn Snippet(props: &SnippetProps) -> Html {
    let copied = use_state(|| None::<&'static str>);
    let oncopy = {
        let (code, copied) = (props.code.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| copied.set(Some(clipboard::outcome(clipboard::copy(&code)))))
    };
    html! {
        <section aria-labelledby="snippet-title">
            <h2 id="snippet-title">{ "Embed on your site" }</h2>
            <label for="snippet">{ "Embed snippet" }</label>
            <p class="muted" id="snippet-hint">{ "Paste it into the <head> of every page of an allowed origin." }</p>
            <textarea id="snippet" class="code" readonly=true rows="3" spellcheck="false"
                aria-describedby="snippet-hint" value={props.code.clone()} />
            <button type="button" onclick={oncopy} aria-describedby="snippet-title">{ "Copy snippet" }</button>
            <p class="muted" role="status">{ copied.unwrap_or_default() }</p>
        </section>
    }
}
