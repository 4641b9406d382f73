//! `cargo xtask build`: the wasm bundle into `pkg/`, then the release server binary.
//!
//! 1. `cargo build --profile web --target wasm32-unknown-unknown -p parlo` (target dir `target/web`;
//!    the `web` profile of the root Cargo.toml optimises for size; on the Debian route also the
//!    standard library is rebuilt for size, see [`SIZE_RUSTFLAGS`]);
//! 2. `wasm-bindgen --target web --out-dir pkg --out-name parlo`;
//! 3. `wasm-opt` with [`WASM_OPT_FLAGS`] on `pkg/parlo_bg.wasm`, in place;
//! 4. `js/loader.js` (and `js/loader.d.ts`) copied into `pkg/`;
//! 5. `cargo build --release -p parlo-server` (native, `target/release/parlo-server`).

use crate::toolchain::{Toolchain, WASM_TARGET, WasmRoute};
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

/// Builds the browser bundle and the server.
pub fn build(tc: &Toolchain) -> Result {
    build_wasm(tc)?;
    build_server(tc)
}

/// Steps 1–4: the npm package contents in `pkg/`.
pub fn build_wasm(tc: &Toolchain) -> Result {
    let root = &tc.root;
    step("build: wasm bundle (cargo build -p parlo, profile web, wasm32)");
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
    ]);
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
    let pkg = root.join("pkg");

    let Some(wasm_bindgen) = &tc.wasm_bindgen else {
        note("the parlo crate does not use wasm-bindgen yet: pkg/ not generated");
        return Ok(());
    };
    let bundle = pkg.join("parlo_bg.wasm");
    if newer_than(&bundle, &wasm) && pkg.join("parlo.js").exists() {
        note("pkg/parlo_bg.wasm is newer than the compiled wasm: wasm-bindgen and wasm-opt skipped");
        copy_loader(tc)?;
        return Ok(());
    }
    step("build: wasm-bindgen --target web → pkg/");
    run(Command::new(wasm_bindgen)
        .arg("--target")
        .arg("web")
        .arg("--out-dir")
        .arg(&pkg)
        .arg("--out-name")
        .arg("parlo")
        .arg(&wasm))?;

    let before = std::fs::metadata(&bundle)?.len();
    step("build: wasm-opt");
    run(Command::new(&tc.wasm_opt)
        .args(WASM_OPT_FLAGS)
        .args(WASM_FEATURES)
        .arg(&bundle)
        .arg("-o")
        .arg(&bundle))?;
    let after = std::fs::metadata(&bundle)?.len();
    note(&format!("parlo_bg.wasm: {} → {} bytes", before, after));
    copy_loader(tc)
}

/// Copies `js/loader.js` (and `js/loader.d.ts`) into `pkg/`.
fn copy_loader(tc: &Toolchain) -> Result {
    let (root, pkg) = (&tc.root, tc.root.join("pkg"));
    for file in ["loader.js", "loader.d.ts"] {
        let source = root.join("js").join(file);
        if source.exists() {
            std::fs::copy(&source, pkg.join(file))?;
            note(&format!("copied js/{file} → pkg/{file}"));
        } else if file == "loader.js" {
            note("js/loader.js does not exist yet: /embed.js will be missing");
        }
    }
    Ok(())
}

/// Whether `path` exists and was modified after `than`.
fn newer_than(path: &Path, than: &Path) -> bool {
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    matches!((modified(path), modified(than)), (Some(a), Some(b)) if a > b)
}

/// Step 5: the release server binary.
pub fn build_server(tc: &Toolchain) -> Result {
    step("build: parlo-server (release)");
    run(tc
        .native_cargo()
        .args(["build", "--release", "-p", "parlo-server"]))
}
