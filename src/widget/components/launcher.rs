//! The launcher bubble that opens and closes the panel.

use crate::widget::texts::Texts;
use yew::prelude::*;

/// Props of [`Launcher`].
#[derive(Properties, PartialEq)]
pub struct LauncherProps {
    /// Whether the panel is open (the button then closes it).
    pub open: bool,
    /// Messages received while the panel was closed, shown as a badge when not 0.
    #[prop_or_default]
    pub unread: u32,
    /// Text beside the icon while the panel is closed; icon only when `None`.
    #[prop_or_default]
    pub label: Option<AttrValue>,
    /// Pressed.
    pub onclick: Callback<()>,
    /// Reference to the `<button>`, to give it focus back.
    #[prop_or_default]
    pub button_ref: NodeRef,
    /// The widget's texts in the visitor's language.
    #[prop_or_default]
    pub texts: Texts,
}

/// The round launcher button: `aria-label` "Open chat" or "Close chat", `aria-expanded`;
/// with a label, a pill holding the icon and the label; with unread messages, a badge
/// (`.parlo-badge`) holding their count, also given as the button's `aria-description`.
#[component]
pub fn Launcher(props: &LauncherProps) -> Html {
    let onclick = props.onclick.reform(|_: MouseEvent| ());
    let texts = &props.texts;
    let (label, icon) = if props.open {
        (
            texts.get("widget.close", "Close chat"),
            "M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z",
        )
    } else {
        (
            texts.get("widget.open", "Open chat"),
            "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z",
        )
    };
    let text = props.label.clone().filter(|_| !props.open);
    let unread = props.unread;
    let description = (unread > 0).then(|| texts.fill("widget.unread", "{n} unread", &unread.to_string()));
    html! {
        <button
            type="button"
            class={classes!("parlo-launcher", text.is_some().then_some("parlo-launcher--label"))}
            aria-label={label}
            aria-description={description}
            aria-expanded={props.open.to_string()}
            aria-haspopup="dialog"
            ref={props.button_ref.clone()}
            {onclick}
        >
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d={icon} /></svg>
            if let Some(text) = text {
                <span class="parlo-launcher__label">{ text }</span>
            }
            if unread > 0 {
                <span class="parlo-badge" aria-hidden="true">{ unread.to_string() }</span>
            }
        </button>
    }
}
