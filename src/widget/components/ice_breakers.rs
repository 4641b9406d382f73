//! Starter questions offered before the visitor's first message.

use implicit_clone::unsync::IArray;
use parlo_model::chat::VisitorInput;
use yew::prelude::*;

/// Props of [`IceBreakers`].
#[derive(Properties, PartialEq)]
pub struct IceBreakersProps {
    /// The questions.
    pub items: IArray<AttrValue>,
    /// One was pressed: send its text.
    pub onaction: Callback<VisitorInput>,
}

/// A row of starter questions; pressing one sends its text as a visitor message.
#[component]
pub fn IceBreakers(props: &IceBreakersProps) -> Html {
    let chips = props.items.iter().map(|text| {
        let input = VisitorInput::Text {
            text: text.to_string(),
        };
        let onclick = props.onaction.reform(move |_: MouseEvent| input.clone());
        html! { <button type="button" class="parlo-chip" {onclick}>{ text.clone() }</button> }
    });
    html! { <div class="parlo-chips parlo-ice-breakers">{ for chips }</div> }
}
