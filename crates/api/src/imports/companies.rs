//! A companies file: each line checked as `POST /api/v1/payers` checks a company payer (SIRET with
//! its Luhn key), plus the duplicates inside the file.

use boussole_shared::field_rules::FieldRule;
use boussole_shared::imports::ImportLineError;
use boussole_shared::money::{NewPayer, PayerKind};

use super::file::{FirstSeen, Line, error, errors_of};
use crate::db::Conn;
use crate::error::ApiError;
use crate::external_ref::{self, Kind};
use crate::money::payers;

pub const COLUMNS: &[&str] = &[
    "name",
    "siret",
    "vat_number",
    "address",
    "contact_name",
    "email",
    "external_ref",
];
pub const REQUIRED: &[&str] = &["name", "siret", "address"];
pub const TEMPLATE: &str = "name;siret;vat_number;address;contact_name;email;external_ref\n\
Menuiserie Roux;73282932000074;FR44732829320;12 rue des Artisans, 69003 Lyon;M. Roux;rh@menuiserie-roux.example;CRM-ENT-0001\n";

fn to_new(line: &Line) -> NewPayer {
    let get = |k: &str| line.cells.get(k).cloned();
    NewPayer {
        kind: Some(PayerKind::Company),
        name: get("name").unwrap_or_default(),
        siret: get("siret"),
        vat_number: get("vat_number"),
        address: get("address").unwrap_or_default(),
        contact_name: get("contact_name").unwrap_or_default(),
        email: get("email").unwrap_or_default(),
        user_id: None,
        external_ref: get("external_ref"),
    }
}

/// Every line checked: the good ones, and the errors of the others.
pub fn check(
    conn: &mut Conn,
    lines: &[Line],
) -> Result<(Vec<NewPayer>, Vec<ImportLineError>), ApiError> {
    let (mut good, mut errors) = (Vec::new(), Vec::new());
    let (mut sirets, mut refs) = (FirstSeen::default(), FirstSeen::default());
    for line in lines {
        let n = line.number;
        let new = match payers::checked(conn, to_new(line)) {
            Ok((_, new)) => new,
            Err(e @ ApiError::Validation(_)) => {
                errors.extend(errors_of(n, e, str::to_string));
                continue;
            }
            Err(e) => return Err(e),
        };
        let mut bad: Vec<_> = [
            sirets.repeated(n, "siret", new.siret.clone(), "SIRET déjà présent"),
            refs.repeated(
                n,
                "external_ref",
                new.external_ref.clone(),
                "référence externe déjà présente",
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        match external_ref::ensure_free(conn, Kind::Payer, new.external_ref.as_deref(), None) {
            Ok(()) => {}
            Err(ApiError::AlreadyExists { detail, .. }) => {
                bad.push(error(
                    n,
                    Some("external_ref"),
                    Some(FieldRule::Taken),
                    format!("{detail} (déjà enregistrée)"),
                ));
            }
            Err(e) => return Err(e),
        }
        if bad.is_empty() {
            good.push(new);
        } else {
            errors.extend(bad);
        }
    }
    Ok((good, errors))
}
