//! Appointments: the typed calls of booking and attendance, and the started bilan most appointment
//! tests book on.

use boussole_shared::appointments::{
    Appointment, AppointmentChange, AppointmentKind, AttendanceAction, AttendanceSheet,
    NewAppointment, Slot,
};
use boussole_shared::bilans::{FundingMode, SessionMode};
use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike, Utc};
use uuid::Uuid;

use super::{ADMIN, Answer, BENEFICIARY, CONSULTANT, TestApp, start_bilan};

impl TestApp {
    pub async fn book(&self, token: &str, appointment: &NewAppointment) -> Answer<Appointment> {
        self.post_as("/api/v1/appointments", Some(token), appointment)
            .await
    }

    pub async fn appointment(&self, token: &str, id: Uuid) -> Answer<Appointment> {
        self.get_as(&format!("/api/v1/appointments/{id}"), token)
            .await
    }

    /// Moves or cancels an appointment.
    pub async fn change_appointment(
        &self,
        token: &str,
        id: Uuid,
        change: &AppointmentChange,
    ) -> Answer<Appointment> {
        let path = format!("/api/v1/appointments/{id}");
        self.patch_as(&path, token, change).await
    }

    pub async fn attendance(&self, token: &str, id: Uuid) -> Answer<AttendanceSheet> {
        let path = format!("/api/v1/appointments/{id}/attendance");
        self.get_as(&path, token).await
    }

    /// Signs the attendance or records a no-show.
    pub async fn attend(
        &self,
        token: &str,
        id: Uuid,
        action: &AttendanceAction,
    ) -> Answer<AttendanceSheet> {
        let path = format!("/api/v1/appointments/{id}/attendance");
        self.post_as(&path, Some(token), action).await
    }

    /// A consultant's free slots between two Paris dates (both included).
    pub async fn slots(
        &self,
        token: &str,
        consultant: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Answer<Vec<Slot>> {
        let path = format!("/api/v1/consultants/{consultant}/slots?from={from}&to={to}");
        self.get_as(&path, token).await
    }
}

/// The next 5-minute boundary at least `minutes` from now (UTC).
pub fn in_minutes(minutes: i64) -> NaiveDateTime {
    let t = Utc::now().naive_utc() + Duration::minutes(minutes);
    let t = t.with_second(0).unwrap().with_nanosecond(0).unwrap();
    t + Duration::minutes((5 - i64::from(t.minute()) % 5) % 5)
}

/// The demo accounts' tokens and a bilan of the demo beneficiary and consultant.
#[derive(Clone)]
pub struct Setup {
    pub admin: String,
    pub consultant: String,
    pub beneficiary: String,
    pub consultant_id: Uuid,
    pub bilan: Uuid,
}

impl Setup {
    /// A bilan session of this bilan with its consultant at `start` (UTC); `minutes` only a
    /// consultant may choose (default the kind's duration).
    pub fn booking(
        &self,
        start: NaiveDateTime,
        mode: SessionMode,
        minutes: Option<i64>,
    ) -> NewAppointment {
        NewAppointment {
            bilan_id: self.bilan,
            consultant_id: self.consultant_id,
            kind: AppointmentKind::BilanSession,
            starts_at: Some(start.and_utc()),
            local_start: None,
            mode,
            duration_minutes: minutes,
        }
    }
}

/// A CPF bilan of the demo beneficiary and consultant, started (sessions are booked only once it runs).
pub async fn setup(app: &TestApp) -> Setup {
    let admin = app.token(ADMIN).await;
    let bilan = start_bilan(app, &admin, FundingMode::Cpf).await;
    Setup {
        consultant_id: app.user_id(&admin, CONSULTANT).await,
        consultant: app.token(CONSULTANT).await,
        beneficiary: app.token(BENEFICIARY).await,
        admin,
        bilan,
    }
}
