//! Parlo's API contract, shared by the browser bundle and the server.
//!
//! Every type that crosses the wire lives here, so the widget, the typed client and the
//! server agree by construction:
//!
//! - [`api_key`]: management API keys (format, checksum) and their list/create shapes.
//! - [`ids`]: typed identifiers (`ChannelId`, `SubscriberId`, `MessageId`, …).
//! - [`channel`]: the public channel configuration the widget renders.
//! - [`chat`]: sessions, messages, visitor input and realtime events.
//! - [`conversation`]: sending flows, content and agent messages to a subscriber, bot pause.
//! - [`flow_statistics`]: per-step statistics of a flow (sent, clicks, completions).
//! - [`form`]: lead form definitions, submissions and their validation.
//! - [`lead`]: leads (accepted submissions) and the submission answer.
//! - [`flow`]: the flow document (steps, triggers) and its validation.
//! - [`keyword`]: keywords of a channel, the visitor text that starts a flow.
//! - [`shop`]: products and variants, carts and orders (money in minor units).
//! - [`link`]: the one URL validator (web URLs, mailto: and tel: links).
//! - [`validate`]: answer validation (e-mail, phone, number, text), written once.
//! - [`problem`]: the RFC 9457 `application/problem+json` error envelope.
//! - [`page`]: cursor pagination.
//! - [`tag`]: tags and custom fields of a workspace, and setting them on subscribers.
//! - [`subscriber`]: the management view of a subscriber.
//! - [`trigger`]: the API trigger (find or create a subscriber, start a flow).
//! - [`bot_field`]: bot (global) fields of a workspace.
//! - [`user`]: console users, log-in and their session tokens.
//! - [`workspace`]: workspaces, owned by console users.
//! - [`automation`]: what runs after an event (webhook, tags, fields, flow, e-mail).
//! - [`webhook`]: webhook endpoints and deliveries (Standard Webhooks).
//! - [`broadcast`]: a flow or content sent to many subscribers at a time and rate.
//! - [`locale`]: languages of the widget and forms: strings by key, right-to-left, tags.
//!
//! ```
//! use parlo_model::validate::{FieldKind, check_answer};
//! assert!(check_answer(FieldKind::Email, "ada@example.com").is_ok());
//! assert!(check_answer(FieldKind::Email, "not an e-mail").is_err());
//! ```
#![deny(missing_docs)]

pub mod api_key;
pub mod automation;
pub mod bot_field;
pub mod broadcast;
pub mod channel;
pub mod chat;
pub mod conversation;
pub mod currency;
pub mod export;
pub mod flow;
pub mod flow_statistics;
pub mod form;
pub mod identity;
pub mod ids;
pub mod inbox;
pub mod keyword;
pub mod lead;
pub mod link;
pub mod locale;
pub mod page;
pub mod payment_link;
pub mod problem;
pub mod shop;
pub mod subscriber;
pub mod tag;
pub mod trigger;
pub mod user;
pub mod validate;
pub mod webhook;
pub mod workspace;
