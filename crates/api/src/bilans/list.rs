//! The bilans list: which bilans a caller may see, newest first, one page at a time.
//!
//! Bilan ids are UUIDv7, so their order is their creation order: the list sorts by id, which the
//! indexes carry. A consultant's page is read from their current assignments
//! (`bilan_consultants_current`, a unique partial index on `(consultant_id, bilan_id)`), newest first,
//! stopping after the page; without a filter on the bilans themselves the count reads that index alone.

use boussole_shared::Page;
use boussole_shared::bilans::{Bilan, BilanFilter};
use diesel::prelude::*;

use super::model::{self, BilanRow};
use crate::auth::caller::Viewer;
use crate::db::Conn;
use crate::error::ApiError;
use crate::paged::Paged;
use crate::schema::{bilan_consultants, bilans};

/// The filters on the bilans themselves, on any boxed query that reads `bilans`.
macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let mut q = $query;
        if let Some(s) = $filter.status {
            q = q.filter(bilans::status.eq(s.as_str()));
        }
        if let Some(f) = $filter.funding {
            q = q.filter(bilans::funding.eq(f.as_str()));
        }
        if let Some(b) = $filter.beneficiary_id {
            q = q.filter(bilans::beneficiary_id.eq(b.to_string()));
        }
        if let Some(r) = &$filter.external_ref {
            q = q.filter(bilans::external_ref.eq(r.clone()));
        }
        q
    }};
}

/// One page of the bilans `viewer` may see that match `filter`, with their hours and people.
pub fn page(
    conn: &mut Conn,
    viewer: &Viewer,
    filter: BilanFilter,
    paged: Paged,
    min_minutes: i64,
) -> Result<Page<Bilan>, ApiError> {
    let rows = match viewer {
        Viewer::Consultant(id) => consultant_page(conn, id, &filter, paged)?,
        Viewer::Admin(_) => paged.load(
            conn,
            || filtered!(bilans::table.into_boxed(), filter),
            |q| q.order(bilans::id.desc()).select(BilanRow::as_select()),
        )?,
        Viewer::Beneficiary(id) => paged.load(
            conn,
            || filtered!(bilans::table.into_boxed(), filter).filter(bilans::beneficiary_id.eq(id)),
            |q| q.order(bilans::id.desc()).select(BilanRow::as_select()),
        )?,
    };
    rows.try_map_items(|rows| model::to_dtos(conn, rows, min_minutes))
}

fn consultant_page(
    conn: &mut Conn,
    consultant_id: &str,
    filter: &BilanFilter,
    paged: Paged,
) -> QueryResult<Page<BilanRow>> {
    let current = || {
        bilan_consultants::table
            .inner_join(bilans::table)
            .filter(bilan_consultants::consultant_id.eq(consultant_id.to_string()))
            .filter(bilan_consultants::unassigned_at.is_null())
            .into_boxed()
    };
    let unfiltered = filter.status.is_none()
        && filter.funding.is_none()
        && filter.beneficiary_id.is_none()
        && filter.external_ref.is_none();
    if unfiltered {
        // One current assignment per consultant and bilan (the unique index): counting them counts
        // the bilans, without reading a single bilan row. Both statements are written without
        // boxing, so their text is known from their type: diesel finds them prepared without
        // writing their SQL again at each request (as it must for a boxed query, to look it up).
        let mine = bilan_consultants::consultant_id.eq(consultant_id.to_string());
        let current = bilan_consultants::unassigned_at.is_null();
        let total: i64 = bilan_consultants::table
            .filter(mine.clone())
            .filter(current)
            .count()
            .get_result(conn)?;
        let ordered = bilan_consultants::table
            .inner_join(bilans::table)
            .filter(mine)
            .filter(current)
            .order(bilan_consultants::bilan_id.desc())
            .select(BilanRow::as_select());
        return paged.load_page(conn, total, ordered);
    }
    let total: i64 = filtered!(current(), filter).count().get_result(conn)?;
    let ordered = filtered!(current(), filter)
        .order(bilan_consultants::bilan_id.desc())
        .select(BilanRow::as_select());
    paged.load_page(conn, total, ordered)
}
