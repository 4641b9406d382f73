//! The launcher bubble that opens and closes the panel.

use yew::prelude::*;

/// Props of [`Launcher`].
#[derive(Properties, PartialEq)]
pub struct LauncherProps {
    /// Whether the panel is open (the button then closes it).
    pub open: bool,
    /// Pressed.
    pub onclick: Callback<()>,
    /// Reference to the `<button>`, to give it focus back.
    #[prop_or_default]
    pub button_ref: NodeRef,
}

/// The round launcher button: `aria-label` "Open chat" or "Close chat", `aria-expanded`.
#[component]
pub fn Launcher(props: &LauncherProps) -> Html {
    let onclick = props.onclick.reform(|_: MouseEvent| ());
    let (label, icon) = if props.open {
        (
            "Close chat",
            "M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z",
        )
    } else {
        (
            "Open chat",
            "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z",
        )
    };
    html! {
        <button
            type="button"
            class="parlo-launcher"
            aria-label={label}
            aria-expanded={props.open.to_string()}
            aria-haspopup="dialog"
            ref={props.button_ref.clone()}
            {onclick}
        >
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d={icon} /></svg>
        </button>
    }
}
