//! Static files: the demo site, the npm package and the embed script.

mod common;

use common::TestServer;

#[tokio::test]
async fn serves_site_package_and_embed_script_with_cors_and_compression() {
    let s = TestServer::start().await;
    std::fs::create_dir_all(s.www_dir()).unwrap();
    std::fs::create_dir_all(s.pkg_dir()).unwrap();
    std::fs::write(
        s.www_dir().join("index.html"),
        "<!doctype html><title>Bloom</title>",
    )
    .unwrap();
    let loader = format!("// loader\n{}", "console.log('parlo');\n".repeat(50));
    std::fs::write(s.pkg_dir().join("loader.js"), &loader).unwrap();
    std::fs::write(s.pkg_dir().join("parlo_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();

    let res = s.client.get(format!("{}/", s.url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("<title>Bloom</title>"));

    let res = s.client.get(format!("{}/embed.js", s.url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert!(
        res.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age=300"),
        "returning visitors reuse the loader"
    );
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(res.text().await.unwrap(), loader);

    let res = s
        .client
        .get(format!("{}/pkg/parlo_bg.wasm", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/wasm");
    assert_eq!(res.headers()["access-control-allow-origin"], "*");

    let res = s
        .client
        .get(format!("{}/pkg/loader.js", s.url))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");

    for missing in ["/pkg/nope.js", "/nope.html"] {
        let res = s.client.get(format!("{}{missing}", s.url)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{missing}");
    }
}
