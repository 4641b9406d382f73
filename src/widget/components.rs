//! The widget's components, one per file.

mod button_list;
mod card;
mod carousel;
mod composer;
mod header;
mod ice_breakers;
mod launcher;
mod message_bubble;
mod message_image;
mod message_list;
mod pre_chat;
mod quick_replies;
mod typing_indicator;

pub use button_list::{ButtonList, ButtonListProps};
pub use card::{MessageCard, MessageCardProps};
pub use carousel::{Carousel, CarouselProps};
pub use composer::{Composer, ComposerProps};
pub use header::{Header, HeaderProps};
pub use ice_breakers::{IceBreakers, IceBreakersProps};
pub use launcher::{Launcher, LauncherProps};
pub use message_bubble::{MessageBubble, MessageBubbleProps};
pub use message_image::{MessageImage, MessageImageProps};
pub use message_list::{MessageList, MessageListProps};
pub use pre_chat::use_pre_chat;
pub use quick_replies::{QuickReplies, QuickRepliesProps};
pub use typing_indicator::{TypingIndicator, TypingIndicatorProps};
