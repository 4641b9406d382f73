//! `cargo xtask demo`: build, then run the server with the demo site in the foreground.
//!
//! Data lives in `data/` (gitignored) and survives restarts: the SQLite file, or with
//! `--postgres` a PostgreSQL cluster in `data/postgres` (see [`crate::postgres`]), started
//! for the demo and stopped when it ends. On the first run a management API key is created
//! and kept in `data/demo-api-key.txt` (`data/demo-api-key-postgres.txt`), so it can be
//! printed every time.

use crate::postgres::Cluster;
use crate::toolchain::Toolchain;
#[cfg(not(unix))]
use crate::util::check;
use crate::util::{Result, describe, step};
use std::path::Path;
use std::process::Command;

/// Address the demo server listens on.
const BIND: &str = "127.0.0.1:8080";
/// Address of the demo webhook receiver; the seeded endpoint
/// (`crates/server/seed/webhook_endpoint.json`) points at it.
const RECEIVER_BIND: &str = "127.0.0.1:8090";

/// Runs the demo server until it exits (Ctrl-C stops it); `args` may be `--postgres`.
///
/// The management key is made first (seeding the demo workspace), then xtask *becomes* the
/// server (`exec` on Unix), so a signal sent to `cargo xtask demo` stops the server itself
/// instead of leaving it running behind a dead parent.
pub fn demo(tc: &Toolchain, args: &[String]) -> Result {
    let postgres = match args {
        [] => false,
        [flag] if flag == "--postgres" => true,
        _ => {
            return Err(
                format!("unexpected demo arguments {args:?} (expected nothing or --postgres)").into(),
            );
        }
    };
    let root = &tc.root;
    let data = root.join("data");
    std::fs::create_dir_all(&data)?;
    let server_bin = tc.server_bin();
    let cluster = if postgres {
        let cluster = Cluster::persistent(&data.join("postgres"))?;
        cluster.ensure_database("parlo")?;
        Some(cluster)
    } else {
        None
    };
    let database_url = cluster.as_ref().map(|c| c.url("parlo"));

    let key = management_key(&server_bin, &data, database_url.as_deref());
    let receiver = start_receiver(root, &server_bin);
    step(&format!(
        "demo: starting parlo-server on http://{BIND}/ (Ctrl-C stops it)"
    ));
    println!();
    println!("  Demo site:       http://{BIND}/");
    println!("  Hostile page:    http://{BIND}/hostile.html");
    println!("  API docs:        http://{BIND}/docs");
    match &receiver {
        Ok(_) => println!("  Webhooks:        printed below by the receiver on http://{RECEIVER_BIND}/parlo"),
        Err(error) => println!("  (no webhook receiver: {error})"),
    }
    match key {
        Ok(key) => {
            println!("  Management key:  {key}");
            println!("  Try:             curl -H 'Authorization: Bearer {key}' http://{BIND}/api/v1/flows");
        }
        Err(error) => println!("  (could not create a management key: {error})"),
    }
    if let Some(url) = &database_url {
        println!("  Database:        {url} (cluster in data/postgres)");
    }
    println!();
    let mut command = Command::new(&server_bin);
    if let Some(url) = &database_url {
        command.env("PARLO_DATABASE_URL", url);
    }
    command
        .current_dir(root)
        .arg("--seed-demo")
        .arg("--data-dir")
        .arg(&data)
        .arg("--bind")
        .arg(BIND)
        .arg("--allow-private-webhooks")
        .arg("--demo-webhook")
        .arg("--pkg-dir")
        .arg(root.join("pkg"))
        .arg("--www-dir")
        .arg(root.join("www"));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        if let Some(cluster) = cluster {
            // A shell stays to stop the cluster after the server: `trap :` lets Ctrl-C reach
            // the server (its children get the default handler back) while the shell waits.
            let mut shell = Command::new("sh");
            shell
                .arg("-c")
                .arg(format!(
                    "trap : INT TERM; \"$0\" \"$@\"; status=$?; {}; exit $status",
                    describe(&cluster.stop_command())
                ))
                .arg(command.get_program())
                .args(command.get_args())
                .envs(command.get_envs().filter_map(|(k, v)| Some((k, v?))))
                .current_dir(root);
            // The shell stops it; dropping it here would stop it now.
            std::mem::forget(cluster);
            command = shell;
        }
        let error = command.exec();
        Err(format!("cannot start {}: {error}", server_bin.display()).into())
    }
    #[cfg(not(unix))]
    {
        let status = command.status()?;
        if let Ok(mut receiver) = receiver {
            let _ = receiver.kill();
        }
        check(&command, status)
    }
}

/// Starts `parlo-server webhook-receiver` on [`RECEIVER_BIND`] with the seeded endpoint's
/// (public, demo-only) secret; it prints each delivery and whether its signature verifies.
/// It shares the terminal, so Ctrl-C stops it with the server.
fn start_receiver(root: &Path, server_bin: &Path) -> Result<std::process::Child> {
    let seed = std::fs::read_to_string(root.join("crates/server/seed/webhook_endpoint.json"))?;
    let secret = seed
        .split('"')
        .find(|part| part.starts_with("whsec_"))
        .ok_or("no whsec_ secret in crates/server/seed/webhook_endpoint.json")?;
    let child = Command::new(server_bin)
        .args(["webhook-receiver", "--bind", RECEIVER_BIND, "--secret", secret])
        .spawn()?;
    Ok(child)
}

/// The demo workspace's management key: read from `data/demo-api-key.txt` (or
/// `demo-api-key-postgres.txt` with `database_url`), or created with
/// `parlo-server create-key` and saved there.
fn management_key(server_bin: &Path, data: &Path, database_url: Option<&str>) -> Result<String> {
    let saved = data.join(match database_url {
        Some(_) => "demo-api-key-postgres.txt",
        None => "demo-api-key.txt",
    });
    if let Ok(key) = std::fs::read_to_string(&saved)
        && key.trim().starts_with("parlo_sk_")
    {
        return Ok(key.trim().to_owned());
    }
    let key = crate::server::create_key(server_bin, data, database_url, "demo")?;
    std::fs::write(&saved, format!("{key}\n"))?;
    Ok(key)
}
