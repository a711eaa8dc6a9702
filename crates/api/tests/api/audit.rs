use boussole_api::db::AnyConnection;
use diesel::RunQueryDsl;
use serde_json::json;

use crate::helpers::*;

on_both_backends!(
    changes_are_journaled_with_actor_and_ip,
    the_journal_refuses_updates_and_verification_finds_tampering,
    concurrent_changes_keep_one_unbroken_chain,
);

async fn changes_are_journaled_with_actor_and_ip(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let invite = json!({ "email": "paul@example.org", "role": "admin", "first_name": "Paul", "last_name": "Blanc" });
    let created = app
        .post("/api/v1/invitations", Some(&admin.access_token), invite)
        .await
        .expect(201);
    let invited_id = created.body["user"]["id"].as_str().unwrap();

    let entries = app
        .get("/api/v1/audit?action=user.invite", &admin.access_token)
        .await
        .expect(200);
    assert_eq!(entries.body["total"], 1);
    let entry = &entries.body["items"][0];
    assert_eq!(entry["actor_kind"], "user");
    assert_eq!(entry["actor_id"], admin.user.id.to_string());
    assert_eq!(entry["entity_id"], invited_id);
    assert_eq!(entry["ip"], "127.0.0.1");
    assert_eq!(entry["details"]["role"], "admin");

    // Newest first, paginated; filters combine.
    let page = app
        .get("/api/v1/audit?per_page=2", &admin.access_token)
        .await
        .expect(200);
    let items = page.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items[0]["seq"].as_i64() > items[1]["seq"].as_i64());
    let by_entity = app
        .get(
            &format!("/api/v1/audit?entity_type=user&entity_id={invited_id}"),
            &admin.access_token,
        )
        .await
        .expect(200);
    assert_eq!(by_entity.body["total"], 1);

    let verification = app
        .get("/api/v1/audit/verify", &admin.access_token)
        .await
        .expect(200);
    assert_eq!(verification.body["valid"], true);
    assert!(
        verification.body["checked"].as_i64().unwrap() >= 9,
        "seeds + login + invite"
    );
    let consultant = app.token(CONSULTANT).await;
    app.get("/api/v1/audit", &consultant).await.expect(403);
    app.get("/api/v1/audit/verify", &consultant)
        .await
        .expect(403);
}

async fn the_journal_refuses_updates_and_verification_finds_tampering(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let mut conn = app.conn();
    let update = diesel::sql_query("UPDATE audit_log SET action = 'forged' WHERE seq = 2")
        .execute(&mut conn);
    assert!(update.is_err(), "append-only: updates are refused");
    let delete = diesel::sql_query("DELETE FROM audit_log WHERE seq = 2").execute(&mut conn);
    assert!(delete.is_err(), "append-only: deletes are refused");
    assert_eq!(
        app.get("/api/v1/audit/verify", &admin)
            .await
            .expect(200)
            .body["valid"],
        true
    );

    // Someone with raw database access turns the protection off and rewrites an entry.
    let disable = match &conn {
        AnyConnection::Sqlite(_) => "DROP TRIGGER audit_log_no_update",
        AnyConnection::Postgresql(_) => "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update",
    };
    diesel::sql_query(disable).execute(&mut conn).unwrap();
    diesel::sql_query("UPDATE audit_log SET details = '{\"tampered\":true}' WHERE seq = 2")
        .execute(&mut conn)
        .unwrap();
    let broken = app.get("/api/v1/audit/verify", &admin).await.expect(200);
    assert_eq!(broken.body["valid"], false);
    assert_eq!(broken.body["first_invalid_seq"], 2);
    assert_eq!(broken.body["checked"], 1);
}

async fn concurrent_changes_keep_one_unbroken_chain(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let calls = (0..20).map(|i| {
        let body = json!({ "email": format!("c{i}@example.org"), "role": "consultant", "first_name": "C", "last_name": format!("N{i}") });
        app.post("/api/v1/invitations", Some(&admin), body)
    });
    for answer in futures_util::future::join_all(calls).await {
        answer.expect(201);
    }
    let verification = app.get("/api/v1/audit/verify", &admin).await.expect(200);
    assert_eq!(verification.body["valid"], true, "{}", verification.body);
    let invites = app
        .get("/api/v1/audit?action=user.invite", &admin)
        .await
        .expect(200);
    assert_eq!(invites.body["total"], 20);
}
