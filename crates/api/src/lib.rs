//! Boussole's API server: builds the actix app from a [`Config`]. This is the one place where the
//! features are mounted.

pub mod accounts;
pub mod appointments;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod beneficiaries;
pub mod bilans;
pub mod cache;
pub mod calendar;
pub mod clock;
pub mod config;
pub mod cpf;
pub mod crypto;
pub mod db;
pub mod documents;
pub mod error;
pub mod external_ref;
pub mod headers;
pub mod help;
pub mod idempotency;
pub mod imports;
pub mod jobs;
pub mod journal;
pub mod json;
pub mod keyring;
pub mod language;
pub mod live;
pub mod memory;
pub mod messages;
#[cfg(test)]
mod module_graph;
pub mod money;
pub mod notifications;
pub mod notify;
pub mod onetime;
pub mod openapi;
pub mod ops;
pub mod paged;
pub mod pdf;
pub mod problems;
pub mod projection;
pub mod resources;
pub mod retention;
pub mod retention_rules;
pub mod schema;
pub mod secrets;
pub mod seed;
pub mod settings;
pub mod settings_routes;
pub mod signatures;
pub mod spa;
pub mod spans;
pub mod storage;
pub mod synthesis;
pub mod users;
pub mod webhooks;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::{Server, Service};
use actix_web::http::Method;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{App, HttpMessage, HttpServer, middleware, web};
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::AppExt;

pub use config::Config;

/// What every handler can reach, through `web::Data<AppState>`.
pub struct AppState {
    pub pool: db::Pool,
    pub config: Arc<Config>,
    pub keys: auth::tokens::Keys,
    /// What the outbox sends with (the mailer, and the SMS gateway when configured).
    pub sender: notify::outbox::Sender,
    /// A real Argon2 hash, checked when the account is unknown so that timing does not tell.
    pub dummy_hash: String,
    /// Sessions checked recently (see `cache`), emptied by every write request of this process.
    pub auth_cache: auth::extract::AuthCache,
    /// Encrypted files (local folder or object storage).
    pub storage: storage::Storage,
    /// Pages of the accounts list, likewise.
    pub users_cache: users::admin::UsersCache,
    /// The ROME 4.0 occupations, loaded once (see `projection::rome`).
    pub rome: Arc<projection::rome::Catalogue>,
    /// Live events of this process, for the streams of `GET /api/v1/events` (see `messages::live`).
    pub live: live::Hub,
    /// Statements run on the pool's connections, served in `/metrics`.
    pub db_queries: prometheus::IntCounter,
}

impl AppState {
    /// Opens the database, applies migrations and prepares keys and mail.
    pub fn new(config: Config) -> anyhow::Result<AppState> {
        let db_queries = db::queries_counter()?;
        let pool = db::pool_counted(
            &config.database_url,
            config.pool_size,
            db_queries.clone(),
            Some(config.keys()),
        )?;
        let applied = db::migrate(&mut *pool.get()?)?;
        if applied > 0 {
            tracing::info!(applied, "database migrations applied");
        }
        assessments::catalogue::load_shipped(&mut *pool.get()?)?;
        // Data written in clear by earlier versions, sealed once (both steps are idempotent).
        let sealed = auth::totp::seal_clear_secrets(&mut *pool.get()?, &config.master_key)
            .map_err(|e| anyhow::anyhow!("sealing TOTP secrets: {e}"))?;
        if sealed > 0 {
            tracing::info!(sealed, "TOTP secrets sealed under the master key");
        }
        let blanked = bilans::sealed_names::blank_destroyed(&mut *pool.get()?)
            .map_err(|e| anyhow::anyhow!("blanking destroyed documents: {e}"))?;
        if blanked > 0 {
            tracing::info!(blanked, "names of destroyed documents blanked");
        }
        let mailer = notify::Mailer::from_config(&config)?;
        let sms = match &config.appointments.sms {
            Some(c) => Some(notify::sms::SmsGateway::new(c.clone())?),
            None => None,
        };
        Ok(AppState {
            keys: auth::tokens::Keys::new(&config.jwt_secret)?,
            sender: notify::outbox::Sender {
                mailer,
                sms,
                master_key: config.master_key.clone(),
            },
            storage: storage::Storage::from_config(&config)?,
            dummy_hash: auth::password::hash("not a real password, only for timing")
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            pool,
            auth_cache: cache::ReadCache::new(
                config.read_cache_ttl_secs,
                50_000,
                config.clock.clone(),
            ),
            users_cache: cache::ReadCache::new(
                config.read_cache_ttl_secs,
                1_000,
                config.clock.clone(),
            ),
            db_queries,
            rome: Arc::new(projection::rome::Catalogue::load()?),
            live: live::Hub::default(),
            config: Arc::new(config),
        })
    }
}

/// Every documented route: operations at the root, then `/api/v1` feature by feature.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(ops::healthz).service(ops::readyz).service(
        utoipa_actix_web::scope("/api/v1")
            .configure(auth::routes)
            .configure(users::routes)
            .configure(audit::routes)
            .configure(settings_routes::routes)
            .configure(bilans::routes)
            .configure(beneficiaries::routes)
            .configure(appointments::routes)
            .configure(notify::outbox::routes)
            .configure(assessments::routes)
            .configure(projection::routes)
            .configure(messages::routes)
            .configure(resources::routes)
            .configure(notifications::routes)
            .configure(documents::routes)
            .configure(documents::templates::routes)
            .configure(signatures::routes)
            .configure(synthesis::routes)
            .configure(retention::routes)
            .configure(cpf::routes)
            .configure(money::routes)
            .configure(imports::routes)
            .configure(webhooks::routes),
    );
}

/// A running server and the port it listens on (port 0 in the config picks a free one: tests).
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub fn build(config: Config) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.bind)
            .map_err(|e| anyhow::anyhow!("BOUSSOLE_BIND: cannot listen on {}: {e}", config.bind))?;
        let port = listener.local_addr()?.port();
        let workers = config.workers;
        let pool_size = config.pool_size as usize;
        let state = web::Data::new(AppState::new(config)?);
        let registry = prometheus::Registry::new();
        registry.register(Box::new(state.db_queries.clone()))?;
        let metrics = actix_web_prom::PrometheusMetricsBuilder::new("boussole")
            .registry(registry)
            .endpoint("/metrics")
            .mask_unmatched_patterns("UNKNOWN")
            .build()
            .map_err(|e| anyhow::anyhow!("metrics: {e}"))?;
        notify::outbox::spawn(
            state.pool.clone(),
            state.sender.clone(),
            state.config.appointments.clone(),
        );
        webhooks::delivery::spawn(
            webhooks::delivery::Deliverer::new(state.pool.clone(), state.config.clone())
                .map_err(|e| anyhow::anyhow!("webhook deliveries: {e}"))?,
        );
        actix_web::rt::spawn(bilans::sealed_names::seal_clear_names(state.clone()));
        jobs::spawn(
            state.pool.clone(),
            state.storage.clone(),
            std::time::Duration::from_secs(15 * 60),
        );
        signatures::job::spawn(state.clone(), std::time::Duration::from_secs(5 * 60));
        jobs::trust::spawn(
            state.pool.clone(),
            state.config.clone(),
            std::time::Duration::from_secs(15 * 60),
        );
        memory::after_start_up();
        let doc = openapi::served();
        let mut server = HttpServer::new(move || app(state.clone(), metrics.clone(), doc.clone()))
            .listen(listener)?
            .shutdown_timeout(20);
        let workers = if workers > 0 {
            workers
        } else {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        };
        // Database work runs on each worker's blocking threads; more threads than pooled connections
        // would only queue on the pool (and thrash under load), so they are sized to share the pool.
        server = server
            .workers(workers)
            .worker_max_blocking_threads((pool_size / workers).max(2));
        Ok(Application {
            port,
            server: server.run(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT/SIGTERM, then finishes the requests in flight (graceful shutdown).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn app(
    state: web::Data<AppState>,
    metrics: actix_web_prom::PrometheusMetrics,
    doc: openapi::Served,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let limit = state.config.json_limit_bytes;
    let static_dir = state.config.static_dir.clone();
    let guide_shots = state.config.guide_screenshots.clone();
    let mut defaults = middleware::DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Content-Security-Policy",
            headers::content_security_policy(&state.config),
        ));
    if let Some(hsts) = headers::strict_transport_security(&state.config) {
        defaults = defaults.add(("Strict-Transport-Security", hsts));
    }
    let (app, _) = App::new()
        .app_data(state)
        .app_data(error::json_config(limit))
        .app_data(error::path_config())
        .app_data(error::query_config())
        .app_data(web::PayloadConfig::new(limit))
        .wrap(actix_web::middleware::from_fn(idempotency::middleware))
        // Outside the idempotency middleware: a replayed answer is said in the language asked now.
        .wrap(actix_web::middleware::from_fn(language::middleware))
        .wrap(defaults)
        .wrap_fn(|req, srv| {
            // API answers carry personal data: no browser or proxy may keep a copy.
            let api = headers::is_api_path(req.path());
            let fut = srv.call(req);
            async move {
                let mut res = fut.await?;
                if api {
                    res.headers_mut()
                        .insert(headers::CACHE_CONTROL, headers::NO_STORE);
                }
                Ok(res)
            }
        })
        .wrap_fn(|req, srv| {
            // Any change may end a session or change an account: once it is committed, empty the
            // read caches.
            let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .filter(|_| writes);
            let fut = srv.call(req);
            async move {
                let res = fut.await;
                if let Some(state) = state {
                    state.auth_cache.clear();
                    state.users_cache.clear();
                }
                res
            }
        })
        .wrap_fn(|req, srv| {
            // Echo the request id that tracing-actix-web put in the logs, so a user's report can be traced.
            let id = req.extensions().get::<RequestId>().copied();
            let fut = srv.call(req);
            async move {
                let mut res = fut.await?;
                if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id.to_string()).ok()) {
                    res.headers_mut()
                        .insert(HeaderName::from_static("x-request-id"), value);
                }
                Ok(res)
            }
        })
        .wrap(TracingLogger::<spans::RequestSpan>::new())
        .wrap(metrics)
        .wrap_fn(|req, srv| {
            // Outside the metrics middleware: a refused caller never reaches the Prometheus text.
            let refused = (req.path() == "/metrics")
                .then(|| {
                    let state = req.app_data::<web::Data<AppState>>()?;
                    // The client, not a reverse proxy on this machine that forwards the world.
                    let client = req.peer_addr().map(|a| {
                        auth::client_ip::client_ip(
                            a.ip(),
                            req.headers(),
                            &state.config.trusted_proxies,
                        )
                    });
                    headers::metrics_allowed(
                        &state.config,
                        req.headers().get(actix_web::http::header::AUTHORIZATION),
                        client,
                    )
                    .err()
                })
                .flatten();
            match refused {
                Some(e) => futures_util::future::Either::Left(std::future::ready(Err(e.into()))),
                None => futures_util::future::Either::Right(srv.call(req)),
            }
        })
        // The routes are registered through utoipa's app, which documents each one as it goes; the
        // document served is the one `openapi::served` wrote once, so each worker starts from an empty
        // one instead of building (and cloning) every schema again.
        .into_utoipa_app()
        .openapi(utoipa::openapi::OpenApi::default())
        .configure(routes)
        .split_for_parts();
    app.configure(|cfg| openapi::serve(cfg, doc))
        .configure(|cfg| help::serve(cfg, &guide_shots))
        .configure(|cfg| spa::serve(cfg, &static_dir))
}
