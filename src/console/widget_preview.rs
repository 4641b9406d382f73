//! The live preview of a channel's widget with the look being edited.

use parlo_model::channel::Theme;
use parlo_model::ids::ChannelId;
use yew::prelude::*;

/// Props of [`WidgetPreview`].
#[derive(Properties, PartialEq)]
pub struct WidgetPreviewProps {
    /// The (saved) channel whose bot the preview chats with.
    pub channel: ChannelId,
    /// The look as edited; `None` while it has errors (the preview keeps the last good one).
    pub theme: Option<Theme>,
}

/// The real widget in a frame (`/widget-preview.html`, which runs `/embed.js` with the
/// loader's `theme` option), open, with the edited look before it is saved; it follows each
/// change without reloading the frame (the page watches the frame's `data-theme`). The frame
/// is `inert`: the opened widget would otherwise take the keyboard focus from the form.
#[component]
pub fn WidgetPreview(props: &WidgetPreviewProps) -> Html {
    let last = use_mut_ref(|| None::<String>);
    if let Some(json) = props.theme.as_ref().and_then(|t| serde_json::to_string(t).ok()) {
        *last.borrow_mut() = Some(json);
    }
    let theme = last.borrow().clone().unwrap_or_else(|| "{}".to_owned());
    html! {
        <section class="widget-preview" aria-labelledby="preview-title">
            <h2 id="preview-title">{ "Preview" }</h2>
            <p class="muted">{ "The widget with the look above, before you save it, as visitors will see it (the bot's greeting included)." }</p>
            <iframe title="Widget preview" src="/widget-preview.html" width="100%" height="680" inert=true
                data-channel={props.channel.as_str().to_owned()} data-theme={theme} />
        </section>
    }
}
