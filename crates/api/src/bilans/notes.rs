//! Consultant notes: bilan content, encrypted under the bilan's key, readable only by the assigned
//! consultants (and by the beneficiary when shared with them) — never by admins or API keys.

use actix_web::{HttpResponse, get, post, web};
use boussole_shared::field_rules::FieldRule;

use boussole_shared::access::AccessKind;
use boussole_shared::bilans::{NewNote, Note, Phase};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::BilanPath;
use super::model;
use crate::AppState;
use crate::auth::caller::{Consultant, Viewer};
use crate::crypto;
use crate::db::{self, uuid_of as uuid};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::schema::{bilan_notes, bilan_sessions};

type NoteRow = (
    String,
    Option<String>,
    String,
    String,
    bool,
    Option<Vec<u8>>,
    NaiveDateTime,
);

/// The notes the caller may read: all of them for an assigned consultant, the shared ones for the beneficiary.
#[utoipa::path(tag = "bilans", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<Note>), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/bilans/{id}/notes")]
async fn list_notes(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<Note>>, ApiError> {
    let id = path.id.to_string();
    let st = state.clone();
    let notes = db::run(&state.pool, move |conn| {
        super::access::read_content(conn, &id, &viewer, AccessKind::Notes, None)?;
        let key = model::content_key(conn, &st.config.master_key, &id)?;
        let mut q = bilan_notes::table
            .filter(bilan_notes::bilan_id.eq(&id))
            .into_boxed();
        if let Viewer::Beneficiary(_) = viewer {
            q = q.filter(bilan_notes::shared_with_beneficiary.eq(true));
        }
        // A note a retention agreement did not keep is gone with the end of the action (R6313-7).
        let rows: Vec<NoteRow> = q
            .filter(bilan_notes::body.is_not_null())
            .order(bilan_notes::created_at.asc())
            .select((
                bilan_notes::id,
                bilan_notes::session_id,
                bilan_notes::phase,
                bilan_notes::author_id,
                bilan_notes::shared_with_beneficiary,
                bilan_notes::body,
                bilan_notes::created_at,
            ))
            .load(conn)?;
        rows.into_iter()
            .map(|(nid, session, phase, author, shared, body, created_at)| {
                let body =
                    body.ok_or_else(|| ApiError::internal("note without body on a live bilan"))?;
                Ok(Note {
                    body: crypto::decrypt(&key, &nid, &body)?,
                    id: uuid(&nid)?,
                    phase: db::stored(Phase::parse(&phase), "bilan_notes.phase", &phase)?,
                    session_id: session.as_deref().map(uuid).transpose()?,
                    author_id: uuid(&author)?,
                    shared_with_beneficiary: shared,
                    created_at: created_at.and_utc(),
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()
    })
    .await?;
    Ok(web::Json(notes))
}

/// An assigned consultant writes a note (per phase, optionally about a session).
#[utoipa::path(tag = "bilans", params(BilanPath), request_body = NewNote,
    responses((status = 201, description = "Created", body = Note), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/notes")]
async fn create_note(
    Consultant(user): Consultant,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewNote>,
) -> Result<HttpResponse, ApiError> {
    let viewer = Viewer::Consultant(user.user.id.clone());
    let new = body.validated()?;
    let id = path.id.to_string();
    let st = state.clone();
    let note = db::tx(&state.pool, move |conn| {
        model::load_for_content(conn, &id, &viewer)?;
        if let Some(session) = new.session_id {
            let n: i64 = bilan_sessions::table
                .filter(bilan_sessions::id.eq(session.to_string()))
                .filter(bilan_sessions::bilan_id.eq(&id))
                .count()
                .get_result(conn)?;
            if n == 0 {
                return Err(ApiError::field(
                    "session_id",
                    FieldRule::Unknown,
                    "aucune séance de ce bilan",
                ));
            }
        }
        let key = model::content_key(conn, &st.config.master_key, &id)?;
        let (nid, now) = (db::new_id(), db::now());
        diesel::insert_into(bilan_notes::table)
            .values((
                bilan_notes::id.eq(&nid),
                bilan_notes::bilan_id.eq(&id),
                bilan_notes::session_id.eq(new.session_id.map(|s| s.to_string())),
                bilan_notes::phase.eq(new.phase.as_str()),
                bilan_notes::author_id.eq(viewer.id()),
                bilan_notes::shared_with_beneficiary.eq(new.shared_with_beneficiary),
                bilan_notes::body.eq(Some(crypto::encrypt(&key, &nid, &new.body)?)),
                bilan_notes::created_at.eq(now),
            ))
            .execute(conn)?;
        // The timeline says a note was written, not what it says; admins do not see even that.
        model::event(
            conn,
            &id,
            "note",
            Some(viewer.id()),
            serde_json::json!({ "phase": new.phase.as_str() }),
            true,
        )?;
        Ok(Note {
            id: uuid(&nid)?,
            phase: new.phase,
            session_id: new.session_id,
            author_id: uuid(viewer.id())?,
            body: new.body.clone(),
            shared_with_beneficiary: new.shared_with_beneficiary,
            created_at: now.and_utc(),
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(note))
}
