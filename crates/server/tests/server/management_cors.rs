//! The management API answers pages of every origin (`management_cors`): preflights pass,
//! answers (errors included) carry `Access-Control-Allow-Origin: *` and expose the
//! rate-limit headers; the key is still required.

use crate::common::TestServer;
use reqwest::Method;

const PAGE: &str = "https://dashboard.example.org";

#[tokio::test]
async fn a_preflight_from_any_origin_allows_the_key_header() {
    let server = TestServer::start().await;
    let res = server
        .client
        .request(Method::OPTIONS, server.api("/tags"))
        .header("origin", PAGE)
        .header("access-control-request-method", "DELETE")
        .header("access-control-request-headers", "authorization,content-type")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    let headers = res.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    let methods = headers["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_lowercase();
    for method in ["get", "post", "put", "patch", "delete"] {
        assert!(methods.contains(method), "{methods}");
    }
    let allowed = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        allowed.contains("authorization")
            && allowed.contains("content-type")
            && allowed.contains("parlo-workspace"),
        "{allowed}"
    );
    assert!(headers.get("access-control-allow-credentials").is_none());
}

#[tokio::test]
async fn answers_are_readable_cross_origin_and_still_need_the_key() {
    let server = TestServer::start().await;
    let key = server.api_key("demo").await;
    let res = server
        .management(Method::GET, "/tags", &key)
        .header("origin", PAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let exposed = res.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    for name in ["retry-after", "ratelimit", "ratelimit-policy"] {
        assert!(exposed.contains(name), "{exposed}");
    }

    let res = server
        .client
        .get(server.api("/tags"))
        .header("origin", PAGE)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    crate::common::assert_problem(res, 401, "unauthorized").await;
}
