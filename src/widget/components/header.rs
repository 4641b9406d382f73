//! The panel header: channel name, greeting, connection status, the main menu and the close
//! button.

use crate::widget::texts::Texts;
use yew::prelude::*;

/// Props of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The channel name.
    pub name: AttrValue,
    /// The line under the name, if any.
    #[prop_or_default]
    pub greeting: Option<AttrValue>,
    /// The connection status line, e.g. `Online`.
    pub status: AttrValue,
    /// Machine form of the connection status (`online`, `reconnecting`, …), for styling
    /// and tests.
    pub status_key: AttrValue,
    /// Nobody answers now (outside the channel's business hours).
    #[prop_or_default]
    pub away: bool,
    /// The close button was pressed.
    pub onclose: Callback<()>,
    /// Shown before the close button: the channel's main menu, if any.
    #[prop_or_default]
    pub children: Html,
    /// The widget's texts in the visitor's language.
    #[prop_or_default]
    pub texts: Texts,
}

/// The header; the status element carries `data-parlo-status`, the header
/// `data-parlo-availability` (`online` or `away`).
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let onclick = props.onclose.reform(|_: MouseEvent| ());
    let texts = &props.texts;
    let availability = if props.away { "away" } else { "online" };
    html! {
        <div class="parlo-header" data-parlo-availability={availability}>
            <div class="parlo-header__text">
                <h2 class="parlo-header__name">{ props.name.clone() }</h2>
                if let Some(greeting) = &props.greeting {
                    <p class="parlo-header__greeting">{ greeting.clone() }</p>
                }
                <p class="parlo-header__status" data-parlo-status={props.status_key.clone()}>
                    { props.status.clone() }
                </p>
            </div>
            { props.children.clone() }
            <button type="button" class="parlo-close" aria-label={texts.get("widget.close", "Close chat")} {onclick}>
                <span aria-hidden="true">{ "×" }</span>
            </button>
        </div>
    }
}
