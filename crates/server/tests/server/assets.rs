//! Static files: the demo site, the npm package and the embed script.

use crate::common::{TestServer, assert_problem};

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
}

#[tokio::test]
async fn bad_static_paths_are_404_problems_never_500() {
    let s = TestServer::start().await;
    for dir in [s.www_dir(), s.pkg_dir(), s.swagger_ui_dir()] {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
    }
    // Longer than any file system's name limit (255 bytes), a file used as a directory,
    // and plain missing files, under each static root.
    let long = "a".repeat(300);
    for path in [
        format!("/{long}"),
        format!("/pkg/{long}.js"),
        format!("/docs/assets/{long}.css"),
        "/index.html/x".to_owned(),
        "/pkg/index.html/x.js".to_owned(),
        "/pkg/nope.js".to_owned(),
        "/nope.html".to_owned(),
        "/docs/assets/nope.css".to_owned(),
    ] {
        let res = s.client.get(format!("{}{path}", s.url)).send().await.unwrap();
        let problem = assert_problem(res, 404, "not_found").await;
        assert_eq!(problem["status"], 404, "{path}");
    }
    // Other methods on static files: 405 problem, with the methods it takes.
    let res = s
        .client
        .post(format!("{}/pkg/index.html", s.url))
        .send()
        .await
        .unwrap();
    assert!(res.headers().contains_key("allow"), "{:?}", res.headers());
    assert_problem(res, 405, "bad_request").await;
}

#[tokio::test]
async fn every_console_path_is_the_console_page() {
    let s = TestServer::start().await;
    std::fs::create_dir_all(s.www_dir().join("console")).unwrap();
    let page = "<!doctype html><title>Parlo console</title>";
    std::fs::write(s.www_dir().join("console/index.html"), page).unwrap();
    // Deep links of the console's screens survive a reload: the server answers the page.
    for path in [
        "/console",
        "/console/",
        "/console/login",
        "/console/w/1/leads/lead_abc",
    ] {
        let res = s.client.get(format!("{}{path}", s.url)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
        assert_eq!(res.text().await.unwrap(), page, "{path}");
    }
}
