//! Issue 15, the CRM's side: a key creates a beneficiary (invited to choose a password), finds records
//! by the CRM's own ids, reads a bilan's administrative facts and nothing else; keys expire and show
//! their last use.

use boussole_shared::Page;
use boussole_shared::auth::ApiKey;
use boussole_shared::bilans::{BeneficiaryProfile, Bilan, Situation};
use diesel::RunQueryDsl;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

on_both_backends!(
    a_crm_key_creates_a_beneficiary_who_is_invited_and_found_by_its_reference,
    an_existing_address_or_reference_answers_409_with_the_existing_id,
    an_invalid_beneficiary_answers_400_with_its_fields_and_writes_nothing,
    a_retried_creation_with_an_idempotency_key_creates_one_beneficiary,
    external_refs_are_unique_per_kind_kept_when_absent_and_looked_up,
    a_key_reads_a_bilans_administrative_facts_as_admins_do,
    api_keys_expire_and_show_where_they_were_last_used,
);

async fn key(app: &TestApp, admin: &str, scopes: &[&str]) -> String {
    let created = app
        .post(
            "/api/v1/api-keys",
            Some(admin),
            json!({ "name": "CRM", "scopes": scopes }),
        )
        .await
        .expect(201);
    created.body["key"].as_str().unwrap().to_string()
}

fn new_beneficiary(email: &str, external_ref: Option<&str>) -> Value {
    json!({
        "email": email, "civility": "mme", "first_name": "Aïcha", "last_name": "Benali",
        "phone": "0612345678", "date_of_birth": "1988-03-14", "situation": "employee_cdi",
        "current_job": "Assistante de gestion",
        "employer": { "name": "Menuiserie Roux", "siret": "73282932000074", "contact": "M. Roux" },
        "external_ref": external_ref,
    })
}

async fn beneficiaries_total(app: &TestApp, admin: &str) -> u64 {
    let list = app.get("/api/v1/beneficiaries", admin).await.expect(200);
    list.body["total"].as_u64().unwrap()
}

async fn a_crm_key_creates_a_beneficiary_who_is_invited_and_found_by_its_reference(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let crm = key(&app, &admin, &["beneficiaries:read", "beneficiaries:write"]).await;

    let created = app
        .post(
            "/api/v1/beneficiaries",
            Some(&crm),
            new_beneficiary("Aicha.Benali@Example.org", Some("hubspot-contact-901")),
        )
        .await
        .expect(201);
    let profile: BeneficiaryProfile = serde_json::from_value(created.body).unwrap();
    assert_eq!(profile.email, "aicha.benali@example.org");
    assert_eq!(profile.situation, Situation::EmployeeCdi);
    assert_eq!(profile.external_ref.as_deref(), Some("hubspot-contact-901"));
    assert_eq!(profile.employer.unwrap().name, "Menuiserie Roux");
    assert!(!profile.accessibility_consent && profile.accessibility_needs.is_none());

    // The CRM finds it again by its own id, without keeping Boussole's.
    let found = app
        .get(
            "/api/v1/beneficiaries?external_ref=hubspot-contact-901",
            &crm,
        )
        .await
        .expect(200);
    let page: Page<BeneficiaryProfile> = serde_json::from_value(found.body).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].person.id, profile.person.id);
    let none = app
        .get("/api/v1/beneficiaries?external_ref=hubspot-contact-9", &crm)
        .await
        .expect(200);
    assert_eq!(none.body["total"], 0, "the lookup is exact");

    // The account has no password: the invitation sets one, then the beneficiary logs in.
    let token = app
        .last_link_token("aicha.benali@example.org", "/invitation")
        .await;
    let mail = app
        .mailbox()
        .await
        .into_iter()
        .rev()
        .find(|m| m.to == "aicha.benali@example.org")
        .unwrap();
    assert!(mail.text.contains("bénéficiaire"), "{}", mail.text);
    app.post(
        "/api/v1/invitations/accept",
        None,
        json!({ "token": token, "password": "des carnets bleus au grenier" }),
    )
    .await
    .expect(200);
    let logged = app
        .login("aicha.benali@example.org", "des carnets bleus au grenier")
        .await;
    assert_eq!(logged.user.role, boussole_shared::users::Role::Beneficiary);
    assert_eq!(logged.user.id, profile.person.id);

    // Journaled under the key.
    let journal = app
        .get("/api/v1/audit?action=beneficiary.create", &admin)
        .await
        .expect(200);
    assert_eq!(journal.body["total"], 1, "{}", journal.body);
    assert_eq!(
        journal.body["items"][0]["actor_kind"], "api_key",
        "{}",
        journal.body
    );

    // An admin creates one too (from the office), and a key without the scope cannot.
    app.post(
        "/api/v1/beneficiaries",
        Some(&admin),
        new_beneficiary("office@example.org", None),
    )
    .await
    .expect(201);
    let reader = key(&app, &admin, &["beneficiaries:read"]).await;
    let refused = app
        .post(
            "/api/v1/beneficiaries",
            Some(&reader),
            new_beneficiary("other@example.org", None),
        )
        .await
        .expect(403);
    assert_eq!(refused.problem_type(), "urn:boussole:problem:missing-scope");
}

async fn an_existing_address_or_reference_answers_409_with_the_existing_id(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let crm = key(&app, &admin, &["beneficiaries:write"]).await;
    let camille = app.user_id(&admin, BENEFICIARY).await;
    let before = beneficiaries_total(&app, &admin).await;

    let taken = app
        .post(
            "/api/v1/beneficiaries",
            Some(&crm),
            new_beneficiary(&BENEFICIARY.to_uppercase(), None),
        )
        .await
        .expect(409);
    assert_eq!(taken.problem_type(), "urn:boussole:problem:already-exists");
    assert_eq!(taken.body["existing_id"], camille.to_string());

    // A staff account's address: 409 as well, without its id.
    let staff = app
        .post(
            "/api/v1/beneficiaries",
            Some(&crm),
            new_beneficiary(CONSULTANT, None),
        )
        .await
        .expect(409);
    assert!(staff.body.get("existing_id").is_none(), "{}", staff.body);

    let first = app
        .post(
            "/api/v1/beneficiaries",
            Some(&crm),
            new_beneficiary("first@example.org", Some("crm-42")),
        )
        .await
        .expect(201);
    let same_ref = app
        .post(
            "/api/v1/beneficiaries",
            Some(&crm),
            new_beneficiary("second@example.org", Some("crm-42")),
        )
        .await
        .expect(409);
    assert_eq!(same_ref.body["existing_id"], first.body["person"]["id"]);
    assert_eq!(beneficiaries_total(&app, &admin).await, before + 1);
    assert!(
        app.mailbox()
            .await
            .iter()
            .all(|m| m.to != "second@example.org"),
        "no invitation for a refused creation"
    );
}

async fn an_invalid_beneficiary_answers_400_with_its_fields_and_writes_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let before = beneficiaries_total(&app, &admin).await;
    let bad = app
        .post(
            "/api/v1/beneficiaries",
            Some(&admin),
            json!({ "email": "not-an-address", "first_name": "", "last_name": "Roux",
                    "external_ref": " padded " }),
        )
        .await
        .expect(400);
    let errors = &bad.body["errors"];
    for field in ["email", "first_name", "external_ref"] {
        assert!(errors[field].is_array(), "{field}: {}", bad.body);
    }
    let siret = app
        .post(
            "/api/v1/beneficiaries",
            Some(&admin),
            json!({ "email": "ok@example.org", "first_name": "Léa", "last_name": "Roux",
                    "employer": { "name": "X", "siret": "73282932000075" } }),
        )
        .await
        .expect(400);
    assert!(
        siret.body["errors"]["employer.siret"].is_array(),
        "{}",
        siret.body
    );
    let long = "x".repeat(101);
    app.post(
        "/api/v1/beneficiaries",
        Some(&admin),
        new_beneficiary("long@example.org", Some(&long)),
    )
    .await
    .expect(400);
    assert_eq!(beneficiaries_total(&app, &admin).await, before);
    assert!(
        app.mailbox()
            .await
            .iter()
            .all(|m| !m.text.contains("/invitation"))
    );
}

async fn a_retried_creation_with_an_idempotency_key_creates_one_beneficiary(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let crm = key(&app, &admin, &["beneficiaries:write"]).await;
    let before = beneficiaries_total(&app, &admin).await;
    let send = |body: Value| {
        app.client
            .post(format!("{}/api/v1/beneficiaries", app.base))
            .bearer_auth(&crm)
            .header("Idempotency-Key", "hubspot-deal-77")
            .json(&body)
            .send()
    };
    let body = new_beneficiary("retry@example.org", Some("deal-77"));
    let first = send(body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(body).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let other = send(new_beneficiary("else@example.org", None))
        .await
        .unwrap();
    assert_eq!(other.status(), 422, "the same key with another body");
    assert_eq!(beneficiaries_total(&app, &admin).await, before + 1);
    let invitations = app
        .mailbox()
        .await
        .into_iter()
        .filter(|m| m.to == "retry@example.org")
        .count();
    assert_eq!(invitations, 1, "one invitation");
}

async fn external_refs_are_unique_per_kind_kept_when_absent_and_looked_up(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;

    // Bilans: set at creation or later, unique, looked up.
    let body = json!({
        "beneficiary_id": app.user_id(&admin, BENEFICIARY).await,
        "consultant_id": app.user_id(&admin, CONSULTANT).await,
        "funding": "employer", "format": "mixed", "planned_hours": 20,
        "external_ref": "deal-1",
    });
    let bilan = app
        .post("/api/v1/bilans", Some(&admin), body.clone())
        .await
        .expect(201);
    assert_eq!(bilan.body["external_ref"], "deal-1");
    let again = app
        .post("/api/v1/bilans", Some(&admin), body)
        .await
        .expect(409);
    assert_eq!(again.body["existing_id"], bilan.body["id"]);
    let other = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let path = format!("/api/v1/bilans/{other}");
    app.patch(&path, &admin, json!({ "external_ref": "deal-1" }))
        .await
        .expect(409);
    let patched = app
        .patch(&path, &admin, json!({ "external_ref": "deal-2" }))
        .await
        .expect(200);
    assert_eq!(patched.body["external_ref"], "deal-2");
    let found = app
        .get("/api/v1/bilans?external_ref=deal-2", &admin)
        .await
        .expect(200);
    assert_eq!(found.body["total"], 1);
    assert_eq!(found.body["items"][0]["id"], other.to_string());
    // A consultant's lookup stays within their portfolio (Karim is assigned to it).
    let consultant = app.token(CONSULTANT).await;
    let theirs = app
        .get("/api/v1/bilans?external_ref=deal-2", &consultant)
        .await
        .expect(200);
    assert_eq!(theirs.body["total"], 1);
    let stranger = app.token("consultante2@boussole.test").await;
    let not_theirs = app
        .get("/api/v1/bilans?external_ref=deal-2", &stranger)
        .await
        .expect(200);
    assert_eq!(not_theirs.body["total"], 0);

    // The same id may name records of different kinds: unique per kind only.
    let camille = app.user_id(&admin, BENEFICIARY).await;
    let record = |r: Option<&str>| json!({ "situation": "employee_cdi", "current_job": "Comptable", "external_ref": r });
    let path = format!("/api/v1/beneficiaries/{camille}");
    let saved = app
        .call(
            Method::PUT,
            &path,
            Some(&admin),
            Some(record(Some("deal-1"))),
        )
        .await
        .expect(200);
    assert_eq!(saved.body["external_ref"], "deal-1");
    // Absent keeps it (the office's screen does not show it).
    let kept = app
        .call(Method::PUT, &path, Some(&admin), Some(record(None)))
        .await
        .expect(200);
    assert_eq!(kept.body["external_ref"], "deal-1");
    // Only the organisation gives it: a beneficiary could otherwise point the CRM at themselves.
    let camille_token = app.token(BENEFICIARY).await;
    app.call(
        Method::PUT,
        &path,
        Some(&camille_token),
        Some(record(Some("deal-9"))),
    )
    .await
    .expect(400);
    let lucas = app.user_id(&admin, "lucas.moreau@boussole.test").await;
    let clash = app
        .call(
            Method::PUT,
            &format!("/api/v1/beneficiaries/{lucas}"),
            Some(&admin),
            Some(record(Some("deal-1"))),
        )
        .await
        .expect(409);
    assert_eq!(clash.body["existing_id"], camille.to_string());

    // Payers: companies only.
    let company = |r: Option<&str>| {
        json!({ "kind": "company", "name": "ACME Industrie", "siret": "73282932000074",
                "address": "1 rue de la Paix\n75002 Paris", "external_ref": r })
    };
    let acme = app
        .post("/api/v1/payers", Some(&admin), company(Some("sf-001")))
        .await
        .expect(201);
    assert_eq!(acme.body["external_ref"], "sf-001");
    let dup = app
        .post("/api/v1/payers", Some(&admin), company(Some("sf-001")))
        .await
        .expect(409);
    assert_eq!(dup.body["existing_id"], acme.body["id"]);
    let opco = app
        .post(
            "/api/v1/payers",
            Some(&admin),
            json!({ "kind": "opco", "name": "OPCO Atlas", "siret": "73282932000074",
                    "address": "Paris", "external_ref": "sf-002" }),
        )
        .await
        .expect(400);
    assert!(opco.body["errors"]["external_ref"].is_array());
    let id = acme.body["id"].as_str().unwrap();
    let edited = app
        .call(
            Method::PUT,
            &format!("/api/v1/payers/{id}"),
            Some(&admin),
            Some(company(None)),
        )
        .await
        .expect(200);
    assert_eq!(edited.body["external_ref"], "sf-001", "absent keeps it");
    let found = app
        .get("/api/v1/payers?external_ref=sf-001", &admin)
        .await
        .expect(200);
    assert_eq!(found.body["total"], 1);
    assert_eq!(found.body["items"][0]["id"], id);
}

async fn a_key_reads_a_bilans_administrative_facts_as_admins_do(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let crm = key(&app, &admin, &["bilans:read", "beneficiaries:read"]).await;
    let id = open_bilan(&app, &admin, FundingMode::Employer).await;
    let path = format!("/api/v1/bilans/{id}");

    let by_key: Bilan =
        serde_json::from_value(app.get(&path, &crm).await.expect(200).body).unwrap();
    let by_admin: Bilan =
        serde_json::from_value(app.get(&path, &admin).await.expect(200).body).unwrap();
    assert_eq!(
        by_key, by_admin,
        "the administrative facts, as admins see them"
    );
    let page = app.get("/api/v1/bilans", &crm).await.expect(200);
    let all = app.get("/api/v1/bilans", &admin).await.expect(200);
    assert_eq!(page.body["total"], all.body["total"]);

    // Its content never: every route under the bilan refuses a key holding every scope (notes, files,
    // results, the skills and project, documents, even its funding lines and timeline), but the two
    // lists of administrative facts: the dated milestones the gates check, and the held sessions'
    // times (the hours funders pay for), which `bilans:read` reads as admins do.
    const ADMINISTRATIVE: [&str; 2] = ["/api/v1/bilans/{id}/facts", "/api/v1/bilans/{id}/sessions"];
    let everything = key(&app, &admin, &crate::authz::ALL_SCOPES).await;
    let doc: Value = serde_json::from_str(&boussole_api::openapi::document_json()).unwrap();
    let under: Vec<&String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(p, item)| p.starts_with("/api/v1/bilans/{id}/") && item.get("get").is_some())
        .map(|(p, _)| p)
        .collect();
    assert!(under.len() >= 10, "{under:?}");
    for template in under {
        let sub = template
            .replace("{id}", &id.to_string())
            .replace("{file_id}", &uuid::Uuid::now_v7().to_string());
        if ADMINISTRATIVE.contains(&template.as_str()) {
            app.get(&sub, &everything).await.expect(200);
            continue;
        }
        let answer = app.get(&sub, &everything).await.expect(403);
        assert_eq!(
            answer.problem_type(),
            "urn:boussole:problem:api-key-not-allowed",
            "{template}"
        );
    }
    // A beneficiary's record as a key reads it: no special-category data.
    let camille = app.user_id(&admin, BENEFICIARY).await;
    let record = app
        .get(&format!("/api/v1/beneficiaries/{camille}"), &crm)
        .await
        .expect(200);
    assert!(record.body["accessibility_needs"].is_null());
}

async fn api_keys_expire_and_show_where_they_were_last_used(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let refused = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            json!({ "name": "CRM", "scopes": ["bilans:read"], "expires_at": past }),
        )
        .await
        .expect(400);
    assert!(refused.body["errors"]["expires_at"].is_array());

    let soon = chrono::Utc::now() + chrono::Duration::days(30);
    let created = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            json!({ "name": "CRM", "scopes": ["bilans:read"], "expires_at": soon.to_rfc3339() }),
        )
        .await
        .expect(201);
    let secret = created.body["key"].as_str().unwrap().to_string();
    let id = created.body["api_key"]["id"].as_str().unwrap().to_string();
    assert!(created.body["api_key"]["last_used_at"].is_null());
    app.get("/api/v1/bilans", &secret).await.expect(200);

    let keys: Vec<ApiKey> =
        serde_json::from_value(app.get("/api/v1/api-keys", &admin).await.expect(200).body).unwrap();
    let listed = keys.iter().find(|k| k.id.to_string() == id).unwrap();
    assert!(listed.last_used_at.is_some());
    assert_eq!(listed.last_used_ip.as_deref(), Some("127.0.0.1"));
    let expires = listed.expires_at.unwrap();
    assert!(
        (expires - soon).num_seconds().abs() <= 1,
        "{expires} vs {soon}"
    );

    // Once its end has passed, the key answers 401.
    diesel::sql_query(format!(
        "UPDATE api_keys SET expires_at = created_at WHERE id = '{id}'"
    ))
    .execute(&mut app.conn())
    .unwrap();
    let expired = app.get("/api/v1/bilans", &secret).await.expect(401);
    assert_eq!(
        expired.problem_type(),
        "urn:boussole:problem:expired-api-key"
    );
}
