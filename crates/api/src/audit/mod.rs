//! Reading the journal over HTTP (admins, or an API key with `audit:read`); the journal itself, with no
//! HTTP, is `journal`.

use actix_web::{HttpRequest, HttpResponse, get, web};
use boussole_shared::audit::{AuditEntry, AuditFilter, AuditVerification};
use boussole_shared::{Page, PageQuery};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::{Admin, ApiCaller, AuditRead};
use crate::db;
use crate::error::ApiError;
use crate::journal::{AuditRow, verify_chain};
use crate::schema::audit_log;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_audit).service(verify_audit);
}

/// The journal, newest first (admins, or an API key with `audit:read`).
#[utoipa::path(
    tag = "audit",
    params(PageQuery, AuditFilter),
    responses((status = 200, description = "OK", body = Page<AuditEntry>), crate::problems::List),
    security(("bearer" = []), ("api_key" = []))
)]
#[get("/audit")]
async fn list_audit(
    _caller: ApiCaller<AuditRead>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<AuditEntry>>, ApiError> {
    let filter: AuditFilter = crate::json::query(&req)?;
    let paged = crate::paged::Paged::from_request(&req)?;
    let result = db::run(&state.pool, move |conn| {
        let query = || {
            let mut q = audit_log::table.into_boxed();
            if let Some(a) = &filter.action {
                q = q.filter(audit_log::action.eq(a.clone()));
            }
            if let Some(t) = &filter.entity_type {
                q = q.filter(audit_log::entity_type.eq(t.clone()));
            }
            if let Some(e) = &filter.entity_id {
                q = q.filter(audit_log::entity_id.eq(e.clone()));
            }
            if let Some(a) = filter.actor_id {
                q = q.filter(audit_log::actor_id.eq(a.to_string()));
            }
            if let Some(from) = filter.from {
                q = q.filter(audit_log::at.ge(from.naive_utc()));
            }
            if let Some(to) = filter.to {
                q = q.filter(audit_log::at.lt(to.naive_utc()));
            }
            q
        };
        let page = paged.load(conn, query, |q| {
            q.order(audit_log::seq.desc()).select(AuditRow::as_select())
        })?;
        Ok(page.map_items(|rows: Vec<AuditRow>| rows.into_iter().map(Into::into).collect()))
    })
    .await?;
    Ok(web::Json(result))
}

/// Recomputes the hash chain and says whether the journal is intact (admins).
#[utoipa::path(
    tag = "audit",
    responses((status = 200, description = "OK", body = AuditVerification), crate::problems::Caller),
    security(("bearer" = []))
)]
#[get("/audit/verify")]
async fn verify_audit(_admin: Admin, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let result = db::run(&state.pool, |conn| Ok(verify_chain(conn)?)).await?;
    Ok(HttpResponse::Ok().json(result))
}
