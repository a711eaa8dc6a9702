//! Every read of a bilan's content is visible to its beneficiary (issue 10, item 2), as a patient sees
//! who opened their shared medical record (DMP): the reads are journaled by the request that returns
//! the content, the beneficiary lists them with who may read now, and may report one they do not
//! recognise, which alerts every admin.
//!
//! Only the beneficiary reads this history: it is about them. Admins never see it (their part is the
//! audit journal, where a report is recorded with the access it names); consultants do not either, so
//! that a consultant who read in bad faith cannot watch whether they were noticed.

use actix_web::{HttpRequest, get, post, web};
use boussole_shared::Page;
use boussole_shared::access::{AccessEntry, AccessHistory, AccessKind, AccessReader};
use boussole_shared::users::Role;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use utoipa::IntoParams;

use super::BilanPath;
use super::model::{self, BilanRow};
use crate::AppState;
use crate::auth::caller::{Beneficiary, Viewer};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal;
use crate::notify::outbox;
use crate::paged::Paged;
use crate::schema::{bilan_access_log as log, bilan_consultants};

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct EntryPath {
    /// Bilan id.
    id: uuid::Uuid,
    /// Access entry id.
    entry_id: uuid::Uuid,
}

/// Loads the bilan for a read of its content and journals that read, in one call on the caller's
/// connection (one row per request, whatever it returns). The beneficiary's own reads are not
/// journaled: the history shows the others' reads of their file, as the DMP does.
pub fn read_content(
    conn: &mut Conn,
    bilan_id: &str,
    viewer: &Viewer,
    what: AccessKind,
    item_id: Option<&str>,
) -> Result<BilanRow, ApiError> {
    let row = model::load_for_content(conn, bilan_id, viewer)?;
    journal_read(conn, bilan_id, viewer, what, item_id)?;
    Ok(row)
}

/// Journals a read of the content that the caller has already been allowed (see [`read_content`]).
pub fn journal_read(
    conn: &mut Conn,
    bilan_id: &str,
    viewer: &Viewer,
    what: AccessKind,
    item_id: Option<&str>,
) -> QueryResult<()> {
    let role = match viewer {
        Viewer::Beneficiary(_) => return Ok(()),
        Viewer::Consultant(_) => Role::Consultant,
        // load_for_content refuses admins; should that change, their reads would still show here.
        Viewer::Admin(_) => Role::Admin,
    };
    diesel::insert_into(log::table)
        .values((
            log::id.eq(db::new_id()),
            log::bilan_id.eq(bilan_id),
            log::reader_id.eq(viewer.id()),
            log::reader_role.eq(role.as_str()),
            log::what.eq(what.as_str()),
            log::item_id.eq(item_id),
            log::at.eq(db::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

type EntryRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

fn entries(conn: &mut Conn, rows: Vec<EntryRow>) -> Result<Vec<AccessEntry>, ApiError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let people = model::people(conn, &ids)?;
    rows.into_iter()
        .map(|(id, reader, role, what, item, at, reported_at)| {
            Ok(AccessEntry {
                id: db::uuid_of(&id)?,
                reader: people
                    .get(&reader)
                    .cloned()
                    .ok_or(diesel::result::Error::NotFound)?,
                reader_role: db::stored(Role::parse(&role), "bilan_access_log.reader_role", &role)?,
                what: db::stored(AccessKind::parse(&what), "bilan_access_log.what", &what)?,
                item_id: item.as_deref().map(db::uuid_of).transpose()?,
                at: at.and_utc(),
                reported_at: reported_at.map(|t| t.and_utc()),
            })
        })
        .collect()
}

/// The beneficiary and the consultants assigned now: nobody else reads the content.
fn readers(conn: &mut Conn, row: &BilanRow) -> Result<Vec<AccessReader>, ApiError> {
    let assigned: Vec<(String, NaiveDateTime)> = bilan_consultants::table
        .filter(bilan_consultants::bilan_id.eq(&row.id))
        .filter(bilan_consultants::unassigned_at.is_null())
        .order((
            bilan_consultants::assigned_at.asc(),
            bilan_consultants::id.asc(),
        ))
        .select((
            bilan_consultants::consultant_id,
            bilan_consultants::assigned_at,
        ))
        .load(conn)?;
    let ids: Vec<&str> = std::iter::once(row.beneficiary_id.as_str())
        .chain(assigned.iter().map(|(c, _)| c.as_str()))
        .collect();
    let people = model::people(conn, &ids)?;
    let person = |id: &str| {
        people
            .get(id)
            .cloned()
            .ok_or(diesel::result::Error::NotFound)
    };
    let mut out = vec![AccessReader {
        person: person(&row.beneficiary_id)?,
        role: Role::Beneficiary,
        since: row.created_at.and_utc(),
    }];
    for (id, since) in &assigned {
        out.push(AccessReader {
            person: person(id)?,
            role: Role::Consultant,
            since: since.and_utc(),
        });
    }
    Ok(out)
}

/// Who read the content of my bilan and when, newest first, and who may read it now (the beneficiary only).
#[utoipa::path(tag = "bilans", params(BilanPath, boussole_shared::PageQuery),
    responses((status = 200, description = "OK", body = AccessHistory), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/bilans/{id}/access")]
async fn get_access(
    Beneficiary(user): Beneficiary,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    req: HttpRequest,
) -> Result<web::Json<AccessHistory>, ApiError> {
    let paged = Paged::from_request(&req)?;
    let id = path.id.to_string();
    let viewer = Viewer::Beneficiary(user.user.id.clone());
    let history = db::run(&state.pool, move |conn| {
        let row = model::load_for(conn, &id, &viewer)?;
        let page: Page<EntryRow> = paged.load(
            conn,
            || log::table.filter(log::bilan_id.eq(&id)).into_boxed(),
            |q| {
                q.order((log::at.desc(), log::id.desc())).select((
                    log::id,
                    log::reader_id,
                    log::reader_role,
                    log::what,
                    log::item_id,
                    log::at,
                    log::reported_at,
                ))
            },
        )?;
        Ok(AccessHistory {
            readers: readers(conn, &row)?,
            entries: page.try_map_items(|rows| entries(conn, rows))?,
        })
    })
    .await?;
    Ok(web::Json(history))
}

/// "I do not recognise this access": journaled, and every active admin is alerted by email (without
/// anything of the bilan's content). Reporting the same access again changes nothing and alerts nobody.
#[utoipa::path(tag = "bilans", params(EntryPath),
    responses((status = 200, description = "Reported (or already reported)", body = AccessEntry), crate::problems::Write, crate::problems::NotFound),
    security(("bearer" = [])))]
#[post("/bilans/{id}/access/{entry_id}/report")]
async fn report_access(
    Beneficiary(user): Beneficiary,
    state: web::Data<AppState>,
    path: web::Path<EntryPath>,
) -> Result<web::Json<AccessEntry>, ApiError> {
    let (id, entry_id) = (path.id.to_string(), path.entry_id.to_string());
    let viewer = Viewer::Beneficiary(user.user.id.clone());
    let actor = user.actor();
    let public_url = state.config.public_url.clone();
    let entry = db::tx(&state.pool, move |conn| {
        model::load_for(conn, &id, &viewer)?;
        let now = db::now();
        // Conditional: of two simultaneous reports, one sets the date and alerts; the other finds it set.
        let first = diesel::update(
            log::table
                .filter(log::id.eq(&entry_id))
                .filter(log::bilan_id.eq(&id))
                .filter(log::reported_at.is_null()),
        )
        .set(log::reported_at.eq(now))
        .execute(conn)?
            == 1;
        let row: EntryRow = log::table
            .filter(log::id.eq(&entry_id))
            .filter(log::bilan_id.eq(&id))
            .select((
                log::id,
                log::reader_id,
                log::reader_role,
                log::what,
                log::item_id,
                log::at,
                log::reported_at,
            ))
            .first(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        if first {
            let details = serde_json::json!({
                "entry_id": row.0, "reader_id": row.1, "reader_role": row.2, "what": row.3, "read_at": row.5,
            });
            // The audit journal only, not the timeline: the consultant whose read is questioned reads
            // the timeline, and must not learn that they were noticed.
            journal::record(conn, &actor, "bilan.access_report", "bilan", Some(&id), details)?;
            alert_admins(conn, &id, &public_url)?;
        }
        entries(conn, vec![row])?
            .pop()
            .ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(entry))
}

/// One email to each active admin, naming the bilan only: what was read stays between the
/// beneficiary and the audit journal.
fn alert_admins(conn: &mut Conn, bilan_id: &str, public_url: &str) -> QueryResult<()> {
    outbox::email_admins(
        conn,
        "access_reported",
        "Boussole : un accès à un bilan a été signalé",
        &format!(
            "Bonjour,\n\nUn bénéficiaire a signalé un accès qu'il ne reconnaît pas sur le bilan {bilan_id}.\n\nLe détail est dans le journal d'audit (action « bilan.access_report ») : {public_url}\n"
        ),
    )
}
