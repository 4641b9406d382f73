//! The chat widget: yew components rendered in a Shadow DOM.
//!
//! [`mount`] renders the root [`App`] into a host element's shadow root; the pieces are
//! in [`components`], the conversation logic in [`hooks::use_chat`] and the
//! [`state`] reducer; bot and agent text is [`markdown`].
//!
//! ```no_run
//! use parlo::client::Client;
//! use parlo::widget::{AppProps, mount};
//! use wasm_bindgen::JsCast;
//!
//! let document = web_sys::window().unwrap().document().unwrap();
//! let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
//! document.body().unwrap().append_child(&host).unwrap();
//! let props = AppProps {
//!     client: Client::new("https://chat.example.com", "demo".into()),
//!     open: false,
//!     theme: Default::default(),
//!     config: None,
//!     control: Default::default(),
//!     events: Default::default(),
//!     scheme: Default::default(),
//!     visitor: Default::default(),
//! };
//! let widget = mount(&host, props).unwrap();
//! # widget.unmount();
//! ```

mod app;
pub mod components;
pub mod events;
pub mod hooks;
pub mod markdown;
mod mount;
pub mod state;
pub mod style;
pub mod texts;
pub mod visitor;

pub use app::{App, AppProps};
pub use mount::{LOADER_ATTR, Mounted, mount};
