//! Retention and destruction (issue 12, item 4; DOMAIN.md §1.5 and §5.3), for admins: the rules per
//! class of document as data (`crate::retention_rules`, below bilans, which reads them at the end of
//! an action), the destruction job that applies them (`destroy.rs`), and
//! the record of every run that destroyed something, with its procès-verbal in PDF (`pdf.rs`). The
//! records say what was destroyed, for which bilan, under which rule and when — never the content.

pub mod demo;
pub mod destroy;
pub mod due;
pub mod pdf;

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use boussole_shared::Page;
use boussole_shared::PageQuery;
use boussole_shared::retention::{
    DestructionRun, DestructionRunDetail, RetentionClass, RetentionRule, RetentionRuleUpdate,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::Admin;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::retention_rules;
use crate::schema::{destruction_items, destruction_runs};

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct ClassPath {
    /// The class of documents (`administrative_documents`, `synthesis_cep`, `follow_up_documents`,
    /// `bilan_content`).
    pub class: String,
}

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct RunPath {
    /// Destruction run id.
    pub id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_rules)
        .service(update_rule)
        .service(list_runs)
        .service(run_now)
        .service(get_run)
        .service(run_pdf);
}

/// The retention rule of every class of document (admins): period after the end of the action,
/// bounds, label and legal basis.
#[utoipa::path(tag = "retention",
    responses((status = 200, description = "OK", body = Vec<RetentionRule>), crate::problems::Caller),
    security(("bearer" = [])))]
#[get("/retention-rules")]
async fn list_rules(
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<RetentionRule>>, ApiError> {
    Ok(web::Json(db::run(&state.pool, retention_rules::all).await?))
}

/// Changes a class's period (admins): 422 `retention-out-of-bounds` outside `[min_months,
/// max_months]` (nothing changed); 404 for an unknown class. Journaled with the old and new values;
/// the next run of the destruction job applies it.
#[utoipa::path(tag = "retention", params(ClassPath), request_body = RetentionRuleUpdate,
    responses((status = 200, description = "OK", body = RetentionRule), crate::problems::Write,
        crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/retention-rules/{class}")]
async fn update_rule(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<ClassPath>,
    body: JsonBody<RetentionRuleUpdate>,
) -> Result<web::Json<RetentionRule>, ApiError> {
    let class = RetentionClass::parse(&path.class).ok_or(ApiError::NotFound)?;
    let new = body.validated()?;
    let actor = admin.actor();
    let saved = db::tx(&state.pool, move |conn| {
        retention_rules::update(conn, &actor, class, new.months_after_end)
    })
    .await?;
    Ok(web::Json(saved))
}

type RunRow = (String, NaiveDateTime, String, i64);

/// The destruction runs, newest first (admins).
#[utoipa::path(tag = "retention", params(PageQuery),
    responses((status = 200, description = "OK", body = Page<DestructionRun>), crate::problems::List),
    security(("bearer" = [])))]
#[get("/destruction-runs")]
async fn list_runs(
    _admin: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<DestructionRun>>, ApiError> {
    let paged = crate::paged::Paged::from_request(&req)?;
    let page = db::run(&state.pool, move |conn| {
        let page = paged.load(
            conn,
            || destruction_runs::table.into_boxed(),
            |q| {
                q.order((destruction_runs::ran_at.desc(), destruction_runs::id.desc()))
                    .select((
                        destruction_runs::id,
                        destruction_runs::ran_at,
                        destruction_runs::source,
                        destruction_runs::items,
                    ))
            },
        )?;
        page.try_map_items(|rows: Vec<RunRow>| {
            rows.into_iter()
                .map(|(id, at, source, items)| destroy::run_dto(&id, at, source, items))
                .collect()
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// Runs the destruction job now (admins), with the server's clock; the run is recorded even when
/// nothing was due (then with no item), so the admin keeps the proof that it ran.
#[utoipa::path(tag = "retention",
    responses((status = 201, description = "Created", body = DestructionRunDetail), crate::problems::Caller),
    security(("bearer" = [])))]
#[post("/destruction-runs")]
async fn run_now(
    Admin(admin): Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let now = state.config.clock.utc_now();
    let detail = destroy::run(
        &state.pool,
        &state.storage,
        now,
        destroy::Source::Admin,
        admin.actor(),
    )
    .await?
    .ok_or_else(|| ApiError::internal("an admin's run is always recorded"))?;
    Ok(HttpResponse::Created().json(detail))
}

/// A run and what it destroyed (admins).
#[utoipa::path(tag = "retention", params(RunPath),
    responses((status = 200, description = "OK", body = DestructionRunDetail), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/destruction-runs/{id}")]
async fn get_run(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<RunPath>,
) -> Result<web::Json<DestructionRunDetail>, ApiError> {
    let id = path.id.to_string();
    Ok(web::Json(
        db::run(&state.pool, move |conn| run_detail(conn, &id)).await?,
    ))
}

/// The procès-verbal de destruction of a run, in PDF (admins): the organisation, the run, each item
/// destroyed and the rules applied. Each download is journaled.
#[utoipa::path(tag = "retention", params(RunPath),
    responses((status = 200, description = "The procès-verbal", content_type = "application/pdf"), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/destruction-runs/{id}/pdf")]
async fn run_pdf(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<RunPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.id.to_string();
    let actor = admin.actor();
    let (detail, org) = db::tx(&state.pool, move |conn| {
        let detail = run_detail(conn, &id)?;
        crate::journal::record(
            conn,
            &actor,
            "retention.destruction_run.download",
            "destruction_run",
            Some(&id),
            serde_json::json!({}),
        )?;
        Ok((detail, crate::settings::organisation(conn)?))
    })
    .await?;
    let name = format!(
        "proces-verbal-destruction-{}.pdf",
        boussole_shared::time::to_paris(detail.run.ran_at.naive_utc()).format("%Y-%m-%d")
    );
    let bytes = web::block(move || pdf::render(&org, &detail))
        .await
        .map_err(ApiError::internal)??;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .body(bytes))
}

type ItemRow = (String, String, String, Option<String>, NaiveDateTime);

/// A run with its items, in the order they were destroyed; 404 when there is no such run.
pub fn run_detail(conn: &mut Conn, id: &str) -> Result<DestructionRunDetail, ApiError> {
    let (rid, at, source, count): RunRow = destruction_runs::table
        .find(id)
        .select((
            destruction_runs::id,
            destruction_runs::ran_at,
            destruction_runs::source,
            destruction_runs::items,
        ))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let rows: Vec<ItemRow> = destruction_items::table
        .filter(destruction_items::run_id.eq(id))
        .order(destruction_items::position.asc())
        .select((
            destruction_items::what,
            destruction_items::class,
            destruction_items::rule,
            destruction_items::bilan_reference,
            destruction_items::destroyed_at,
        ))
        .load(conn)?;
    Ok(DestructionRunDetail {
        run: destroy::run_dto(&rid, at, source, count)?,
        items: rows
            .into_iter()
            .map(|(what, class, rule, reference, at)| {
                destroy::item_dto(what, &class, rule, reference, at)
            })
            .collect::<Result<_, _>>()?,
    })
}
