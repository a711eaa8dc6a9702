//! Issue #5 budget: the free slots of a consultant over 3 months with 500 existing appointments in
//! under 5 ms. Measured twice: the computation alone, and the whole `compute` (SQLite file: reading
//! the availability and the appointments, then computing), which is what the endpoint does.
//!
//! `cargo bench -p boussole-api --bench slots` (the README gives the figures).

use boussole_api::accounts::UserRow;
use boussole_api::appointments::AppointmentRow;
use boussole_api::appointments::availability::{compute, default_availability};
use boussole_api::appointments::slots::{Busy, free_slots};
use boussole_api::bilans::model::BilanRow;
use boussole_api::schema::{appointments, availabilities, bilans, users};
use boussole_shared::appointments::{AppointmentKind, AvailabilityMode, AvailabilityRule};
use boussole_shared::users::{Locale, Role};
use chrono::{Duration, NaiveTime, Timelike};
use criterion::{Criterion, criterion_group, criterion_main};
use diesel::prelude::*;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

/// A full-time consultant: Monday to Friday, 9:00–12:30 and 13:30–18:00.
fn availability() -> boussole_shared::appointments::Availability {
    let mut av = default_availability();
    for weekday in 1..=5 {
        for (s, e) in [(t(9, 0), t(12, 30)), (t(13, 30), t(18, 0))] {
            av.rules.push(AvailabilityRule {
                weekday,
                start: s,
                end: e,
                mode: AvailabilityMode::Either,
                place: None,
            });
        }
    }
    for ty in &mut av.types {
        ty.min_notice_minutes = 0;
        ty.horizon_days = 120;
    }
    av
}

/// 500 one-hour appointments (plus their 15-minute buffer), six a day over the next 3 months, none
/// overlapping (as the database guarantees).
fn busy(now: chrono::NaiveDateTime) -> Vec<Busy> {
    let start = now.date().and_time(t(8, 0));
    (0..500)
        .map(|i| {
            let s = start + Duration::days(i / 6 * 92 / 84) + Duration::minutes(i % 6 * 80);
            Busy {
                start: s,
                end: s + Duration::minutes(75),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let now = chrono::Utc::now()
        .naive_utc()
        .with_nanosecond(0)
        .unwrap_or_default();
    let av = availability();
    let b = busy(now);
    let bad: Vec<_> = b.windows(2).filter(|w| w[0].end > w[1].start).collect();
    assert!(
        bad.is_empty() && b.len() == 500,
        "{:?} {}",
        bad.first(),
        b.len()
    );
    let (from, to) = (now.date(), now.date() + Duration::days(92));
    c.bench_function(
        "free slots, 3 months, 500 appointments (computation)",
        |bench| bench.iter(|| free_slots(&av, AppointmentKind::BilanSession, from, to, now, &b)),
    );

    // The same through the database, as the endpoint does it.
    let dir = tempfile_dir();
    let url = format!("sqlite://{}/bench.db", dir.display());
    let pool = match boussole_api::db::pool(&url, 2) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let Ok(mut conn) = pool.get() else {
        panic!("no connection")
    };
    if let Err(e) = seed(&mut conn, &av, &b) {
        panic!("seed: {e}");
    }
    let consultant = "00000000-0000-7000-8000-000000000001";
    c.bench_function(
        "free slots, 3 months, 500 appointments (SQLite, whole query)",
        |bench| {
            bench.iter(|| {
                compute(
                    &mut conn,
                    consultant,
                    AppointmentKind::BilanSession,
                    from,
                    to,
                )
            })
        },
    );
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("boussole-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn seed(
    conn: &mut boussole_api::db::Conn,
    av: &boussole_shared::appointments::Availability,
    busy: &[Busy],
) -> anyhow::Result<()> {
    boussole_api::db::migrate(conn)?;
    let mut consultant = UserRow::new(
        "bench-consultant@boussole.test",
        Role::Consultant,
        None,
        "Bench",
        "Consultant",
        None,
        Locale::Fr,
        None,
    );
    consultant.id = "00000000-0000-7000-8000-000000000001".into();
    let beneficiary = UserRow::new(
        "bench-beneficiary@boussole.test",
        Role::Beneficiary,
        None,
        "Bench",
        "Beneficiary",
        None,
        Locale::Fr,
        None,
    );
    diesel::insert_into(users::table)
        .values(&consultant)
        .execute(conn)?;
    diesel::insert_into(users::table)
        .values(&beneficiary)
        .execute(conn)?;
    let now = boussole_api::db::now();
    let bilan = BilanRow {
        id: boussole_api::db::new_id(),
        beneficiary_id: beneficiary.id.clone(),
        status: "investigation".into(),
        funding: "cpf".into(),
        format: "mixed".into(),
        planned_minutes: 24 * 60,
        abandon_reason: None,
        status_changed_at: now,
        content_destroyed_at: None,
        retention_until: None,
        created_at: now,
        updated_at: now,
        planned_end_on: None,
        external_ref: None,
    };
    diesel::insert_into(bilans::table)
        .values(&bilan)
        .execute(conn)?;
    diesel::insert_into(availabilities::table)
        .values((
            availabilities::consultant_id.eq(&consultant.id),
            availabilities::document.eq(serde_json::to_string(av)?),
            availabilities::updated_at.eq(now),
        ))
        .execute(conn)?;
    for b in busy {
        let row = AppointmentRow {
            id: boussole_api::db::new_id(),
            bilan_id: bilan.id.clone(),
            consultant_id: consultant.id.clone(),
            beneficiary_id: beneficiary.id.clone(),
            kind: "bilan_session".into(),
            mode: "remote".into(),
            place: None,
            starts_at: b.start,
            ends_at: b.end - Duration::minutes(15),
            buffer_minutes: 15,
            status: "booked".into(),
            room: None,
            attendance_secret: String::new(),
            absent: None,
            session_id: None,
            booked_by: consultant.id.clone(),
            cancelled_at: None,
            cancel_reason: None,
            created_at: now,
            updated_at: now,
        };
        diesel::insert_into(appointments::table)
            .values(&row)
            .execute(conn)?;
    }
    Ok(())
}

criterion_group!(benches, bench);
criterion_main!(benches);
