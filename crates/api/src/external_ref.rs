//! The CRM's own ids (`external_ref`) on beneficiaries, bilans and company payers, so that a CRM never
//! has to keep Boussole's ids: each unique among its kind of record (a unique index on each table is
//! the backstop when two requests race), and looked up with `?external_ref=` on the list routes.

use diesel::prelude::*;

use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::{beneficiary_profiles, bilans, payers};

/// The kinds of record that carry one.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Beneficiary,
    Bilan,
    Payer,
}

/// The record of `kind` that holds `external_ref`, if any.
pub fn holder(conn: &mut Conn, kind: Kind, external_ref: &str) -> QueryResult<Option<String>> {
    match kind {
        Kind::Beneficiary => beneficiary_profiles::table
            .filter(beneficiary_profiles::external_ref.eq(external_ref))
            .select(beneficiary_profiles::user_id)
            .first(conn)
            .optional(),
        Kind::Bilan => bilans::table
            .filter(bilans::external_ref.eq(external_ref))
            .select(bilans::id)
            .first(conn)
            .optional(),
        Kind::Payer => payers::table
            .filter(payers::external_ref.eq(external_ref))
            .select(payers::id)
            .first(conn)
            .optional(),
    }
}

/// 409 `already-exists` naming the record that holds `external_ref` already, unless it is `own`
/// (the record being updated).
pub fn ensure_free(
    conn: &mut Conn,
    kind: Kind,
    external_ref: Option<&str>,
    own: Option<&str>,
) -> Result<(), ApiError> {
    let Some(external_ref) = external_ref else {
        return Ok(());
    };
    match holder(conn, kind, external_ref)? {
        Some(id) if Some(id.as_str()) != own => Err(ApiError::AlreadyExists {
            detail: format!("La référence externe « {external_ref} » est déjà utilisée."),
            existing_id: Some(id),
        }),
        _ => Ok(()),
    }
}
