//! Creating bilans, reading them by role, assigning consultants, and moving through the workflow.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use boussole_shared::bilans::{
    Bilan, BilanFilter, BilanPatch, BilanStatus, NewBilan, TransitionRequest,
};
use boussole_shared::field_rules::FieldRule;
use boussole_shared::users::Role;
use boussole_shared::{Page, PageQuery};
use diesel::prelude::*;

use super::model::{self, BilanRow, Happened};
use super::{BilanPath, assignment, lifecycle};
use crate::AppState;
use crate::auth::caller::{ApiCaller, BilansRead, BilansWrite, StaffOrKey, Viewer, ViewerOrKey};
use crate::db;
use crate::error::ApiError;
use crate::external_ref::{self, Kind};
use crate::json::JsonBody;
use crate::paged::Paged;
use crate::schema::{bilan_keys, bilans};

/// Opens a bilan for a beneficiary with a first consultant (admins, or an API key with
/// `bilans:write`); 409 `already-exists` with `existing_id` when another bilan holds the `external_ref`.
#[utoipa::path(tag = "bilans", request_body = NewBilan,
    responses((status = 201, description = "Created", body = Bilan), crate::problems::Write, crate::problems::Duplicate),
    security(("bearer" = []), ("api_key" = [])))]
#[post("/bilans")]
async fn create_bilan(
    caller: ApiCaller<BilansWrite>,
    state: web::Data<AppState>,
    body: JsonBody<NewBilan>,
) -> Result<HttpResponse, ApiError> {
    let new = body.validated()?;
    let st = state.clone();
    let dto = crate::notifications::tx(&state, move |conn| {
        model::require_user(
            conn,
            &new.beneficiary_id,
            Role::Beneficiary,
            "beneficiary_id",
        )?;
        model::require_user(conn, &new.consultant_id, Role::Consultant, "consultant_id")?;
        external_ref::ensure_free(conn, Kind::Bilan, new.external_ref.as_deref(), None)?;
        let now = db::now();
        let row = BilanRow {
            id: db::new_id(),
            beneficiary_id: new.beneficiary_id.to_string(),
            status: BilanStatus::Request.as_str().into(),
            funding: new.funding.as_str().into(),
            format: new.format.as_str().into(),
            planned_minutes: new.planned_hours * 60,
            abandon_reason: None,
            status_changed_at: now,
            content_destroyed_at: None,
            retention_until: None,
            created_at: now,
            updated_at: now,
            planned_end_on: new.planned_end_on,
            external_ref: new.external_ref.clone(),
        };
        diesel::insert_into(bilans::table)
            .values(&row)
            .execute(conn)?;
        let (wrapped, wrapping_key) =
            crate::keyring::Keyring::new(&st.config.master_key, &st.config.key_dir)
                .new_bilan_key(conn, &row.id)?;
        diesel::insert_into(bilan_keys::table)
            .values((
                bilan_keys::bilan_id.eq(&row.id),
                bilan_keys::wrapped.eq(Some(wrapped)),
                bilan_keys::wrapping_key_id.eq(Some(wrapping_key)),
            ))
            .execute(conn)?;
        let consultant = new.consultant_id.to_string();
        assignment::assign(conn, &row.id, &consultant, caller.user_id())?;
        assignment::tell(
            conn,
            &st.config,
            &row.id,
            &row.beneficiary_id,
            &consultant,
            false,
        )?;
        crate::webhooks::emit(
            conn,
            crate::webhooks::WebhookEventKind::BilanCreated,
            &crate::webhooks::BilanCreatedEvent {
                bilan_id: row.id.clone(),
                beneficiary_id: row.beneficiary_id.clone(),
                consultant_id: new.consultant_id.to_string(),
                external_ref: row.external_ref.clone(),
                status: row.status()?,
                funding: row.funding()?,
                format: row.format()?,
                planned_hours: row.planned_minutes / 60,
                planned_end_on: row.planned_end_on,
            },
        )?;
        let details = serde_json::json!({ "funding": row.funding });
        model::journal(
            conn,
            &caller.actor(),
            &row.id,
            Happened {
                event: "created",
                action: "bilan.create",
                details,
                content: false,
            },
        )?;
        model::to_dto(conn, row, st.config.min_accompaniment_hours * 60)
    })
    .await?;
    Ok(HttpResponse::Created().json(dto))
}

/// The bilans the caller may see: all for admins and API keys with `bilans:read` (administrative
/// facts), their portfolio for consultants, their own for beneficiaries; `external_ref` finds the
/// bilan a CRM knows by its own id.
#[utoipa::path(tag = "bilans", params(PageQuery, BilanFilter),
    responses((status = 200, description = "OK", body = Page<Bilan>), crate::problems::List),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/bilans")]
async fn list_bilans(
    ViewerOrKey { viewer, .. }: ViewerOrKey<BilansRead>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<Bilan>>, ApiError> {
    let filter: BilanFilter = crate::json::query(&req)?;
    let paged = Paged::from_request(&req)?;
    let min = state.config.min_accompaniment_hours * 60;
    let result = db::run(&state.pool, move |conn| {
        super::list::page(conn, &viewer, filter, paged, min)
    })
    .await?;
    Ok(web::Json(result))
}

/// One bilan's administrative facts (404 when it is not the caller's to see); an API key with
/// `bilans:read` reads any, as admins do. Its content (notes, files, results, messages, synthèse) is
/// on other routes, which refuse keys.
#[utoipa::path(tag = "bilans", params(BilanPath),
    responses((status = 200, description = "OK", body = Bilan), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/bilans/{id}")]
async fn get_bilan(
    ViewerOrKey { viewer, .. }: ViewerOrKey<BilansRead>,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Bilan>, ApiError> {
    let id = path.id.to_string();
    let min = state.config.min_accompaniment_hours * 60;
    let dto = db::run(&state.pool, move |conn| {
        let row = model::load_for(conn, &id, &viewer)?;
        model::to_dto(conn, row, min)
    })
    .await?;
    Ok(web::Json(dto))
}

/// Moves the bilan to `to` (staff, or an API key with `bilans:write`, as the organisation): 409 when
/// that move does not follow the workflow, 422 with the list of what is missing when a gate is closed.
/// Closing destroys the content unless the beneficiary agreed to keep it.
#[utoipa::path(tag = "bilans", params(BilanPath), request_body = TransitionRequest,
    responses((status = 200, description = "OK", body = Bilan), crate::problems::Write, crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = []), ("api_key" = [])))]
#[post("/bilans/{id}/transitions")]
async fn transition_bilan(
    StaffOrKey { viewer, actor, .. }: StaffOrKey<BilansWrite>,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<TransitionRequest>,
) -> Result<web::Json<Bilan>, ApiError> {
    let request = body.validated()?;
    let id = path.id.to_string();
    let min = state.config.min_accompaniment_hours * 60;
    let today = boussole_shared::time::paris_date(state.config.clock.utc_now());
    let dto = db::tx(&state.pool, move |conn| {
        let row = lifecycle::transition(conn, &viewer, &actor, &id, &request, today, min)?;
        model::to_dto(conn, row, min)
    })
    .await?;
    if dto.content_destroyed_at.is_some() {
        // The key is gone, so the stored ciphertexts are already unreadable; remove them as well.
        state
            .storage
            .delete_prefix(&format!("bilans/{}", dto.id))
            .await?;
    }
    Ok(web::Json(dto))
}

/// Changes a bilan's administrative fields (admins, or an API key with `bilans:write`): today its CRM
/// id, `external_ref` (409 `already-exists` with `existing_id` when another bilan holds it; `null`
/// clears it, absent keeps it).
#[utoipa::path(tag = "bilans", params(BilanPath), request_body = BilanPatch,
    responses((status = 200, description = "OK", body = Bilan), crate::problems::Write, crate::problems::NotFound, crate::problems::Duplicate),
    security(("bearer" = []), ("api_key" = [])))]
#[patch("/bilans/{id}")]
async fn update_bilan(
    caller: ApiCaller<BilansWrite>,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<BilanPatch>,
) -> Result<web::Json<Bilan>, ApiError> {
    let patch = body.parse()?;
    if let Some(Some(r)) = &patch.external_ref {
        boussole_shared::rules::external_ref(r).map_err(|e| {
            ApiError::field(
                "external_ref",
                FieldRule::Format,
                e.message.unwrap_or_default().to_string(),
            )
        })?;
    }
    let id = path.id.to_string();
    let min = state.config.min_accompaniment_hours * 60;
    let dto = db::tx(&state.pool, move |conn| {
        let viewer = Viewer::Admin(caller.user_id().to_string());
        let mut row = model::load_for(conn, &id, &viewer)?;
        if let Some(r) = patch.external_ref.clone() {
            external_ref::ensure_free(conn, Kind::Bilan, r.as_deref(), Some(&row.id))?;
            row.updated_at = db::now();
            diesel::update(bilans::table.find(&row.id))
                .set((
                    bilans::external_ref.eq(&r),
                    bilans::updated_at.eq(row.updated_at),
                ))
                .execute(conn)?;
            model::journal(
                conn,
                &caller.actor(),
                &row.id,
                Happened {
                    event: "updated",
                    action: "bilan.update",
                    details: serde_json::json!({ "fields": ["external_ref"] }),
                    content: false,
                },
            )?;
            row.external_ref = r;
        }
        model::to_dto(conn, row, min)
    })
    .await?;
    Ok(web::Json(dto))
}
