//! The first screen arrives fast (issue 16, item 6): the build's precompressed copies are chosen by
//! `Accept-Encoding` (brotli preferred), Trunk's hashed files are cached for a year, and index.html —
//! which names them — is revalidated on every visit. `/api/docs` leads to the API documentation.

use crate::helpers::*;

on_both_backends!(
    assets_are_sent_precompressed_by_q_value_and_cached_by_name,
    the_api_docs_answer_without_the_trailing_slash
);

const WASM: &str = "boussole-web-0123456789abcdef_bg.wasm";
const CSS: &str = "style-fedcba9876543210.css";

async fn assets_are_sent_precompressed_by_q_value_and_cached_by_name(backend: Backend) {
    let dist = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| std::fs::write(dist.path().join(name), body).unwrap();
    write("index.html", "<!doctype html><title>spa</title>");
    write(WASM, "plain");
    write(&format!("{WASM}.gz"), "gzipped");
    write(&format!("{WASM}.br"), "brotli");
    write(CSS, "body{}");
    write(&format!("{CSS}.gz"), "gzipped css");
    write("robots.txt", "User-agent: *");
    let app = spawn_app_with(
        backend,
        &[("BOUSSOLE_STATIC_DIR", dist.path().display().to_string())],
    )
    .await;
    let fetch = |path: &str, accept: &str| {
        app.client
            .get(format!("{}{path}", app.base))
            .header("accept-encoding", accept)
            .send()
    };
    // (Accept-Encoding, the copy expected, its Content-Encoding)
    let cases = [
        ("br, gzip", "brotli", Some("br")),
        ("gzip, deflate, br, zstd", "brotli", Some("br")),
        ("gzip", "gzipped", Some("gzip")),
        ("br;q=0.5, gzip", "gzipped", Some("gzip")),
        ("gzip;q=0.8, br;q=0.9", "brotli", Some("br")),
        ("br;q=1.0, gzip;q=1.0", "brotli", Some("br")),
        ("*", "brotli", Some("br")),
        ("br;q=0, gzip;q=0", "plain", None),
        ("identity", "plain", None),
    ];
    for (accept, body, encoding) in cases {
        let res = fetch(&format!("/{WASM}"), accept).await.unwrap();
        assert_eq!(res.status(), 200, "{accept}");
        let headers = res.headers().clone();
        assert_eq!(
            headers.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
        assert_eq!(headers["content-type"], "application/wasm", "{accept}");
        assert_eq!(headers["vary"], "accept-encoding", "{accept}");
        assert_eq!(
            headers["cache-control"], "public, max-age=31536000, immutable",
            "{accept}"
        );
        assert_eq!(res.text().await.unwrap(), body, "{accept}");
    }
    // Only a `.gz` beside the stylesheet: a brotli browser gets gzip.
    let css = fetch(&format!("/{CSS}"), "br, gzip").await.unwrap();
    assert_eq!(css.headers()["content-encoding"], "gzip");
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert_eq!(css.text().await.unwrap(), "gzipped css");
    // A file whose name is not hashed may change under it: revalidated.
    let robots = fetch("/robots.txt", "br").await.unwrap();
    assert_eq!(robots.headers()["cache-control"], "no-cache");
    assert!(robots.headers().get("content-encoding").is_none());
    // index.html, however it is reached, and the SPA's client routes: always revalidated.
    for path in ["/", "/index.html", "/connexion", "/admin/utilisateurs"] {
        let page = fetch(path, "br, gzip").await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert_eq!(page.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            page.text().await.unwrap().contains("<title>spa</title>"),
            "{path}"
        );
    }
    // API answers keep theirs.
    let api = fetch("/api/v1/unknown", "br").await.unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
}

async fn the_api_docs_answer_without_the_trailing_slash(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .get(format!("{}/api/docs", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/api/docs/");
    let followed = app.client.get(format!("{}/api/docs", app.base)).send();
    let followed = followed.await.unwrap();
    assert_eq!(followed.status(), 200);
    assert!(followed.text().await.unwrap().contains("swagger"));
}
