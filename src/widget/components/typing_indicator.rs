//! The "typing…" indicator.

use crate::widget::texts::Texts;
use yew::prelude::*;

/// Three dots while `active` (the bot is typing, or a send is in flight), announced as
/// "typing…" to screen readers through `role="status"`. The status element stays in the page
/// so announcements work. A function rather than a component (like [`super::rich_text`]):
/// the panel renders it, and a component would add its yew lifecycle code to the bundle.
pub fn typing_indicator(active: bool, texts: &Texts) -> Html {
    html! {
        <div class="parlo-typing" role="status">
            if active {
                <span class="parlo-sr">{ texts.get("widget.typing", "typing…") }</span>
                <i aria-hidden="true"></i><i aria-hidden="true"></i><i aria-hidden="true"></i>
            }
        </div>
    }
}
