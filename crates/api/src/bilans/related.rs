//! What a page of bilans shows besides the bilans themselves (the people, the hours held, the evidence
//! of the next step), read in ONE statement whatever the page size.
//!
//! The page's ids are bound once, as a JSON array, so the statement's text never changes: both
//! backends keep it prepared (an `eq_any` list is a new statement for each length, which SQLite
//! prepared again on every request), and PostgreSQL answers in one round trip instead of five. The
//! hours are summed by the database; the facts come as the latest date of each kind.

use std::collections::HashMap;

use boussole_shared::bilans::{FactKind, PersonRef};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Date, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;

use super::workflow::Evidence;
use crate::db::{self, Conn};

/// The rows of every kind, in one shape: `tag` says which kind a row is.
/// - `b`: the beneficiary (`person_id`, names);
/// - `c`: a current consultant (`person_id`, names), `number` their rank by assignment;
/// - `s`: the sessions of kind `key`, `number` their minutes and `at` the end of the last one;
/// - `f`: the facts of kind `key`, `on` the latest date;
/// - `k`: consent to start is in force.
const SELECTS: [&str; 5] = [
    "SELECT b.id, 'b', NULL, u.id, u.first_name, u.last_name, NULL, NULL, NULL \
     FROM page JOIN bilans b ON b.id = page.id JOIN users u ON u.id = b.beneficiary_id",
    "SELECT bc.bilan_id, 'c', NULL, u.id, u.first_name, u.last_name, \
     ROW_NUMBER() OVER (PARTITION BY bc.bilan_id ORDER BY bc.assigned_at, bc.id), NULL, NULL \
     FROM bilan_consultants bc JOIN users u ON u.id = bc.consultant_id \
     WHERE bc.bilan_id IN (SELECT id FROM page) AND bc.unassigned_at IS NULL",
    "SELECT bilan_id, 's', kind, NULL, NULL, NULL, SUM(minutes), MAX(ends_at), NULL \
     FROM bilan_sessions WHERE bilan_id IN (SELECT id FROM page) GROUP BY bilan_id, kind",
    "SELECT bilan_id, 'f', kind, NULL, NULL, NULL, NULL, NULL, MAX(occurred_on) \
     FROM bilan_facts WHERE bilan_id IN (SELECT id FROM page) GROUP BY bilan_id, kind",
    "SELECT DISTINCT bilan_id, 'k', NULL, NULL, NULL, NULL, NULL, NULL, NULL \
     FROM bilan_consents WHERE bilan_id IN (SELECT id FROM page) \
     AND kind = 'start' AND revoked_at IS NULL",
];

/// PostgreSQL types a `UNION`'s columns from its first arm, and sums `BIGINT` as `NUMERIC`.
const PG_FIRST: &str = "SELECT b.id, 'b'::text, NULL::text, u.id, u.first_name, u.last_name, \
     NULL::bigint, NULL::timestamp, NULL::date \
     FROM page JOIN bilans b ON b.id = page.id JOIN users u ON u.id = b.beneficiary_id";
const PG_SESSIONS: &str =
    "SELECT bilan_id, 's', kind, NULL, NULL, NULL, CAST(SUM(minutes) AS BIGINT), MAX(ends_at), NULL \
     FROM bilan_sessions WHERE bilan_id IN (SELECT id FROM page) GROUP BY bilan_id, kind";

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
        Nullable<Timestamp>,
        Nullable<Date>,
    );
}

impl<C: Connection> RunQueryDsl<C> for PageRelated {}

impl QueryFragment<Sqlite> for PageRelated {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.push_sql("WITH page(id) AS (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.ids)?;
        out.push_sql(")) ");
        out.push_sql(SELECTS[0]);
        for select in &SELECTS[1..] {
            out.push_sql(" UNION ALL ");
            out.push_sql(select);
        }
        Ok(())
    }
}

impl QueryFragment<Pg> for PageRelated {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("WITH page(id) AS (SELECT json_array_elements_text(CAST(");
        out.push_bind_param::<Text, _>(&self.ids)?;
        out.push_sql(" AS json))) ");
        out.push_sql(PG_FIRST);
        for select in [SELECTS[1], PG_SESSIONS, SELECTS[3], SELECTS[4]] {
            out.push_sql(" UNION ALL ");
            out.push_sql(select);
        }
        Ok(())
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
    number: Option<i64>,
    at: Option<NaiveDateTime>,
    on: Option<NaiveDate>,
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
pub fn of_page(conn: &mut Conn, ids: &[&str]) -> QueryResult<HashMap<String, Related>> {
    let query = PageRelated {
        ids: serde_json::to_string(ids)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?,
    };
    let rows: Vec<Row> = crate::on_backend!(conn, |c| query.load(c))?;
    let mut out: HashMap<String, Related> = ids
        .iter()
        .map(|id| (id.to_string(), Related::default()))
        .collect();
    let mut ranked: Vec<(String, i64, PersonRef)> = Vec::new();
    for row in rows {
        let person = |row: &Row| PersonRef {
            id: db::uuid_of(row.person_id.as_deref().unwrap_or_default()),
            first_name: row.first_name.clone().unwrap_or_default(),
            last_name: row.last_name.clone().unwrap_or_default(),
        };
        match row.tag.as_str() {
            "c" => ranked.push((row.bilan_id.clone(), row.number.unwrap_or(0), person(&row))),
            _ => {
                let Some(related) = out.get_mut(&row.bilan_id) else {
                    continue;
                };
                match (row.tag.as_str(), row.key.as_deref()) {
                    ("b", _) => related.beneficiary = Some(person(&row)),
                    ("s", Some("accompaniment")) => {
                        related.accompaniment_minutes += row.number.unwrap_or(0);
                        related.last_contact_at = related.last_contact_at.max(row.at);
                    }
                    ("s", _) => related.personal_work_minutes += row.number.unwrap_or(0),
                    ("f", Some(kind)) => {
                        if let (Some(kind), Some(on)) = (FactKind::parse(kind), row.on) {
                            let latest = related.evidence.facts.entry(kind).or_insert(on);
                            *latest = (*latest).max(on);
                        }
                    }
                    ("k", _) => related.evidence.start_consent = true,
                    _ => {}
                }
            }
        }
    }
    ranked.sort_by_key(|(_, rank, _)| *rank);
    for (bilan_id, _, person) in ranked {
        if let Some(related) = out.get_mut(&bilan_id) {
            related.consultants.push(person);
        }
    }
    Ok(out)
}
