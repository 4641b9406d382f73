//! Parlo's browser bundle: the embeddable chat widget and a typed client for the public API.
//!
//! The bundle is compiled to WebAssembly and loaded by the tiny `loader.js` only once the
//! visitor shows intent. JavaScript sees the exports of [`js`]; Rust code can use the
//! [`client`] and the [`widget`] components directly.
//!
//! ```no_run
//! use parlo::client::Client;
//! use parlo_model::ids::ChannelId;
//!
//! # async fn demo() -> Result<(), parlo::client::Error> {
//! let client = Client::new("https://chat.example.com", ChannelId::from("demo"));
//! let config = client.channel().config().await?;
//! println!("chatting with {}", config.name);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

pub mod client;
pub mod js;
pub mod widget;
