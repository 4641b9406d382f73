//! The "typing…" indicator.

use crate::texts::use_texts;
use yew::prelude::*;

/// Props of [`TypingIndicator`].
#[derive(Properties, PartialEq)]
pub struct TypingIndicatorProps {
    /// Whether the bot is typing (or a send is in flight).
    pub active: bool,
}

/// Three dots, announced as "typing…" to screen readers through `role="status"`. The
/// status element stays in the page so announcements work.
#[component]
pub fn TypingIndicator(props: &TypingIndicatorProps) -> Html {
    let texts = use_texts();
    html! {
        <div class="parlo-typing" role="status">
            if props.active {
                <span class="parlo-sr">{ texts.get("widget.typing", "typing…") }</span>
                <i aria-hidden="true"></i><i aria-hidden="true"></i><i aria-hidden="true"></i>
            }
        </div>
    }
}
