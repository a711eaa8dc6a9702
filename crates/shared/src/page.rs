use serde::{Deserialize, Serialize};

/// The one list envelope of the API.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items match the filters, over all pages.
    pub total: i64,
    /// This page's number, from 1.
    pub page: i64,
    /// The page size used.
    pub per_page: i64,
}

impl<T> Page<T> {
    /// The same page with its items converted (rows to DTOs, usually).
    pub fn map_items<U>(self, f: impl FnOnce(Vec<T>) -> Vec<U>) -> Page<U> {
        Page {
            items: f(self.items),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }

    /// Like [`Page::map_items`], for a conversion that may fail.
    pub fn try_map_items<U, E>(
        self,
        f: impl FnOnce(Vec<T>) -> Result<Vec<U>, E>,
    ) -> Result<Page<U>, E> {
        Ok(Page {
            items: f(self.items)?,
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        })
    }
}

/// `?page=&per_page=` on every list.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PageQuery {
    /// Page number, from 1 (default 1).
    pub page: Option<i64>,
    /// Items per page, 1 to 100 (default 20).
    pub per_page: Option<i64>,
}

impl PageQuery {
    pub const MAX_PER_PAGE: i64 = 100;

    /// The page and page size, or a message saying which one is out of range.
    pub fn resolve(&self) -> Result<(i64, i64), (&'static str, &'static str)> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(20);
        if page < 1 {
            return Err(("page", "must be 1 or more"));
        }
        if !(1..=Self::MAX_PER_PAGE).contains(&per_page) {
            return Err(("per_page", "must be between 1 and 100"));
        }
        // Lists skip `(page - 1) * per_page` rows: a page past that range would overflow the offset
        // (a panic in debug builds, a negative OFFSET in release), so it is refused like any bad page.
        if (page - 1).checked_mul(per_page).is_none() {
            return Err(("page", "too large"));
        }
        Ok((page, per_page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_whose_offset_overflows_is_refused() {
        let q = |page, per_page| PageQuery {
            page: Some(page),
            per_page: Some(per_page),
        };
        assert_eq!(q(i64::MAX, 20).resolve(), Err(("page", "too large")));
        assert_eq!(q(i64::MAX, 1).resolve(), Ok((i64::MAX, 1)));
        assert_eq!(q(0, 20).resolve(), Err(("page", "must be 1 or more")));
        assert_eq!(q(3, 20).resolve(), Ok((3, 20)));
    }
}
