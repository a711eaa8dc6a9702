//! Invoice numbers: one continuous sequence per series (`F` invoices, `A` credit notes) and year,
//! `F-2026-000001`, with no gap and no duplicate (C. com. L441-9, CGI ann. II art. 242 nonies A).
//!
//! The number is taken in the issuing transaction by incrementing the counter row of the series and
//! year: PostgreSQL locks that row until the transaction ends, so concurrent issues queue behind it;
//! on SQLite every write transaction starts `BEGIN IMMEDIATE` (`db::transaction`) and holds the
//! database's write lock. A transaction that fails rolls its increment back with everything else, so
//! a refused issue leaves no hole. The unique index on (series, year, seq) is the last guard.

use diesel::prelude::*;

use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::invoice_counters as c;

pub const INVOICES: &str = "F";
pub const CREDIT_NOTES: &str = "A";

/// The next number of `series` in `year`; call it inside the transaction that writes the invoice.
pub fn next(conn: &mut Conn, series: &str, year: i64) -> Result<i64, ApiError> {
    let seq = crate::on_backend!(conn, |conn| {
        diesel::insert_into(c::table)
            .values((
                c::series.eq(series),
                c::year.eq(year),
                c::last_seq.eq(0_i64),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
        diesel::update(c::table.find((series, year)))
            .set(c::last_seq.eq(c::last_seq + 1))
            .returning(c::last_seq)
            .get_result::<i64>(conn)
    })?;
    Ok(seq)
}

/// `F-2026-000042`.
pub fn format(series: &str, year: i64, seq: i64) -> String {
    format!("{series}-{year}-{seq:06}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_padded_per_series_and_year() {
        assert_eq!(super::format("F", 2026, 42), "F-2026-000042");
        assert_eq!(super::format("A", 2027, 1), "A-2027-000001");
    }
}
