use std::collections::HashMap;

use boussole_api::notify::{Email, read_mailbox};
use boussole_api::{Application, Config, db};
use boussole_shared::auth::TokenResponse;
use reqwest::Method;
use serde::Serialize;
use serde_json::{Value, json};

mod answer;
mod appointments;
mod bilans;
mod messages;
mod money;
mod outbox;
mod users;

pub use answer::Answer;
pub use appointments::*;
pub use bilans::*;
pub use money::*;
pub use users::*;

pub const DEMO_PASSWORD: &str = "boussole-demo";
pub const ADMIN: &str = "admin@boussole.test";
pub const CONSULTANT: &str = "consultant@boussole.test";
pub const BENEFICIARY: &str = "beneficiaire@boussole.test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named `async fn name(backend: Backend)` of the calling module on both databases.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[actix_web::test] async fn $name() { super::$name($crate::helpers::Backend::Sqlite).await } )*
        }
        mod postgres {
            $( #[actix_web::test] async fn $name() { super::$name($crate::helpers::Backend::Postgres).await } )*
        }
    };
}

/// The PostgreSQL server the tests use: `BOUSSOLE_TEST_PG`, or the local one.
pub fn pg_base() -> String {
    std::env::var("BOUSSOLE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A fresh PostgreSQL database, dropped with this value.
pub struct PgDatabase {
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub fn create() -> PgDatabase {
        use diesel::RunQueryDsl;
        let name = format!("boussole_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = db::connect(&format!("{}/postgres", pg_base())).unwrap_or_else(|e| {
            panic!(
                "PostgreSQL at {} is needed for the postgres:: tests: {e}",
                pg_base()
            )
        });
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap();
        PgDatabase {
            url: format!("{}/{name}", pg_base()),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        use diesel::RunQueryDsl;
        if let Ok(mut admin) = db::connect(&format!("{}/postgres", pg_base())) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub config: Config,
    pub _dir: tempfile::TempDir,
    pub _pg: Option<PgDatabase>,
}

pub fn test_config(backend: Backend, dir: &std::path::Path, database_url: &str) -> Config {
    test_config_with(backend, dir, database_url, &[])
}

/// The test configuration with some variables added or replaced.
pub fn test_config_with(
    backend: Backend,
    dir: &std::path::Path,
    database_url: &str,
    extra: &[(&'static str, String)],
) -> Config {
    let mut env = HashMap::new();
    // The outbox looks often, and retries after a second, so that tests see deliveries quickly.
    env.insert("BOUSSOLE_OUTBOX_INTERVAL_MS", "100".to_string());
    env.insert("BOUSSOLE_OUTBOX_RETRY_SECS", "1".to_string());
    env.insert("BOUSSOLE_BIND", "127.0.0.1:0".to_string());
    // The production layout: the keys beside the data folder, not in it.
    env.insert("BOUSSOLE_DATA_DIR", dir.join("data").display().to_string());
    env.insert("BOUSSOLE_KEY_DIR", dir.join("keys").display().to_string());
    env.insert("DATABASE_URL", database_url.to_string());
    env.insert(
        "BOUSSOLE_JWT_SECRET",
        "test-secret-test-secret-test-secret-test-secret".to_string(),
    );
    env.insert("BOUSSOLE_WORKERS", "2".to_string());
    env.insert(
        "BOUSSOLE_DB_POOL_SIZE",
        if backend == Backend::Sqlite { "4" } else { "6" }.to_string(),
    );
    env.insert(
        "BOUSSOLE_STATIC_DIR",
        dir.join("no-spa").display().to_string(),
    );
    env.insert("BOUSSOLE_PUBLIC_URL", "http://boussole.test".to_string());
    for (k, v) in extra {
        env.insert(k, v.clone());
    }
    Config::from_lookup(|k| env.get(k).cloned()).unwrap()
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// Starts the app with some configuration variables set (SMTP, SMS gateway, Jitsi…).
pub async fn spawn_app_with(backend: Backend, extra: &[(&'static str, String)]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let pg = (backend == Backend::Postgres).then(PgDatabase::create);
    let url = match &pg {
        Some(pg) => pg.url.clone(),
        None => format!("sqlite://{}", dir.path().join("test.db").display()),
    };
    let config = test_config_with(backend, dir.path(), &url, extra);
    let app = Application::build(config.clone()).unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    // Pooled connections are dropped after 2 s idle, before the server's 5 s keep-alive closes them:
    // otherwise a request sent on a connection the server is closing that instant fails with
    // `IncompleteMessage` (seen under load, after a test spent seconds in a Python checker).
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap();
    TestApp {
        base,
        client,
        config,
        _dir: dir,
        _pg: pg,
    }
}

/// A test app with the demo accounts (password `boussole-demo`).
pub async fn spawn_demo(backend: Backend) -> TestApp {
    spawn_demo_with(backend, &[]).await
}

/// The demo accounts, and the demo consultants' availability, with some configuration set.
pub async fn spawn_demo_with(backend: Backend, extra: &[(&'static str, String)]) -> TestApp {
    let app = spawn_app_with(backend, extra).await;
    let mut conn = app.conn();
    assert!(boussole_api::seed::seed_demo(&mut conn).unwrap());
    boussole_api::seed::seed_demo_availability(&mut conn).unwrap();
    app
}

/// The Python of the tools virtualenv (aiosmtpd, icalendar), as scripts/test-api.sh installs it.
pub fn python() -> String {
    std::env::var("BOUSSOLE_TEST_PYTHON").unwrap_or_else(|_| {
        let home = std::env::var("HOME").unwrap_or_default();
        format!("{home}/.cache/boussole-tools/pytools/bin/python")
    })
}

/// A free TCP port on the loopback interface.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A request DTO as the JSON it is sent as.
pub fn to_json(body: &impl Serialize) -> Value {
    serde_json::to_value(body).unwrap()
}

/// Polls `check` every 100 ms until it returns `Some`, for at most `secs` seconds.
pub async fn eventually<T>(secs: u64, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    for _ in 0..secs * 10 {
        if let Some(v) = check() {
            return Some(v);
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    None
}

impl TestApp {
    /// A connection of its own, carrying the audit key like the server's.
    pub fn conn(&self) -> db::Conn {
        db::connect_keyed(&self.config.database_url, &self.config.keys()).unwrap()
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        Answer::read(req.send().await.unwrap()).await
    }

    /// The Prometheus text of `/metrics`.
    pub async fn metrics(&self) -> String {
        let res = self.client.get(format!("{}/metrics", self.base)).send();
        res.await.unwrap().text().await.unwrap()
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    /// `GET`, the answer read as `T` (see [`Answer::ok`]).
    pub async fn get_as<T>(&self, path: &str, token: &str) -> Answer<T> {
        self.get(path, token).await.typed()
    }

    /// `POST` of a shared request DTO, the answer read as `T`.
    pub async fn post_as<T>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &impl Serialize,
    ) -> Answer<T> {
        self.post(path, token, to_json(body)).await.typed()
    }

    /// `PATCH` of a shared request DTO, the answer read as `T`.
    pub async fn patch_as<T>(&self, path: &str, token: &str, body: &impl Serialize) -> Answer<T> {
        self.patch(path, token, to_json(body)).await.typed()
    }

    /// `PUT` of a shared request DTO, the answer read as `T`.
    pub async fn put_as<T>(&self, path: &str, token: &str, body: &impl Serialize) -> Answer<T> {
        let answer = self.call(Method::PUT, path, Some(token), Some(to_json(body)));
        answer.await.typed()
    }

    pub async fn login_answer(&self, email: &str, password: &str) -> Answer {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Logs in and returns the tokens (panics on anything else).
    pub async fn login(&self, email: &str, password: &str) -> TokenResponse {
        let answer = self.login_answer(email, password).await.expect(200);
        serde_json::from_value(answer.body).unwrap()
    }

    pub async fn token(&self, email: &str) -> String {
        self.login(email, DEMO_PASSWORD).await.access_token
    }

    /// The development mailbox as it is now (for polling inside `eventually`).
    pub fn mailbox_now(&self) -> Vec<Email> {
        read_mailbox(&self.config.mailbox_dir()).unwrap_or_default()
    }

    /// The development mailbox, once the outbox (which every email goes through) has sent what is
    /// due: waits up to 10 s for no due message to be pending or sending. Async: the outbox job runs
    /// on this test's runtime, so blocking the thread would stop it.
    pub async fn mailbox(&self) -> Vec<Email> {
        use boussole_api::schema::outbox;
        use diesel::prelude::*;
        for _ in 0..100 {
            let waiting: i64 = outbox::table
                .filter(outbox::status.eq_any(["pending", "sending"]))
                .filter(outbox::not_before.le(db::now()))
                .count()
                .get_result(&mut self.conn())
                .unwrap();
            if waiting == 0 {
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        read_mailbox(&self.config.mailbox_dir()).unwrap_or_default()
    }

    /// The token of the last link emailed to `to` whose URL contains `path` (waiting up to 5 s: some
    /// mail is sent after the answer).
    pub async fn last_link_token(&self, to: &str, path: &str) -> String {
        let mut mail = None;
        for _ in 0..50 {
            let mailbox = self.mailbox().await;
            mail = mailbox
                .into_iter()
                .rev()
                .find(|m| m.to == to && m.text.contains(path));
            if mail.is_some() {
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let mail = mail.unwrap_or_else(|| panic!("no email to {to} with a {path} link"));
        let start = mail.text.find("token=").unwrap() + "token=".len();
        mail.text[start..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    }
}
