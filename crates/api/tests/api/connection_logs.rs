//! Connection logs (issue 10, item 15): the IPs in the journal, sessions and consents are kept 12
//! months at most, then replaced by a marker, and the audit chain still verifies.

use boussole_api::jobs::privacy::expire_ips;
use boussole_api::schema::{audit_log, bilan_consents, sessions};
use chrono::Months;
use diesel::prelude::*;
use serde_json::json;

use crate::audit_chain::audit_verify_cli;
use crate::helpers::*;

on_both_backends!(ips_older_than_twelve_months_are_blanked_without_breaking_the_chain);

type Ips = Vec<Option<String>>;

/// The IPs of the journal, the sessions and the consents.
fn ips(conn: &mut boussole_api::db::Conn) -> (Ips, Ips, Ips) {
    (
        audit_log::table.select(audit_log::ip).load(conn).unwrap(),
        sessions::table.select(sessions::ip).load(conn).unwrap(),
        bilan_consents::table
            .select(bilan_consents::ip)
            .load(conn)
            .unwrap(),
    )
}

async fn ips_older_than_twelve_months_are_blanked_without_breaking_the_chain(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    app.post(
        &format!("/api/v1/bilans/{bilan}/consents"),
        Some(&beneficiary),
        json!({ "kind": "share", "recipient": "Employeur", "scope": "synthèse" }),
    )
    .await
    .expect(201);
    let mut conn = app.conn();
    let local = Some("127.0.0.1".to_string());
    let (journal, sessions, consents) = ips(&mut conn);
    assert!(journal.contains(&local) && sessions.contains(&local) && consents.contains(&local));

    // Eleven months on, nothing has expired yet.
    let now = boussole_api::db::now();
    let soon = expire_ips(&mut conn, now + Months::new(11), 12).unwrap();
    assert_eq!(soon, Default::default());

    let later = expire_ips(&mut conn, now + Months::new(13), 12).unwrap();
    assert!(
        later.audit_log > 0 && later.sessions >= 2 && later.consents == 1,
        "{later:?}"
    );
    let (journal, sessions, consents) = ips(&mut conn);
    for ip in journal.iter().chain(&sessions).chain(&consents) {
        assert!(
            ip.is_none() || ip.as_deref() == Some("expired"),
            "no clear IP left: {ip:?}"
        );
    }
    assert!(
        audit_verify_cli(&app),
        "the chain covers the IP's keyed hash, not the IP"
    );
    let verify = app.get("/api/v1/audit/verify", &admin).await.expect(200);
    assert_eq!(verify.body["valid"], true);
    let runs = app
        .get("/api/v1/audit?action=privacy.ip_expired", &admin)
        .await
        .expect(200);
    assert_eq!(runs.body["total"], 1, "the job's run is journaled");

    // The journal's triggers let nothing else through: not another IP, not another column.
    let forged =
        diesel::sql_query("UPDATE audit_log SET ip = '192.0.2.9' WHERE seq = 2").execute(&mut conn);
    assert!(forged.is_err(), "only the expiry marker may replace an IP");
    let other =
        diesel::sql_query("UPDATE audit_log SET ip = 'expired', action = 'x' WHERE seq = 2")
            .execute(&mut conn);
    assert!(other.is_err(), "and nothing else may change with it");
}
