//! Health for load balancers and orchestrators. `/metrics` (Prometheus) is served by the middleware.

use actix_web::{HttpResponse, get, web};

use crate::AppState;
use crate::db;

/// The process is up.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Up")))]
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// The database answers and every migration is applied.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Ready"), (status = 503, description = "Not ready")))]
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ready = db::run(&state.pool, |conn| Ok(db::migrations_current(conn)))
        .await
        .unwrap_or(false);
    if ready {
        HttpResponse::Ok().json(serde_json::json!({ "status": "ready" }))
    } else {
        HttpResponse::ServiceUnavailable().json(serde_json::json!({ "status": "not ready" }))
    }
}
