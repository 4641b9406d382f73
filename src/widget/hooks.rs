//! Hooks of the widget.

mod use_chat;

pub use use_chat::{Command, Control, UseChatHandle, use_chat};
