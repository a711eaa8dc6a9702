//! The keyed audit chain (issue 10, item 7): whoever holds the database but not the keys can neither
//! rewrite the journal nor cut its tail, nor roll it back to an older copy, without `audit-verify`
//! saying so.

use boussole_api::db::{self, AnyConnection};
use boussole_api::journal::{self, Actor, AuditRow, GENESIS};
use diesel::RunQueryDsl;
use serde_json::json;

use crate::helpers::*;

on_both_backends!(
    truncating_the_tail_fails_audit_verify,
    a_chain_rewritten_without_the_key_fails,
    a_truncation_stays_visible_after_new_entries_until_reanchored,
    entries_written_before_the_keyed_chain_still_verify,
);

/// `boussole audit-verify` with the app's configuration: true when it exits 0.
pub fn audit_verify_cli(app: &TestApp) -> bool {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_boussole"))
        .arg("audit-verify")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.config.database_url)
        .env("BOUSSOLE_DATA_DIR", &app.config.data_dir)
        .env("BOUSSOLE_KEY_DIR", &app.config.key_dir)
        .env("BOUSSOLE_LOG", "error")
        .output()
        .unwrap();
    let code = out.status.code();
    eprintln!("audit-verify: {}", String::from_utf8_lossy(&out.stderr));
    assert!(
        code == Some(0) || code == Some(1),
        "exits 0 or 1: {code:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    code == Some(0)
}

/// What someone with raw database access does first: turn the append-only triggers off.
pub fn disable_triggers(conn: &mut AnyConnection) {
    let sql = match conn {
        AnyConnection::Sqlite(_) => {
            "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete"
        }
        AnyConnection::Postgresql(_) => "ALTER TABLE audit_log DISABLE TRIGGER USER",
    };
    for statement in sql.split("; ") {
        diesel::sql_query(statement).execute(conn).unwrap();
    }
}

fn last_seq(conn: &mut AnyConnection) -> i64 {
    use boussole_api::schema::audit_log;
    use diesel::prelude::*;
    audit_log::table
        .select(diesel::dsl::max(audit_log::seq))
        .first::<Option<i64>>(conn)
        .unwrap()
        .unwrap_or(0)
}

async fn invite(app: &TestApp, admin: &str, n: usize) {
    for i in 0..n {
        let body = json!({ "email": format!("t{i}-{}@example.org", uuid::Uuid::now_v7().simple()), "role": "consultant", "first_name": "T", "last_name": "N" });
        app.post("/api/v1/invitations", Some(admin), body)
            .await
            .expect(201);
    }
}

async fn truncating_the_tail_fails_audit_verify(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    invite(&app, &admin, 3).await;
    assert!(audit_verify_cli(&app), "intact journal");

    let mut conn = app.conn();
    disable_triggers(&mut conn);
    let last = last_seq(&mut conn);
    diesel::sql_query(format!("DELETE FROM audit_log WHERE seq > {}", last - 2))
        .execute(&mut conn)
        .unwrap();
    assert!(!audit_verify_cli(&app), "the two last entries were cut");
    let api = app.get("/api/v1/audit/verify", &admin).await.expect(200);
    assert_eq!(api.body["valid"], false);
}

async fn a_chain_rewritten_without_the_key_fails(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    invite(&app, &admin, 1).await;
    let mut conn = app.conn();
    // The last entry's details changed, and its hash recomputed the only way one can without the
    // key: the old unkeyed SHA-256, marked as an entry of the old chain.
    use boussole_api::schema::audit_log;
    use diesel::prelude::*;
    let last = last_seq(&mut conn);
    let mut row: AuditRow = audit_log::table
        .find(last)
        .select(AuditRow::as_select())
        .first(&mut conn)
        .unwrap();
    row.details = json!({ "role": "admin" }).to_string();
    row.chain_version = 1;
    row.hash = row.compute_hash_v1();
    disable_triggers(&mut conn);
    diesel::delete(audit_log::table.find(last))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(audit_log::table)
        .values(&row)
        .execute(&mut conn)
        .unwrap();
    assert!(!audit_verify_cli(&app));
    let api = app.get("/api/v1/audit/verify", &admin).await.expect(200);
    assert_eq!(api.body["valid"], false);
    assert_eq!(api.body["first_invalid_seq"], last);
}

async fn a_truncation_stays_visible_after_new_entries_until_reanchored(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    invite(&app, &admin, 2).await;
    let mut conn = app.conn();
    // Even the very last entry is covered once the periodic job has sealed the head.
    journal::seal(&mut conn).unwrap();
    disable_triggers(&mut conn);
    let last = last_seq(&mut conn);
    diesel::sql_query(format!("DELETE FROM audit_log WHERE seq = {last}"))
        .execute(&mut conn)
        .unwrap();
    assert!(!audit_verify_cli(&app), "the last entry was cut");

    // New entries after the cut do not move the head over it (nor does the job).
    invite(&app, &admin, 2).await;
    journal::seal(&mut conn).unwrap();
    assert!(!audit_verify_cli(&app), "still visible after new writes");

    // The operator restored on purpose: re-anchoring journals it, then the journal verifies.
    let problem = journal::reanchor(&mut conn).unwrap();
    assert!(problem.is_some());
    assert!(audit_verify_cli(&app));
    let entries = app
        .get("/api/v1/audit?action=audit.reanchor", &admin)
        .await
        .expect(200);
    assert_eq!(entries.body["total"], 1, "the re-anchoring is journaled");
}

async fn entries_written_before_the_keyed_chain_still_verify(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut conn = app.conn();
    // Three entries as the previous version wrote them (plain SHA-256, no head).
    let mut prev = GENESIS.to_string();
    for seq in 1..=3 {
        let mut row = AuditRow {
            seq,
            at: db::now(),
            actor_kind: "system".into(),
            actor_id: None,
            action: "legacy.event".into(),
            entity_type: "legacy".into(),
            entity_id: None,
            ip: Some("192.0.2.1".into()),
            details: "{}".into(),
            prev_hash: prev.clone(),
            hash: String::new(),
            chain_version: 1,
            ip_mac: None,
        };
        row.hash = row.compute_hash_v1();
        prev = row.hash.clone();
        diesel::insert_into(boussole_api::schema::audit_log::table)
            .values(&row)
            .execute(&mut conn)
            .unwrap();
    }
    assert!(audit_verify_cli(&app), "the old chain verifies as it was");
    db::transaction(&mut conn, |conn| {
        Ok(journal::record(
            conn,
            &Actor::system(),
            "keyed.event",
            "legacy",
            None,
            json!({}),
        )?)
    })
    .unwrap();
    assert!(audit_verify_cli(&app), "the keyed chain continues it");
    let verification = journal::verify_chain(&mut conn).unwrap();
    assert!(verification.valid);
    assert_eq!(verification.checked, 4);
}
