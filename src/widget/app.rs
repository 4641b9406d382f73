//! The widget's root component.

#[cfg(feature = "forms")]
use super::components::use_pre_chat;
use super::components::{Composer, Header, Launcher, MainMenu, MessageList, typing_indicator};
use super::events::Events;
use super::hooks::{Control, use_chat};
use super::state::Connection;
use super::style::Scheme;
use super::texts::Texts;
use super::visitor::Visitor;
use crate::client::Client;
use parlo_model::channel::{ChannelConfig, Position, Theme};
use parlo_model::chat::{Author, VisitorInput};
use parlo_model::validate::FieldKind;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// Client of the channel to chat with.
    pub client: Client,
    /// Open the panel at once (the visitor pressed the launcher before the bundle loaded).
    #[prop_or_default]
    pub open: bool,
    /// Look to use until the channel configuration arrives (the loader's launcher look),
    /// so nothing moves when it does.
    #[prop_or_default]
    pub theme: Theme,
    /// The channel's configuration when the embedder already has it (the loader reads it to
    /// choose the bundle), so the widget does not request it again; `None`: the widget
    /// requests it at mount. Read once, at mount.
    #[prop_or_default]
    pub config: Option<Rc<ChannelConfig>>,
    /// Receives commands from the JavaScript API.
    #[prop_or_default]
    pub control: Control,
    /// Where the widget reports what happens (the JavaScript API's events).
    #[prop_or_default]
    pub events: Events,
    /// Light, dark, or following the visitor's system setting.
    #[prop_or_default]
    pub scheme: Scheme,
    /// What the page says about the visitor, sent with the session start. Read once, at mount.
    #[prop_or_default]
    pub visitor: Visitor,
}

/// The whole widget: launcher and, when open, the chat panel (`role="dialog"`).
///
/// Esc in the panel closes it and gives the focus back to the launcher; opening it from the
/// launcher focuses the composer. With lead forms compiled in (feature `forms`), when the
/// channel has a pre-chat form the visitor has not submitted on this browser, the panel shows
/// the form (`use_pre_chat`) instead of the conversation until the server has stored a
/// submission; without them the conversation shows at once.
#[component]
pub fn App(props: &AppProps) -> Html {
    let chat = use_chat(
        props.client.clone(),
        props.control.clone(),
        props.config.clone(),
        props.events.clone(),
        props.visitor.clone(),
    );
    let state = &*chat.state;
    let launcher = use_node_ref();
    {
        let (set_open, open) = (chat.set_open.clone(), props.open);
        use_effect_with((), move |_| {
            if open {
                set_open.emit(true);
            }
        });
    }
    let open = chat.set_open.reform(|()| true);
    let close = {
        let (set_open, launcher) = (chat.set_open.clone(), launcher.clone());
        Callback::from(move |()| {
            set_open.emit(false);
            if let Some(button) = launcher.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        })
    };
    let toggle = {
        let (open, close, is_open) = (open.clone(), close.clone(), state.open);
        Callback::from(move |()| if is_open { close.emit(()) } else { open.emit(()) })
    };
    let onkeydown = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                close.emit(());
            }
        })
    };
    let onsend = chat.send.reform(|text| VisitorInput::Text { text });
    let panel = use_node_ref();
    // A pressed quick reply disappears with its row: hand the focus to the composer rather
    // than letting it fall out of the dialog (where Esc would no longer reach the panel).
    let onaction = {
        let (send, panel) = (chat.send.clone(), panel.clone());
        Callback::from(move |input: VisitorInput| {
            send.emit(input);
            let composer = panel
                .cast::<web_sys::Element>()
                .and_then(|p| p.query_selector("textarea").ok()?);
            if let Some(composer) = composer.and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = composer.focus();
            }
        })
    };

    let texts = Texts(state.config.clone());
    let locale = state.config.as_ref().and_then(|c| c.locale.clone());
    let theme = state.config.as_ref().map_or(&props.theme, |c| &c.theme);
    let style = format!(
        "--parlo-primary:{};--parlo-on-primary:{}",
        color(&theme.primary_color, "#2563eb"),
        color(&theme.on_primary_color, "#ffffff")
    );
    let left = (theme.position == Position::Left).then_some("parlo--left");
    let name: AttrValue = state
        .config
        .as_ref()
        .map_or(texts.get("widget.chat", "Chat"), |c| c.name.clone().into());
    let away = state
        .config
        .as_ref()
        .and_then(|c| c.availability.as_ref())
        .filter(|a| !a.online);
    // While away, the away message says when someone answers instead of the greeting.
    let greeting = match away {
        Some(away) => Some(away.away_message.clone().into()),
        None => state
            .config
            .as_ref()
            .and_then(|c| c.greeting.clone())
            .map(AttrValue::from),
    };
    let status = match (state.connection, away) {
        (Connection::Online, Some(_)) => texts.get("widget.status.away", "Away"),
        (connection, _) => texts.get(&format!("widget.status.{}", connection.key()), connection.label()),
    };
    let launcher_label = theme.launcher_label.clone().map(AttrValue::from);
    let (ice_breakers, main_menu) = (state.config.as_ref())
        .map(|c| (Rc::new(c.ice_breakers.clone()), Rc::new(c.main_menu.clone())))
        .unwrap_or_default();
    let last = state.last_entry().filter(|e| e.message.author != Author::Visitor);
    let expects = last.and_then(|e| e.message.content.expects);
    // A date or rating question mounts a new composer (a date picker or stars, see
    // `Composer`), and so does what comes after it.
    let composer_key = match expects {
        Some(FieldKind::Date) => "date",
        Some(FieldKind::Rating) => "rating",
        _ => "text",
    };
    let status_key = state.connection.key();
    #[cfg(feature = "forms")]
    let pre_chat = use_pre_chat(&props.client, state, &texts, &props.visitor.capture);
    #[cfg(not(feature = "forms"))]
    let pre_chat: Option<Html> = None;

    let label = texts.fill("widget.panel_label", "{name} chat", &name);
    let dir = texts.dir();
    // `~style`: the `style` property (the CSSOM's `cssText`), not the attribute, which a
    // Content Security Policy without `'unsafe-inline'` would block.
    html! {
        <div class={classes!("parlo", left, props.scheme.class())} ~style={style} lang={locale} {dir}>
            if state.open {
                <div class="parlo-panel" role="dialog" aria-label={label} {onkeydown} ref={panel}>
                    <Header
                        name={name.clone()}
                        {greeting}
                        {status}
                        {status_key}
                        away={away.is_some()}
                        onclose={close.clone()}
                        texts={texts.clone()}
                    >
                        if pre_chat.is_none() && !main_menu.is_empty() {
                            <MainMenu items={main_menu} onaction={onaction.clone()} texts={texts.clone()} />
                        }
                    </Header>
                    if let Some(pre_chat) = pre_chat {
                        { pre_chat }
                    } else {
                        <MessageList
                            entries={state.entries.clone()}
                            {ice_breakers}
                            {onaction}
                            onretry={chat.retry.clone()}
                            texts={texts.clone()}
                        />
                        { typing_indicator(state.typing.is_some() || state.in_flight > 0, &texts) }
                        <Composer key={composer_key} {expects} {onsend} autofocus={state.focus_composer} texts={texts.clone()} />
                    }
                </div>
            }
            <Launcher
                open={state.open}
                unread={state.unread}
                label={launcher_label}
                onclick={toggle}
                button_ref={launcher}
                {texts}
            />
        </div>
    }
}

/// `value` when it is a `#rgb` or `#rrggbb` colour, else `fallback` (the value goes into the
/// root's inline style, so nothing else may get through).
fn color<'a>(value: &'a str, fallback: &'a str) -> &'a str {
    let hex = value.strip_prefix('#').unwrap_or("");
    if matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        value
    } else {
        fallback
    }
}
