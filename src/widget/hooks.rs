//! Hooks of the widget.

mod use_chat;
mod use_style;

pub use use_chat::{Command, Control, UseChatHandle, use_chat};
pub use use_style::use_style;
