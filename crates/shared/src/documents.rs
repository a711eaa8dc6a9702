//! Issued documents (issue 12): the organisation's identity they print, the kinds of document, and
//! what the API says about an issued one.

use crate::field_rules::FieldRule;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The organisation as its documents name it (`GET/PUT /api/v1/settings/organisation`). Every field
/// may be saved empty: a document that needs one answers 422 naming it (`organisation.<field>`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OrganisationIdentity {
    /// Legal name (raison sociale).
    pub name: String,
    /// Postal address, lines separated by line breaks.
    pub address: String,
    /// The town the documents are signed in ("Fait à …").
    pub city: String,
    /// 14 digits, checked with the Luhn key.
    pub siret: String,
    /// Activity declaration number (NDA, L6351-1): 11 digits.
    pub nda: String,
    /// The region whose préfet registered the declaration (e.g. "Île-de-France").
    pub nda_region: String,
    /// Qualiopi certificate number.
    pub qualiopi_certificate: String,
    /// The body that certified the organisation.
    pub qualiopi_certifier: String,
    /// Exempt from VAT under CGI art. 261-4-4° a (continuing vocational training).
    pub vat_exempt: bool,
    /// Legal representative, who signs the documents.
    pub representative_name: String,
    /// Their title (e.g. "Gérante").
    pub representative_title: String,
    /// Disability referent (référent handicap).
    pub disability_referent_name: String,
    /// How to reach the disability referent (email or phone).
    pub disability_referent_contact: String,
    /// Contact for beneficiaries (email or phone), printed on the pre-contract information.
    pub contact: String,
    /// Price of a bilan, in euro cents (including VAT if any), for the pre-contract information.
    pub price_cents: Option<i64>,
    /// Payment terms (L6353-8), as printed.
    pub payment_terms: String,
    /// Cancellation and abandonment terms (L6353-8), as printed.
    pub cancellation_terms: String,
    /// Legal form (e.g. "SARL"), printed on invoices (C. com. L441-9).
    pub legal_form: String,
    /// Share capital as printed (e.g. "10 000 €").
    pub share_capital: String,
    /// The town of the trade register (RCS), e.g. "Lyon".
    pub rcs_city: String,
    /// Intra-community VAT number, when the organisation has one.
    pub vat_number: String,
    /// How to reach the data protection officer (DPO, GDPR art. 37), when one is designated: printed
    /// in the GDPR information notice; without one, the notice names the contact above.
    pub dpo_contact: String,
    /// The règlement intérieur (L6352-3), as printed and acknowledged by each beneficiary; 20,000
    /// characters at most. Absent from older clients' saves (then empty).
    pub reglement_interieur: String,
}

/// The longest règlement intérieur saved, in characters.
pub const REGLEMENT_INTERIEUR_MAX: usize = 20_000;

/// The fields that are always printed in a document's header (identity and the L6352-12 mention).
pub const HEADER_FIELDS: &[&str] = &["name", "address", "siret", "nda", "nda_region"];

impl OrganisationIdentity {
    fn text(&self, field: &str) -> Option<&str> {
        Some(match field {
            "name" => &self.name,
            "address" => &self.address,
            "city" => &self.city,
            "siret" => &self.siret,
            "nda" => &self.nda,
            "nda_region" => &self.nda_region,
            "qualiopi_certificate" => &self.qualiopi_certificate,
            "qualiopi_certifier" => &self.qualiopi_certifier,
            "representative_name" => &self.representative_name,
            "representative_title" => &self.representative_title,
            "disability_referent_name" => &self.disability_referent_name,
            "disability_referent_contact" => &self.disability_referent_contact,
            "contact" => &self.contact,
            "payment_terms" => &self.payment_terms,
            "cancellation_terms" => &self.cancellation_terms,
            "legal_form" => &self.legal_form,
            "share_capital" => &self.share_capital,
            "rcs_city" => &self.rcs_city,
            "vat_number" => &self.vat_number,
            "dpo_contact" => &self.dpo_contact,
            "reglement_interieur" => &self.reglement_interieur,
            _ => return None,
        })
    }

    /// Of `fields`, those left blank, named `organisation.<field>` (what a 422 lists).
    pub fn missing(&self, fields: &[&str]) -> Vec<String> {
        fields
            .iter()
            .filter(|f| match **f {
                "price_cents" => self.price_cents.is_none(),
                f => self.text(f).is_none_or(|t| t.trim().is_empty()),
            })
            .map(|f| format!("organisation.{f}"))
            .collect()
    }

    /// Field errors of a save: filled fields must be well formed; blank ones are allowed.
    pub fn errors(&self) -> BTreeMap<String, Vec<(FieldRule, String)>> {
        let mut errors: BTreeMap<String, Vec<(FieldRule, String)>> = BTreeMap::new();
        let mut add = |field: &str, rule: FieldRule, message: &str| {
            errors
                .entry(field.to_string())
                .or_default()
                .push((rule, message.to_string()));
        };
        let long = [
            ("address", 500),
            ("payment_terms", 2000),
            ("cancellation_terms", 2000),
            ("reglement_interieur", REGLEMENT_INTERIEUR_MAX),
        ];
        for field in [
            "name",
            "city",
            "siret",
            "nda",
            "nda_region",
            "qualiopi_certificate",
            "qualiopi_certifier",
            "representative_name",
            "representative_title",
            "disability_referent_name",
            "disability_referent_contact",
            "contact",
            "address",
            "payment_terms",
            "cancellation_terms",
            "legal_form",
            "share_capital",
            "rcs_city",
            "vat_number",
            "dpo_contact",
            "reglement_interieur",
        ] {
            let max = long.iter().find(|(f, _)| *f == field).map_or(200, |l| l.1);
            if self.text(field).is_some_and(|t| t.chars().count() > max) {
                add(
                    field,
                    FieldRule::TooLong,
                    &format!("{max} caractères au plus"),
                );
            }
        }
        let siret: String = self.siret.chars().filter(|c| *c != ' ').collect();
        if !siret.is_empty() && !crate::rules::siret_is_valid(&siret) {
            add(
                "siret",
                FieldRule::Siret,
                "SIRET invalide (14 chiffres, clé de contrôle)",
            );
        }
        let nda: String = self.nda.chars().filter(|c| *c != ' ').collect();
        if !nda.is_empty() && (nda.len() != 11 || !nda.chars().all(|c| c.is_ascii_digit())) {
            add(
                "nda",
                FieldRule::Format,
                "le numéro de déclaration d'activité a 11 chiffres",
            );
        }
        if self
            .price_cents
            .is_some_and(|p| !(0..=10_000_000).contains(&p))
        {
            add("price_cents", FieldRule::Range, "entre 0 et 100 000 €");
        }
        errors
    }
}

str_enum!(
    /// What kind of document is issued. All but the synthèse are the administrative proofs kept
    /// after the action (R6313-7), which admins may generate and read; the synthèse is bilan content
    /// (`is_content`).
    DocumentKind {
        /// Certificat de réalisation (the ministry's model, "bilan de compétences" ticked).
        CertificatRealisation = "certificat_realisation",
        /// The attendance sheet: held sessions with their signatures.
        AttendanceSheet = "attendance_sheet",
        /// Pre-contract information (L6353-8); issuing it records the `pre_contract_info` fact.
        PreContractInfo = "pre_contract_info",
        /// The tripartite convention between employer, employee and organisation (R6313-8), for a
        /// bilan under the employer's skills plan or a congé de reclassement; signing it records
        /// `tripartite_convention_signed`.
        TripartiteConvention = "tripartite_convention",
        /// The individual contract of a self-funded beneficiary (L6353-3 to L6353-7); signing it
        /// records `individual_contract_signed`.
        IndividualContract = "individual_contract",
        /// The document de synthèse (L6313-4), issued from the co-written synthèse once the
        /// beneficiary approved it; delivered to the beneficiary only. Bilan content.
        Synthese = "synthese",
        /// The beneficiary's consent to start (L6313-4) with the GDPR information notice and the
        /// optional agreements recorded; signed by the beneficiary.
        Consent = "consent",
        /// The convention between the organisation and the funder buying the action (D6353-1).
        FunderConvention = "funder_convention",
        /// The organisation's règlement intérieur (L6352-3), issued for the beneficiary, who
        /// acknowledges it (`reglement_interieur_acknowledged`).
        ReglementInterieur = "reglement_interieur",
    }
);

impl DocumentKind {
    /// The title printed on the document and kept in its metadata.
    pub fn title(self) -> &'static str {
        match self {
            DocumentKind::CertificatRealisation => "Certificat de réalisation",
            DocumentKind::AttendanceSheet => "Feuille d'émargement",
            DocumentKind::PreContractInfo => "Information préalable au contrat",
            DocumentKind::TripartiteConvention => "Convention tripartite de bilan de compétences",
            DocumentKind::IndividualContract => "Contrat de bilan de compétences",
            DocumentKind::Synthese => "Document de synthèse",
            DocumentKind::Consent => "Consentement au bilan de compétences",
            DocumentKind::FunderConvention => "Convention de financement",
            DocumentKind::ReglementInterieur => "Règlement intérieur",
        }
    }

    /// Whether the document is signed by its parties through a signature request (issue 12, item 3).
    /// The consent is signed by the beneficiary. The funder's convention is not signed in Boussole
    /// yet: funders have no signer role (it is sent to them and signed on their side).
    pub fn is_signable(self) -> bool {
        matches!(
            self,
            DocumentKind::TripartiteConvention
                | DocumentKind::IndividualContract
                | DocumentKind::Consent
        )
    }

    /// Whether the document holds bilan content (beneficiary and assigned consultants only, admins
    /// 403): the synthèse. It is not issued through `POST /bilans/{id}/documents` but from the
    /// approved synthèse, and it is destroyed with the bilan's content.
    pub fn is_content(self) -> bool {
        matches!(self, DocumentKind::Synthese)
    }
}

/// `POST /api/v1/bilans/{id}/documents`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDocument {
    pub kind: DocumentKind,
}

/// An issued document: immutable; issuing the same kind again makes the next version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedDocument {
    pub id: Uuid,
    pub bilan_id: Uuid,
    pub kind: DocumentKind,
    /// 1 for the first of its kind on the bilan, then 2, 3…
    pub version: i64,
    pub title: String,
    /// SHA-256 of the PDF as downloaded (hex).
    pub sha256: String,
    /// Size of the PDF in bytes.
    pub size: i64,
    pub issued_by: Uuid,
    pub issued_at: DateTime<Utc>,
}

/// `GET /api/v1/documents/verify?sha256=`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct VerifyQuery {
    /// SHA-256 of the PDF (64 hex digits).
    pub sha256: String,
}

/// Whether Boussole issued a document with that hash; nothing of its content.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentVerification {
    pub issued: bool,
    pub kind: Option<DocumentKind>,
    pub version: Option<i64>,
    pub issued_at: Option<DateTime<Utc>>,
    /// The PDF is the signed original: the document with the evidence page of its signatures.
    #[serde(default)]
    pub signed: bool,
    /// When the last signer signed (signed originals only).
    #[serde(default)]
    pub signed_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_identity_saves_and_lists_every_missing_field() {
        let id = OrganisationIdentity::default();
        assert!(id.errors().is_empty());
        assert_eq!(id.missing(HEADER_FIELDS).len(), HEADER_FIELDS.len());
        assert_eq!(
            id.missing(&["price_cents"]),
            vec!["organisation.price_cents"]
        );
    }

    #[test]
    fn malformed_siret_and_nda_are_field_errors() {
        let id = OrganisationIdentity {
            siret: "73282932000075".into(),
            nda: "1175".into(),
            ..Default::default()
        };
        let errors = id.errors();
        assert!(errors.contains_key("siret") && errors.contains_key("nda"));
        let ok = OrganisationIdentity {
            siret: "732 829 320 00074".into(),
            nda: "11 75 12345 75".into(),
            ..Default::default()
        };
        assert!(ok.errors().is_empty());
    }
}
