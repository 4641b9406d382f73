//! The channel's persistent main menu, behind a button in the header.

use super::button_list;
use crate::widget::texts::Texts;
use parlo_model::chat::{Button, VisitorInput};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`MainMenu`].
#[derive(Properties, PartialEq)]
pub struct MainMenuProps {
    /// The menu items, in order: postback buttons start a flow, link buttons open a page.
    pub items: Rc<Vec<Button>>,
    /// A postback item was pressed: send this input.
    pub onaction: Callback<VisitorInput>,
    /// The widget's texts in the visitor's language.
    #[prop_or_default]
    pub texts: Texts,
}

/// A "Menu" button (`aria-expanded`) that opens the items as a column of buttons; pressing
/// any item closes the list again.
#[component]
pub fn MainMenu(props: &MainMenuProps) -> Html {
    let open = use_state(|| false);
    let texts = &props.texts;
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    // Every item press bubbles up here, links included (they open their own tab).
    let close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    html! {
        <div class="parlo-menu">
            <button type="button" class="parlo-close" aria-label={texts.get("widget.menu", "Menu")} aria-expanded={open.to_string()} onclick={toggle}>
                <span aria-hidden="true">{ "☰" }</span>
            </button>
            if *open {
                <div class="parlo-menu__items" onclick={close}>
                    { button_list(&props.items, &props.onaction) }
                </div>
            }
        </div>
    }
}
