//! The "typing…" indicator.

use crate::widget::texts::Texts;
use yew::prelude::*;

/// Props of [`TypingIndicator`].
#[derive(Properties, PartialEq)]
pub struct TypingIndicatorProps {
    /// Whether the bot is typing (or a send is in flight).
    pub active: bool,
    /// The widget's texts in the visitor's language.
    #[prop_or_default]
    pub texts: Texts,
}

/// Three dots, announced as "typing…" to screen readers through `role="status"`. The
/// status element stays in the page so announcements work.
#[component]
pub fn TypingIndicator(props: &TypingIndicatorProps) -> Html {
    let texts = &props.texts;
    html! {
        <div class="parlo-typing" role="status">
            if props.active {
                <span class="parlo-sr">{ texts.get("widget.typing", "typing…") }</span>
                <i aria-hidden="true"></i><i aria-hidden="true"></i><i aria-hidden="true"></i>
            }
        </div>
    }
}
