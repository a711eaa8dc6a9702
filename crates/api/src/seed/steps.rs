//! The verbs the demo's story is told with. Each goes through the domain function the API itself
//! calls (the workflow's gates, the 24-hour cap, the attendance that records a session, the end of
//! the action that destroys content), so the timeline, the audit chain and the hours agree; then
//! [`Demo::step`] dates what the step wrote back to the day the story says it happened.
//! The audit journal keeps the seeding time: its entries are chained and sealed as written.

use boussole_shared::bilans::{
    BilanStatus, ConsentKind, FactKind, NewSession, Phase, SessionKind, SessionMode,
    TransitionRequest,
};
use boussole_shared::time::{paris_date, paris_to_utc};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::caller::Viewer;
use crate::bilans::model::{self, BilanRow, Happened};
use crate::bilans::{hours, lifecycle};
use crate::config::Config;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::schema::{
    appointments, attendance_signatures, bilan_consents, bilan_consultants, bilan_events,
    bilan_facts, bilan_keys, bilan_notes, bilan_sessions, bilans,
};

/// What the beneficiary agrees to: starting, sharing (recipient, what) or keeping (months).
pub enum Agreement<'a> {
    Start,
    Share(&'a str, &'a str),
    Retention(i64),
}

/// Who acts in the story, and its clock.
pub struct Demo<'a> {
    pub config: &'a Config,
    pub admin: String,
    pub consultant: String,
    pub now: NaiveDateTime,
    pub today: NaiveDate,
}

fn err(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Sets `$col` to `$when` on the rows of `$table` matching `$filter` that the step wrote (at or after `$t0`).
macro_rules! backdate {
    ($conn:expr, $table:ident, $col:ident, $filter:expr, $t0:expr, $when:expr) => {
        diesel::update($table::table.filter($filter).filter($table::$col.ge($t0)))
            .set($table::$col.eq($when))
            .execute($conn)?
    };
}

impl Demo<'_> {
    /// `days` days ago (negative: ahead) at `h:m`, Paris wall-clock time, as stored (UTC).
    pub fn at(&self, days: i64, h: u32, m: u32) -> NaiveDateTime {
        let day = self.today - Duration::days(days);
        let local = day.and_hms_opt(h, m, 0).unwrap_or_default();
        paris_to_utc(local).unwrap_or(local)
    }

    /// Like [`Demo::at`], on a working day: a Saturday or Sunday moves away from today (earlier in the
    /// past, later ahead), so that appointments fall on the consultants' working days.
    pub fn on_weekday(&self, days: i64, h: u32, m: u32) -> NaiveDateTime {
        use chrono::Datelike;
        let mut days = days;
        while (self.today - Duration::days(days))
            .weekday()
            .number_from_monday()
            > 5
        {
            days += if days >= 0 { 1 } else { -1 };
        }
        self.at(days, h, m)
    }

    /// Runs `f`, then dates what it wrote on bilan `id` at `when`.
    pub fn step<T>(
        &self,
        conn: &mut Conn,
        id: &str,
        when: NaiveDateTime,
        f: impl FnOnce(&mut Conn) -> Result<T, ApiError>,
    ) -> anyhow::Result<T> {
        let t0 = db::now();
        let out = f(conn).map_err(err)?;
        let mine = bilan_events::bilan_id.eq(id);
        backdate!(conn, bilan_events, at, mine, t0, when);
        backdate!(conn, bilans, created_at, bilans::id.eq(id), t0, when);
        backdate!(conn, bilans, updated_at, bilans::id.eq(id), t0, when);
        backdate!(conn, bilans, status_changed_at, bilans::id.eq(id), t0, when);
        backdate!(
            conn,
            bilans,
            content_destroyed_at,
            bilans::id.eq(id),
            t0,
            when
        );
        backdate!(
            conn,
            bilan_keys,
            destroyed_at,
            bilan_keys::bilan_id.eq(id),
            t0,
            when
        );
        let of = bilan_facts::bilan_id.eq(id);
        backdate!(conn, bilan_facts, recorded_at, of, t0, when);
        let of = bilan_consents::bilan_id.eq(id);
        backdate!(conn, bilan_consents, given_at, of, t0, when);
        let of = bilan_sessions::bilan_id.eq(id);
        backdate!(conn, bilan_sessions, created_at, of, t0, when);
        let of = bilan_consultants::bilan_id.eq(id);
        backdate!(conn, bilan_consultants, assigned_at, of, t0, when);
        let of = bilan_notes::bilan_id.eq(id);
        backdate!(conn, bilan_notes, created_at, of, t0, when);
        let of = appointments::bilan_id.eq(id);
        backdate!(conn, appointments, created_at, of, t0, when);
        let of = appointments::bilan_id.eq(id);
        backdate!(conn, appointments, updated_at, of, t0, when);
        let of = attendance_signatures::appointment_id.eq_any(
            appointments::table
                .filter(appointments::bilan_id.eq(id))
                .select(appointments::id),
        );
        backdate!(conn, attendance_signatures, signed_at, of, t0, when);
        Ok(out)
    }

    /// The admin opens a bilan for `beneficiary` with the consultant, as `POST /bilans` does.
    pub fn open(
        &self,
        conn: &mut Conn,
        beneficiary: &str,
        funding: &str,
        planned_hours: i64,
        planned_end_on: Option<NaiveDate>,
        when: NaiveDateTime,
    ) -> anyhow::Result<String> {
        let id = db::new_id();
        let row = BilanRow {
            id: id.clone(),
            beneficiary_id: beneficiary.into(),
            status: BilanStatus::Request.as_str().into(),
            funding: funding.into(),
            format: "mixed".into(),
            planned_minutes: planned_hours * 60,
            abandon_reason: None,
            status_changed_at: when,
            content_destroyed_at: None,
            retention_until: None,
            created_at: when,
            updated_at: when,
            planned_end_on,
            external_ref: None,
        };
        let keyring = db::keyring(conn).ok_or_else(|| anyhow::anyhow!("no keyring"))?;
        self.step(conn, &id, when, |conn| {
            diesel::insert_into(bilans::table)
                .values(&row)
                .execute(conn)?;
            let (wrapped, wrapping_key) = keyring.new_bilan_key(conn, &row.id)?;
            diesel::insert_into(bilan_keys::table)
                .values((
                    bilan_keys::bilan_id.eq(&row.id),
                    bilan_keys::wrapped.eq(Some(wrapped)),
                    bilan_keys::wrapping_key_id.eq(Some(wrapping_key)),
                ))
                .execute(conn)?;
            crate::bilans::assignment::assign(conn, &row.id, &self.consultant, &self.admin)?;
            let what = Happened {
                event: "created",
                action: "bilan.create",
                details: serde_json::json!({ "funding": funding }),
                content: false,
            };
            Ok(model::journal(
                conn,
                &Actor::user(&self.admin, None),
                &row.id,
                what,
            )?)
        })?;
        Ok(id)
    }

    /// A dated fact, recorded by the consultant (contracts: by the admin).
    pub fn fact(&self, conn: &mut Conn, id: &str, kind: FactKind, days: i64) -> anyhow::Result<()> {
        let by = match kind {
            FactKind::PreContractInfo
            | FactKind::CpfFileAccepted
            | FactKind::TripartiteConventionSigned
            | FactKind::IndividualContractSigned
            | FactKind::KairosQuoteAccepted => &self.admin,
            _ => &self.consultant,
        };
        let when = self.at(days, 11, 0);
        self.step(conn, id, when, |conn| {
            diesel::insert_into(bilan_facts::table)
                .values((
                    bilan_facts::id.eq(db::new_id()),
                    bilan_facts::bilan_id.eq(id),
                    bilan_facts::kind.eq(kind.as_str()),
                    bilan_facts::occurred_on.eq(paris_date(when)),
                    bilan_facts::recorded_by.eq(by),
                    bilan_facts::recorded_at.eq(when),
                ))
                .execute(conn)?;
            let details =
                serde_json::json!({ "kind": kind.as_str(), "occurred_on": paris_date(when) });
            let what = Happened {
                event: "fact",
                action: "bilan.fact",
                details,
                content: false,
            };
            Ok(model::journal(conn, &Actor::user(by, None), id, what)?)
        })
    }

    /// The beneficiary gives a consent, with the statement the API would record.
    pub fn consent(
        &self,
        conn: &mut Conn,
        id: &str,
        beneficiary: &str,
        agreement: Agreement<'_>,
        days: i64,
    ) -> anyhow::Result<()> {
        use boussole_shared::bilans::{START_STATEMENT, retention_statement, share_statement};
        let (kind, share, months, statement) = match agreement {
            Agreement::Start => (ConsentKind::Start, None, None, START_STATEMENT.to_string()),
            Agreement::Share(to, what) => (
                ConsentKind::Share,
                Some((to, what)),
                None,
                share_statement(to, what),
            ),
            Agreement::Retention(m) => (
                ConsentKind::Retention,
                None,
                Some(m),
                retention_statement(m),
            ),
        };
        let when = self.at(days, 18, 30);
        self.step(conn, id, when, |conn| {
            let cid = db::new_id();
            diesel::insert_into(bilan_consents::table)
                .values((
                    bilan_consents::id.eq(&cid),
                    bilan_consents::bilan_id.eq(id),
                    bilan_consents::kind.eq(kind.as_str()),
                    bilan_consents::recipient.eq(share.map(|s| s.0)),
                    bilan_consents::scope.eq(share.map(|s| s.1)),
                    bilan_consents::retention_months.eq(months),
                    bilan_consents::statement.eq(&statement),
                    bilan_consents::given_by.eq(beneficiary),
                    bilan_consents::given_at.eq(when),
                ))
                .execute(conn)?;
            let details = serde_json::json!({ "kind": kind.as_str(), "consent_id": cid });
            let what = Happened {
                event: "consent",
                action: "bilan.consent",
                details,
                content: false,
            };
            Ok(model::journal(
                conn,
                &Actor::user(beneficiary, None),
                id,
                what,
            )?)
        })
    }

    /// The consultant moves the bilan on, through the workflow's gates.
    pub fn move_to(
        &self,
        conn: &mut Conn,
        id: &str,
        to: BilanStatus,
        reason: Option<&str>,
        days: i64,
    ) -> anyhow::Result<()> {
        let request = TransitionRequest {
            to,
            reason: reason.map(str::to_string),
        };
        let viewer = Viewer::Consultant(self.consultant.clone());
        let actor = Actor::user(&self.consultant, None);
        let min = self.config.min_accompaniment_hours * 60;
        self.step(conn, id, self.at(days, 17, 0), |conn| {
            lifecycle::transition(conn, &viewer, &actor, id, &request, self.today, min).map(|_| ())
        })
    }

    /// A held session of `minutes` from `start`, recorded by the consultant (within the 24-hour cap).
    pub fn session(
        &self,
        conn: &mut Conn,
        id: &str,
        phase: Phase,
        mode: SessionMode,
        start: NaiveDateTime,
        minutes: i64,
    ) -> anyhow::Result<String> {
        let new = NewSession {
            kind: SessionKind::Accompaniment,
            phase,
            mode,
            starts_at: start.and_utc(),
            ends_at: (start + Duration::minutes(minutes)).and_utc(),
        };
        let end = start + Duration::minutes(minutes);
        self.step(conn, id, end, |conn| {
            let s = hours::record_session(conn, id, &new, &self.consultant)?;
            let details = serde_json::json!({ "kind": "accompaniment", "phase": phase.as_str(), "minutes": minutes });
            journal::record(conn, &Actor::user(&self.consultant, None), "bilan.session", "bilan", Some(id), details)?;
            Ok(s.id.to_string())
        })
    }

    /// A consultant's note, encrypted under the bilan key; `shared` ones the beneficiary reads too.
    pub fn note(
        &self,
        conn: &mut Conn,
        id: &str,
        phase: Phase,
        body: &str,
        shared: bool,
        when: NaiveDateTime,
    ) -> anyhow::Result<()> {
        self.step(conn, id, when, |conn| {
            let key = model::content_key(conn, &self.config.master_key, id)?;
            let nid = db::new_id();
            diesel::insert_into(bilan_notes::table)
                .values((
                    bilan_notes::id.eq(&nid),
                    bilan_notes::bilan_id.eq(id),
                    bilan_notes::session_id.eq(None::<String>),
                    bilan_notes::phase.eq(phase.as_str()),
                    bilan_notes::author_id.eq(&self.consultant),
                    bilan_notes::shared_with_beneficiary.eq(shared),
                    bilan_notes::body.eq(Some(crate::crypto::encrypt(&key, &nid, body)?)),
                    bilan_notes::created_at.eq(when),
                ))
                .execute(conn)?;
            let details = serde_json::json!({ "phase": phase.as_str() });
            Ok(model::event(
                conn,
                id,
                "note",
                Some(&self.consultant),
                details,
                true,
            )?)
        })
    }
}
