//! The message composer.

use crate::widget::texts::Texts;
use parlo_model::chat::MAX_VISITOR_TEXT_CHARS;
use parlo_model::validate::FieldKind;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`Composer`].
#[derive(Properties, PartialEq)]
pub struct ComposerProps {
    /// The kind of answer the last bot message expects: picks the keyboard and autofill
    /// (`email`, `tel`, `decimal`), or a date picker instead of the textarea for a date
    /// (its value, `YYYY-MM-DD`, is what is sent), or five star buttons for a rating (the
    /// pressed one's number, `1`..=`5`, is sent at once). The answer itself is checked by the
    /// server, which asks again when it does not fit (checking it here too would pull float
    /// formatting and parsing into the bundle: about 9 KB brotli).
    #[prop_or_default]
    pub expects: Option<FieldKind>,
    /// Send this text (trimmed, non-empty).
    pub onsend: Callback<String>,
    /// Take the focus when mounted.
    #[prop_or_default]
    pub autofocus: bool,
    /// The widget's texts in the visitor's language.
    #[prop_or_default]
    pub texts: Texts,
}

/// A `<textarea aria-label="Message">` (an `<input type="date" aria-label="Date">` while a
/// date is expected) and a `<button aria-label="Send">` (English; the texts' language
/// otherwise): Enter sends, Shift+Enter starts a new line. While a rating is expected, a
/// group "Rating" of five star buttons "1 of 5" … "5 of 5" instead. Keyed by what it
/// expects, so the picker, the stars and the textarea are each mounted afresh (empty, and
/// focused when `autofocus`: the first star for a rating).
#[component]
pub fn Composer(props: &ComposerProps) -> Html {
    let draft = use_state(String::new);
    let error = use_state(|| None::<AttrValue>);
    let texts = &props.texts;
    let input = use_node_ref();
    let date = props.expects == Some(FieldKind::Date);
    let rating = props.expects == Some(FieldKind::Rating);
    {
        let input = input.clone();
        let autofocus = props.autofocus;
        use_effect_with((), move |_| {
            if autofocus && let Some(input) = input.cast::<HtmlElement>() {
                let _ = input.focus();
            }
        });
    }
    let submit = {
        let (draft, error, onsend) = (draft.clone(), error.clone(), props.onsend.clone());
        let too_long = texts.get("widget.composer.too_long", "That message is too long.");
        Callback::from(move |()| {
            let text = draft.trim();
            if text.is_empty() {
                return;
            }
            if text.chars().count() > MAX_VISITOR_TEXT_CHARS {
                error.set(Some(too_long.clone()));
                return;
            }
            onsend.emit(text.to_owned());
            draft.set(String::new());
            error.set(None);
        })
    };
    let oninput = {
        let (draft, error) = (draft.clone(), error.clone());
        Callback::from(move |e: InputEvent| {
            // web-sys getters are structural: this reads the date input's `value` too.
            draft.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
            if error.is_some() {
                error.set(None);
            }
        })
    };
    let onkeydown = {
        let submit = submit.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && !e.shift_key() && !e.is_composing() {
                e.prevent_default();
                submit.emit(());
            }
        })
    };
    let onclick = submit.reform(|_: MouseEvent| ());
    let (inputmode, autocomplete) = match props.expects {
        Some(FieldKind::Email) => ("email", "email"),
        Some(FieldKind::Phone) => ("tel", "tel"),
        Some(FieldKind::Number) => ("decimal", "off"),
        Some(FieldKind::Text | FieldKind::Date | FieldKind::Rating) | None => ("text", "off"),
    };
    let plain = matches!(props.expects, Some(FieldKind::Email | FieldKind::Phone));
    html! {
        <>
            if let Some(message) = (*error).clone() {
                <p class="parlo-error" id="parlo-composer-error" role="alert">{ message }</p>
            }
            <div class="parlo-composer">
                if rating {
                    <div class="parlo-rating" role="group" aria-label={texts.get("widget.composer.rating", "Rating")}>
                        { for ["1", "2", "3", "4", "5"].into_iter().map(|n| {
                            let onsend = props.onsend.clone();
                            html! {
                                <button
                                    type="button"
                                    class="parlo-star"
                                    aria-label={texts.fill("widget.composer.star", "{n} of 5", n)}
                                    ref={if n == "1" { input.clone() } else { NodeRef::default() }}
                                    onclick={move |_: MouseEvent| onsend.emit(n.to_owned())}
                                >{ "★" }</button>
                            }
                        }) }
                    </div>
                } else if date {
                    <input
                        type="date"
                        class="parlo-input"
                        aria-label={texts.get("widget.composer.date", "Date")}
                        value={(*draft).clone()}
                        ref={input}
                        {oninput}
                        {onkeydown}
                    />
                } else {
                    <textarea
                        class="parlo-input"
                        aria-label={texts.get("widget.composer.message", "Message")}
                        placeholder={texts.get("widget.composer.placeholder", "Type a message…")}
                        rows="1"
                        maxlength="2000"
                        enterkeyhint="send"
                        {inputmode}
                        {autocomplete}
                        autocapitalize={plain.then_some("off")}
                        spellcheck={plain.then_some("false")}
                        aria-invalid={error.is_some().then_some("true")}
                        aria-describedby={error.is_some().then_some("parlo-composer-error")}
                        value={(*draft).clone()}
                        ref={input}
                        {oninput}
                        {onkeydown}
                    />
                }
                if !rating {
                    <button type="button" class="parlo-send" aria-label={texts.get("widget.composer.send", "Send")} {onclick}>
                        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                            <path d="M3 20.5V14l9-2-9-2V3.5L22 12z" />
                        </svg>
                    </button>
                }
            </div>
        </>
    }
}
