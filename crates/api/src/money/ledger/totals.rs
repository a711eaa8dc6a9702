//! Invoice arithmetic in integer cents. VAT is computed once on the net total of the document (as
//! EN 16931 does per VAT category, BR-CO-17), rounded half away from zero to the cent; never per line,
//! where rounding errors would add up. Every function refuses an overflow instead of wrapping.

/// The net total of one line: quantity × unit price.
pub fn line_total(quantity: i64, unit_price_cents: i64) -> Option<i64> {
    quantity.checked_mul(unit_price_cents)
}

/// `rate_bp` basis points (2000 = 20 %) of `cents`, rounded half away from zero to the cent.
pub fn rate_of(cents: i64, rate_bp: i64) -> Option<i64> {
    let product = i128::from(cents) * i128::from(rate_bp);
    let rounded = (product.abs() + 5_000) / 10_000;
    i64::try_from(if product < 0 { -rounded } else { rounded }).ok()
}

/// At most `rate_bp` of `cents`, rounded down: a ceiling that rounding must not push over (the 30 %
/// a self-funded beneficiary may be asked up front, L6353-6).
pub fn share_floor(cents: i64, rate_bp: i64) -> Option<i64> {
    let product = i128::from(cents) * i128::from(rate_bp);
    i64::try_from(product.div_euclid(10_000)).ok()
}

/// The totals of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub excl_vat_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
}

/// The totals of `(quantity, unit price)` lines at `rate_bp` (0 when exempt).
pub fn totals(lines: &[(i64, i64)], rate_bp: i64) -> Option<Totals> {
    let excl_vat_cents = lines
        .iter()
        .try_fold(0i64, |sum, &(q, p)| sum.checked_add(line_total(q, p)?))?;
    let vat_cents = rate_of(excl_vat_cents, rate_bp)?;
    Some(Totals {
        excl_vat_cents,
        vat_cents,
        total_cents: excl_vat_cents.checked_add(vat_cents)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_is_rounded_half_away_from_zero_to_the_cent() {
        assert_eq!(rate_of(180_000, 2000), Some(36_000));
        // 0,125 € → 0,13 €; 0,124999… never reaches it.
        assert_eq!(rate_of(62, 2000), Some(12)); // 12,4 cents
        assert_eq!(rate_of(63, 2000), Some(13)); // 12,6 cents
        assert_eq!(rate_of(1_025, 2000), Some(205));
        assert_eq!(rate_of(1, 5000), Some(1)); // exactly half a cent rounds up
        assert_eq!(rate_of(-1, 5000), Some(-1)); // and symmetrically for a credit note
        assert_eq!(rate_of(-63, 2000), Some(-13));
        assert_eq!(rate_of(12_345, 0), Some(0));
        assert_eq!(rate_of(i64::MAX, 10_000), Some(i64::MAX));
        assert_eq!(rate_of(i64::MAX, 20_000), None);
    }

    #[test]
    fn vat_is_computed_on_the_total_not_summed_per_line() {
        // Three lines of 0,33 €: per-line VAT would be 3 × 0,07 = 0,21 €; on the total 0,99 € it is 0,20 €.
        let t = totals(&[(1, 33), (1, 33), (1, 33)], 2000).unwrap();
        assert_eq!(
            t,
            Totals {
                excl_vat_cents: 99,
                vat_cents: 20,
                total_cents: 119
            }
        );
        let exempt = totals(&[(14, 12_857), (1, 2)], 0).unwrap();
        assert_eq!(exempt.excl_vat_cents, 180_000);
        assert_eq!(exempt.vat_cents, 0);
        assert_eq!(exempt.total_cents, 180_000);
    }

    #[test]
    fn overflows_are_refused_not_wrapped() {
        assert_eq!(line_total(i64::MAX, 2), None);
        assert_eq!(totals(&[(1, i64::MAX), (1, 1)], 0), None);
        assert_eq!(totals(&[(1, i64::MAX)], 2000), None);
    }

    #[test]
    fn a_share_never_exceeds_its_rate() {
        assert_eq!(share_floor(180_000, 3000), Some(54_000));
        assert_eq!(share_floor(99_999, 3000), Some(29_999)); // 29 999,7 cents: not rounded up
        assert_eq!(share_floor(1, 3000), Some(0));
        for total in [1, 7, 333, 10_001, 123_457, 100_000_000] {
            let s = share_floor(total, 3000).unwrap();
            assert!(s * 10 <= total * 3 && (s + 1) * 10 > total * 3);
        }
    }
}
