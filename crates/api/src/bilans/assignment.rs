//! Who follows a bilan. A change of consultant is never silent (issue 10, item 2): the beneficiary
//! reads it on the timeline and is notified of the new consultant (in the list, by email, by SMS as
//! they chose), who is notified too. The bilan's future appointments follow the assignment (item 4):
//! `appointments::reassign` hands them over in the same transaction (appointments depend on bilans,
//! never the other way round).

use boussole_shared::notifications::NotificationKind;
use diesel::prelude::*;

use super::model;
use crate::accounts as users_model;
use crate::config::Config;
use crate::db;
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::notifications::{self, Delivery, NewNotification};
use crate::schema::bilan_consultants;

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
/// account `by`), the journal (under `actor`, maybe an API key), and both people notified, in the
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
    journal::record(
        conn,
        actor,
        "bilan.assign",
        "bilan",
        Some(bilan_id),
        serde_json::json!({ "consultant_id": consultant_id }),
    )?;
    tell(conn, config, bilan_id, beneficiary_id, consultant_id, true)
}

/// Tells the consultant now assigned and the beneficiary, through the notification centre, in the
/// caller's transaction (`change`: a reassignment, whose email invites the beneficiary to say so if
/// they did not expect it).
pub fn tell(
    conn: &mut db::Conn,
    config: &Config,
    bilan_id: &str,
    beneficiary_id: &str,
    consultant_id: &str,
    change: bool,
) -> Result<(), ApiError> {
    let beneficiary = users_model::find_by_id(conn, beneficiary_id)?.ok_or(ApiError::NotFound)?;
    let consultant = users_model::find_by_id(conn, consultant_id)?.ok_or(ApiError::NotFound)?;
    let url = &config.public_url;
    let title = format!(
        "Votre bilan est désormais suivi par {}",
        consultant.display_name()
    );
    let unexpected = if change {
        format!(
            "\n\nSi vous n'attendiez pas ce changement, dites-le depuis la page de votre bilan : {url}/beneficiaire"
        )
    } else {
        String::new()
    };
    notifications::notify(
        conn,
        &NewNotification {
            user_id: beneficiary.id.clone(),
            kind: NotificationKind::ConsultantAssigned,
            title: title.clone(),
            subject: Some(consultant.display_name()),
            link: "/beneficiaire".into(),
            email: Some((
                title.clone(),
                format!(
                    "Bonjour {},\n\nVotre bilan de compétences est désormais suivi par {}. Seuls vous et votre consultant pouvez lire son contenu ; la page de votre bilan montre qui l'a consulté.{unexpected}\n",
                    beneficiary.first_name,
                    consultant.display_name(),
                ),
            )),
            sms: Some(format!("Boussole : {title}.")),
            delivery: Delivery {
                // The opening of a bilan, or a change of consultant (what `access` tests count).
                outbox_kind: Some(if change {
                    "bilan_assigned"
                } else {
                    "bilan_opened"
                }),
                ..Delivery::default()
            },
        },
    )?;
    let title = format!("Le bilan de {} vous est confié", beneficiary.display_name());
    notifications::notify(
        conn,
        &NewNotification {
            user_id: consultant.id.clone(),
            kind: NotificationKind::ConsultantAssigned,
            title: title.clone(),
            subject: Some(beneficiary.display_name()),
            link: format!("/bilans/{bilan_id}"),
            email: Some((
                title.clone(),
                format!(
                    "Bonjour {},\n\nLe bilan de compétences de {} vous est confié. Son dossier : {url}/bilans/{bilan_id}\n",
                    consultant.first_name,
                    beneficiary.display_name(),
                ),
            )),
            sms: Some(format!("Boussole : {title}.")),
            delivery: Delivery {
                outbox_kind: Some("bilan_entrusted"),
                ..Delivery::default()
            },
        },
    )?;
    Ok(())
}
