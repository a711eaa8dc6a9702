//! Bilan rows, who may see which bilan, and the pieces the handlers share.

use boussole_shared::Slug;
use boussole_shared::bilans::{Bilan, BilanFormat, BilanStatus, FundingMode, PersonRef};
use boussole_shared::field_rules::FieldRule;
use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::caller::Viewer;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::schema::{bilan_consultants, bilan_events, bilan_keys, bilan_sessions, bilans, users};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = bilans)]
pub struct BilanRow {
    pub id: String,
    pub beneficiary_id: String,
    pub status: String,
    pub funding: String,
    pub format: String,
    pub planned_minutes: i64,
    pub abandon_reason: Option<String>,
    pub status_changed_at: NaiveDateTime,
    pub content_destroyed_at: Option<NaiveDateTime>,
    pub retention_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub planned_end_on: Option<chrono::NaiveDate>,
    /// The CRM's id (`external_ref`), unique among bilans.
    pub external_ref: Option<String>,
}

/// The stored enums, parsed: a value that does not parse is a 500 naming the column, never a default
/// (a bilan silently back at "request" would reopen its gates).
impl BilanRow {
    pub fn status(&self) -> Result<BilanStatus, ApiError> {
        db::stored(
            BilanStatus::parse(&self.status),
            "bilans.status",
            &self.status,
        )
    }
    pub fn funding(&self) -> Result<FundingMode, ApiError> {
        db::stored(
            FundingMode::parse(&self.funding),
            "bilans.funding",
            &self.funding,
        )
    }
    pub fn format(&self) -> Result<BilanFormat, ApiError> {
        db::stored(
            BilanFormat::parse(&self.format),
            "bilans.format",
            &self.format,
        )
    }
}

pub fn is_assigned(conn: &mut Conn, bilan_id: &str, consultant_id: &str) -> QueryResult<bool> {
    let n: i64 = bilan_consultants::table
        .filter(bilan_consultants::bilan_id.eq(bilan_id))
        .filter(bilan_consultants::consultant_id.eq(consultant_id))
        .filter(bilan_consultants::unassigned_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The bilan if the viewer may see it at all; someone else's answers 404, never the data.
pub fn load_for(conn: &mut Conn, bilan_id: &str, viewer: &Viewer) -> Result<BilanRow, ApiError> {
    let row: BilanRow = bilans::table
        .find(bilan_id)
        .select(BilanRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let allowed = match viewer {
        Viewer::Admin(_) => true,
        Viewer::Consultant(id) => is_assigned(conn, bilan_id, id)?,
        Viewer::Beneficiary(id) => row.beneficiary_id == *id,
    };
    if allowed {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Content (notes, answers, synthèse…) is for the beneficiary and the assigned consultants only
/// (L6313-4, Code pénal 226-13): an admin is told so, an API key never gets this far.
pub fn load_for_content(
    conn: &mut Conn,
    bilan_id: &str,
    viewer: &Viewer,
) -> Result<BilanRow, ApiError> {
    let row = load_for(conn, bilan_id, viewer)?;
    if let Viewer::Admin(_) = viewer {
        return Err(content_refused());
    }
    Ok(row)
}

/// 403 `bilan-content`: an admin asking for content.
pub fn content_refused() -> ApiError {
    ApiError::forbidden(
        Slug::BILAN_CONTENT,
        "Le contenu d'un bilan n'est lisible que par le bénéficiaire et ses consultants.",
    )
}

/// Appends to the bilan's timeline; `content` events are not shown to admins.
pub fn event(
    conn: &mut Conn,
    bilan_id: &str,
    kind: &str,
    actor: Option<&str>,
    details: serde_json::Value,
    content: bool,
) -> QueryResult<()> {
    diesel::insert_into(bilan_events::table)
        .values((
            bilan_events::id.eq(db::new_id()),
            bilan_events::bilan_id.eq(bilan_id),
            bilan_events::at.eq(db::now()),
            bilan_events::kind.eq(kind),
            bilan_events::actor_id.eq(actor),
            bilan_events::details.eq(details.to_string()),
            bilan_events::content.eq(content),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Several people by id, in one query (ids may repeat; unknown ones are absent from the map).
pub fn people(conn: &mut Conn, ids: &[&str]) -> Result<HashMap<String, PersonRef>, ApiError> {
    let rows: Vec<(String, String, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::first_name, users::last_name))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, first_name, last_name)| {
            let person = PersonRef {
                id: db::uuid_of(&id)?,
                first_name,
                last_name,
            };
            Ok((id, person))
        })
        .collect()
}

/// What happened to a bilan, written twice in the same transaction: on the bilan's timeline as `event`
/// (hidden from admins when `content`) and in the audit journal as `action`, with the same details.
pub struct Happened<'a> {
    pub event: &'a str,
    pub action: &'a str,
    pub details: serde_json::Value,
    pub content: bool,
}

/// Appends `what` to the bilan's timeline and to the audit journal, as `actor`.
pub fn journal(
    conn: &mut Conn,
    actor: &Actor,
    bilan_id: &str,
    what: Happened<'_>,
) -> QueryResult<()> {
    event(
        conn,
        bilan_id,
        what.event,
        actor.id.as_deref(),
        what.details.clone(),
        what.content,
    )?;
    journal::record(
        conn,
        actor,
        what.action,
        "bilan",
        Some(bilan_id),
        what.details,
    )
}

pub fn person(conn: &mut Conn, id: &str) -> Result<PersonRef, ApiError> {
    let (id, first_name, last_name): (String, String, String) = users::table
        .find(id)
        .select((users::id, users::first_name, users::last_name))
        .first(conn)?;
    Ok(PersonRef {
        id: db::uuid_of(&id)?,
        first_name,
        last_name,
    })
}

/// Minutes of accompaniment and of personal work held so far.
pub fn minutes(conn: &mut Conn, bilan_id: &str) -> QueryResult<(i64, i64)> {
    let rows: Vec<(String, i64)> = bilan_sessions::table
        .filter(bilan_sessions::bilan_id.eq(bilan_id))
        .select((bilan_sessions::kind, bilan_sessions::minutes))
        .load(conn)?;
    Ok(rows.iter().fold((0, 0), |(a, p), (kind, m)| {
        if kind == "accompaniment" {
            (a + m, p)
        } else {
            (a, p + m)
        }
    }))
}

/// The DTO: administrative facts and where the workflow stands (the one-row case of [`to_dtos`]).
pub fn to_dto(conn: &mut Conn, row: BilanRow, min_minutes: i64) -> Result<Bilan, ApiError> {
    to_dtos(conn, vec![row], min_minutes)?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// The DTOs of a page of bilans. What they show besides their own rows is read in one statement
/// whatever the page size ([`super::related`]).
pub fn to_dtos(
    conn: &mut Conn,
    rows: Vec<BilanRow>,
    min_minutes: i64,
) -> Result<Vec<Bilan>, ApiError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut related = super::related::of_page(conn, &ids)?;
    let today = boussole_shared::time::paris_date(chrono::Utc::now().naive_utc());
    let reglement_required = crate::settings::security(conn)?.reglement_interieur_required;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut r = related.remove(&row.id).unwrap_or_default();
        r.evidence.reglement_required = reglement_required;
        let accompaniment = r.accompaniment_minutes;
        out.push(Bilan {
            id: db::uuid_of(&row.id)?,
            beneficiary: r.beneficiary.ok_or(diesel::result::Error::NotFound)?,
            consultants: r.consultants,
            status: row.status()?,
            funding: row.funding()?,
            format: row.format()?,
            planned_hours: row.planned_minutes / 60,
            planned_end_on: row.planned_end_on,
            accompaniment_minutes: accompaniment,
            personal_work_minutes: r.personal_work_minutes,
            last_contact_at: r.last_contact_at.map(|t| t.and_utc()),
            below_minimum_hours: accompaniment < min_minutes,
            status_changed_at: row.status_changed_at.and_utc(),
            abandon_reason: row.abandon_reason.clone(),
            next_step_missing: super::workflow::next_step_missing(
                row.status()?,
                row.funding()?,
                &r.evidence,
                today,
            ),
            content_destroyed_at: row.content_destroyed_at.map(|t| t.and_utc()),
            retention_until: row.retention_until.map(|t| t.and_utc()),
            created_at: row.created_at.and_utc(),
            external_ref: row.external_ref.clone(),
        });
    }
    Ok(out)
}

/// The bilan's content key, unwrapped; 410-like refusal once destroyed.
pub fn content_key(
    conn: &mut Conn,
    master: &[u8; 32],
    bilan_id: &str,
) -> Result<zeroize::Zeroizing<Vec<u8>>, ApiError> {
    let stored: Option<(Option<Vec<u8>>, Option<String>)> = bilan_keys::table
        .find(bilan_id)
        .select((bilan_keys::wrapped, bilan_keys::wrapping_key_id))
        .first(conn)
        .optional()?;
    let (wrapped, wrapping_key_id) = stored.unwrap_or((None, None));
    match (wrapped, wrapping_key_id) {
        // Wrapped under a wrapping key of the keyring the connection carries (see `keyring`).
        (Some(w), Some(kek)) => crate::db::keyring(conn)
            .ok_or_else(|| ApiError::internal("this connection carries no keyring"))?
            .unwrap(bilan_id, Some(&kek), &w),
        (Some(w), None) => crate::crypto::unwrap_key(master, bilan_id, &w),
        (None, _) => Err(ApiError::Rule {
            slug: Slug::BILAN_CONTENT_DESTROYED,
            detail: "Le contenu de ce bilan a été détruit (R6313-7).".into(),
            missing: vec![],
        }),
    }
}

/// `id` is an active account of `role`, or a field error on `field` (a bilan's beneficiary or consultant).
pub fn require_user(
    conn: &mut Conn,
    id: &uuid::Uuid,
    role: boussole_shared::users::Role,
    field: &str,
) -> Result<(), ApiError> {
    let user = crate::accounts::find_by_id(conn, &id.to_string())?;
    match user {
        Some(u) if u.role()? == role && u.is_active => Ok(()),
        _ => Err(ApiError::field(
            field,
            FieldRule::Unknown,
            "aucun compte actif de ce rôle",
        )),
    }
}
