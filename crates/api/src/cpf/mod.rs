//! CPF files (issue 13, DOMAIN.md §3.1): the EDOF file of a CPF-funded bilan, its states, the
//! working-day deadlines (shown as alerts to the office), the €1,600 cap, the holder's dated flat
//! participation, and a warning when the beneficiary had another publicly funded bilan in the last
//! five years. Entered by hand for now, in the shape an EDOF connector would fill.
//!
//! Who: admins open, correct and move the file, and see the alerts; the bilan's assigned consultants
//! and its beneficiary read it (a consultant without the amount when the organisation hides amounts,
//! `AccountingSettings::consultants_see_amounts`). Administrative data, never content.

pub mod demo;
pub mod store;

use actix_web::{HttpResponse, get, post, put, web};
use boussole_shared::cpf::{CpfAlert, CpfFile, CpfFileInput, CpfState, CpfTransition};
use chrono::NaiveDate;
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::{Admin, Viewer};
use crate::bilans::{BilanPath, model};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::schema::{bilans, cpf_files, users};
use crate::settings;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_file)
        .service(put_file)
        .service(post_transition)
        .service(list_alerts);
}

fn today() -> NaiveDate {
    boussole_shared::time::paris_date(db::now())
}

/// The file of a bilan as `viewer` may see it; 404 when the bilan has none (or is not theirs).
fn load(conn: &mut Conn, bilan_id: &str, viewer: &Viewer) -> Result<CpfFile, ApiError> {
    let bilan = model::load_for(conn, bilan_id, viewer)?;
    let file = store::find(conn, bilan_id)?.ok_or(ApiError::NotFound)?;
    let show_amount = match viewer {
        Viewer::Consultant(_) => settings::accounting(conn)?.consultants_see_amounts,
        Viewer::Admin(_) | Viewer::Beneficiary(_) => true,
    };
    store::dto(conn, &bilan, file, show_amount, today())
}

/// The bilan's CPF file: state, deadline, history, and earlier publicly funded bilans (admins, the
/// assigned consultants, the beneficiary).
#[utoipa::path(tag = "cpf", params(BilanPath),
    responses((status = 200, description = "OK", body = CpfFile), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/bilans/{id}/cpf")]
async fn get_file(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<CpfFile>, ApiError> {
    let id = path.id.to_string();
    Ok(web::Json(
        db::run(&state.pool, move |conn| load(conn, &id, &viewer)).await?,
    ))
}

/// Opens the CPF file of a CPF-funded bilan (state `not_processed` from `requested_on`) or corrects
/// its number and amount (admins). 422 `not-cpf-funded` for another funding, 409 for an EDOF number
/// already on another bilan.
#[utoipa::path(tag = "cpf", params(BilanPath), request_body = CpfFileInput,
    responses((status = 200, description = "Saved", body = CpfFile), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/bilans/{id}/cpf")]
async fn put_file(
    Admin(user): Admin,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<CpfFileInput>,
) -> Result<web::Json<CpfFile>, ApiError> {
    let (id, input, actor) = (path.id.to_string(), body.parse()?, user.actor());
    let viewer = Viewer::Admin(user.user.id.clone());
    let file = db::tx(&state.pool, move |conn| {
        let bilan = model::load_for(conn, &id, &viewer)?;
        store::save(conn, &bilan, &input, &actor, today())?;
        load(conn, &id, &viewer)
    })
    .await?;
    Ok(web::Json(file))
}

/// Records a move of the file as it happened in EDOF (admins): only forward, as EDOF allows
/// (422 `cpf-transition-not-allowed`), on a day neither in the future nor before the current state.
#[utoipa::path(tag = "cpf", params(BilanPath), request_body = CpfTransition,
    responses((status = 200, description = "Moved", body = CpfFile), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/cpf/transitions")]
async fn post_transition(
    Admin(user): Admin,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<CpfTransition>,
) -> Result<HttpResponse, ApiError> {
    let (id, req, actor) = (path.id.to_string(), body.parse()?, user.actor());
    let viewer = Viewer::Admin(user.user.id.clone());
    let file = db::tx(&state.pool, move |conn| {
        model::load_for(conn, &id, &viewer)?;
        store::transition(conn, &id, &req, &actor, viewer.id(), today())?;
        load(conn, &id, &viewer)
    })
    .await?;
    Ok(HttpResponse::Ok().json(file))
}

/// The open CPF files with a deadline, soonest first (admins): what the office must do today.
#[utoipa::path(tag = "cpf",
    responses((status = 200, description = "OK", body = Vec<CpfAlert>), crate::problems::Caller),
    security(("bearer" = [])))]
#[get("/cpf/alerts")]
async fn list_alerts(
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<CpfAlert>>, ApiError> {
    let alerts = db::run(&state.pool, |conn| alerts(conn, today())).await?;
    Ok(web::Json(alerts))
}

fn alerts(conn: &mut Conn, today: NaiveDate) -> Result<Vec<CpfAlert>, ApiError> {
    let waiting = [
        CpfState::NotProcessed,
        CpfState::Validated,
        CpfState::Accepted,
        CpfState::InTraining,
    ]
    .map(CpfState::as_str);
    let rows: Vec<(store::FileRow, model::BilanRow, String, String)> = cpf_files::table
        .inner_join(bilans::table.inner_join(users::table))
        .filter(cpf_files::state.eq_any(waiting))
        .select((
            store::FileRow::as_select(),
            model::BilanRow::as_select(),
            users::first_name,
            users::last_name,
        ))
        .load(conn)?;
    let mut out = Vec::new();
    for (file, bilan, first, last) in rows {
        if let Some(deadline) = store::deadline(conn, &bilan, &file, today)? {
            out.push(CpfAlert {
                bilan_id: db::uuid_of(&bilan.id)?,
                beneficiary_name: format!("{first} {last}"),
                edof_number: file.edof_number,
                state: CpfState::parse(&file.state)
                    .ok_or_else(|| ApiError::internal("cpf_files.state does not parse"))?,
                deadline,
            });
        }
    }
    out.sort_by_key(|a| a.deadline.due_on);
    Ok(out)
}
