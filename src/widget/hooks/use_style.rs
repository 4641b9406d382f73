//! `use_style`: an element's inline declarations, set through the CSSOM.

use web_sys::HtmlElement;
use yew::prelude::*;

/// A ref whose element gets `css` (declarations, e.g. `--parlo-primary:#2563eb`) as its
/// inline style, set through the CSSOM (`style.cssText`) after each render where `css`
/// changed; the element must stay the same one.
///
/// A `style` attribute in the markup is an inline style, which a Content Security Policy
/// without `'unsafe-inline'` in `style-src` blocks; the CSSOM is not subject to `style-src`.
#[hook]
pub fn use_style(css: String) -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(css, move |css| {
            if let Some(element) = node.cast::<HtmlElement>() {
                element.style().set_css_text(css);
            }
        });
    }
    node
}
