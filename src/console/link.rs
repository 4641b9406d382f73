//! A link to a console screen.

use super::route::Route;
use yew::prelude::*;

/// Props of [`Link`].
#[derive(Properties, PartialEq)]
pub struct LinkProps {
    /// Where it leads.
    pub to: Route,
    /// The link's content.
    pub children: Html,
    /// Its class.
    #[prop_or_default]
    pub class: Classes,
    /// Whether it is the current page (`aria-current="page"`).
    #[prop_or_default]
    pub current: bool,
}

/// A real `<a href>` (so it can be opened in a new tab or copied) that navigates inside the
/// page on a plain click ([`Navigate`] from the context).
#[component]
pub fn Link(props: &LinkProps) -> Html {
    let navigate = use_context::<Navigate>();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |e: MouseEvent| {
            let plain = e.button() == 0 && !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key());
            if let (true, Some(navigate)) = (plain, &navigate) {
                e.prevent_default();
                navigate.0.emit(to.clone());
            }
        })
    };
    html! {
        <a href={props.to.href()} class={props.class.clone()} {onclick}
            aria-current={props.current.then_some("page")}>
            { props.children.clone() }
        </a>
    }
}

/// Goes to a screen (a new history entry); given by [`Console`](super::Console) as context.
#[derive(Clone, PartialEq)]
pub struct Navigate(pub Callback<Route>);
