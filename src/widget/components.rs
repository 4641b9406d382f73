//! The widget's components, one per file (the stateless leaves that render inside a
//! message or the panel are plain functions returning `Html`). The pre-chat form (`use_pre_chat`,
//! `PreChatForm`) comes with the lead forms (feature `forms`).

mod button_list;
mod card;
mod carousel;
mod composer;
mod header;
mod launcher;
mod main_menu;
mod message_bubble;
mod message_image;
mod message_list;
#[cfg(feature = "forms")]
mod pre_chat;
#[cfg(feature = "forms")]
mod pre_chat_form;
mod quick_replies;
mod rich_text;
mod typing_indicator;

pub use button_list::button_list;
pub use card::message_card;
pub use carousel::carousel;
pub use composer::{Composer, ComposerProps};
pub use header::{Header, HeaderProps};
pub use launcher::{Launcher, LauncherProps};
pub use main_menu::{MainMenu, MainMenuProps};
pub use message_bubble::{MessageBubble, MessageBubbleProps};
pub use message_image::message_image;
pub use message_list::{MessageList, MessageListProps};
#[cfg(feature = "forms")]
pub use pre_chat::use_pre_chat;
#[cfg(feature = "forms")]
pub use pre_chat_form::{PreChatForm, PreChatFormProps};
pub use quick_replies::quick_replies;
pub use rich_text::rich_text;
pub use typing_indicator::typing_indicator;
