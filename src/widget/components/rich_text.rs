//! A bot or agent message's text with its Markdown subset ([`crate::widget::markdown`]),
//! built as DOM nodes: the text is only ever text nodes, never parsed as HTML.

use crate::widget::markdown::{Block, Inline, parse};
use yew::prelude::*;

/// `text` as paragraphs (`<p>`), lists (`<ul>`, `<ol>`), `<strong>`, `<em>`, `<code>`, `<br>`
/// and links (`<a target="_blank" rel="noopener noreferrer">` to http(s), mailto or tel URLs
/// only). A function rather than a component: it renders inside `MessageBubble`, which
/// re-renders only when its message changes, and a component of its own would add its yew
/// lifecycle code to the bundle.
pub fn rich_text(text: &str) -> Html {
    parse(text).iter().map(block).collect()
}

fn block(block: &Block) -> Html {
    match block {
        Block::Paragraph(content) => html! { <p>{ inlines(content) }</p> },
        Block::List { ordered, items } => {
            let items: Html = items
                .iter()
                .map(|item| html! { <li>{ inlines(item) }</li> })
                .collect();
            if *ordered {
                html! { <ol>{ items }</ol> }
            } else {
                html! { <ul>{ items }</ul> }
            }
        }
    }
}

fn inlines(content: &[Inline]) -> Html {
    content.iter().map(inline).collect()
}

fn inline(node: &Inline) -> Html {
    match node {
        Inline::Text(text) => html! { { text.clone() } },
        Inline::Strong(children) => html! { <strong>{ inlines(children) }</strong> },
        Inline::Emphasis(children) => html! { <em>{ inlines(children) }</em> },
        Inline::Code(code) => html! { <code>{ code.clone() }</code> },
        Inline::Link { href, children } => html! {
            <a href={href.clone()} target="_blank" rel="noopener noreferrer">{ inlines(children) }</a>
        },
        Inline::Break => html! { <br /> },
    }
}
