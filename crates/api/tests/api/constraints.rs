//! What the database refuses on its own answers 4xx, not 500: a reference to a row that does not
//! exist and a value outside a CHECK list are 422 problems; the settings upsert keeps one row.

use actix_web::ResponseError;
use boussole_api::error::ApiError;
use boussole_api::schema::{bilans, settings};
use diesel::prelude::*;

use crate::helpers::*;

on_both_backends!(
    database_guards_answer_422_and_settings_are_upserted,
    a_write_transaction_waits_for_the_other_writer
);

fn new_bilan(beneficiary: &str, status: &str) -> boussole_api::bilans::model::BilanRow {
    let now = boussole_api::db::now();
    boussole_api::bilans::model::BilanRow {
        id: boussole_api::db::new_id(),
        beneficiary_id: beneficiary.into(),
        status: status.into(),
        funding: "cpf".into(),
        format: "mixed".into(),
        planned_minutes: 600,
        abandon_reason: None,
        status_changed_at: now,
        content_destroyed_at: None,
        retention_until: None,
        created_at: now,
        updated_at: now,
        planned_end_on: None,
        external_ref: None,
    }
}

async fn database_guards_answer_422_and_settings_are_upserted(backend: Backend) {
    let app = spawn_demo(backend).await;
    let mut conn = app.conn();
    let beneficiary = boussole_api::accounts::find_by_email(&mut conn, BENEFICIARY)
        .unwrap()
        .unwrap();

    let unknown = diesel::insert_into(bilans::table)
        .values(&new_bilan(&boussole_api::db::new_id(), "request"))
        .execute(&mut conn)
        .unwrap_err();
    let error = ApiError::from(unknown);
    assert_eq!(error.status_code().as_u16(), 422, "{error:?}");
    assert_eq!(
        error.to_problem().kind,
        "urn:boussole:problem:business-rule"
    );

    let bad_status = diesel::insert_into(bilans::table)
        .values(&new_bilan(&beneficiary.id, "nonsense"))
        .execute(&mut conn)
        .unwrap_err();
    assert_eq!(ApiError::from(bad_status).status_code().as_u16(), 422);

    // The upsert inserts, then updates the same row.
    for v in [1, 2] {
        boussole_api::settings::put(&mut conn, "perf-test", &serde_json::json!({ "v": v }))
            .unwrap();
    }
    let stored: Vec<String> = settings::table
        .filter(settings::key.eq("perf-test"))
        .select(settings::value)
        .load(&mut conn)
        .unwrap();
    assert_eq!(stored, vec![r#"{"v":2}"#.to_string()]);
}

/// Two write transactions at once on one database: the second waits for the first (SQLite: `BEGIN
/// IMMEDIATE` and the busy timeout) and both commit, without an error to retry.
async fn a_write_transaction_waits_for_the_other_writer(backend: Backend) {
    let app = spawn_demo(backend).await;
    let url = app.config.database_url.clone();
    let writer = |v: i64| {
        let url = url.clone();
        std::thread::spawn(move || {
            let mut conn = boussole_api::db::connect(&url).unwrap();
            boussole_api::db::transaction(&mut conn, |conn| {
                let current: Option<String> = settings::table
                    .find("counter")
                    .select(settings::value)
                    .first(conn)
                    .optional()?;
                let n: i64 = current.map_or(0, |c| c.parse().unwrap());
                // Hold the transaction open, so that the other writer must wait for it.
                std::thread::sleep(std::time::Duration::from_millis(200));
                boussole_api::settings::put(conn, "counter", &serde_json::json!(n + v))?;
                Ok(())
            })
        })
    };
    let (a, b) = (writer(1), writer(10));
    a.join().unwrap().unwrap();
    b.join().unwrap().unwrap();
    let mut conn = app.conn();
    let total: String = settings::table
        .find("counter")
        .select(settings::value)
        .first(&mut conn)
        .unwrap();
    // Serialised on SQLite (11); PostgreSQL's read committed may lose one update (1 or 10) but never fails.
    if backend == Backend::Sqlite {
        assert_eq!(total, "11");
    }
}
