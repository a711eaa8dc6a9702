//! Appointments, availability, attendance, calendar feed and the outbox: one method per endpoint.

use boussole_shared::{
    Page,
    appointments::{
        Appointment, AppointmentChange, AppointmentFilter, AppointmentKind, AttendanceAction,
        AttendanceSheet, Availability, CalendarFeed, NewAppointment, OutboxFilter, OutboxMessage,
        OutboxStatus, Slot, SlotQuery, VideoEvent,
    },
};
use chrono::{NaiveDate, NaiveDateTime};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req};

impl Api {
    pub async fn availability(self, consultant: Uuid) -> ApiResult<Availability> {
        self.call(Req::new(
            Method::GET,
            format!("/consultants/{consultant}/availability"),
        ))
        .await
    }

    pub async fn put_availability(
        self,
        consultant: Uuid,
        body: &Availability,
    ) -> ApiResult<Availability> {
        self.call(
            Req::new(
                Method::PUT,
                format!("/consultants/{consultant}/availability"),
            )
            .json(body),
        )
        .await
    }

    /// Free slots between two Paris dates, both included.
    pub async fn slots(
        self,
        consultant: Uuid,
        kind: AppointmentKind,
        from: NaiveDate,
        to: NaiveDate,
    ) -> ApiResult<Vec<Slot>> {
        let q = SlotQuery {
            from,
            to,
            kind: Some(kind),
        };
        let req = Req::new(Method::GET, format!("/consultants/{consultant}/slots")).query(&q);
        self.call(req).await
    }

    pub async fn book(self, body: &NewAppointment) -> ApiResult<Appointment> {
        self.call(Req::new(Method::POST, "/appointments").json(body))
            .await
    }

    /// The caller's appointments starting in [from, to) (UTC), by start time.
    pub async fn appointments(
        self,
        from: Option<NaiveDateTime>,
        to: Option<NaiveDateTime>,
        page: i64,
    ) -> ApiResult<Page<Appointment>> {
        let f = AppointmentFilter {
            from: from.map(|t| t.and_utc()),
            to: to.map(|t| t.and_utc()),
            ..Default::default()
        };
        let req = Req::new(Method::GET, "/appointments")
            .page(page, 100)
            .query(&f);
        self.call(req).await
    }

    pub async fn appointment(self, id: Uuid) -> ApiResult<Appointment> {
        self.call(Req::new(Method::GET, format!("/appointments/{id}")))
            .await
    }

    pub async fn change_appointment(
        self,
        id: Uuid,
        body: &AppointmentChange,
    ) -> ApiResult<Appointment> {
        self.call(Req::new(Method::PATCH, format!("/appointments/{id}")).json(body))
            .await
    }

    pub async fn attendance(self, id: Uuid) -> ApiResult<AttendanceSheet> {
        self.call(Req::new(
            Method::GET,
            format!("/appointments/{id}/attendance"),
        ))
        .await
    }

    pub async fn attend(self, id: Uuid, body: &AttendanceAction) -> ApiResult<AttendanceSheet> {
        self.call(Req::new(Method::POST, format!("/appointments/{id}/attendance")).json(body))
            .await
    }

    pub async fn video_event(self, id: Uuid, event: &str) -> ApiResult<()> {
        let body = VideoEvent {
            event: event.into(),
        };
        self.call_empty(Req::new(Method::POST, format!("/appointments/{id}/video")).json(&body))
            .await
    }

    pub async fn create_calendar_feed(self) -> ApiResult<CalendarFeed> {
        self.call(Req::new(Method::POST, "/me/calendar")).await
    }

    pub async fn revoke_calendar_feed(self) -> ApiResult<()> {
        self.call_empty(Req::new(Method::DELETE, "/me/calendar"))
            .await
    }

    pub async fn outbox(
        self,
        page: i64,
        per_page: i64,
        status: Option<OutboxStatus>,
    ) -> ApiResult<Page<OutboxMessage>> {
        let req = Req::new(Method::GET, "/outbox")
            .page(page, per_page)
            .query(&OutboxFilter { status });
        self.call(req).await
    }

    pub async fn outbox_message(self, id: Uuid) -> ApiResult<OutboxMessage> {
        self.call(Req::new(Method::GET, format!("/outbox/{id}")))
            .await
    }

    pub async fn retry_outbox(self, id: Uuid) -> ApiResult<OutboxMessage> {
        self.call(Req::new(Method::POST, format!("/outbox/{id}/retry")))
            .await
    }
}
