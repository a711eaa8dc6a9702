//! The demo's appointments: booked by the consultant (cells held, messages queued when ahead), and
//! signed by both parties, which holds them and records their session (see [`super::steps`]).

use boussole_shared::appointments::{AppointmentKind, AppointmentStatus, Party};
use boussole_shared::bilans::SessionMode;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::steps::Demo;
use crate::appointments::{AppointmentRow, attendance, hold_cells, messages};
use crate::bilans::model::{self, BilanRow};
use crate::db::{self, Conn};
use crate::journal::{self, Actor};
use crate::schema::{appointments, attendance_signatures};

impl Demo<'_> {
    /// The consultant books an appointment (the cells held against double booking, the messages and
    /// reminders queued when it is ahead), `when` being the day it was booked.
    #[allow(clippy::too_many_arguments)]
    pub fn book(
        &self,
        conn: &mut Conn,
        bilan: &BilanRow,
        kind: AppointmentKind,
        mode: SessionMode,
        start: NaiveDateTime,
        minutes: i64,
        when: NaiveDateTime,
    ) -> anyhow::Result<AppointmentRow> {
        use rand::RngCore;
        let mut room = [0u8; 16];
        rand::rng().fill_bytes(&mut room);
        let row = AppointmentRow {
            id: db::new_id(),
            bilan_id: bilan.id.clone(),
            consultant_id: self.consultant.clone(),
            beneficiary_id: bilan.beneficiary_id.clone(),
            kind: kind.as_str().into(),
            mode: mode.as_str().into(),
            place: (mode == SessionMode::OnSite)
                .then(|| "12 rue de la République, 69002 Lyon".to_string()),
            starts_at: start,
            ends_at: start + Duration::minutes(minutes),
            buffer_minutes: 15,
            status: AppointmentStatus::Booked.as_str().into(),
            room: (mode == SessionMode::Remote).then(|| format!("boussole-{}", hex::encode(room))),
            attendance_secret: crate::auth::totp::new_secret(),
            absent: None,
            session_id: None,
            booked_by: self.consultant.clone(),
            cancelled_at: None,
            cancel_reason: None,
            created_at: when,
            updated_at: when,
        };
        self.step(conn, &bilan.id, when, |conn| {
            diesel::insert_into(appointments::table).values(&row).execute(conn)?;
            hold_cells(conn, &row)?;
            if start > self.now {
                messages::queue(conn, self.config, &row, messages::Change::Booked)?;
            }
            let details = serde_json::json!({ "appointment": row.id, "kind": row.kind, "starts_at": row.starts_at });
            model::event(conn, &row.bilan_id, "appointment_booked", Some(&self.consultant), details.clone(), false)?;
            journal::record(conn, &Actor::user(&self.consultant, None), "appointment.book", "appointment", Some(&row.id), details)?;
            Ok(())
        })?;
        Ok(row)
    }

    /// Both parties sign the attendance sheet at the end of the appointment: it is held, and its
    /// session counts in the bilan's hours.
    pub fn sign_both(&self, conn: &mut Conn, mut row: AppointmentRow) -> anyhow::Result<()> {
        let when = row.ends_at - Duration::minutes(5);
        let bilan = row.bilan_id.clone();
        self.step(conn, &bilan, when, |conn| {
            for (party, user) in [
                (Party::Consultant, row.consultant_id.clone()),
                (Party::Beneficiary, row.beneficiary_id.clone()),
            ] {
                diesel::insert_into(attendance_signatures::table)
                    .values((
                        attendance_signatures::id.eq(db::new_id()),
                        attendance_signatures::appointment_id.eq(&row.id),
                        attendance_signatures::user_id.eq(&user),
                        attendance_signatures::party.eq(party.as_str()),
                        attendance_signatures::method.eq("click"),
                        attendance_signatures::signed_at.eq(when),
                        attendance_signatures::session_id.eq("seed-demo"),
                    ))
                    .execute(conn)?;
                let details = serde_json::json!({ "party": party.as_str(), "method": "click" });
                journal::record(
                    conn,
                    &Actor::user(&user, None),
                    "appointment.sign",
                    "appointment",
                    Some(&row.id),
                    details,
                )?;
            }
            attendance::hold(conn, &mut row)?;
            let details = serde_json::json!({ "appointment": row.id, "session": row.session_id });
            Ok(model::event(
                conn,
                &row.bilan_id,
                "appointment_held",
                Some(&row.beneficiary_id),
                details,
                false,
            )?)
        })
    }
}
