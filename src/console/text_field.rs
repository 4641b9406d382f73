//! A labelled text input (or text area) with its hint and its error.

use super::error_text::ErrorText;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Props of [`TextField`].
#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// Id of the control (the label's `for`; its hint and error ids derive from it).
    pub id: AttrValue,
    /// The label.
    pub label: AttrValue,
    /// The current text.
    pub value: AttrValue,
    /// Called with the new text on every change.
    pub oninput: Callback<String>,
    /// A line under the label saying what is expected.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// The error of the field, shown under it.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// A text area (one item a line) instead of one line.
    #[prop_or_default]
    pub multiline: bool,
    /// Id of a `<datalist>` of suggestions (one line only), e.g. the workspace's flow ids.
    #[prop_or_default]
    pub list: Option<AttrValue>,
    /// The input's `type` (`text` by default; `color`, `number`, `url`, …).
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
}

/// A control that keeps what the user typed across renders (it is controlled by the
/// form's state), marked `aria-invalid` and described by its hint and error.
#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let hint_id = format!("{}-hint", props.id);
    let error_id = format!("{}-error", props.id);
    let described = [
        props.hint.as_ref().map(|_| hint_id.clone()),
        props.error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let invalid = props.error.is_some().then_some("true");
    let control = if props.multiline {
        let oninput = props
            .oninput
            .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
        html! {
            <textarea id={props.id.clone()} value={props.value.clone()} {oninput} rows="3"
                aria-invalid={invalid} aria-describedby={described} />
        }
    } else {
        let oninput = props
            .oninput
            .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
        html! {
            <input id={props.id.clone()} type={props.kind.clone()} value={props.value.clone()} {oninput}
                list={props.list.clone()} aria-invalid={invalid} aria-describedby={described} />
        }
    };
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            if let Some(hint) = &props.hint {
                <p class="muted hint" id={hint_id}>{ hint.clone() }</p>
            }
            { control }
            <ErrorText id={error_id} message={props.error.clone()} />
        </div>
    }
}
