//! The rules an invoice must pass before it is numbered: the seller's identity complete (C. com.
//! L441-9), what is left on the funding line, and the self-funded rules of L6353-5/-6.

use boussole_shared::Slug;
use boussole_shared::bilans::{BilanStatus, FactKind};
use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::money::{FundingStatus, PayerKind, format_cents};
use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use super::pdf;
use crate::bilans::model::BilanRow;
use crate::db::Conn;
use crate::error::ApiError;
use crate::money::fundings::{self, FundingRow};
use crate::schema::{bilan_facts, invoices, payers};

/// L6353-6: at most this share of the price may be invoiced to a self-funded beneficiary before the
/// end of the action.
const ADVANCE_PERCENT: i64 = 30;

pub fn rule(slug: Slug, detail: String) -> ApiError {
    ApiError::Rule {
        slug,
        detail,
        missing: vec![],
    }
}

/// What the seller's identity lacks for an invoice (C. com. L441-9, DOMAIN.md §4.2), named
/// `organisation.<field>` like the documents' 422.
pub fn seller_missing(org: &OrganisationIdentity) -> Vec<String> {
    let mut fields = vec![
        "name",
        "address",
        "siret",
        "nda",
        "nda_region",
        "legal_form",
    ];
    if pdf::is_company(&org.legal_form) {
        fields.extend(["share_capital", "rcs_city"]);
    }
    if !org.vat_exempt {
        fields.push("vat_number");
    }
    org.missing(&fields)
}

pub fn seller(conn: &mut Conn) -> Result<OrganisationIdentity, ApiError> {
    let org = crate::settings::organisation(conn)?;
    let missing = seller_missing(&org);
    if !missing.is_empty() {
        return Err(ApiError::Rule {
            slug: Slug::DOCUMENT_DATA_MISSING,
            detail: "La facture ne peut pas être émise : des données de l'organisme manquent."
                .into(),
            missing,
        });
    }
    Ok(org)
}

/// Net invoiced on the funding line must stay within its amount; only an agreed line is invoiced.
pub fn funding_rules(conn: &mut Conn, f: &FundingRow, total: i64) -> Result<(), ApiError> {
    if !matches!(f.status()?, FundingStatus::Agreed | FundingStatus::Paid) {
        return Err(rule(
            Slug::FUNDING_NOT_AGREED,
            "Cette ligne de financement n'est pas accordée : elle ne peut pas encore être facturée.".into(),
        ));
    }
    let done = *fundings::invoiced(conn, &[f.id.as_str()])?
        .get(&f.id)
        .unwrap_or(&0);
    let left = f.amount_cents - done;
    if total > left {
        return Err(rule(
            Slug::FUNDING_EXCEEDED,
            format!(
                "La facture ({}) dépasse ce qui reste à facturer sur cette ligne de financement ({}).",
                format_cents(total),
                format_cents(left.max(0))
            ),
        ));
    }
    Ok(())
}

/// L6353-5 and -6 for a self-funded beneficiary: nothing before the 10-day withdrawal period after the
/// individual contract is signed has ended; then, until the bilan is over, at most 30 % of its price.
pub fn self_funded_rules(
    conn: &mut Conn,
    bilan: &BilanRow,
    funding: Option<&FundingRow>,
    org: &OrganisationIdentity,
    total: i64,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let signed: Option<NaiveDate> = bilan_facts::table
        .filter(bilan_facts::bilan_id.eq(&bilan.id))
        .filter(bilan_facts::kind.eq(FactKind::IndividualContractSigned.as_str()))
        .select(diesel::dsl::max(bilan_facts::occurred_on))
        .first(conn)?;
    let days = Days::new(crate::bilans::workflow::WITHDRAWAL_DAYS);
    match signed.and_then(|s| s.checked_add_days(days)) {
        Some(end) if end <= today => {}
        Some(end) => {
            return Err(rule(
                Slug::WITHDRAWAL_PERIOD,
                format!(
                    "Le délai de rétractation de 10 jours court jusqu'au {} : rien ne peut être facturé au bénéficiaire avant (L6353-6).",
                    (end - Days::new(1)).format("%d/%m/%Y")
                ),
            ));
        }
        None => {
            return Err(rule(
                Slug::WITHDRAWAL_PERIOD,
                "Le contrat individuel n'est pas signé (fait « contrat individuel signé ») : rien ne peut être facturé au bénéficiaire (L6353-5).".into(),
            ));
        }
    }
    if matches!(
        bilan.status()?,
        BilanStatus::Completed | BilanStatus::Closed | BilanStatus::Abandoned
    ) {
        return Ok(());
    }
    let price = match (funding, org.price_cents) {
        (Some(f), _) => f.amount_cents,
        (None, Some(p)) => p,
        (None, None) => {
            return Err(ApiError::Rule {
                slug: Slug::DOCUMENT_DATA_MISSING,
                detail:
                    "Le prix du bilan est nécessaire pour vérifier la limite de 30 % (L6353-6)."
                        .into(),
                missing: vec!["organisation.price_cents".into()],
            });
        }
    };
    let already: Vec<i64> = invoices::table
        .inner_join(payers::table.on(payers::id.eq(invoices::payer_id)))
        .filter(invoices::bilan_id.eq(&bilan.id))
        .filter(payers::kind.eq(PayerKind::Beneficiary.as_str()))
        .select(invoices::total_cents)
        .load(conn)?;
    let already: i64 = already.iter().sum();
    if (already + total) * 100 > price * ADVANCE_PERCENT {
        return Err(rule(
            Slug::ADVANCE_OVER_30_PERCENT,
            format!(
                "Avant la fin du bilan, au plus 30 % de son prix ({}) peut être facturé au bénéficiaire (L6353-6) : {} l'est déjà.",
                format_cents(price * ADVANCE_PERCENT / 100),
                format_cents(already)
            ),
        ));
    }
    Ok(())
}
