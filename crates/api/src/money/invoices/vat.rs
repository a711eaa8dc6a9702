//! VAT on invoices: 20 % (the standard rate), or the exemption of continuing vocational training,
//! whose printed wording is dated data (DOMAIN.md §4.1).
//!
//! The exemption is CGI art. 261-4-4° a. Ordonnance 2025-1247 moves the VAT rules to the CIBS from
//! 1 September 2026, and invoices may keep citing the CGI until 31 December 2027. We could not verify
//! the CIBS article that replaces 261-4-4° a, so the table keeps the CGI wording, valid until the end
//! of that tolerance; after it, issuing refuses (422 `vat-mention-unknown`) rather than print a
//! reference that may be wrong. Add the CIBS row here once its number is confirmed.

use chrono::NaiveDate;

/// The standard rate, in basis points.
pub const STANDARD_RATE_BP: i64 = 2000;

/// A legal wording and the days it may be printed on (both ends included).
pub struct Dated {
    pub text: &'static str,
    pub from: (i32, u32, u32),
    pub until: (i32, u32, u32),
}

pub const EXEMPTION: &[Dated] = &[Dated {
    text: "Exonération de TVA – article 261-4-4° a du CGI",
    // Since the 1991 version of the article, and until the end of the CGI tolerance.
    from: (1991, 1, 1),
    until: (2027, 12, 31),
}];

/// The exemption wording to print on an invoice issued on `day`, if the table has one.
pub fn exemption_mention(day: NaiveDate) -> Option<&'static str> {
    let date = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d);
    EXEMPTION
        .iter()
        .find(|m| date(m.from).is_some_and(|f| f <= day) && date(m.until).is_some_and(|u| day <= u))
        .map(|m| m.text)
}

/// VAT on `excl_cents` at `rate_bp`, rounded half up to the cent (for a positive amount).
pub fn vat_of(excl_cents: i64, rate_bp: i64) -> i64 {
    (excl_cents * rate_bp + 5_000) / 10_000
}

/// An amount including VAT split into (excluding VAT, VAT), the two summing to it exactly.
pub fn split(incl_cents: i64, rate_bp: i64) -> (i64, i64) {
    let excl = (incl_cents * 10_000 + (10_000 + rate_bp) / 2) / (10_000 + rate_bp);
    (excl, incl_cents - excl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cgi_wording_is_printed_until_the_end_of_2027_only() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            exemption_mention(day(2026, 12, 7)),
            Some("Exonération de TVA – article 261-4-4° a du CGI")
        );
        assert!(exemption_mention(day(2027, 12, 31)).is_some());
        assert_eq!(exemption_mention(day(2028, 1, 1)), None);
    }

    #[test]
    fn vat_rounds_half_up_and_splits_back_exactly() {
        assert_eq!(vat_of(150_000, 2000), 30_000);
        assert_eq!(vat_of(1, 2000), 0);
        assert_eq!(vat_of(3, 2000), 1);
        assert_eq!(split(180_000, 2000), (150_000, 30_000));
        let (e, v) = split(99_999, 2000);
        assert_eq!(e + v, 99_999);
        assert_eq!(e, 83_333);
        assert_eq!(split(5_000, 0), (5_000, 0));
    }
}
