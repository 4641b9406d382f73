//! `cargo xtask build`: the five wasm bundles into `pkg/`, then the release server binary.
//!
//! For each [`Bundle`] — the chat widget (`pkg/parlo_widget.js`, feature `widget`), the chat widget
//! with lead forms for a pre-chat form (`pkg/prechat/parlo_prechat.js`, features `widget` and
//! `forms`), lead forms (`pkg/forms/parlo_forms.js`, feature `forms`), the management client
//! (`pkg/client/parlo_client.js`, feature `management`) and the owner console
//! (`pkg/console/parlo_console.js`, feature `console`):
//!
//! 1. `cargo build --profile web --target wasm32-unknown-unknown -p parlo
//!    --no-default-features` with the bundle's features (target dir `target/web`; the `web`
//!    profile of the root Cargo.toml optimises for size; on the Debian route also the standard
//!    library is rebuilt for size, see [`SIZE_RUSTFLAGS`]);
//! 2. `wasm-bindgen --target web` into the bundle's directory; its `.d.ts` made to compile
//!    with the ES2022 libraries ([`finish_declarations`]);
//! 3. `wasm-opt` with [`WASM_OPT_FLAGS`] on its `_bg.wasm`, in place;
//! 4. its hand-written JS files copied next to it: `js/loader.js` (and `.d.ts`) for the
//!    widget, `js/client/*` (the browser and Node entries, see `pkg/README.md`) for the client;
//!    every `.js` file, the glue included, minified with esbuild ([`MINIFY_ARGS`]), the
//!    bundlers' comments on computed imports put back ([`mark_computed_imports`]).
//!
//! Then `cargo build --release -p parlo-server` (native, `target/release/parlo-server`); for
//! `cargo xtask test` and `fuzz` the debug build with the native tests instead (see
//! [`ServerBuild`] and [`build_server`]).
//!
//! Each bundle is built with its own feature only, so it compiles and exports only its part of
//! the crate: the client's serde, serde_json and tsify never reach the widget or the forms, and
//! the forms (their model checks, ~46 KB brotli) never reach the chat widget, which has to stay
//! within its size budget (`src/lib.rs`). Its size, measured
//! 2026-11-21 like the widget's (`brotli -q 11`): see [`Bundle::CLIENT`].

use crate::toolchain::{ServerBuild, Toolchain, WASM_TARGET, WasmRoute};
use crate::util::{Result, note, run, step};
use std::path::Path;
use std::process::Command;

/// Features the wasm32 target of current rustc emits; `wasm-opt` must accept them.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// `wasm-opt` passes: `-Oz` run to a fixed point; `--low-memory-unused` lets it fold constant
/// offsets into loads and stores (rust-lld puts the 1 MiB stack first, so addresses below 1 KiB
/// are only reached by a stack overflow, which corrupts memory anyway); the `producers` section
/// names the compilers and is of no use to a browser.
const WASM_OPT_FLAGS: [&str; 4] = ["-Oz", "--converge", "--low-memory-unused", "--strip-producers"];

/// Extra `cargo` arguments of the Debian route: the standard library is compiled with the
/// bundle (its source comes with `rust-web-src`) instead of taken from the prebuilt sysroot, so
/// it gets the flags below and `optimize_for_size` (std's smaller algorithms).
const BUILD_STD_ARGS: [&str; 2] = [
    "-Zbuild-std=std,panic_abort",
    "-Zbuild-std-features=optimize_for_size",
];

/// `RUSTFLAGS` of the Debian route, for std and every crate of the bundle:
///
/// - `-Cpanic=immediate-abort`: a panic is a bare `unreachable` trap, without formatting its
///   message. Visitors see no difference (the widget stops either way); a developer's console
///   shows `RuntimeError: unreachable` instead of yew's `console_error_panic_hook` message —
///   build with `PARLO_WASM_BUILD_STD=0` (or run the wasm-bindgen tests, which use the plain
///   sysroot) to see panic messages.
/// - `-Zlocation-detail=none`: no `file:line:col` strings for panics (nobody could read them).
/// - `-Zfmt-debug=none`: `#[derive(Debug)]` and `{:?}` print nothing. Our code never shows a
///   `Debug` rendering to anyone (`client::describe` formats JavaScript errors).
/// - `-Csymbol-mangling-version=legacy`: the `-Z` flags need `RUSTC_BOOTSTRAP=1`, and a compiler
///   that thinks it is nightly mangles with v0, which wasm-bindgen turns into much longer export
///   names for closures (in the wasm and the JS glue). Legacy keeps them short.
///
/// `-Z` flags need a nightly compiler, hence Debian route only (`rustc-web` is a stable
/// compiler run with `RUSTC_BOOTSTRAP=1`, as for the sysroot build in `toolchain.rs`). The
/// rustup route keeps the plain `web` profile (about 11 KB brotli bigger, see `src/lib.rs`);
/// `PARLO_WASM_BUILD_STD=0` turns these off on the Debian route too.
const SIZE_RUSTFLAGS: &str = "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none \
     -Zfmt-debug=none -Csymbol-mangling-version=legacy";

/// Arguments of esbuild (npm `esbuild`, installed in `tests/e2e` by `cargo xtask setup`) that
/// minify one ES module: whitespace and comments removed, local names shortened, syntax
/// compacted; exports, property names and `import.meta.url` stay as they are, and no syntax
/// is lowered. Every shipped `.js` file goes through it — the wasm-bindgen glue and the
/// hand-written files, whose documentation is in their `.d.ts`. Measured 2026-12-07
/// (`brotli -q 11`): the widget's glue 7,624 → 6,033 bytes and `loader.js` (which every page
/// downloads before any intent) 3,728 → 3,119, against stripping only the comments.
const MINIFY_ARGS: &[&str] = &[
    "--minify",
    "--format=esm",
    "--log-level=warning",
    "--allow-overwrite",
];

/// Writes the ES module `source` minified ([`MINIFY_ARGS`]) to `target` (may be `source`).
fn minify(tc: &Toolchain, source: &Path, target: &Path) -> Result {
    run(Command::new(tc.e2e_dir().join("node_modules/.bin/esbuild"))
        .arg(source)
        .args(MINIFY_ARGS)
        .arg(format!("--outfile={}", target.display())))
}

/// One wasm bundle of the `parlo` crate.
pub struct Bundle {
    /// What it is, for the log.
    name: &'static str,
    /// Cargo features of the `parlo` crate.
    features: &'static [&'static str],
    /// Output directory under `pkg/`.
    dir: &'static str,
    /// `--out-name` of wasm-bindgen: `{out_name}.js`, `{out_name}_bg.wasm`, `{out_name}.d.ts`.
    out_name: &'static str,
    /// Hand-written files copied from `js/` into the output directory (`js/{file}` →
    /// `pkg/{dir}/{basename}`).
    js_files: &'static [&'static str],
    /// Whether the package's users call the glue's wasm loader (`init`, `initSync`) themselves,
    /// so its `.d.ts` keeps their declarations; else they are left out (see
    /// [`finish_declarations`]).
    declares_init: bool,
}

impl Bundle {
    /// The chat widget: `pkg/parlo_widget.js`, `pkg/parlo_widget_bg.wasm`, the loader. (Not
    /// `parlo.js`: that is the name the Vite dev server gives the pre-bundled loader, the
    /// package's main entry, so both would be one file there.)
    pub const WIDGET: Bundle = Bundle {
        name: "widget",
        features: &["widget"],
        dir: "",
        out_name: "parlo_widget",
        js_files: &["loader.js", "loader.d.ts"],
        declares_init: true,
    };

    /// The chat widget with lead forms inside (`mountWidget` only): `pkg/prechat/`, which the
    /// loader loads instead of `parlo_widget.js` for a channel with a pre-chat form the browser has
    /// not submitted yet. The widget renders that form in its
    /// panel itself, so one yew runs the whole widget.
    pub const PRE_CHAT: Bundle = Bundle {
        name: "chat widget with lead forms (pre-chat)",
        features: &["widget", "forms"],
        dir: "prechat",
        out_name: "parlo_prechat",
        js_files: &[],
        declares_init: true,
    };

    /// Lead forms (`mountForm`, `flushLeads`): `pkg/forms/`, loaded by the loader's `form()`
    /// and `<parlo-form>` when a form comes near the viewport, and at once when earlier pages
    /// left unsent leads.
    pub const FORMS: Bundle = Bundle {
        name: "lead forms",
        features: &["forms"],
        dir: "forms",
        out_name: "parlo_forms",
        js_files: &[],
        declares_init: true,
    };

    /// The management client (`ParloClient`): `pkg/client/`. Apps import it; the loader never
    /// does.
    ///
    /// Size, measured 2026-11-21 on the Debian route (the same flags as the widget) with every
    /// management operation (61 Rust methods, 12 resource classes in JS): `parlo_client_bg.wasm` 671,329
    /// bytes, 156,368 brotli; `parlo_client.js` 56,776 bytes, 7,986 brotli. With only the
    /// api-keys, tags, custom fields, subscribers and flows operations it was 288,090 bytes
    /// (85,680 brotli): most of it is serde's (de)serialisers, one per wire type, which
    /// `serde_json` compiles for each type decoded or encoded (the widget's hand codec avoids
    /// this, see `src/client.rs`).
    pub const CLIENT: Bundle = Bundle {
        name: "management client",
        features: &["management"],
        dir: "client",
        out_name: "parlo_client",
        js_files: &["client/index.js", "client/node.js", "client/index.d.ts"],
        declares_init: false,
    };

    /// The owner console (`mountConsole`): `pkg/console/`, loaded by the page
    /// `www/console/index.html` that `parlo-server` answers for `/console/…`. Visitors never
    /// load it; it has no size budget, its size is reported here.
    ///
    /// Size, measured 2026-12-07 on the Debian route (rustc-web 1.96, wasm-bindgen 0.2.130,
    /// binaryen 132, the same flags as the widget) with log-in, workspaces, API keys and
    /// leads: `parlo_console_bg.wasm` 406,531 bytes, 129,471 brotli (`-q 11`), 161,047 gzip;
    /// `parlo_console.js` 21,732 bytes, 5,607 brotli: **135,078** brotli in all. yew, the
    /// management client's requests and the serde deserialisers of the wire types it decodes
    /// (leads, forms, keys, workspaces) are most of it; it does not carry the JavaScript
    /// `ParloClient` (see `parlo::js`). With the inbox (conversation models and the workspace
    /// event stream's reader, +37.6 KB), channels and webhooks (channel settings, deliveries,
    /// +53 KB): `parlo_console_bg.wasm` 756,689 bytes, 217,116 brotli; `parlo_console.js`
    /// 22,867 bytes, 5,893 brotli: **223,009** in all. With flows (the flow model, its serde
    /// and its rules, to check a flow in the browser: +72 KB), subscribers, tags and fields
    /// (+34 KB) and lead forms (the form model and its rules, pretty-printed JSON: +43 KB):
    /// `parlo_console_bg.wasm` 1,446,860 bytes, 362,719 brotli; `parlo_console.js` 24,430
    /// bytes, 6,161 brotli: **368,880** in all. Leads to shrink it: the editors' JSON printed
    /// by the browser's `JSON.stringify` instead of `serde_json`, screens in bundles of their
    /// own loaded when opened.
    pub const CONSOLE: Bundle = Bundle {
        name: "owner console",
        features: &["console"],
        dir: "console",
        out_name: "parlo_console",
        js_files: &[],
        declares_init: true,
    };

    /// Every bundle, in build order.
    pub const ALL: [&'static Bundle; 5] = [
        &Bundle::WIDGET,
        &Bundle::PRE_CHAT,
        &Bundle::FORMS,
        &Bundle::CLIENT,
        &Bundle::CONSOLE,
    ];

    /// The bundle called `name` on the command line: its `pkg/` directory (`widget` for the
    /// chat widget at the package's root).
    fn named(name: &str) -> Option<&'static Bundle> {
        Bundle::ALL
            .into_iter()
            .find(|b| b.dir == name || (b.dir.is_empty() && name == "widget"))
    }
}

/// Builds the browser bundles and the server.
pub fn build(tc: &Toolchain) -> Result {
    for bundle in Bundle::ALL {
        build_wasm(tc, bundle)?;
    }
    build_server(tc)
}

/// `cargo xtask build [bundle…]`: every bundle and the server, or only the named bundles
/// (`widget`, `prechat`, `forms`, `client`, `console`: their `pkg/` directories), for a quick
/// rebuild of one while working on it.
pub fn build_named(tc: &Toolchain, names: &[String]) -> Result {
    if names.is_empty() {
        return build(tc);
    }
    for name in names {
        let bundle = Bundle::named(name)
            .ok_or_else(|| format!("unknown bundle `{name}` (widget, prechat, forms, client, console)"))?;
        build_wasm(tc, bundle)?;
    }
    Ok(())
}

/// Steps 1–4 for `bundle`: its files of the npm package in `pkg/`.
pub fn build_wasm(tc: &Toolchain, bundle: &Bundle) -> Result {
    let root = &tc.root;
    step(&format!(
        "build: wasm {} (cargo build -p parlo, profile web, wasm32{})",
        bundle.name,
        if bundle.features.is_empty() {
            String::new()
        } else {
            format!(", features {}", bundle.features.join(","))
        }
    ));
    let mut cargo = tc.wasm_cargo();
    cargo.args([
        "build",
        "--profile",
        "web",
        "--lib",
        "-p",
        "parlo",
        "--target",
        WASM_TARGET,
        "--no-default-features",
    ]);
    if !bundle.features.is_empty() {
        cargo.arg("--features").arg(bundle.features.join(","));
    }
    let build_std = matches!(tc.route, WasmRoute::Debian { .. })
        && std::env::var("PARLO_WASM_BUILD_STD").as_deref() != Ok("0");
    if build_std {
        let rustflags = match std::env::var("RUSTFLAGS") {
            Ok(user) if !user.trim().is_empty() => format!("{user} {SIZE_RUSTFLAGS}"),
            _ => SIZE_RUSTFLAGS.to_owned(),
        };
        cargo
            .env("RUSTC_BOOTSTRAP", "1")
            .env("RUSTFLAGS", rustflags)
            .args(BUILD_STD_ARGS);
    }
    run(&mut cargo)?;
    let wasm = tc.wasm_target_dir().join(WASM_TARGET).join("web/parlo.wasm");
    let out_dir = root.join("pkg").join(bundle.dir);

    let Some(wasm_bindgen) = &tc.wasm_bindgen else {
        note("the parlo crate does not use wasm-bindgen yet: pkg/ not generated");
        return Ok(());
    };
    let out_js = out_dir.join(format!("{}.js", bundle.out_name));
    let out_wasm = out_dir.join(format!("{}_bg.wasm", bundle.out_name));
    if newer_than(&out_wasm, &wasm) && out_js.exists() {
        note(&format!(
            "{} is newer than the compiled wasm: wasm-bindgen and wasm-opt skipped",
            out_wasm.display()
        ));
        return copy_js(tc, bundle);
    }
    step(&format!(
        "build: wasm-bindgen --target web → {}",
        out_dir.display()
    ));
    run(Command::new(wasm_bindgen)
        .arg("--target")
        .arg("web")
        .arg("--out-dir")
        .arg(&out_dir)
        .arg("--out-name")
        .arg(bundle.out_name)
        .arg(&wasm))?;
    minify(tc, &out_js, &out_js)?;
    finish_declarations(&out_dir.join(format!("{}.d.ts", bundle.out_name)), bundle)?;

    let before = std::fs::metadata(&out_wasm)?.len();
    step("build: wasm-opt");
    run(Command::new(&tc.wasm_opt)
        .args(WASM_OPT_FLAGS)
        .args(WASM_FEATURES)
        .arg(&out_wasm)
        .arg("-o")
        .arg(&out_wasm))?;
    let after = std::fs::metadata(&out_wasm)?.len();
    note(&format!("{}_bg.wasm: {before} → {after} bytes", bundle.out_name));
    copy_js(tc, bundle)
}

/// Copies the bundle's hand-written files from `js/` next to its wasm, `.js` files minified
/// ([`MINIFY_ARGS`]).
fn copy_js(tc: &Toolchain, bundle: &Bundle) -> Result {
    let out_dir = tc.root.join("pkg").join(bundle.dir);
    for file in bundle.js_files {
        let source = tc.root.join("js").join(file);
        let target = out_dir.join(Path::new(file).file_name().unwrap_or_default());
        if source.exists() && file.ends_with(".js") {
            minify(tc, &source, &target)?;
            let js = std::fs::read_to_string(&target)?;
            std::fs::write(&target, mark_computed_imports(&js))?;
        } else if source.exists() {
            std::fs::copy(&source, &target)?;
            note(&format!("copied js/{file} → {}", target.display()));
        } else if file.ends_with(".js") {
            note(&format!("js/{file} does not exist yet: the package lacks it"));
        }
    }
    Ok(())
}

/// What [`finish_declarations`] appends: `Symbol.dispose` as TypeScript's
/// `esnext.disposable` library (and `@types/node`) declare it, so the declarations compile
/// with the default libraries of an ES2022 target too, and merge with those where present.
const SYMBOL_DISPOSE: &str = "
declare global {
  interface SymbolConstructor {
    /** `Symbol.dispose` (ECMAScript explicit resource management): the glue defines
     * `[Symbol.dispose]()` as `free()` where the JavaScript engine has this symbol. */
    readonly dispose: unique symbol;
  }
}
";

/// The first declaration of the glue's wasm loader in a wasm-bindgen `.d.ts`: from here to
/// the end, `InitInput`, `InitOutput`, `initSync` and `init`, which name DOM types
/// (`RequestInfo`, `BufferSource`, `WebAssembly`) that a Node.js project's libraries lack.
const INIT_DECLARATIONS: &str = "\nexport type InitInput =";

/// Makes the wasm-bindgen declarations `d_ts` compile under `tsc --strict --skipLibCheck
/// false` with an ES2022 target's libraries: without the loader's declarations unless
/// `bundle.declares_init` ([`INIT_DECLARATIONS`]; the client's entries load its wasm), and with
/// [`SYMBOL_DISPOSE`] when they use `[Symbol.dispose]` (every exported class does).
fn finish_declarations(d_ts: &Path, bundle: &Bundle) -> Result {
    let mut text = std::fs::read_to_string(d_ts)?;
    if !bundle.declares_init
        && let Some(at) = text.find(INIT_DECLARATIONS)
    {
        text.truncate(at + 1);
    }
    if text.contains("[Symbol.dispose]") && !text.contains(SYMBOL_DISPOSE) {
        text.push_str(SYMBOL_DISPOSE);
    }
    Ok(std::fs::write(d_ts, text)?)
}

/// The comments that make bundlers leave an `import()` of a computed URL to the browser
/// (webpack would replace it by a context module that finds nothing, Vite warns that it
/// cannot analyse it); [`minify`] drops every comment, so [`mark_computed_imports`] puts them
/// back.
const LEAVE_IMPORT: &str = "/*webpackIgnore:true*//*@vite-ignore*/";

/// `js` with [`LEAVE_IMPORT`] in every `import(` whose argument is not a string literal (the
/// loader's `bundleUrl` and `/embed.js` imports; its literal ones are for the bundlers).
fn mark_computed_imports(js: &str) -> String {
    const IMPORT: &str = "import(";
    let mut marked = String::with_capacity(js.len() + LEAVE_IMPORT.len());
    let mut rest = js;
    while let Some(at) = rest.find(IMPORT) {
        let (head, tail) = rest.split_at(at + IMPORT.len());
        marked.push_str(head);
        if !tail.starts_with(['"', '\'', '`']) {
            marked.push_str(LEAVE_IMPORT);
        }
        rest = tail;
    }
    marked.push_str(rest);
    marked
}

/// Whether `path` exists and was modified after `than`.
fn newer_than(path: &Path, than: &Path) -> bool {
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    matches!((modified(path), modified(than)), (Some(a), Some(b)) if a > b)
}

/// Step 5: the server binary of `tc.server_build`. The debug one is built with every native
/// test binary (`cargo test --workspace --no-run`), with the very features `cargo test
/// --workspace` resolves, so the test suites that follow compile nothing again.
pub fn build_server(tc: &Toolchain) -> Result {
    let mut cargo = tc.native_cargo();
    match tc.server_build {
        ServerBuild::Release => {
            step("build: parlo-server (release)");
            cargo.args(["build", "--release", "-p", "parlo-server"]);
        }
        ServerBuild::Debug => {
            step("build: parlo-server (debug) and the native tests");
            cargo.args(["test", "--workspace", "--no-run"]);
        }
    }
    run(&mut cargo)
}
