//! The grid's records: one row each in `bilan_projection`, its whole content one JSON document
//! encrypted under the bilan's key (the record id is the associated data, so a body cannot be moved to
//! another record). Plain functions over `&mut Conn`, generic over the DTO stored.

use boussole_shared::bilans::PersonRef;
use boussole_shared::projection::Authorship;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::bilans::model;
use crate::crypto;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::bilan_projection as t;

/// What a record is (the `kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Experience,
    Skill,
    CareerPath,
    DecisionMatrix,
    ActionPlan,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Experience => "experience",
            Kind::Skill => "skill",
            Kind::CareerPath => "career_path",
            Kind::DecisionMatrix => "decision_matrix",
            Kind::ActionPlan => "action_plan",
        }
    }
}

/// A record, decrypted.
#[derive(Debug, Clone)]
pub struct Record<T> {
    pub id: String,
    /// `id` parsed once, when the record is read (a malformed one fails the read).
    pub uuid: uuid::Uuid,
    pub body: T,
    pub created_by: String,
    pub updated_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

type Row = (
    String,
    Option<Vec<u8>>,
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
);

fn open<T: DeserializeOwned>(key: &[u8], row: Row) -> Result<Record<T>, ApiError> {
    let (id, body, created_by, updated_by, created_at, updated_at) = row;
    let sealed =
        body.ok_or_else(|| ApiError::internal("grid record without body on a live bilan"))?;
    let json = crypto::decrypt(key, &id, &sealed)?;
    let body = serde_json::from_str(&json)
        .map_err(|e| anyhow::anyhow!("bilan_projection.body of {id} does not parse: {e}"))?;
    Ok(Record {
        uuid: db::uuid_of(&id)?,
        id,
        body,
        created_by,
        updated_by,
        created_at,
        updated_at,
    })
}

fn seal<T: Serialize>(key: &[u8], id: &str, body: &T) -> Result<Vec<u8>, ApiError> {
    let json = serde_json::to_string(body).map_err(anyhow::Error::from)?;
    crypto::encrypt(key, id, &json)
}

/// The bilan's records of `kind`, oldest first.
pub fn list<T: DeserializeOwned>(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
    kind: Kind,
) -> Result<Vec<Record<T>>, ApiError> {
    let rows: Vec<Row> = t::table
        .filter(t::bilan_id.eq(bilan_id))
        .filter(t::kind.eq(kind.as_str()))
        // A record whose content a retention agreement did not keep is gone (R6313-7).
        .filter(t::body.is_not_null())
        .order((t::created_at.asc(), t::id.asc()))
        .select((
            t::id,
            t::body,
            t::created_by,
            t::updated_by,
            t::created_at,
            t::updated_at,
        ))
        .load(conn)?;
    rows.into_iter().map(|r| open(key, r)).collect()
}

/// One record of `kind` of the bilan (404 for another bilan's or kind's).
pub fn find<T: DeserializeOwned>(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
    kind: Kind,
    id: &str,
) -> Result<Record<T>, ApiError> {
    let row: Row = t::table
        .filter(t::id.eq(id))
        .filter(t::bilan_id.eq(bilan_id))
        .filter(t::kind.eq(kind.as_str()))
        .filter(t::body.is_not_null())
        .select((
            t::id,
            t::body,
            t::created_by,
            t::updated_by,
            t::created_at,
            t::updated_at,
        ))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    open(key, row)
}

/// The bilan's one record of `kind` (decision matrix, action plan), if saved.
pub fn single<T: DeserializeOwned>(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
    kind: Kind,
) -> Result<Option<Record<T>>, ApiError> {
    Ok(list(conn, key, bilan_id, kind)?.pop())
}

/// Writes a new record as `by`.
pub fn insert<T: Serialize + Clone>(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
    kind: Kind,
    by: &str,
    body: &T,
) -> Result<Record<T>, ApiError> {
    let (id, now) = (db::new_id(), db::now());
    diesel::insert_into(t::table)
        .values((
            t::id.eq(&id),
            t::bilan_id.eq(bilan_id),
            t::kind.eq(kind.as_str()),
            t::body.eq(Some(seal(key, &id, body)?)),
            t::created_by.eq(by),
            t::updated_by.eq(by),
            t::created_at.eq(now),
            t::updated_at.eq(now),
        ))
        .execute(conn)?;
    journal(conn, bilan_id, kind, by, "created")?;
    Ok(Record {
        uuid: db::uuid_of(&id)?,
        id,
        body: body.clone(),
        created_by: by.into(),
        updated_by: by.into(),
        created_at: now,
        updated_at: now,
    })
}

/// Replaces the content of record `id` (of `kind`, of the bilan) as `by`; 404 when there is none.
pub fn update<T: Serialize + DeserializeOwned + Clone>(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
    kind: Kind,
    id: &str,
    by: &str,
    body: &T,
) -> Result<Record<T>, ApiError> {
    let mut record: Record<T> = find(conn, key, bilan_id, kind, id)?;
    let now = db::now();
    diesel::update(t::table.find(id))
        .set((
            t::body.eq(Some(seal(key, id, body)?)),
            t::updated_by.eq(by),
            t::updated_at.eq(now),
        ))
        .execute(conn)?;
    journal(conn, bilan_id, kind, by, "updated")?;
    record.body = body.clone();
    record.updated_by = by.into();
    record.updated_at = now;
    Ok(record)
}

/// Saves the bilan's one record of `kind`, creating it the first time.
pub fn put_single<T: Serialize + DeserializeOwned + Clone>(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
    kind: Kind,
    by: &str,
    body: &T,
) -> Result<Record<T>, ApiError> {
    match single::<T>(conn, key, bilan_id, kind)? {
        Some(existing) => update(conn, key, bilan_id, kind, &existing.id, by, body),
        None => insert(conn, key, bilan_id, kind, by, body),
    }
}

/// Deletes record `id`: the grid is a working document, corrected as the bilan goes; the timeline
/// keeps that something was deleted, and by whom.
pub fn delete(
    conn: &mut Conn,
    bilan_id: &str,
    kind: Kind,
    id: &str,
    by: &str,
) -> Result<(), ApiError> {
    let n = diesel::delete(
        t::table
            .filter(t::id.eq(id))
            .filter(t::bilan_id.eq(bilan_id))
            .filter(t::kind.eq(kind.as_str())),
    )
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    journal(conn, bilan_id, kind, by, "deleted").map_err(ApiError::from)
}

/// The timeline says what kind of record changed, never what it says; admins do not see even that.
fn journal(conn: &mut Conn, bilan_id: &str, kind: Kind, by: &str, change: &str) -> QueryResult<()> {
    model::event(
        conn,
        bilan_id,
        "projection",
        Some(by),
        serde_json::json!({ "what": kind.as_str(), "change": change }),
        true,
    )
}

/// Who wrote each record, as people: one query for the whole list.
pub fn authors<T>(conn: &mut Conn, records: &[Record<T>]) -> Result<Vec<Authorship>, ApiError> {
    let ids: Vec<&str> = records
        .iter()
        .flat_map(|r| [r.created_by.as_str(), r.updated_by.as_str()])
        .collect();
    let people = model::people(conn, &ids)?;
    let person = |id: &str| -> Result<PersonRef, ApiError> {
        people
            .get(id)
            .cloned()
            .ok_or(ApiError::Database(diesel::result::Error::NotFound))
    };
    records
        .iter()
        .map(|r| {
            Ok(Authorship {
                recorded_by: person(&r.created_by)?,
                updated_by: person(&r.updated_by)?,
                created_at: r.created_at.and_utc(),
                updated_at: r.updated_at.and_utc(),
            })
        })
        .collect()
}

/// The records as DTOs built by `build` from the id, the content and who wrote it.
pub fn with_authors<T, D>(
    conn: &mut Conn,
    records: Vec<Record<T>>,
    build: impl Fn(uuid::Uuid, T, Authorship) -> D,
) -> Result<Vec<D>, ApiError> {
    let authors = authors(conn, &records)?;
    Ok(records
        .into_iter()
        .zip(authors)
        .map(|(r, a)| build(r.uuid, r.body, a))
        .collect())
}

/// One record as a DTO (see [`with_authors`]).
pub fn one_with_author<T, D>(
    conn: &mut Conn,
    record: Record<T>,
    build: impl Fn(uuid::Uuid, T, Authorship) -> D,
) -> Result<D, ApiError> {
    with_authors(conn, vec![record], build)?
        .pop()
        .ok_or(ApiError::NotFound)
}
