//! The library's data: rows, who sees what, and the DTOs. Plain functions over `&mut Conn`.
//!
//! Staff (admins and consultants) see the whole library, archived resources on request. A beneficiary
//! sees what is not archived, ready (a file resource once its file is uploaded) and either for all or
//! shared with them; anything else is 404 to them. What staff learn of beneficiaries (shares, opens)
//! is scoped like the rest of the platform: an admin every beneficiary, a consultant those of the
//! bilans assigned to them now.

use std::collections::HashMap;

use boussole_shared::bilans::PersonRef;
use boussole_shared::resources::{Resource, ResourceAudience, ResourceKind};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::caller::Viewer;
use crate::bilans::model;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::schema::{
    bilan_consultants, bilans, resource_accesses as ra, resource_shares as rs, resource_tags as rt,
    resources as r,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = r)]
pub struct ResourceRow {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub kind: String,
    pub audience: String,
    pub url: Option<String>,
    pub file_id: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    pub sha256: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub archived_at: Option<NaiveDateTime>,
    pub search: String,
}

impl ResourceRow {
    pub fn kind(&self) -> Result<ResourceKind, ApiError> {
        db::stored(
            ResourceKind::parse(&self.kind),
            "resources.kind",
            &self.kind,
        )
    }
}

/// What `search` holds: title, description and tags, lower-cased.
pub fn search_text(title: &str, description: Option<&str>, tags: &[String]) -> String {
    format!("{title} {} {}", description.unwrap_or(""), tags.join(" ")).to_lowercase()
}

/// The beneficiaries a staff member may see the doings of: `None` for an admin (all of them), the
/// beneficiaries of the bilans assigned now for a consultant.
pub fn scope(conn: &mut Conn, viewer: &Viewer) -> QueryResult<Option<Vec<String>>> {
    match viewer {
        Viewer::Admin(_) => Ok(None),
        Viewer::Consultant(me) => bilan_consultants::table
            .inner_join(bilans::table)
            .filter(bilan_consultants::consultant_id.eq(me))
            .filter(bilan_consultants::unassigned_at.is_null())
            .select(bilans::beneficiary_id)
            .distinct()
            .load(conn)
            .map(Some),
        Viewer::Beneficiary(me) => Ok(Some(vec![me.clone()])),
    }
}

/// One resource as `viewer` may see it (404 otherwise, archived or not yet ready for beneficiaries).
pub fn visible(conn: &mut Conn, id: &str, viewer: &Viewer) -> Result<ResourceRow, ApiError> {
    let row = r::table
        .find(id)
        .select(ResourceRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let Viewer::Beneficiary(me) = viewer else {
        return Ok(row);
    };
    let ready = row.kind == ResourceKind::Link.as_str() || row.file_id.is_some();
    let shared = row.audience == ResourceAudience::All.as_str() || is_shared_with(conn, id, me)?;
    if row.archived_at.is_some() || !ready || !shared {
        return Err(ApiError::NotFound);
    }
    Ok(row)
}

fn is_shared_with(conn: &mut Conn, id: &str, beneficiary: &str) -> QueryResult<bool> {
    let n: i64 = rs::table.find((id, beneficiary)).count().get_result(conn)?;
    Ok(n > 0)
}

/// The tags of each resource, in alphabetical order.
fn tags_of(conn: &mut Conn, ids: &[&str]) -> QueryResult<HashMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> = rt::table
        .filter(rt::resource_id.eq_any(ids))
        .order((rt::resource_id.asc(), rt::tag.asc()))
        .select((rt::resource_id, rt::tag))
        .load(conn)?;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (id, tag) in rows {
        out.entry(id).or_default().push(tag);
    }
    Ok(out)
}

/// Replaces a resource's tags.
pub fn set_tags(conn: &mut Conn, id: &str, tags: &[String]) -> QueryResult<()> {
    diesel::delete(rt::table.filter(rt::resource_id.eq(id))).execute(conn)?;
    let mut unique: Vec<&String> = tags.iter().collect();
    unique.sort();
    unique.dedup();
    for tag in unique {
        diesel::insert_into(rt::table)
            .values((rt::resource_id.eq(id), rt::tag.eq(tag)))
            .execute(conn)?;
    }
    Ok(())
}

/// Per resource, how many shares and how many opens the staff member's scope covers.
fn counts(
    conn: &mut Conn,
    ids: &[&str],
    scope: Option<&[String]>,
) -> QueryResult<(HashMap<String, i64>, HashMap<String, i64>)> {
    let mut shares = rs::table
        .filter(rs::resource_id.eq_any(ids))
        .group_by(rs::resource_id)
        .select((rs::resource_id, diesel::dsl::count_star()))
        .into_boxed();
    let mut opens = ra::table
        .filter(ra::resource_id.eq_any(ids))
        .group_by(ra::resource_id)
        .select((ra::resource_id, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(people) = scope {
        shares = shares.filter(rs::beneficiary_id.eq_any(people));
        opens = opens.filter(ra::user_id.eq_any(people));
    }
    let shares: Vec<(String, i64)> = shares.load(conn)?;
    let opens: Vec<(String, i64)> = opens.load(conn)?;
    Ok((shares.into_iter().collect(), opens.into_iter().collect()))
}

/// The rows as DTOs for `viewer`: staff get the counts their scope covers, beneficiaries none.
pub fn to_dtos(
    conn: &mut Conn,
    viewer: &Viewer,
    rows: Vec<ResourceRow>,
) -> Result<Vec<Resource>, ApiError> {
    let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    let mut tags = tags_of(conn, &ids)?;
    let creators: Vec<&str> = rows.iter().map(|row| row.created_by.as_str()).collect();
    let people: HashMap<String, PersonRef> = model::people(conn, &creators)?;
    let counted = match viewer {
        Viewer::Beneficiary(_) => None,
        _ => {
            let scope = scope(conn, viewer)?;
            Some(counts(conn, &ids, scope.as_deref())?)
        }
    };
    rows.into_iter()
        .map(|row| {
            let (shared_count, open_count) = match &counted {
                None => (None, None),
                Some((shares, opens)) => (
                    Some(shares.get(&row.id).copied().unwrap_or(0)),
                    Some(opens.get(&row.id).copied().unwrap_or(0)),
                ),
            };
            let audience = db::stored(
                ResourceAudience::parse(&row.audience),
                "resources.audience",
                &row.audience,
            )?;
            Ok(Resource {
                id: uuid_of(&row.id)?,
                kind: row.kind()?,
                audience,
                tags: tags.remove(&row.id).unwrap_or_default(),
                created_by: people
                    .get(&row.created_by)
                    .cloned()
                    .ok_or(diesel::result::Error::NotFound)?,
                title: row.title,
                description: row.description,
                url: row.url,
                file_name: row.file_name,
                content_type: row.content_type,
                size: row.size,
                created_at: row.created_at.and_utc(),
                updated_at: row.updated_at.and_utc(),
                archived_at: row.archived_at.map(|t| t.and_utc()),
                shared_count,
                open_count,
            })
        })
        .collect()
}

/// One resource as a DTO for `viewer`.
pub fn dto(conn: &mut Conn, viewer: &Viewer, row: ResourceRow) -> Result<Resource, ApiError> {
    to_dtos(conn, viewer, vec![row])?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// Logs that a beneficiary opened a resource (staff looking at the library are not logged: the log
/// is the evidence of what beneficiaries used).
pub fn log_access(conn: &mut Conn, id: &str, viewer: &Viewer) -> QueryResult<()> {
    if let Viewer::Beneficiary(me) = viewer {
        diesel::insert_into(ra::table)
            .values((
                ra::id.eq(db::new_id()),
                ra::resource_id.eq(id),
                ra::user_id.eq(me),
                ra::at.eq(db::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}
