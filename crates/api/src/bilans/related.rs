//! What a page of bilans shows besides the bilans themselves (the people, the hours held, the evidence
//! of the next step), read in ONE statement whatever the page size.
//!
//! The page's ids are bound once, as a JSON array, so the statement's text never changes: both
//! backends keep it prepared (an `eq_any` list is a new statement for each length, which SQLite
//! prepared again on every request), and PostgreSQL answers in one round trip instead of five. The
//! hours are summed by the database; the facts come as rows, of which the latest of each kind counts.

use std::collections::HashMap;

use boussole_shared::bilans::{FactKind, PersonRef};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;

use super::workflow::Evidence;
use crate::db::{self, Conn};
use crate::error::ApiError;

/// The rows of three kinds, in one shape; `tag` says which. Each walks the page's ids (a JSON array
/// bound once, `?1` / `$1` again after the first) into an index: no temporary b-tree, no sort.
/// - `b`: one per bilan: its beneficiary, its hours held by kind, the end of its last accompaniment
///   session, and whether consent to start is in force;
/// - `c`: a current consultant, `key` the assignment's time and id, which orders them;
/// - `f`: a fact, `key` its kind, `on` its date (the latest of each kind counts).
const SQLITE: &str = "\
SELECT b.id, 'b', NULL, u.id, u.first_name, u.last_name, \
 (SELECT SUM(s.minutes) FROM bilan_sessions s WHERE s.bilan_id = b.id AND s.kind = 'accompaniment'), \
 (SELECT SUM(s.minutes) FROM bilan_sessions s WHERE s.bilan_id = b.id AND s.kind <> 'accompaniment'), \
 (SELECT MAX(s.ends_at) FROM bilan_sessions s WHERE s.bilan_id = b.id AND s.kind = 'accompaniment'), \
 NULL, \
 EXISTS (SELECT 1 FROM bilan_consents k \
  WHERE k.bilan_id = b.id AND k.kind = 'start' AND k.revoked_at IS NULL) \
FROM json_each(?) j JOIN bilans b ON b.id = j.value JOIN users u ON u.id = b.beneficiary_id \
UNION ALL \
SELECT bc.bilan_id, 'c', bc.assigned_at || ' ' || bc.id, u.id, u.first_name, u.last_name, \
 NULL, NULL, NULL, NULL, NULL \
FROM json_each(?1) j JOIN bilan_consultants bc ON bc.bilan_id = j.value \
 JOIN users u ON u.id = bc.consultant_id WHERE bc.unassigned_at IS NULL \
UNION ALL \
SELECT f.bilan_id, 'f', f.kind, NULL, NULL, NULL, NULL, NULL, NULL, f.occurred_on, NULL \
FROM json_each(?1) j JOIN bilan_facts f ON f.bilan_id = j.value";

/// The same for PostgreSQL, which types a `UNION`'s columns from its first arm and sums `BIGINT` as
/// `NUMERIC`. The ids are turned into an array for `= ANY`: a set-returning function in `FROM` is
/// planned as 100 rows, for which PostgreSQL preferred hashing a whole table to 100 index lookups
/// (50 ms a page); an array parameter is planned as a few values, looked up through the indexes.
const PG: &str = "\
SELECT b.id, 'b'::text, NULL::text, u.id, u.first_name, u.last_name, \
 (SELECT SUM(s.minutes) FROM bilan_sessions s \
  WHERE s.bilan_id = b.id AND s.kind = 'accompaniment')::bigint, \
 (SELECT SUM(s.minutes) FROM bilan_sessions s \
  WHERE s.bilan_id = b.id AND s.kind <> 'accompaniment')::bigint, \
 (SELECT MAX(s.ends_at) FROM bilan_sessions s WHERE s.bilan_id = b.id AND s.kind = 'accompaniment'), \
 NULL::date, \
 EXISTS (SELECT 1 FROM bilan_consents k \
  WHERE k.bilan_id = b.id AND k.kind = 'start' AND k.revoked_at IS NULL) \
FROM bilans b JOIN users u ON u.id = b.beneficiary_id \
WHERE b.id = ANY(ARRAY(SELECT json_array_elements_text(CAST(? AS json)))) \
UNION ALL \
SELECT bc.bilan_id, 'c', CAST(bc.assigned_at AS TEXT) || ' ' || bc.id, u.id, u.first_name, \
 u.last_name, NULL, NULL, NULL, NULL, NULL \
FROM bilan_consultants bc JOIN users u ON u.id = bc.consultant_id \
WHERE bc.bilan_id = ANY(ARRAY(SELECT json_array_elements_text(CAST($1 AS json)))) \
 AND bc.unassigned_at IS NULL \
UNION ALL \
SELECT f.bilan_id, 'f', f.kind, NULL, NULL, NULL, NULL, NULL, NULL, f.occurred_on, NULL \
FROM bilan_facts f WHERE f.bilan_id = ANY(ARRAY(SELECT json_array_elements_text(CAST($1 AS json))))";

/// The statement, for the page whose ids are `ids` (a JSON array of strings).
#[derive(Debug, Clone, QueryId)]
struct PageRelated {
    ids: String,
}

impl Query for PageRelated {
    type SqlType = (
        Text,
        Text,
        Nullable<Text>,
        Nullable<Text>,
        Nullable<Text>,
        Nullable<Text>,
        Nullable<BigInt>,
        Nullable<BigInt>,
        Nullable<Timestamp>,
        Nullable<Date>,
        Nullable<Bool>,
    );
}

impl<C: Connection> RunQueryDsl<C> for PageRelated {}

/// `sql` with its first `?` bound to the ids (the backend writes `?` or `$1` there).
fn walk<'b, DB>(sql: &str, ids: &'b str, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()>
where
    DB: diesel::backend::Backend,
    str: diesel::serialize::ToSql<Text, DB>,
{
    let (head, tail) = sql.split_once('?').unwrap_or((sql, ""));
    out.push_sql(head);
    out.push_bind_param::<Text, _>(ids)?;
    out.push_sql(tail);
    Ok(())
}

impl QueryFragment<Sqlite> for PageRelated {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        walk(SQLITE, &self.ids, out)
    }
}

impl QueryFragment<Pg> for PageRelated {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        walk(PG, &self.ids, out)
    }
}

#[derive(Debug, Queryable)]
struct Row {
    bilan_id: String,
    tag: String,
    key: Option<String>,
    person_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    accompaniment: Option<i64>,
    personal_work: Option<i64>,
    at: Option<NaiveDateTime>,
    on: Option<NaiveDate>,
    start_consent: Option<bool>,
}

/// What one bilan of the page shows besides its own row.
#[derive(Debug, Default)]
pub struct Related {
    pub beneficiary: Option<PersonRef>,
    /// The current consultants, in the order they were assigned.
    pub consultants: Vec<PersonRef>,
    pub accompaniment_minutes: i64,
    pub personal_work_minutes: i64,
    /// The end of the last accompaniment session.
    pub last_contact_at: Option<NaiveDateTime>,
    pub evidence: Evidence,
}

/// The related rows of the bilans `ids`, by bilan id (a bilan with none has a default entry).
pub fn of_page(conn: &mut Conn, ids: &[&str]) -> Result<HashMap<String, Related>, ApiError> {
    let query = PageRelated {
        ids: serde_json::to_string(ids)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?,
    };
    let rows: Vec<Row> = crate::on_backend!(conn, |c| query.load(c))?;
    let mut out: HashMap<String, Related> = ids
        .iter()
        .map(|id| (id.to_string(), Related::default()))
        .collect();
    let mut ranked: Vec<(String, String, PersonRef)> = Vec::new();
    for row in rows {
        // Facts carry no person; the other rows always do (`users.id` is the join's key).
        let person = |row: &Row| -> Result<PersonRef, ApiError> {
            Ok(PersonRef {
                id: db::uuid_of(row.person_id.as_deref().unwrap_or_default())?,
                first_name: row.first_name.clone().unwrap_or_default(),
                last_name: row.last_name.clone().unwrap_or_default(),
            })
        };
        if row.tag == "c" {
            let person = person(&row)?;
            ranked.push((row.bilan_id, row.key.unwrap_or_default(), person));
            continue;
        }
        let Some(related) = out.get_mut(&row.bilan_id) else {
            continue;
        };
        match (row.tag.as_str(), row.key.as_deref(), row.on) {
            ("b", _, _) => {
                related.beneficiary = Some(person(&row)?);
                related.accompaniment_minutes = row.accompaniment.unwrap_or(0);
                related.personal_work_minutes = row.personal_work.unwrap_or(0);
                related.last_contact_at = row.at;
                related.evidence.start_consent = row.start_consent.unwrap_or(false);
            }
            ("f", Some(kind), Some(on)) => {
                let kind = db::stored(FactKind::parse(kind), "bilan_facts.kind", kind)?;
                let latest = related.evidence.facts.entry(kind).or_insert(on);
                *latest = (*latest).max(on);
            }
            _ => {}
        }
    }
    // In the order they were assigned: the time as stored, then the assignment's id. Stored times
    // share one layout (`YYYY-MM-DD HH:MM:SS`, then a fraction if any), so their text sorts as they
    // do: "…:05 " < "…:05.5 " < "…:05.51 " (a space sorts before the dot and the digits).
    ranked.sort_by(|a, b| a.1.cmp(&b.1));
    for (bilan_id, _, person) in ranked {
        if let Some(related) = out.get_mut(&bilan_id) {
            related.consultants.push(person);
        }
    }
    Ok(out)
}
