//! `parlo-server backup`: a copy taken while visitors chat opens, passes SQLite's integrity
//! check, and holds every message acknowledged before the backup began; an existing target
//! is refused.

use crate::common::{BIN, spawn_server, terminate};
use serde_json::{Value, json};
use sqlx::Connection;
use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Chats in one new session until `stop`; answers the ids of the visitor messages the server
/// acknowledged, each with when.
async fn chat(url: String, stop: Arc<AtomicBool>) -> Vec<(String, Instant)> {
    let client = reqwest::Client::new();
    let session: Value = client
        .post(format!("{url}/api/public/v1/channels/demo/sessions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["session_token"].as_str().unwrap().to_owned();
    let mut acked = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let id = format!("backup-{}-{n}", &token[..8]);
        let res = client
            .post(format!("{url}/api/public/v1/channels/demo/messages"))
            .bearer_auth(&token)
            .json(&json!({"id": id, "input": {"type": "text", "text": format!("opening hours {n}?")}}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        acked.push((id, Instant::now()));
    }
    acked
}

fn backup(data: &std::path::Path, to: &std::path::Path) -> std::process::Output {
    Command::new(BIN)
        .args(["backup", "--data-dir"])
        .arg(data)
        .arg("--to")
        .arg(to)
        .stdout(Stdio::null())
        .output()
        .unwrap()
}

#[tokio::test]
async fn a_backup_under_chat_load_is_whole_and_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // The visitors send a message the moment the last one is answered, far faster than a
    // person: the public limits are lifted.
    let unlimited = [
        ("PARLO_SESSION_RATE_LIMIT", "1000000"),
        ("PARLO_MESSAGE_RATE_LIMIT", "1000000"),
    ];
    let (child, url) = spawn_server(&data, &unlimited, Stdio::null());
    let stop = Arc::new(AtomicBool::new(false));
    let chats: Vec<_> = (0..4)
        .map(|_| tokio::spawn(chat(url.clone(), stop.clone())))
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;

    let to = dir.path().join("copy.db");
    let began = Instant::now();
    let out = tokio::task::spawn_blocking({
        let (data, to) = (data.clone(), to.clone());
        move || backup(&data, &to)
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let mut before = Vec::new();
    let mut total = 0;
    for chat in chats {
        let acked = chat.await.unwrap();
        total += acked.len();
        before.extend(acked.into_iter().filter(|(_, at)| *at < began).map(|(id, _)| id));
    }
    terminate(child);
    assert!(
        !before.is_empty() && total > before.len(),
        "traffic ran before and during the backup"
    );

    let mut copy = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", to.display()))
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut copy)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let ids: BTreeSet<String> = sqlx::query_scalar("SELECT id FROM messages WHERE author = 'visitor'")
        .fetch_all(&mut copy)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let missing: Vec<_> = before.iter().filter(|id| !ids.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup but missing: {missing:?}"
    );
    // Every visitor message in the copy has its bot answer: no turn is half in it.
    let unanswered: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages v WHERE v.author = 'visitor' AND NOT EXISTS \
         (SELECT 1 FROM messages b WHERE b.conversation_id = v.conversation_id AND b.reply_to = v.id)",
    )
    .fetch_one(&mut copy)
    .await
    .unwrap();
    assert_eq!(unanswered, 0);

    // The target is never overwritten.
    let out = backup(&data, &to);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
}
