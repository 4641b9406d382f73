//! Management API: the per API key rate limit and its header fields.

use crate::common::{TestServer, assert_problem};
use reqwest::Method;

#[tokio::test]
async fn each_key_has_its_own_bucket_advertised_in_headers() {
    let s = TestServer::start_with(|config| config.key_rate_limit = 3).await;
    let key = s.api_key("demo").await;
    let other = s.api_key("demo").await;
    for left in [2, 1, 0] {
        let res = s.management(Method::GET, "/flows", &key).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["ratelimit-policy"], r#""api-key";q=3;w=60"#);
        let state = res.headers()["ratelimit"].to_str().unwrap().to_owned();
        assert!(state.starts_with(&format!(r#""api-key";r={left};t="#)), "{state}");
    }
    let res = s.management(Method::GET, "/tags", &key).send().await.unwrap();
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(
        (1..=20).contains(&retry_after),
        "one request per 20 s: {retry_after}"
    );
    assert!(
        res.headers()["ratelimit"]
            .to_str()
            .unwrap()
            .starts_with(r#""api-key";r=0;"#)
    );
    assert_problem(res, 429, "rate_limited").await;

    // Another key is not affected; the public API is not limited per key.
    let res = s.management(Method::GET, "/flows", &other).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = s.client.get(s.channel("")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("ratelimit").is_none());
}
