//! Lists run a constant number of SQL statements whatever their page size (no N+1): counted by the
//! pool's instrumentation, read from `/metrics` (`boussole_db_queries_total`).

use boussole_api::appointments::AppointmentRow;
use boussole_api::db;
use boussole_api::schema::{appointments, bilan_consultants};
use diesel::prelude::*;

use crate::helpers::*;

on_both_backends!(lists_run_the_same_number_of_queries_whatever_the_page_size);

/// The statements run so far by the app's pool.
async fn queries(app: &TestApp) -> u64 {
    let text = app.metrics().await;
    text.lines()
        .find_map(|l| l.strip_prefix("boussole_db_queries_total "))
        .unwrap_or_else(|| panic!("no query counter in /metrics:\n{text}"))
        .trim()
        .parse()
        .unwrap()
}

/// How many statements one GET runs, and its answer's items.
async fn count(app: &TestApp, path: &str, token: &str) -> (u64, usize) {
    let before = queries(app).await;
    let answer = app.get(path, token).await.expect(200);
    let after = queries(app).await;
    let items = answer.body["items"].as_array().unwrap().len();
    (after - before, items)
}

/// Appointments for the consultant's first bilans, an hour apart.
fn seed_appointments(conn: &mut db::Conn, consultant: &str, n: usize) {
    let bilans: Vec<(String, String)> = bilan_consultants::table
        .inner_join(boussole_api::schema::bilans::table)
        .filter(bilan_consultants::consultant_id.eq(consultant))
        .select((
            bilan_consultants::bilan_id,
            boussole_api::schema::bilans::beneficiary_id,
        ))
        .limit(n as i64)
        .load(conn)
        .unwrap();
    let start = db::now().date().and_hms_opt(8, 0, 0).unwrap() + chrono::Duration::days(30);
    let rows: Vec<AppointmentRow> = bilans
        .into_iter()
        .enumerate()
        .map(|(i, (bilan_id, beneficiary_id))| {
            let starts_at = start + chrono::Duration::hours(i as i64);
            AppointmentRow {
                id: db::new_id(),
                bilan_id,
                consultant_id: consultant.to_string(),
                beneficiary_id,
                kind: "bilan_session".into(),
                mode: "on_site".into(),
                place: None,
                starts_at,
                ends_at: starts_at + chrono::Duration::minutes(50),
                buffer_minutes: 0,
                status: "booked".into(),
                room: None,
                attendance_secret: db::new_id(),
                absent: None,
                session_id: None,
                booked_by: consultant.to_string(),
                cancelled_at: None,
                cancel_reason: None,
                created_at: db::now(),
                updated_at: db::now(),
            }
        })
        .collect();
    for row in rows {
        diesel::insert_into(appointments::table)
            .values(&row)
            .execute(conn)
            .unwrap();
    }
}

async fn lists_run_the_same_number_of_queries_whatever_the_page_size(backend: Backend) {
    // Caches off, so that each request checks its session in the database the same way; the outbox
    // looks every ten minutes, so that it runs no statement while the test counts.
    let app = spawn_demo_with(
        backend,
        &[
            ("BOUSSOLE_READ_CACHE_TTL", "0".into()),
            ("BOUSSOLE_OUTBOX_INTERVAL_MS", "600000".into()),
        ],
    )
    .await;
    let mut conn = app.conn();
    boussole_api::seed::seed_bench_bilans(&mut conn, 130, 110).unwrap();
    let consultant = boussole_api::accounts::find_by_email(&mut conn, CONSULTANT)
        .unwrap()
        .unwrap();
    seed_appointments(&mut conn, &consultant.id, 105);
    let admin = app.token(ADMIN).await;
    let token = app.token(CONSULTANT).await;

    for (who, token, total) in [("admin", &admin, 130), ("consultant", &token, 110)] {
        let (small, items) = count(&app, "/api/v1/bilans?per_page=5", token).await;
        assert_eq!(items, 5);
        let (large, items) = count(&app, "/api/v1/bilans?per_page=100", token).await;
        assert_eq!(items, 100, "{who} sees a full page of the {total} bilans");
        eprintln!(
            "{who}: GET /api/v1/bilans runs {small} statements at per_page=5, {large} at 100"
        );
        assert!(small > 0, "the counter counts");
        assert_eq!(
            small, large,
            "{who}'s bilans list: queries per page size 5 vs 100"
        );
        assert!(small < 15, "{who}: {small} queries for a list");
    }

    let (small, items) = count(&app, "/api/v1/appointments?per_page=5", &token).await;
    assert_eq!(items, 5);
    let (large, items) = count(&app, "/api/v1/appointments?per_page=100", &token).await;
    assert_eq!(items, 100);
    eprintln!(
        "consultant: GET /api/v1/appointments runs {small} statements at per_page=5, {large} at 100"
    );
    assert_eq!(
        small, large,
        "appointments list: queries per page size 5 vs 100"
    );
}
