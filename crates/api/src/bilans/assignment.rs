//! Who follows a bilan. A change of consultant is never silent (issue 10, item 2): the beneficiary
//! reads it on the timeline and receives an email naming the new consultant. The bilan's future
//! appointments follow the assignment (item 4): `appointments::reassign` hands them over in the same
//! transaction (appointments depend on bilans, never the other way round).

use diesel::prelude::*;

use super::model;
use crate::audit::{self, Actor};
use crate::config::Config;
use crate::db;
use crate::error::ApiError;
use crate::notify::outbox::{self, Channel, Outgoing};
use crate::schema::bilan_consultants;
use crate::users::model as users_model;

/// Ends the current assignments and assigns `consultant_id`, keeping the history; the timeline event
/// names the consultant (the beneficiary reads it).
pub fn assign(
    conn: &mut db::Conn,
    bilan_id: &str,
    consultant_id: &str,
    by: &str,
) -> Result<(), ApiError> {
    let now = db::now();
    diesel::update(
        bilan_consultants::table
            .filter(bilan_consultants::bilan_id.eq(bilan_id))
            .filter(bilan_consultants::unassigned_at.is_null()),
    )
    .set(bilan_consultants::unassigned_at.eq(now))
    .execute(conn)?;
    diesel::insert_into(bilan_consultants::table)
        .values((
            bilan_consultants::id.eq(db::new_id()),
            bilan_consultants::bilan_id.eq(bilan_id),
            bilan_consultants::consultant_id.eq(consultant_id),
            bilan_consultants::assigned_by.eq(by),
            bilan_consultants::assigned_at.eq(now),
        ))
        .execute(conn)?;
    let person = model::person(conn, consultant_id)?;
    model::event(
        conn,
        bilan_id,
        "assignment",
        Some(by),
        serde_json::json!({
            "consultant_id": consultant_id,
            "consultant_name": format!("{} {}", person.first_name, person.last_name),
        }),
        false,
    )?;
    Ok(())
}

/// Gives the bilan to `consultant_id` (the caller checked the account): the assignment (by the
/// account `by`), the journal (under `actor`, maybe an API key), and the beneficiary's email, in the
/// caller's transaction.
pub fn reassign(
    conn: &mut db::Conn,
    config: &Config,
    actor: &Actor,
    by: &str,
    bilan_id: &str,
    beneficiary_id: &str,
    consultant_id: &str,
) -> Result<(), ApiError> {
    assign(conn, bilan_id, consultant_id, by)?;
    audit::record(
        conn,
        actor,
        "bilan.assign",
        "bilan",
        Some(bilan_id),
        serde_json::json!({ "consultant_id": consultant_id }),
    )?;
    let beneficiary = users_model::find_by_id(conn, beneficiary_id)?.ok_or(ApiError::NotFound)?;
    let consultant = users_model::find_by_id(conn, consultant_id)?.ok_or(ApiError::NotFound)?;
    outbox::enqueue(
        conn,
        &Outgoing {
            channel: Channel::Email,
            recipient: beneficiary.email.clone(),
            kind: "bilan_assigned",
            subject: format!(
                "Votre bilan est désormais suivi par {}",
                consultant.display_name()
            ),
            body: format!(
                "Bonjour {},\n\nVotre bilan de compétences est désormais suivi par {}. Seuls vous et votre consultant pouvez lire son contenu ; la page de votre bilan montre qui l'a consulté.\n\nSi vous n'attendiez pas ce changement, dites-le depuis la page de votre bilan : {}/beneficiaire\n",
                beneficiary.first_name,
                consultant.display_name(),
                config.public_url,
            ),
            ics: None,
            appointment_id: None,
            not_before: db::now(),
        },
    )?;
    Ok(())
}
