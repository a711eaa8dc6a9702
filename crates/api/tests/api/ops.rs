use boussole_api::{AppState, Application};
use reqwest::Method;

use crate::helpers::*;

on_both_backends!(
    health_readiness_metrics_and_request_ids,
    a_request_s_log_span_names_the_caller_by_id_and_never_by_email,
    the_web_app_is_served_with_a_fallback_for_client_routes
);

async fn health_readiness_metrics_and_request_ids(backend: Backend) {
    let app = spawn_app(backend).await;
    let health = app
        .call(Method::GET, "/healthz", None, None)
        .await
        .expect(200);
    assert!(
        health
            .headers
            .get("x-request-id")
            .is_some_and(|v| v.len() >= 32)
    );
    let ready = app
        .call(Method::GET, "/readyz", None, None)
        .await
        .expect(200);
    assert_eq!(ready.body["status"], "ready");
    let metrics = app.metrics().await;
    assert!(
        metrics.contains(
            "boussole_http_requests_total{endpoint=\"/healthz\",method=\"GET\",status=\"200\"} 1"
        ),
        "{metrics}"
    );
}

async fn the_web_app_is_served_with_a_fallback_for_client_routes(backend: Backend) {
    let app = spawn_app(backend).await;
    // No SPA built in the test data folder: a placeholder page that says so.
    let page = app
        .client
        .get(format!("{}/profil", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("lang=\"fr\""));
    // With a built SPA, files are served and client routes fall back to index.html.
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>spa</title>",
    )
    .unwrap();
    std::fs::write(dist.path().join("app.js"), "console.log(1)").unwrap();
    let mut config = app.config.clone();
    config.static_dir = dist.path().to_path_buf();
    config.bind = "127.0.0.1:0".parse().unwrap();
    let server = Application::build(config).unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    actix_web::rt::spawn(server.run_until_stopped());
    let get = |p: &str| reqwest::get(format!("{base}{p}"));
    assert_eq!(
        get("/app.js").await.unwrap().text().await.unwrap(),
        "console.log(1)"
    );
    // A `.gz` written by the build is sent to browsers that accept gzip, with the original's type.
    std::fs::write(dist.path().join("app.wasm"), "plain").unwrap();
    std::fs::write(dist.path().join("app.wasm.gz"), "gzipped").unwrap();
    let client = reqwest::Client::new();
    let gz = client
        .get(format!("{base}/app.wasm"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.headers()["content-type"], "application/wasm");
    assert_eq!(gz.text().await.unwrap(), "gzipped");
    let plain = client
        .get(format!("{base}/app.wasm"))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), "plain");
    // Nothing outside the build's directory, even encoded.
    let up = get("/%2e%2e").await.unwrap();
    assert!(up.text().await.unwrap().contains("<title>spa</title>"));
    assert!(
        get("/admin/utilisateurs")
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("<title>spa</title>")
    );
    let api = get("/api/v1/unknown").await.unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let docs = get("/api/docs/").await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(
        docs.text().await.unwrap().contains("swagger"),
        "the API docs UI is served by us"
    );
}

#[test]
fn start_up_stops_with_the_real_error_for_a_bad_database_or_setting() {
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(
        Backend::Postgres,
        dir.path(),
        "postgres://postgres@127.0.0.1:1/nowhere",
    );
    let err = AppState::new(config)
        .err()
        .expect("an unreachable server stops start-up")
        .to_string();
    assert!(
        err.contains("127.0.0.1") && err.to_lowercase().contains("connect"),
        "{err}"
    );

    let env = |k: &str| match k {
        "BOUSSOLE_DATA_DIR" => Some(dir.path().display().to_string()),
        "BOUSSOLE_BIND" => Some("not an address".into()),
        _ => None,
    };
    let err = boussole_api::Config::from_lookup(env)
        .err()
        .unwrap()
        .to_string();
    assert!(err.starts_with("BOUSSOLE_BIND"), "{err}");
    let env = |k: &str| match k {
        "BOUSSOLE_DATA_DIR" => Some(dir.path().display().to_string()),
        "DATABASE_URL" => Some("mysql://x".into()),
        _ => None,
    };
    assert!(
        boussole_api::Config::from_lookup(env)
            .err()
            .unwrap()
            .to_string()
            .starts_with("DATABASE_URL")
    );
    let env = |k: &str| match k {
        "BOUSSOLE_DATA_DIR" => Some(dir.path().display().to_string()),
        "BOUSSOLE_INSECURE_KEY_LAYOUT" => Some("1".into()),
        "BOUSSOLE_ACCESS_TOKEN_TTL" => Some("-5".into()),
        _ => None,
    };
    assert!(
        boussole_api::Config::from_lookup(env)
            .err()
            .unwrap()
            .to_string()
            .starts_with("BOUSSOLE_ACCESS_TOKEN_TTL")
    );
}

#[test]
fn the_jwt_secret_is_generated_once_and_kept_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let env = |k: &str| match k {
        "BOUSSOLE_DATA_DIR" => Some(dir.path().display().to_string()),
        "BOUSSOLE_INSECURE_KEY_LAYOUT" => Some("1".into()),
        _ => None,
    };
    let first = boussole_api::Config::from_lookup(env).unwrap().jwt_secret;
    let second = boussole_api::Config::from_lookup(env).unwrap().jwt_secret;
    assert_eq!(first, second);
    assert!(first.len() >= 64);
    let other_dir = tempfile::tempdir().unwrap();
    let env = |k: &str| match k {
        "BOUSSOLE_DATA_DIR" => Some(other_dir.path().display().to_string()),
        "BOUSSOLE_INSECURE_KEY_LAYOUT" => Some("1".into()),
        _ => None,
    };
    assert_ne!(
        boussole_api::Config::from_lookup(env).unwrap().jwt_secret,
        first,
        "never a constant"
    );
}

#[test]
fn the_demo_is_not_seeded_where_it_looks_like_production_unless_forced() {
    use boussole_api::seed::refuse_in_production;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("d.db").display());
    let plain = test_config(Backend::Sqlite, dir.path(), &url);
    assert!(refuse_in_production(&plain, false).is_ok());
    let https = test_config_with(
        Backend::Sqlite,
        dir.path(),
        &url,
        &[("BOUSSOLE_PUBLIC_URL", "https://bilans.example.org".into())],
    );
    let smtp = test_config_with(
        Backend::Sqlite,
        dir.path(),
        &url,
        &[("BOUSSOLE_SMTP_URL", "smtp://127.0.0.1:2525".into())],
    );
    for config in [&https, &smtp] {
        let err = refuse_in_production(config, false).unwrap_err().to_string();
        assert!(err.contains("--force"), "{err}");
        assert!(refuse_in_production(config, true).is_ok());
    }
}

/// Log lines written by every test of this binary, as JSON (installed once, process-wide: the server's
/// worker threads log there too).
fn captured_logs() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    use std::sync::{Arc, Mutex, OnceLock};
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_max_level(tracing::Level::INFO)
            .with_writer(move || SharedWriter(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    })
    .clone()
}

struct SharedWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn a_request_s_log_span_names_the_caller_by_id_and_never_by_email(backend: Backend) {
    let logs = captured_logs();
    let app = spawn_demo(backend).await;
    let token = app.token(CONSULTANT).await;
    let me = app.get("/api/v1/me", &token).await.expect(200);
    let request_id = me.headers["x-request-id"].to_str().unwrap().to_string();
    let user_id = me.body["id"].as_str().unwrap().to_string();
    let span = eventually(5, || {
        let text = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|l| l["span"]["request_id"] == request_id.as_str())
    })
    .await
    .expect("the request's span is logged when it closes");
    assert_eq!(span["span"]["caller_id"], user_id.as_str(), "{span}");
    assert_eq!(span["span"]["caller_role"], "consultant", "{span}");
    assert!(
        !span.to_string().contains(CONSULTANT),
        "no email in logs: {span}"
    );
}

#[test]
fn keys_inside_the_data_folder_are_refused_unless_the_demo_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let lookup = |pairs: Vec<(&'static str, String)>| {
        move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
    };
    // The default key folder is inside the data folder: a backup of the data would hold the keys.
    let data_only = vec![("BOUSSOLE_DATA_DIR", data.display().to_string())];
    let err = boussole_api::Config::from_lookup(lookup(data_only.clone()))
        .err()
        .unwrap()
        .to_string();
    assert!(err.starts_with("BOUSSOLE_KEY_DIR"), "{err}");
    let mut demo = data_only.clone();
    demo.push(("BOUSSOLE_INSECURE_KEY_LAYOUT", "1".into()));
    assert!(boussole_api::Config::from_lookup(lookup(demo.clone())).is_ok());
    // Beside it, it starts.
    let mut beside = data_only.clone();
    beside.push((
        "BOUSSOLE_KEY_DIR",
        dir.path().join("keys").display().to_string(),
    ));
    let config = boussole_api::Config::from_lookup(lookup(beside.clone())).unwrap();
    assert!(config.key_dir.join("master-key").exists());
    assert!(!data.join("master-key").exists());

    // A master key left in the data folder by an older version is never silently replaced.
    let old = tempfile::tempdir().unwrap();
    std::fs::write(old.path().join("master-key"), "ab".repeat(32)).unwrap();
    let old_layout = vec![
        ("BOUSSOLE_DATA_DIR", old.path().display().to_string()),
        (
            "BOUSSOLE_KEY_DIR",
            dir.path().join("other-keys").display().to_string(),
        ),
    ];
    let err = boussole_api::Config::from_lookup(lookup(old_layout))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("move it"), "{err}");
}

#[actix_web::test]
async fn sqlite_overwrites_what_it_deletes() {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Pragma {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        secure_delete: i64,
    }
    let app = spawn_app(Backend::Sqlite).await;
    let state = boussole_api::AppState::new(app.config.clone()).unwrap();
    let pragma: Pragma = diesel::sql_query("PRAGMA secure_delete")
        .get_result(&mut *state.pool.get().unwrap())
        .unwrap();
    assert_eq!(pragma.secure_delete, 1);
}
