//! Parlo's browser code: the embeddable chat widget, lead forms and typed API clients, compiled
//! to WebAssembly as one bundle per Cargo feature by `cargo xtask build` (each with
//! `--no-default-features` and its own feature, so none carries another's code):
//!
//! | feature | bundle | JS exports ([`js`]) | loaded by `loader.js` |
//! |---|---|---|---|
//! | `widget` | `pkg/parlo.js`, `pkg/parlo_bg.wasm` | `mountWidget` | on intent on the chat launcher |
//! | `forms` | `pkg/forms/parlo_forms.js`, `…_bg.wasm` | `mountForm`, `flushLeads` | when a form is within 600 px of the viewport or pointed at or focused; at once on a page where earlier pages left unsent leads |
//! | `management` | `pkg/client/` | `ParloClient` | never (apps import `parlo/client`) |
//!
//! `widget` and `forms` are the default features, so `cargo test` and the docs see both. The
//! public-API [`client`] is in every bundle; `shadow` and `storage` come with the widget or
//! the forms. Rust code can use the [`client`], the `widget` and the `lead_form` components
//! directly.
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
//! Budget (issue 2): ≤ 100,000 bytes brotli for what the chat widget downloads: `parlo_bg.wasm`
//! and `parlo.js` once the visitor shows intent, and `loader.js` before. The knobs live in
//! `xtask/src/build.rs` (`WASM_OPT_FLAGS`, `SIZE_RUSTFLAGS`, `BUILD_STD_ARGS`) and the root
//! Cargo.toml's `[profile.web]`; every bundle gets the same. Bytes after `brotli -q 11`,
//! measured 2026-11-21 with rustc-web 1.96, wasm-bindgen 0.2.130, binaryen 132, Debian route:
//!
//! | bundle | wasm | JS glue | `loader.js` | total |
//! |---|---:|---:|---:|---:|
//! | before: widget and lead forms in one bundle | 128,842 | 7,534 | 3,469 | 139,845 |
//! | **chat widget** (feature `widget`) | **84,240** | **6,784** | **3,862** | **94,886** |
//! | lead forms (feature `forms`), only on pages with a form | 95,187 | 6,755 | (the same) | 101,942 |
//! | management client (`management`), before: it also carried `widget` and `forms` | 266,704 | 11,871 | | 278,575 |
//! | management client (`management` only) | 156,368 | 7,986 | | 164,354 |
//!
//! The loader grew by 393 bytes for loading forms lazily (IntersectionObserver, the second
//! bundle's URL) and their documentation; about 900 of its bytes are comments, as it is served
//! unminified. The forms bundle repeats what both need (yew, the [`client`], std: about 55 KB);
//! forms add about 46 KB to it (see `lead_form`'s docs for what). A page with the launcher and a
//! form below the fold downloads only the loader until the visitor acts (`cargo xtask bench`:
//! 4,967 bytes before interaction on the demo page, whose quote form is 2,470 px down).
//!
//! How the widget got here, each row cumulative, before lead forms existed (`loader.js`: 2,497):
//!
//! | change | `parlo_bg.wasm` | `parlo.js` | total | saved |
//! |---|---:|---:|---:|---:|
//! | before: `web` profile (`opt-level = "z"`, fat LTO, `panic = "abort"`), `wasm-opt -Oz` | 91,815 | 7,315 | 99,130 | |
//! | `wasm-opt -Oz --converge --low-memory-unused --strip-producers` | 90,722 | 7,315 | 98,037 | 1,093 |
//! | `-Zlocation-detail=none -Zfmt-debug=none` (no panic locations, no `Debug` formatting) | 88,713 | 7,376 | 96,089 | 1,948 |
//! | std rebuilt with the bundle (`-Zbuild-std`) and `-Cpanic=immediate-abort`; legacy symbol mangling | 80,599 | 6,780 | 87,379 | 8,710 |
//! | std feature `optimize_for_size` | **80,133** | **6,757** | **86,890** | 489 |
//!
//! The `-Z` rows need a nightly compiler: they apply on the Debian route of `cargo xtask` (CI);
//! the rustup route (stable) gets the first two rows' flags only: 98,128 then (not measured
//! since; with today's widget and loader, the same 11 KB more would put it over the budget).
//! Replacing the `{:?}` renderings of JavaScript errors by [`client`]'s `describe` (their
//! `message`) changed nothing measurable by itself (±100 bytes of optimiser noise), but keeps
//! those messages under `-Zfmt-debug=none`.
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
