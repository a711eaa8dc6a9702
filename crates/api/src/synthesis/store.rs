//! The synthèse's rows: its sections and comments sealed under the bilan's key (so that destroying
//! that key, R6313-7, destroys them), and the DTO. Plain functions over `&mut Conn`.

use boussole_shared::Slug;
use boussole_shared::synthesis::{Synthesis, SynthesisComment, SynthesisSections, SynthesisStatus};
use boussole_shared::users::Role;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::bilans::model;
use crate::crypto;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::schema::{syntheses as s, synthesis_comments as c};

/// The synthèse of a bilan as stored (one row per bilan, written at its first save).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = s)]
pub struct Row {
    pub bilan_id: String,
    pub status: String,
    pub revision: i64,
    pub body: Option<Vec<u8>>,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub submitted_revision: Option<i64>,
    pub submitted_at: Option<NaiveDateTime>,
    pub approved_revision: Option<i64>,
    pub approved_at: Option<NaiveDateTime>,
    pub issued_document_id: Option<String>,
    pub issued_at: Option<NaiveDateTime>,
}

impl Row {
    pub fn status(&self) -> Result<SynthesisStatus, ApiError> {
        db::stored(
            SynthesisStatus::parse(&self.status),
            "syntheses.status",
            &self.status,
        )
    }
}

/// The associated data the sections are sealed with: bound to their bilan and to this use.
fn record(bilan_id: &str) -> String {
    format!("{bilan_id}/synthesis")
}

pub fn load(conn: &mut Conn, bilan_id: &str) -> QueryResult<Option<Row>> {
    s::table
        .find(bilan_id)
        .select(Row::as_select())
        .first(conn)
        .optional()
}

pub fn seal(key: &[u8], bilan_id: &str, sections: &SynthesisSections) -> Result<Vec<u8>, ApiError> {
    let json = serde_json::to_string(sections).map_err(ApiError::internal)?;
    crypto::encrypt(key, &record(bilan_id), &json)
}

pub fn sections(key: &[u8], row: &Row) -> Result<SynthesisSections, ApiError> {
    let sealed = row
        .body
        .as_deref()
        .ok_or_else(|| ApiError::internal("synthèse without body on a live bilan"))?;
    let json = crypto::decrypt(key, &record(&row.bilan_id), sealed)?;
    serde_json::from_str(&json).map_err(ApiError::internal)
}

type CommentRow = (
    String,
    String,
    String,
    Option<String>,
    Option<Vec<u8>>,
    NaiveDateTime,
);

/// The comments, oldest first, opened.
pub fn comments(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
) -> Result<Vec<SynthesisComment>, ApiError> {
    let rows: Vec<CommentRow> = c::table
        .filter(c::bilan_id.eq(bilan_id))
        .order((c::created_at.asc(), c::id.asc()))
        .select((
            c::id,
            c::author_id,
            c::author_role,
            c::section,
            c::body,
            c::created_at,
        ))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let people = model::people(conn, &ids)?;
    rows.into_iter()
        .map(|(id, author, role, section, body, created_at)| {
            let body =
                body.ok_or_else(|| ApiError::internal("comment without body on a live bilan"))?;
            let name = people
                .get(&author)
                .map(|p| format!("{} {}", p.first_name, p.last_name))
                .unwrap_or_default();
            Ok(SynthesisComment {
                body: crypto::decrypt(key, &id, &body)?,
                id: uuid_of(&id)?,
                author_id: uuid_of(&author)?,
                author_name: name,
                author_role: db::stored(
                    Role::parse(&role),
                    "synthesis_comments.author_role",
                    &role,
                )?,
                section,
                created_at: created_at.and_utc(),
            })
        })
        .collect()
}

/// Writes a comment (the caller checked who may) and returns it.
pub fn add_comment(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
    author_id: &str,
    role: Role,
    section: Option<String>,
    body: &str,
) -> Result<SynthesisComment, ApiError> {
    let (id, now) = (db::new_id(), db::now());
    diesel::insert_into(c::table)
        .values((
            c::id.eq(&id),
            c::bilan_id.eq(bilan_id),
            c::author_id.eq(author_id),
            c::author_role.eq(role.as_str()),
            c::section.eq(&section),
            c::body.eq(Some(crypto::encrypt(key, &id, body)?)),
            c::created_at.eq(now),
        ))
        .execute(conn)?;
    let author = model::person(conn, author_id)?;
    Ok(SynthesisComment {
        id: uuid_of(&id)?,
        author_id: author.id,
        author_name: format!("{} {}", author.first_name, author.last_name),
        author_role: role,
        section,
        body: body.to_string(),
        created_at: now.and_utc(),
    })
}

/// The DTO of a saved synthèse.
pub fn dto(conn: &mut Conn, key: &[u8], row: &Row) -> Result<Synthesis, ApiError> {
    Ok(Synthesis {
        bilan_id: uuid_of(&row.bilan_id)?,
        status: row.status()?,
        revision: row.revision,
        sections: sections(key, row)?,
        updated_at: Some(row.updated_at.and_utc()),
        submitted_at: row.submitted_at.map(|t| t.and_utc()),
        approved_at: row.approved_at.map(|t| t.and_utc()),
        issued_document_id: row.issued_document_id.as_deref().map(uuid_of).transpose()?,
        comments: comments(conn, key, &row.bilan_id)?,
    })
}

/// The DTO of a synthèse never saved: revision 0, a draft of `sections` (the prefill).
pub fn unsaved(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
    sections: SynthesisSections,
) -> Result<Synthesis, ApiError> {
    Ok(Synthesis {
        bilan_id: uuid_of(bilan_id)?,
        status: SynthesisStatus::Draft,
        revision: 0,
        sections,
        updated_at: None,
        submitted_at: None,
        approved_at: None,
        issued_document_id: None,
        comments: comments(conn, key, bilan_id)?,
    })
}

/// Saves `sections` over `revision` as `author`: the first save (revision 0) creates the row, a later
/// one must name the current revision. A stale revision, or a synthèse already issued, is a 409 and
/// nothing changes; a save after submission or approval sends it back to draft (approval cleared).
pub fn save(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
    author: &str,
    revision: i64,
    new: &SynthesisSections,
) -> Result<Row, ApiError> {
    let body = seal(key, bilan_id, new)?;
    let now = db::now();
    match load(conn, bilan_id)? {
        None if revision == 0 => {
            let inserted = diesel::insert_into(s::table)
                .values((
                    s::bilan_id.eq(bilan_id),
                    s::status.eq(SynthesisStatus::Draft.as_str()),
                    s::revision.eq(1_i64),
                    s::body.eq(Some(body.clone())),
                    s::updated_by.eq(author),
                    s::updated_at.eq(now),
                ))
                .execute(conn);
            match inserted {
                Ok(_) => {}
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => return Err(stale()),
                Err(e) => return Err(e.into()),
            }
        }
        None => return Err(stale()),
        Some(row) => {
            if row.status()? == SynthesisStatus::Issued {
                return Err(issued());
            }
            if row.revision != revision {
                return Err(stale());
            }
            // The revision in the WHERE clause makes the check and the write one statement: of two
            // saves over the same revision, the second finds no row to change.
            let changed = diesel::update(
                s::table
                    .filter(s::bilan_id.eq(bilan_id))
                    .filter(s::revision.eq(revision))
                    .filter(s::status.ne(SynthesisStatus::Issued.as_str())),
            )
            .set((
                s::status.eq(SynthesisStatus::Draft.as_str()),
                s::revision.eq(revision + 1),
                s::body.eq(Some(body.clone())),
                s::updated_by.eq(author),
                s::updated_at.eq(now),
                s::approved_revision.eq(None::<i64>),
                s::approved_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Err(stale());
            }
        }
    }
    load(conn, bilan_id)?.ok_or(ApiError::NotFound)
}

/// 409: another save came first.
pub fn stale() -> ApiError {
    ApiError::conflict(
        Slug::SYNTHESIS_CHANGED,
        "Le document de synthèse a été modifié entre-temps : rechargez-le avant d'enregistrer.",
    )
}

/// 409: issued documents are immutable.
pub fn issued() -> ApiError {
    ApiError::conflict(
        Slug::SYNTHESIS_ISSUED,
        "Le document de synthèse a déjà été émis : il n'est plus modifiable.",
    )
}
