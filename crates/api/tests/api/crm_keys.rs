//! Issue 15: a key with `bilans:write` and `appointments:write` keeps a bilan's administrative side as
//! the organisation does (journalled under the key), never as a consultant or a party.

use boussole_shared::conditions::Condition;
use serde_json::json;

use crate::helpers::*;

on_both_backends!(a_key_opens_a_bilan_records_its_facts_and_books_as_the_organisation);

async fn a_key_opens_a_bilan_records_its_facts_and_books_as_the_organisation(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let scopes = [
        "bilans:read",
        "bilans:write",
        "appointments:read",
        "appointments:write",
    ];
    let key = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            json!({ "name": "CRM", "scopes": scopes }),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let consultant = app.user_id(&admin, CONSULTANT).await;
    let body = json!({
        "beneficiary_id": app.user_id(&admin, BENEFICIARY).await, "consultant_id": consultant,
        "funding": "employer", "format": "mixed", "planned_hours": 20, "external_ref": "deal-9",
    });
    let bilan = app
        .post("/api/v1/bilans", Some(&key), body)
        .await
        .expect(201);
    let id = bilan.body["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/bilans/{id}");
    // `external_ref`: absent keeps it, `null` clears it.
    let kept = app.patch(&path, &key, json!({})).await.expect(200);
    assert_eq!(kept.body["external_ref"], "deal-9");
    let cleared = app
        .patch(&path, &key, json!({ "external_ref": null }))
        .await
        .expect(200);
    assert!(cleared.body["external_ref"].is_null(), "{}", cleared.body);
    app.patch(&path, &key, json!({ "external_ref": " x" }))
        .await
        .expect(400);

    let today = chrono::Utc::now().date_naive().to_string();
    for kind in ["pre_contract_info", "tripartite_convention_signed"] {
        let fact = json!({ "kind": kind, "occurred_on": today });
        app.post(&format!("{path}/facts"), Some(&key), fact)
            .await
            .expect(201);
    }
    let facts = app.get(&format!("{path}/facts"), &key).await.expect(200);
    assert_eq!(facts.body.as_array().unwrap().len(), 2);
    // The gate still wants the beneficiary's own consent: a key cannot give it.
    let to = |s: &str| json!({ "to": s });
    let gate = app
        .post(
            &format!("{path}/transitions"),
            Some(&key),
            to("preliminary"),
        )
        .await
        .expect(422);
    assert!(
        gate.body["missing"]
            .as_array()
            .is_some_and(|m| m.contains(&json!(Condition::StartConsent.as_str()))),
        "{}",
        gate.body
    );
    let consent = json!({ "kind": "start" });
    app.post(&format!("{path}/consents"), Some(&key), consent.clone())
        .await
        .expect(403);
    let camille = app.token(BENEFICIARY).await;
    app.post(&format!("{path}/consents"), Some(&camille), consent)
        .await
        .expect(201);
    app.post(
        &format!("{path}/transitions"),
        Some(&key),
        to("preliminary"),
    )
    .await
    .expect(200);

    // Booked, listed and moved by the key; the attendance stays the people's.
    let start = (chrono::Utc::now() + chrono::Duration::days(3))
        .date_naive()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    let booking = json!({ "bilan_id": id, "consultant_id": consultant, "kind": "bilan_session",
        "mode": "remote", "starts_at": format!("{start}Z"), "duration_minutes": 60 });
    let booked = app
        .post("/api/v1/appointments", Some(&key), booking)
        .await
        .expect(201);
    let appointment = booked.body["id"].as_str().unwrap().to_string();
    let listed = app
        .get(&format!("/api/v1/appointments?bilan_id={id}"), &key)
        .await
        .expect(200);
    assert_eq!(listed.body["total"], 1);
    let later = format!("{}Z", start + chrono::Duration::days(1));
    let moved = json!({ "action": "move", "starts_at": later });
    app.patch(&format!("/api/v1/appointments/{appointment}"), &key, moved)
        .await
        .expect(200);
    let sign = json!({ "action": "sign" });
    let attendance = format!("/api/v1/appointments/{appointment}/attendance");
    app.post(&attendance, Some(&key), sign).await.expect(403);
    app.post(
        &format!("{path}/transitions"),
        Some(&key),
        json!({ "to": "abandoned", "reason": "Départ" }),
    )
    .await
    .expect(200);

    // Every write is journalled under the key.
    let journal = app
        .get("/api/v1/audit?per_page=100", &admin)
        .await
        .expect(200);
    for action in [
        "bilan.create",
        "bilan.fact",
        "bilan.transition",
        "appointment.book",
        "appointment.moved",
    ] {
        let entry = journal.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == action);
        let entry = entry.unwrap_or_else(|| panic!("{action}: {}", journal.body));
        assert_eq!(entry["actor_kind"], "api_key", "{action}");
    }
}
