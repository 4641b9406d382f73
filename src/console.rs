//! The owner console (feature `console`): a yew app served by `parlo-server` at `/console`,
//! built on the typed management client ([`crate::management`]) and the shared models.
//!
//! ```js
//! import init, { mountConsole } from "/pkg/console/parlo_console.js";
//! await init();
//! mountConsole(document.getElementById("console"));
//! ```
//!
//! - Log-in with e-mail and password (`POST /api/v1/auth/login`); the session token is kept
//!   in `sessionStorage` ([`session`]), then every request acts on the chosen workspace with
//!   the token and `Parlo-Workspace` ([`Client::in_workspace`](crate::management::Client::in_workspace)).
//! - Screens ([`route::Route`]): log-in, workspace picker, API keys, leads, one lead, the
//!   inbox (conversations kept live by the workspace event stream, one open), channels
//!   (list, one channel's settings with a live preview of its widget, and its embed
//!   snippet), webhooks (endpoints, deliveries, one delivery), flows (by folder; one flow's
//!   document, checked as it is typed with the model's own rules, and its statistics per
//!   step). Every
//!   screen has its own path under `/console/`, so a reload or a shared link opens it again
//!   (the server answers every `/console/…` path with the same page).
//! - Errors of the API are shown next to what caused them: a problem's per-field `errors`
//!   under their inputs, anything else next to the form or button ([`problem`]).

mod api_keys;
mod app;
mod bot_control;
mod channel_edit;
mod channel_form;
mod channels;
mod clipboard;
mod composer;
mod conversation_list;
mod conversation_view;
mod created_key;
mod deliveries;
mod delivery_view;
mod download;
mod error_text;
mod flow_check;
mod flow_code;
mod flow_create;
mod flow_draft;
mod flow_editor;
mod flow_problems;
mod flow_statistics;
mod flows;
mod history;
mod inbox;
mod inbox_state;
mod lead_view;
mod leads;
mod link;
mod login;
mod nav;
pub mod problem;
pub mod route;
pub mod session;
mod snippet;
mod subscriber_profile;
mod tag_editor;
mod text_field;
mod use_inbox_events;
mod use_listed;
mod webhooks;
mod widget_preview;
mod workspaces;

pub use app::{Console, ConsoleProps};

/// Renders the console into `root` (replacing its content), calling the API at `base_url`
/// (e.g. `https://chat.example.com`, usually the page's own origin).
pub fn mount(root: web_sys::Element, base_url: String) {
    root.set_inner_html("");
    yew::Renderer::<Console>::with_root_and_props(
        root,
        ConsoleProps {
            base_url: base_url.into(),
        },
    )
    .render();
}
