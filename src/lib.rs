//! Parlo's browser code: the embeddable chat widget, lead forms and typed API clients, compiled
//! to WebAssembly as one bundle per Cargo feature by `cargo xtask build` (each with
//! `--no-default-features` and its own features, so none carries code it does not use):
//!
//! | feature | bundle | JS exports ([`js`]) | loaded by `loader.js` |
//! |---|---|---|---|
//! | `widget` | `pkg/parlo_widget.js`, `pkg/parlo_widget_bg.wasm` | `mountWidget` | on intent on the chat launcher, when the channel has no pre-chat form (or the visitor filled it in) |
//! | `widget` + `forms` | `pkg/prechat/parlo_prechat.js`, `…_bg.wasm` | `mountWidget` | on intent, when the channel asks for a pre-chat form first: one yew renders chat and form |
//! | `forms` | `pkg/forms/parlo_forms.js`, `…_bg.wasm` | `mountForm`, `previewForm`, `flushLeads` | when a form is within 600 px of the viewport or pointed at or focused; at once on a page where earlier pages left unsent leads |
//! | `management` | `pkg/client/` | `ParloClient` | never (apps import `parlo/client`) |
//! | `console` (with `management`) | `pkg/console/` | `mountConsole` | never (the page of `/console` does) |
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
//! let config = client.channel().config(Some("de-AT,en")).await?;
//! println!("chatting with {}", config.name);
//! # Ok(())
//! # }
//! ```
//!
//! # Bundle size
//!
//! Budgets, in bytes after `brotli -q 11`: `loader.js` (all a page downloads before the
//! visitor shows intent) ≤ 5,000; the chat widget ≤ 125,000 with the loader; a page with only a
//! lead form ≤ 125,000; a chat whose channel has a pre-chat form ≤ 165,000 in all. The knobs
//! live in `xtask/src/build.rs` (`WASM_OPT_FLAGS`, `SIZE_RUSTFLAGS`, `BUILD_STD_ARGS`) and the
//! root Cargo.toml's `[profile.web]`; every bundle gets the same. Measured 2026-12-07 with
//! rustc-web 1.96, wasm-bindgen 0.2.130, binaryen 132, Debian route (`cargo xtask bench`
//! prints these rows and checks them against the budgets):
//!
//! | bundle | wasm | JS glue | `loader.js` | total | budget |
//! |---|---:|---:|---:|---:|---:|
//! | **chat widget** (feature `widget`) | 113,106 | 6,186 | 4,652 | **123,944** | 125,000 |
//! | chat with a pre-chat form (`widget` + `forms`) | 147,957 | 6,540 | 4,652 | **159,149** | 165,000 |
//! | lead forms (feature `forms`), only on pages with a form | 97,691 | 5,963 | 4,652 | **108,306** | 125,000 |
//!
//! The chat widget went over its budget (129,755) when it gained, all at once (each measured
//! on the widget alone, from 124,064): messages kept unsent across reloads and a strict
//! Content Security Policy (+1,377), verified identity with the session's capture (+1,932),
//! the theme's look, proactive message, sound, rating stars and phone layout (+2,828), and
//! languages (+2,660), 132,137 together. These changes brought it back, each measured on the
//! widget alone (wasm, glue and loader, `brotli -q 11`):
//!
//! | change | widget |
//! |---|---:|
//! | the capture (UTM parameters, referrer, landing page) read by `loader.js`, one JavaScript function the widget and the forms call, instead of wasm code in both | −1,021 |
//! | `mountWidget` reads its options member by member with `Reflect`, not a serde struct of its own | about −1,360 |
//! | the URL validator takes internationalised host names by Unicode block ([`parlo_model::link`]) instead of `char::is_alphanumeric`, whose letter tables only it used | −1,752 |
//! | `Theme`'s look members, which only `loader.js` applies, exist with the model's feature `look`: the widget's wasm skips them | −900 |
//! | event details (`message:*`, `error`) built as plain objects, no serializer per detail type | −349 |
//! | message ids: `crypto.randomUUID`, and on plain-HTTP pages time and `Math.random` instead of hex-formatted `getRandomValues` | −570 |
//! | the stateless leaves (image, card, carousel, buttons, quick replies, typing indicator) are functions returning `Html`, like the messages' rich text: each yew component brings its own lifecycle code | −2,389 |
//!
//! Still in the bundle and measured: serde's error messages format floats (`Unexpected::Float`),
//! which links core's float printing (about 9 KB of wasm before compression); the decoding
//! of error answers (`Problem`, about 1,000 after brotli); the IPv6 literal parser of the URL
//! validator (677); the languages' lookup (about 630).
//!
//! Before those features (the same day):
//!
//! | bundle | wasm | JS glue | `loader.js` | total | budget |
//! |---|---:|---:|---:|---:|---:|
//! | **chat widget** (feature `widget`) | 113,709 | 6,032 | 3,110 | **122,851** | 125,000 |
//! | chat with a pre-chat form (`widget` + `forms`) | 148,334 | 6,561 | 3,110 | **158,005** | 165,000 |
//! | lead forms (feature `forms`), only on pages with a form | 96,749 | 6,039 | 3,110 | **105,898** | 125,000 |
//!
//! `loader.js` alone: 3,110 of its 5,000. Every shipped `.js` file, the wasm-bindgen glue
//! included, is minified by esbuild (`xtask/src/build.rs`, `MINIFY_ARGS`); stripping only the
//! comments, as before, left the widget 288 bytes short of its budget, and minifying freed
//! 2,201 (glue 7,624 → 6,032, loader 3,728 → 3,110), which the "slow down" state (+214 of
//! wasm, after the validator's scheme check stopped lowercasing a copy) does not use up.
//! Markdown links go through the shared validator's [`parlo_model::link::is_link`], which
//! carries no error texts: with `check_link` the widget was 33 bytes over its budget.
//! With the session start's `Idempotency-Key` the widget has 2,149 bytes to spare. The key
//! cost 151 bytes (measured before the minifier): the
//! widget makes one key per page load; a key renewed after each answered start, with the
//! header as a second optional field of the transport's request, cost 398. The transport
//! keeps its extra headers in one list (the bearer token and the key).
//!
//! When the widget gained its JavaScript events, unread badge, business hours, Markdown and
//! colour schemes (+6.9 KB of wasm in both widget bundles, +684 bytes of `loader.js`), the
//! pre-chat bundle went 5,185 bytes over its budget (170,185; the widget 121,493, the forms
//! 122,057, the loader 4,959 with 41 to spare). Two changes brought it back, each measured
//! on all bundles:
//!
//! | change | widget | pre-chat | forms | `loader.js` |
//! |---|---:|---:|---:|---:|
//! | before | 121,493 | 170,185 | 122,057 | 4,959 |
//! | number fields read by JavaScript's `Number` ([`lead_form::pattern`]): core's `f64` parser (about 12 KB of tables and 5 KB of code before compression) leaves the bundles with forms | 121,493 | 157,691 | 109,090 | 4,959 |
//! | `loader.js` shipped without its comments (`xtask/src/build.rs`; the `.d.ts` documents it) | **120,262** | **156,460** | **107,859** | **3,728** |
//!
//! The management client (`management`) is not loaded by pages; see `xtask/src/build.rs`.
//!
//! On the model's serde derives (serde-wasm-bindgen) and one gloo-net transport the bundles
//! first measured 116,517 (widget), 166,956 (pre-chat, 1,956 over) and 124,058 (forms). What
//! changed since, each measured on the pre-chat bundle, cumulative:
//!
//! | change | pre-chat total | saved |
//! |---|---:|---:|
//! | before | 166,956 | |
//! | the loader hands the channel configuration to `mountWidget` (one request instead of two) | 167,178 | −222 |
//! | the pre-chat bundle exports only `mountWidget` (not the forms' `mountForm`, `flushLeads`, see [`js`]) | 166,117 | 1,061 |
//! | `ButtonAction` and `Success` read through a fields struct (`try_from`) instead of serde's `Content` buffering, same JSON | **162,595** | 3,522 |
//!
//! The last row alone saved the chat widget about 4 KB (`ButtonAction`) and the forms 2.7 KB
//! (`Success`): the derive's `Content` path (buffer the object, then replay it to the
//! variant's visitor) is generic code of its own, instantiated for serde-wasm-bindgen's
//! deserializer. Still in the bundles: core's float formatting (the forms' number messages
//! need it, and serde's error messages name floats) and one monomorphised deserializer per
//! wire type.
//!
//! How the widget got here, each row cumulative, before lead forms existed (`loader.js`: 2,497):
//!
//! | change | `parlo_widget_bg.wasm` | `parlo_widget.js` | total | saved |
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

#[cfg(any(feature = "widget", feature = "forms"))]
pub mod capture;
pub mod client;
#[cfg(feature = "console")]
pub mod console;
pub mod js;
#[cfg(feature = "forms")]
pub mod lead_form;
#[cfg(feature = "management")]
pub mod management;
#[cfg(any(feature = "forms", feature = "console"))]
pub mod pattern;
#[cfg(any(feature = "widget", feature = "forms"))]
pub mod shadow;
#[cfg(any(feature = "widget", feature = "forms"))]
pub mod storage;
#[cfg(feature = "widget")]
pub mod widget;
