//! `/healthz` and `/readyz`: liveness and readiness probes.

use crate::common::TestServer;
use serde_json::Value;

#[tokio::test]
async fn probes_answer_and_readiness_follows_the_schema() {
    let s = TestServer::start().await;
    let get = |path: &str| s.client.get(format!("{}{path}", s.url)).send();

    let live = get("/healthz").await.unwrap();
    assert_eq!(live.status(), 200);
    assert_eq!(live.text().await.unwrap(), "ok");
    let ready = get("/readyz").await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");

    // A schema behind this build (as while another instance has not migrated yet).
    let pool = s.db().await;
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let unready = get("/readyz").await.unwrap();
    assert_eq!(unready.status(), 503);
    let problem: Value = unready.json().await.unwrap();
    assert_eq!(problem["code"], "service_unavailable");
    assert!(
        problem["detail"].as_str().unwrap().contains("migration"),
        "{problem}"
    );
    assert_eq!(get("/healthz").await.unwrap().status(), 200, "still alive");
}
