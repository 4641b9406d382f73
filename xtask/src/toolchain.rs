//! `cargo xtask setup`: find or install everything the other tasks need.
//!
//! Two routes build wasm32:
//!
//! - **rustup**: the active rustup toolchain has the `wasm32-unknown-unknown` target; its cargo
//!   builds both the native crates and the wasm bundle.
//! - **Debian**: rustup has no wasm32 standard library and cannot download one. Debian's
//!   `rustc-web` (with `rust-web-src` and `lld-22`) gets a wasm32 sysroot built once from the
//!   library source, and every wasm build runs `RUSTC=/usr/bin/rustc /usr/bin/cargo`.
//!
//! Either way wasm builds use their own target directory (`target/web`), so the two compilers
//! never share one. `PARLO_WASM_ROUTE=rustup|debian` forces a route.
//!
//! Setup is idempotent and quick when everything is present: it installs only what is missing
//! (apt packages, the wasm32 sysroot, `wasm-bindgen-cli` of the exact version in `Cargo.lock`,
//! the npm packages of `tests/e2e`, schemathesis from PyPI in a virtual environment).

use crate::util::{Result, cargo_home, is_executable, note, output, run, run_with_timeout, step, which};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The wasm target every browser build uses.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Debian packages of the Debian route: a rustc with wasm32 support, its library source and the
/// wasm linker.
const DEBIAN_RUST_PACKAGES: [&str; 4] = ["rustc-web", "cargo-web", "rust-web-src", "lld-22"];

/// Debian packages every route needs: the browser for the tests and the bench, an emoji font
/// (bot messages use emoji; without it they render as boxes in screenshots), brotli.
const DEBIAN_BROWSER_PACKAGES: [&str; 4] =
    ["chromium", "chromium-driver", "fonts-noto-color-emoji", "brotli"];

/// Debian packages of the API fuzzing and contract suites: Python with `venv` (and its
/// bundled pip), into which schemathesis and openapi-python-client are installed from PyPI,
/// and curl, which fetches the served OpenAPI document for the contract suite.
const DEBIAN_PYTHON_PACKAGES: [&str; 3] = ["python3", "python3-venv", "curl"];

/// The pinned Python packages of the API fuzzing suite (schemathesis and every dependency).
const SCHEMATHESIS_REQUIREMENTS: &str = "tests/schemathesis/requirements.txt";

/// How the wasm32 bundle is compiled on this machine.
#[derive(Clone, Debug)]
pub enum WasmRoute {
    /// The rustup toolchain has the wasm32 target.
    Rustup,
    /// Debian's `rustc-web` with a locally built wasm32 sysroot.
    Debian {
        /// `/usr/bin/cargo`.
        cargo: PathBuf,
        /// `/usr/bin/rustc`.
        rustc: PathBuf,
        /// `/usr/bin/rustdoc`.
        rustdoc: PathBuf,
    },
}

/// Every tool the tasks use, located (and installed if needed) by [`setup`].
#[derive(Clone, Debug)]
pub struct Toolchain {
    /// Repository root.
    pub root: PathBuf,
    /// How wasm32 is compiled.
    pub route: WasmRoute,
    /// `wasm-bindgen` CLI matching the crate version in `Cargo.lock`; `None` while the bundle
    /// does not depend on wasm-bindgen yet.
    pub wasm_bindgen: Option<PathBuf>,
    /// `wasm-bindgen-test-runner`, installed with the CLI.
    pub wasm_bindgen_test_runner: Option<PathBuf>,
    /// `wasm-opt` from the npm package `binaryen`.
    pub wasm_opt: PathBuf,
    /// Chromium executable.
    pub chromium: PathBuf,
    /// chromedriver executable.
    pub chromedriver: PathBuf,
    /// `node`.
    pub node: PathBuf,
    /// `schemathesis` CLI in its virtual environment under `target/`.
    pub schemathesis: PathBuf,
    /// Which build of `parlo-server` the task builds and runs.
    pub server_build: ServerBuild,
}

/// A build of `parlo-server`: the release one for the demo and the benchmarks; the debug one
/// (which `cargo test` builds anyway) for the test suites, so a cold `cargo xtask test` compiles
/// the server and its dependencies once instead of twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerBuild {
    /// `cargo build --release`: `target/release/parlo-server`.
    Release,
    /// `cargo build` (the `dev` profile): `target/debug/parlo-server`.
    Debug,
}

impl Toolchain {
    /// `cargo` for native builds: the one running this xtask (rustup's).
    pub fn native_cargo(&self) -> Command {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.current_dir(&self.root);
        command
    }

    /// `cargo` for wasm32 builds, with the right compiler and the `target/web` target directory.
    pub fn wasm_cargo(&self) -> Command {
        let mut command = match &self.route {
            WasmRoute::Rustup => self.native_cargo(),
            WasmRoute::Debian {
                cargo,
                rustc,
                rustdoc,
            } => {
                let mut command = Command::new(cargo);
                command
                    .env("RUSTC", rustc)
                    .env("RUSTDOC", rustdoc)
                    .env_remove("RUSTC_WRAPPER");
                command
            }
        };
        command
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", self.wasm_target_dir());
        command
    }

    /// Cargo's target directory: `CARGO_TARGET_DIR` when set (as cargo reads it), else
    /// `target/` of the repository.
    pub fn target_dir(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| self.root.join("target"), PathBuf::from)
    }

    /// Target directory of every wasm32 build: `web/` in [`Self::target_dir`].
    pub fn wasm_target_dir(&self) -> PathBuf {
        self.target_dir().join("web")
    }

    /// Directory of the end-to-end tests (and their `node_modules`).
    pub fn e2e_dir(&self) -> PathBuf {
        self.root.join("tests").join("e2e")
    }

    /// The `parlo-server` binary of [`Self::server_build`].
    pub fn server_bin(&self) -> PathBuf {
        let profile = match self.server_build {
            ServerBuild::Release => "release",
            ServerBuild::Debug => "debug",
        };
        self.target_dir().join(profile).join("parlo-server")
    }

    /// Environment for the Node end-to-end tests and benchmarks: where the server binary, the
    /// generated package, the demo site and the browser are.
    pub fn e2e_env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("PARLO_SERVER_BIN", self.server_bin()),
            ("PARLO_PKG_DIR", self.root.join("pkg")),
            ("PARLO_WWW_DIR", self.root.join("www")),
            ("PARLO_CHROMIUM", self.chromium.clone()),
            ("PARLO_REPO_ROOT", self.root.clone()),
        ]
    }
}

/// Finds or installs every tool; prints one line per step.
pub fn setup(root: &Path) -> Result<Toolchain> {
    step("setup: checking the toolchain");
    let route = choose_route()?;
    let mut packages: Vec<&str> = DEBIAN_BROWSER_PACKAGES.to_vec();
    packages.extend(DEBIAN_PYTHON_PACKAGES);
    if matches!(route, Route::Debian) {
        packages.extend(DEBIAN_RUST_PACKAGES);
    }
    if which("node").is_none() || which("npm").is_none() {
        packages.extend(["nodejs", "npm"]);
    }
    install_apt_packages(&packages)?;

    let route = match route {
        Route::Rustup => {
            note("wasm32: rustup toolchain with the wasm32-unknown-unknown target");
            WasmRoute::Rustup
        }
        Route::Debian => {
            let route = WasmRoute::Debian {
                cargo: "/usr/bin/cargo".into(),
                rustc: "/usr/bin/rustc".into(),
                rustdoc: "/usr/bin/rustdoc".into(),
            };
            ensure_wasm_sysroot(root)?;
            note("wasm32: Debian rustc-web (RUSTC=/usr/bin/rustc /usr/bin/cargo, target/web)");
            route
        }
    };

    let (wasm_bindgen, wasm_bindgen_test_runner) = match locked_version(root, "wasm-bindgen")? {
        Some(version) => {
            let (cli, runner) = ensure_wasm_bindgen(&version)?;
            (Some(cli), Some(runner))
        }
        None => {
            note("wasm-bindgen: not in Cargo.lock yet, skipping the CLI");
            (None, None)
        }
    };

    let node = which("node").ok_or("node is not installed (apt-get install nodejs npm)")?;
    ensure_npm_packages(&root.join("tests/e2e"))?;
    // Swagger UI assets served by parlo-server at /docs/assets/.
    ensure_npm_packages(&root.join("crates/server/swagger-ui"))?;
    let wasm_opt = root.join("tests/e2e/node_modules/.bin/wasm-opt");
    if !is_executable(&wasm_opt) {
        return Err(format!("{} is missing after npm install", wasm_opt.display()).into());
    }

    let schemathesis = ensure_schemathesis(root)?;

    let chromium = tool_from_env("PARLO_CHROMIUM", "/usr/bin/chromium")?;
    let chromedriver = tool_from_env("CHROMEDRIVER", "/usr/bin/chromedriver")?;
    note(&format!(
        "browser: {} (driver {})",
        chromium.display(),
        chromedriver.display()
    ));

    Ok(Toolchain {
        root: root.to_path_buf(),
        route,
        wasm_bindgen,
        wasm_bindgen_test_runner,
        wasm_opt,
        chromium,
        chromedriver,
        node,
        schemathesis,
        server_build: ServerBuild::Release,
    })
}

/// Which route was chosen, before installing anything.
enum Route {
    /// See [`WasmRoute::Rustup`].
    Rustup,
    /// See [`WasmRoute::Debian`].
    Debian,
}

/// Picks the wasm32 route: forced by `PARLO_WASM_ROUTE`, else rustup when it has the target,
/// else Debian when apt exists, else one bounded attempt at `rustup target add`.
fn choose_route() -> Result<Route> {
    match std::env::var("PARLO_WASM_ROUTE").as_deref() {
        Ok("rustup") => return Ok(Route::Rustup),
        Ok("debian") => return Ok(Route::Debian),
        Ok(other) => return Err(format!("PARLO_WASM_ROUTE={other}: expected rustup or debian").into()),
        Err(_) => {}
    }
    if rustup_has_wasm32() {
        return Ok(Route::Rustup);
    }
    if which("apt-get").is_some() {
        return Ok(Route::Debian);
    }
    // Not Debian: the ordinary developer route. It hangs on machines without internet, hence
    // the time limit.
    let mut add = Command::new("rustup");
    add.args(["target", "add", WASM_TARGET]);
    let status = run_with_timeout(&mut add, Duration::from_secs(180))?;
    if status.is_some_and(|s| s.success()) && rustup_has_wasm32() {
        return Ok(Route::Rustup);
    }
    Err(
        "no way to build wasm32: `rustup target add wasm32-unknown-unknown` failed and this is not a \
         Debian-like machine (no apt-get)"
            .into(),
    )
}

/// Whether the active rustup toolchain has the wasm32 standard library.
fn rustup_has_wasm32() -> bool {
    output(Command::new("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|targets| targets.lines().any(|t| t.trim() == WASM_TARGET))
}

/// Installs the Debian packages of `packages` that are not installed yet (as root, or via sudo).
pub fn install_apt_packages(packages: &[&str]) -> Result {
    if which("dpkg-query").is_none() {
        note("apt: not a Debian-like machine, expecting the browser to be installed");
        return Ok(());
    }
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !deb_installed(p)).collect();
    if missing.is_empty() {
        note(&format!("apt: {} installed", packages.join(" ")));
        return Ok(());
    }
    step(&format!("apt: installing {}", missing.join(" ")));
    let root = output(Command::new("id").arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut command = if root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q"]);
    install.args(&missing);
    run(&mut install)
}

/// Whether a Debian package is installed.
fn deb_installed(package: &str) -> bool {
    output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|status| status.ends_with("install ok installed"))
}

/// Builds the wasm32 standard library with Debian's rustc once and installs it into its sysroot.
fn ensure_wasm_sysroot(root: &Path) -> Result {
    let sysroot = output(Command::new("/usr/bin/rustc").args(["--print", "sysroot"]))
        .ok_or("/usr/bin/rustc --print sysroot failed")?;
    let dst = Path::new(&sysroot)
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .join("lib");
    if has_std_rlib(&dst) {
        note(&format!("wasm32 sysroot: {}", dst.display()));
        return Ok(());
    }
    step("wasm32 sysroot: building std for wasm32 with /usr/bin/rustc (once, about a minute)");
    let stub = root.join("target/wasm32-sysroot-stub");
    std::fs::create_dir_all(stub.join("src"))?;
    std::fs::write(
        stub.join("Cargo.toml"),
        "[package]\nname = \"parlo-sysroot-stub\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [workspace]\n\n[profile.release]\npanic = \"abort\"\n",
    )?;
    std::fs::write(stub.join("src/lib.rs"), "#![no_std]\n")?;
    let mut build = Command::new("/usr/bin/cargo");
    build
        .current_dir(&stub)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTC", "/usr/bin/rustc")
        .env_remove("CARGO_TARGET_DIR")
        .args([
            "build",
            "--release",
            "--target",
            WASM_TARGET,
            "-Zbuild-std=std,panic_abort",
        ]);
    run(&mut build)?;
    std::fs::create_dir_all(&dst)?;
    let deps = stub.join("target").join(WASM_TARGET).join("release/deps");
    for entry in std::fs::read_dir(&deps)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".rlib") && !name.starts_with("libparlo_sysroot_stub") {
            std::fs::copy(&path, dst.join(&name))?;
        }
    }
    if !has_std_rlib(&dst) {
        return Err(format!("no libstd rlib in {} after the sysroot build", dst.display()).into());
    }
    note(&format!("wasm32 sysroot installed in {}", dst.display()));
    Ok(())
}

/// Whether `dir` holds a `libstd-*.rlib`.
fn has_std_rlib(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("libstd-") && name.ends_with(".rlib")
        })
    })
}

/// The version of `package` in `Cargo.lock`, if it is there.
pub fn locked_version(root: &Path, package: &str) -> Result<Option<String>> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))?;
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted
            && let Some(version) = lines.next().and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(Some(version.trim_matches('"').to_owned()));
        }
    }
    Ok(None)
}

/// Makes sure `wasm-bindgen` and `wasm-bindgen-test-runner` of exactly `version` are installed.
fn ensure_wasm_bindgen(version: &str) -> Result<(PathBuf, PathBuf)> {
    let bin = cargo_home().join("bin");
    let find = |name: &str| {
        let installed = bin.join(name);
        if is_executable(&installed) {
            Some(installed)
        } else {
            which(name)
        }
    };
    let version_of = |path: &Path| output(Command::new(path).arg("--version"));
    let wanted = format!("wasm-bindgen {version}");
    let current = find("wasm-bindgen").and_then(|p| version_of(&p));
    let runner = find("wasm-bindgen-test-runner");
    if current.as_deref() != Some(wanted.as_str()) || runner.is_none() {
        step(&format!(
            "wasm-bindgen-cli {version}: installing (found {}), about 2 minutes",
            current.as_deref().unwrap_or("none")
        ));
        // No `--locked`: the registry mirror lacks one of the CLI's locked dependency versions.
        let mut install = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        install.args(["install", "wasm-bindgen-cli", "--version", version, "--force"]);
        run(&mut install)?;
    }
    let cli = find("wasm-bindgen").ok_or("wasm-bindgen not found after install")?;
    let runner = find("wasm-bindgen-test-runner").ok_or("wasm-bindgen-test-runner not found")?;
    match version_of(&cli) {
        Some(found) if found == wanted => note(&format!("{found} ({})", cli.display())),
        found => return Err(format!("{} reports {found:?}, expected {wanted}", cli.display()).into()),
    }
    Ok((cli, runner))
}

/// Runs `npm ci` in `dir` when its `node_modules` is missing or older than `package-lock.json`.
fn ensure_npm_packages(dir: &Path) -> Result {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    let fresh = match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(lock)) => installed >= lock,
        (Some(_), None) => true,
        _ => false,
    };
    if fresh {
        note(&format!("npm: {} up to date", dir.join("node_modules").display()));
        return Ok(());
    }
    step(&format!("npm: installing the packages of {}", dir.display()));
    let mut npm = Command::new("npm");
    npm.current_dir(dir)
        .arg(if lock.exists() { "ci" } else { "install" });
    npm.args(["--no-audit", "--no-fund"]);
    run(&mut npm)
}

/// Makes sure `target/schemathesis/venv` has exactly the packages of
/// [`SCHEMATHESIS_REQUIREMENTS`]; answers its `schemathesis` CLI.
///
/// The venv is made with the system Python (`/usr/bin/python3`, Debian's `python3-venv`) and
/// filled by its pip; a copy of the requirements installed last marks it up to date.
fn ensure_schemathesis(root: &Path) -> Result<PathBuf> {
    let requirements = root.join(SCHEMATHESIS_REQUIREMENTS);
    let venv = root.join("target/schemathesis/venv");
    let installed = venv.join("installed-requirements.txt");
    let cli = venv.join("bin/schemathesis");
    let wanted = std::fs::read_to_string(&requirements)?;
    if is_executable(&cli) && std::fs::read_to_string(&installed).is_ok_and(|i| i == wanted) {
        note(&format!("schemathesis: {} up to date", venv.display()));
        return Ok(cli);
    }
    step("schemathesis: installing the pinned PyPI packages into a virtual environment");
    let python = Path::new("/usr/bin/python3");
    let python = if is_executable(python) {
        python.to_path_buf()
    } else {
        which("python3").ok_or("python3 is not installed (apt-get install python3 python3-venv)")?
    };
    run(Command::new(python).args(["-m", "venv", "--clear"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    std::fs::write(&installed, wanted)?;
    Ok(cli)
}

/// An executable named by environment variable `var`, else `default`; it must exist.
fn tool_from_env(var: &str, default: &str) -> Result<PathBuf> {
    let path = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    if is_executable(&path) {
        Ok(path)
    } else {
        Err(format!("{} not found (set {var} to override)", path.display()).into())
    }
}
