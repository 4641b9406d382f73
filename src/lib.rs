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
//!
//! # Bundle size
//!
//! Budget: ≤ 100,000 bytes brotli for everything the widget downloads once the visitor shows
//! intent (`loader.js` is fetched before: 2,497 bytes). The knobs live in `xtask/src/build.rs`
//! (`WASM_OPT_FLAGS`, `SIZE_RUSTFLAGS`, `BUILD_STD_ARGS`) and the root Cargo.toml's
//! `[profile.web]`. Bytes after `brotli -q 11`, each row cumulative, measured 2026-11-21 with
//! rustc-web 1.96, wasm-bindgen 0.2.130, binaryen 132:
//!
//! | change | `parlo_bg.wasm` | `parlo.js` | total | saved |
//! |---|---:|---:|---:|---:|
//! | before: `web` profile (`opt-level = "z"`, fat LTO, `panic = "abort"`), `wasm-opt -Oz` | 91,815 | 7,315 | 99,130 | |
//! | `wasm-opt -Oz --converge --low-memory-unused --strip-producers` | 90,722 | 7,315 | 98,037 | 1,093 |
//! | `-Zlocation-detail=none -Zfmt-debug=none` (no panic locations, no `Debug` formatting) | 88,713 | 7,376 | 96,089 | 1,948 |
//! | std rebuilt with the bundle (`-Zbuild-std`) and `-Cpanic=immediate-abort`; legacy symbol mangling | 80,599 | 6,780 | 87,379 | 8,710 |
//! | std feature `optimize_for_size` | **80,133** | **6,757** | **86,890** | 489 |
//!
//! The `-Z` rows need a nightly compiler: they apply on the Debian route of `cargo xtask`
//! (CI); the rustup route (stable) gets the first two rows' flags only: 98,128. Replacing the
//! `{:?}` renderings of JavaScript errors by [`client`]'s `describe` (their `message`) changed
//! nothing measurable by itself (±100 bytes of optimiser noise), but keeps those messages
//! under `-Zfmt-debug=none`.
//!
//! Tried and dropped: `opt-level = "s"` (89,643 with everything else, +2,753); `wasm-opt -O4`
//! then `-Oz` (+218); `--flatten --rereloop` (+292); `-Oz` twice (the same as `--converge`);
//! `--gufa-optimizing` (−71) and `--ignore-implicit-traps` (−45) are not worth a slower build
//! or changed trap semantics. `-C target-feature=+bulk-memory,+nontrapping-fptoint,+sign-ext,
//! +mutable-globals` changes nothing: rustc 1.96 enables them (and `reference-types`,
//! `multivalue`) for wasm32 by default. yew already has only `csr`; `implicit-clone` is a
//! dependency of yew anyway. Panics (bugs) now trap without a message in the console.
#![deny(missing_docs)]

pub mod client;
pub mod js;
#[cfg(feature = "forms")]
pub mod lead_form;
#[cfg(feature = "management")]
pub mod management;
#[cfg(any(feature = "widget", feature = "forms"))]
pub mod shadow;
#[cfg(any(feature = "widget", feature = "forms"))]
pub mod storage;
#[cfg(feature = "widget")]
pub mod widget;
