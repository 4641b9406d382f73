//! `cargo xtask build`: the wasm bundle into `pkg/`, then the release server binary.
//!
//! 1. `cargo build --profile web --target wasm32-unknown-unknown -p parlo` (target dir `target/web`;
//!    the `web` profile of the root Cargo.toml optimises for size);
//! 2. `wasm-bindgen --target web --out-dir pkg --out-name parlo`;
//! 3. `wasm-opt -Oz` on `pkg/parlo_bg.wasm`, in place;
//! 4. `js/loader.js` (and `js/loader.d.ts`) copied into `pkg/`;
//! 5. `cargo build --release -p parlo-server` (native, `target/release/parlo-server`).

use crate::toolchain::{Toolchain, WASM_TARGET};
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

/// Builds the browser bundle and the server.
pub fn build(tc: &Toolchain) -> Result {
    build_wasm(tc)?;
    build_server(tc)
}

/// Steps 1–4: the npm package contents in `pkg/`.
pub fn build_wasm(tc: &Toolchain) -> Result {
    let root = &tc.root;
    step("build: wasm bundle (cargo build -p parlo, profile web, wasm32)");
    run(tc.wasm_cargo().args([
        "build",
        "--profile",
        "web",
        "--lib",
        "-p",
        "parlo",
        "--target",
        WASM_TARGET,
    ]))?;
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
    step("build: wasm-opt -Oz");
    run(Command::new(&tc.wasm_opt)
        .arg("-Oz")
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
