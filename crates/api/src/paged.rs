//! The one way to answer a list: `?page=&per_page=` in ([`Paged`]), the count of what matches and one
//! page of it out ([`Page`]). Handlers give the filtered query and its order; this runs the two queries.

use actix_web::HttpRequest;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::{Page, PageQuery};
use diesel::dsl::{CountStar, Limit, Offset, Select};
use diesel::prelude::*;
use diesel::query_dsl::LoadQuery;
use diesel::query_dsl::methods::{LimitDsl, OffsetDsl, SelectDsl};

use crate::db::Conn;
use crate::error::ApiError;

/// A checked page request: `page` from 1, `per_page` from 1 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Paged {
    pub page: i64,
    pub per_page: i64,
}

impl Paged {
    /// `?page=&per_page=` read and checked (a field error names the one out of range).
    pub fn from_request(req: &HttpRequest) -> Result<Paged, ApiError> {
        let (page, per_page) = crate::json::query::<PageQuery>(req)?
            .resolve()
            .map_err(|(f, m)| ApiError::field(f, FieldRule::Range, m))?;
        Ok(Paged { page, per_page })
    }

    /// Counts what `query` matches, then loads this page of it as `ordered` sorts and selects it.
    /// `query` is called twice (a boxed diesel query is consumed by each use). The order should end
    /// with a unique column, so that a row never shows on two pages.
    pub fn load<'q, Q, O, R>(
        self,
        conn: &mut Conn,
        query: impl Fn() -> Q,
        ordered: impl FnOnce(Q) -> O,
    ) -> QueryResult<Page<R>>
    where
        Q: SelectDsl<CountStar>,
        Select<Q, CountStar>: RunQueryDsl<Conn> + LoadQuery<'q, Conn, i64>,
        O: OffsetDsl,
        Offset<O>: LimitDsl,
        Limit<Offset<O>>: RunQueryDsl<Conn> + LoadQuery<'q, Conn, R>,
    {
        let total: i64 = query().select(diesel::dsl::count_star()).get_result(conn)?;
        self.load_page(conn, total, ordered(query()))
    }

    /// This page of `ordered`, when the caller counted the matches more cheaply than by counting
    /// `ordered` itself (a consultant's bilans: their current assignments, without reading the bilans).
    pub fn load_page<'q, O, R>(
        self,
        conn: &mut Conn,
        total: i64,
        ordered: O,
    ) -> QueryResult<Page<R>>
    where
        O: OffsetDsl,
        Offset<O>: LimitDsl,
        Limit<Offset<O>>: RunQueryDsl<Conn> + LoadQuery<'q, Conn, R>,
    {
        let items: Vec<R> = ordered
            .offset((self.page - 1) * self.per_page)
            .limit(self.per_page)
            .load(conn)?;
        Ok(Page {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
        })
    }
}
