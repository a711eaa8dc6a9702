//! A beneficiaries file: each line checked as `POST /api/v1/beneficiaries` checks its body, plus the
//! duplicates inside the file; each created beneficiary invited exactly as that route does.

use boussole_shared::bilans::{NewBeneficiary, Situation};
use boussole_shared::field_rules::FieldRule;
use boussole_shared::imports::ImportLineError;
use boussole_shared::users::Civility;
use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::file::{FirstSeen, Line, error, errors_of};
use crate::beneficiaries::{checked, refuse_existing};
use crate::db::Conn;
use crate::error::ApiError;

pub const COLUMNS: &[&str] = &[
    "email",
    "first_name",
    "last_name",
    "civility",
    "phone",
    "locale",
    "date_of_birth",
    "situation",
    "current_job",
    "education_level",
    "employer_name",
    "employer_siret",
    "employer_contact",
    "cep_adviser",
    "external_ref",
];
pub const REQUIRED: &[&str] = &["email", "first_name", "last_name"];
pub const TEMPLATE: &str = "email;first_name;last_name;civility;phone;locale;date_of_birth;situation;current_job;education_level;employer_name;employer_siret;employer_contact;cep_adviser;external_ref\n\
camille.martin@example.fr;Camille;Martin;mme;06 12 34 56 78;fr;1985-04-12;employee_cdi;Comptable;Bac+3;Menuiserie Roux;73282932000074;M. Roux;;CRM-0001\n";

fn column(field: &str) -> String {
    match field {
        "employer" | "employer.name" => "employer_name".into(),
        "employer.siret" => "employer_siret".into(),
        "employer.contact" => "employer_contact".into(),
        f => f.to_string(),
    }
}

/// The line as the body of `POST /api/v1/beneficiaries`, or why it cannot be one.
fn to_new(line: &Line) -> Result<NewBeneficiary, Vec<ImportLineError>> {
    let n = line.number;
    let get = |k: &str| line.cells.get(k).map(String::as_str);
    let mut errors = Vec::new();
    for (col, what) in [
        ("email", "adresse e-mail manquante"),
        ("first_name", "prénom manquant"),
        ("last_name", "nom manquant"),
    ] {
        if get(col).is_none() {
            errors.push(error(n, Some(col), Some(FieldRule::Required), what));
        }
    }
    let mut body = Map::new();
    for col in [
        "email",
        "first_name",
        "last_name",
        "phone",
        "locale",
        "current_job",
        "education_level",
        "cep_adviser",
        "external_ref",
    ] {
        if let Some(v) = get(col) {
            body.insert(col.into(), Value::String(v.into()));
        }
    }
    if let Some(v) = get("locale")
        && !["fr", "en"].contains(&v)
    {
        errors.push(error(
            n,
            Some("locale"),
            Some(FieldRule::Unknown),
            format!("langue inconnue « {v} » (fr ou en)"),
        ));
    }
    if let Some(v) = get("civility") {
        match Civility::parse(&v.to_lowercase()) {
            Some(_) => {
                body.insert("civility".into(), Value::String(v.to_lowercase()));
            }
            None => errors.push(error(
                n,
                Some("civility"),
                Some(FieldRule::Unknown),
                format!("civilité inconnue « {v} » (mme ou m)"),
            )),
        }
    }
    if let Some(v) = get("situation") {
        match Situation::parse(v) {
            Some(s) => {
                body.insert("situation".into(), Value::String(s.as_str().into()));
            }
            None => {
                let known: Vec<&str> = Situation::ALL.iter().map(|s| s.as_str()).collect();
                errors.push(error(
                    n,
                    Some("situation"),
                    Some(FieldRule::Unknown),
                    format!(
                        "situation inconnue « {v} » (attendues : {})",
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    if let Some(v) = get("date_of_birth") {
        match NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(v, "%d/%m/%Y"))
        {
            Ok(d) => {
                body.insert("date_of_birth".into(), Value::String(d.to_string()));
            }
            Err(_) => errors.push(error(
                n,
                Some("date_of_birth"),
                Some(FieldRule::Format),
                format!("date invalide « {v} » (AAAA-MM-JJ ou JJ/MM/AAAA)"),
            )),
        }
    }
    match get("employer_name") {
        Some(name) => {
            let mut e = Map::new();
            e.insert("name".into(), Value::String(name.into()));
            if let Some(s) = get("employer_siret") {
                e.insert("siret".into(), Value::String(s.replace(' ', "")));
            }
            if let Some(c) = get("employer_contact") {
                e.insert("contact".into(), Value::String(c.into()));
            }
            body.insert("employer".into(), Value::Object(e));
        }
        None if get("employer_siret").is_some() || get("employer_contact").is_some() => {
            errors.push(error(
                n,
                Some("employer_name"),
                Some(FieldRule::Required),
                "nom de l'employeur manquant",
            ));
        }
        None => {}
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let new: NewBeneficiary = serde_json::from_value(Value::Object(body)).map_err(|e| {
        vec![error(
            n,
            None,
            Some(FieldRule::Format),
            format!("ligne invalide : {e}"),
        )]
    })?;
    checked(&new).map_err(|e| errors_of(n, e, column))?;
    Ok(new)
}

/// Every line checked (fields, duplicates in the file, accounts and CRM ids already recorded): the
/// good ones, and the errors of the others.
pub fn check(
    conn: &mut Conn,
    lines: &[Line],
) -> Result<(Vec<NewBeneficiary>, Vec<ImportLineError>), ApiError> {
    let (mut good, mut errors) = (Vec::new(), Vec::new());
    let (mut emails, mut refs) = (FirstSeen::default(), FirstSeen::default());
    for line in lines {
        let n = line.number;
        let new = match to_new(line) {
            Ok(new) => new,
            Err(e) => {
                errors.extend(e);
                continue;
            }
        };
        let email = Some(new.email.to_lowercase());
        let mut bad: Vec<_> = [
            emails.repeated(n, "email", email, "adresse déjà présente"),
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
        if bad.is_empty() {
            match refuse_existing(conn, &new) {
                Ok(()) => {}
                Err(ApiError::AlreadyExists { detail, .. }) => {
                    let col = if detail.contains("adresse") {
                        "email"
                    } else {
                        "external_ref"
                    };
                    bad.push(error(
                        n,
                        Some(col),
                        Some(FieldRule::Taken),
                        format!("{detail} (déjà enregistré)"),
                    ));
                }
                Err(e) => return Err(e),
            }
        }
        if bad.is_empty() {
            good.push(new);
        } else {
            errors.extend(bad);
        }
    }
    Ok((good, errors))
}
