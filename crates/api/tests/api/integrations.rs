//! Issue 15, the CRM's side: a key creates a beneficiary (invited to choose a password), finds records
//! by the CRM's own ids, reads a bilan's administrative facts and nothing else; keys expire and show
//! their last use.

use boussole_shared::Page;
use boussole_shared::audit::AuditEntry;
use boussole_shared::auth::{ApiKey, ApiScope, CreatedApiKey, NewApiKey};
use boussole_shared::bilans::{
    BeneficiaryProfile, BeneficiaryProfileUpdate, Bilan, BilanPatch, NewBeneficiary, NewBilan,
    Situation,
};
use boussole_shared::money::{NewPayer, Payer, PayerKind};
use boussole_shared::users::Role;
use diesel::RunQueryDsl;
use serde_json::{Value, json};
use uuid::Uuid;

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

async fn key(app: &TestApp, admin: &str, scopes: &[ApiScope]) -> String {
    app.api_key(admin, "CRM", scopes).await
}

async fn create(
    app: &TestApp,
    token: &str,
    beneficiary: &NewBeneficiary,
) -> Answer<BeneficiaryProfile> {
    app.post_as("/api/v1/beneficiaries", Some(token), beneficiary)
        .await
}

async fn beneficiaries(app: &TestApp, token: &str, query: &str) -> Page<BeneficiaryProfile> {
    app.get_as(&format!("/api/v1/beneficiaries{query}"), token)
        .await
        .ok(200)
}

async fn beneficiaries_total(app: &TestApp, admin: &str) -> i64 {
    beneficiaries(app, admin, "").await.total
}

async fn bilans(app: &TestApp, token: &str, query: &str) -> Page<Bilan> {
    app.get_as(&format!("/api/v1/bilans{query}"), token)
        .await
        .ok(200)
}

async fn a_crm_key_creates_a_beneficiary_who_is_invited_and_found_by_its_reference(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let scopes = [ApiScope::BeneficiariesRead, ApiScope::BeneficiariesWrite];
    let crm = key(&app, &admin, &scopes).await;

    let aicha = new_beneficiary("Aicha.Benali@Example.org", Some("hubspot-contact-901"));
    let profile = create(&app, &crm, &aicha).await.ok(201);
    assert_eq!(profile.email, "aicha.benali@example.org");
    assert_eq!(profile.situation, Situation::EmployeeCdi);
    assert_eq!(profile.external_ref.as_deref(), Some("hubspot-contact-901"));
    assert_eq!(profile.employer.unwrap().name, "Menuiserie Roux");
    assert!(!profile.accessibility_consent && profile.accessibility_needs.is_none());

    // The CRM finds it again by its own id, without keeping Boussole's.
    let page = beneficiaries(&app, &crm, "?external_ref=hubspot-contact-901").await;
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].person.id, profile.person.id);
    let none = beneficiaries(&app, &crm, "?external_ref=hubspot-contact-9").await;
    assert_eq!(none.total, 0, "the lookup is exact");

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
    app.accept_invitation(&token, "des carnets bleus au grenier")
        .await
        .expect(200);
    let logged = app
        .login("aicha.benali@example.org", "des carnets bleus au grenier")
        .await;
    assert_eq!(logged.user.role, Role::Beneficiary);
    assert_eq!(logged.user.id, profile.person.id);

    // Journaled under the key.
    let journal: Page<AuditEntry> = app
        .get_as("/api/v1/audit?action=beneficiary.create", &admin)
        .await
        .ok(200);
    assert_eq!(journal.total, 1, "{journal:?}");
    assert_eq!(journal.items[0].actor_kind, "api_key", "{journal:?}");

    // An admin creates one too (from the office), and a key without the scope cannot.
    create(&app, &admin, &new_beneficiary("office@example.org", None))
        .await
        .expect(201);
    let reader = key(&app, &admin, &[ApiScope::BeneficiariesRead]).await;
    let refused = create(&app, &reader, &new_beneficiary("other@example.org", None))
        .await
        .expect(403);
    assert_eq!(refused.problem_type(), "urn:boussole:problem:missing-scope");
}

async fn an_existing_address_or_reference_answers_409_with_the_existing_id(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let crm = key(&app, &admin, &[ApiScope::BeneficiariesWrite]).await;
    let camille = app.user_id(&admin, BENEFICIARY).await;
    let before = beneficiaries_total(&app, &admin).await;

    let upper = new_beneficiary(&BENEFICIARY.to_uppercase(), None);
    let taken = create(&app, &crm, &upper).await.expect(409);
    assert_eq!(taken.problem_type(), "urn:boussole:problem:already-exists");
    assert_eq!(taken.body["existing_id"], camille.to_string());

    // A staff account's address: 409 as well, without its id.
    let staff = create(&app, &crm, &new_beneficiary(CONSULTANT, None))
        .await
        .expect(409);
    assert!(staff.body.get("existing_id").is_none(), "{}", staff.body);

    let first = new_beneficiary("first@example.org", Some("crm-42"));
    let first = create(&app, &crm, &first).await.ok(201);
    let second = new_beneficiary("second@example.org", Some("crm-42"));
    let same_ref = create(&app, &crm, &second).await.expect(409);
    assert_eq!(same_ref.body["existing_id"], first.person.id.to_string());
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
    // Raw JSON: bodies without the fields the DTO requires.
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
    create(
        &app,
        &admin,
        &new_beneficiary("long@example.org", Some(&long)),
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
    let crm = key(&app, &admin, &[ApiScope::BeneficiariesWrite]).await;
    let before = beneficiaries_total(&app, &admin).await;
    // The answers compared as sent: a replay is the same body.
    let send = |body: NewBeneficiary| {
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
    let beneficiary = app.user_id(&admin, BENEFICIARY).await;
    let consultant_id = app.user_id(&admin, CONSULTANT).await;
    let body = NewBilan {
        external_ref: Some("deal-1".into()),
        ..new_bilan(beneficiary, consultant_id, FundingMode::Employer)
    };
    let bilan = app.create_bilan(&admin, &body).await.ok(201);
    assert_eq!(bilan.external_ref.as_deref(), Some("deal-1"));
    let again = app.create_bilan(&admin, &body).await.expect(409);
    assert_eq!(again.body["existing_id"], bilan.id.to_string());
    let other = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let path = format!("/api/v1/bilans/{other}");
    let external_ref = |r: &str| BilanPatch {
        external_ref: Some(Some(r.into())),
    };
    app.patch_as::<Bilan>(&path, &admin, &external_ref("deal-1"))
        .await
        .expect(409);
    let patched: Bilan = app
        .patch_as(&path, &admin, &external_ref("deal-2"))
        .await
        .ok(200);
    assert_eq!(patched.external_ref.as_deref(), Some("deal-2"));
    let found = bilans(&app, &admin, "?external_ref=deal-2").await;
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].id, other);
    // A consultant's lookup stays within their portfolio (Karim is assigned to it).
    let consultant = app.token(CONSULTANT).await;
    let theirs = bilans(&app, &consultant, "?external_ref=deal-2").await;
    assert_eq!(theirs.total, 1);
    let stranger = app.token("consultante2@boussole.test").await;
    let not_theirs = bilans(&app, &stranger, "?external_ref=deal-2").await;
    assert_eq!(not_theirs.total, 0);

    // The same id may name records of different kinds: unique per kind only.
    let camille = app.user_id(&admin, BENEFICIARY).await;
    let record = |r: Option<&str>| BeneficiaryProfileUpdate {
        date_of_birth: None,
        situation: Situation::EmployeeCdi,
        current_job: Some("Comptable".into()),
        education_level: None,
        employer: None,
        cep_adviser: None,
        accessibility_consent: false,
        accessibility_needs: None,
        external_ref: r.map(Into::into),
    };
    let put = |token: String, id: Uuid, record: BeneficiaryProfileUpdate| {
        let app = &app;
        async move {
            let path = format!("/api/v1/beneficiaries/{id}");
            app.put_as::<BeneficiaryProfile>(&path, &token, &record)
                .await
        }
    };
    let saved = put(admin.clone(), camille, record(Some("deal-1")))
        .await
        .ok(200);
    assert_eq!(saved.external_ref.as_deref(), Some("deal-1"));
    // Absent keeps it (the office's screen does not show it).
    let kept = put(admin.clone(), camille, record(None)).await.ok(200);
    assert_eq!(kept.external_ref.as_deref(), Some("deal-1"));
    // Only the organisation gives it: a beneficiary could otherwise point the CRM at themselves.
    let camille_token = app.token(BENEFICIARY).await;
    put(camille_token, camille, record(Some("deal-9")))
        .await
        .expect(400);
    let lucas = app.user_id(&admin, "lucas.moreau@boussole.test").await;
    let clash = put(admin.clone(), lucas, record(Some("deal-1")))
        .await
        .expect(409);
    assert_eq!(clash.body["existing_id"], camille.to_string());

    // Payers: companies only.
    let payer = |kind: PayerKind, name: &str, address: &str, r: Option<&str>| NewPayer {
        kind: Some(kind),
        name: name.into(),
        siret: Some("73282932000074".into()),
        vat_number: None,
        address: address.into(),
        contact_name: String::new(),
        email: String::new(),
        user_id: None,
        external_ref: r.map(Into::into),
    };
    let company = |r| {
        payer(
            PayerKind::Company,
            "ACME Industrie",
            "1 rue de la Paix\n75002 Paris",
            r,
        )
    };
    let acme = app
        .create_payer(&admin, &company(Some("sf-001")))
        .await
        .ok(201);
    assert_eq!(acme.external_ref.as_deref(), Some("sf-001"));
    let dup = app
        .create_payer(&admin, &company(Some("sf-001")))
        .await
        .expect(409);
    assert_eq!(dup.body["existing_id"], acme.id.to_string());
    let atlas = payer(PayerKind::Opco, "OPCO Atlas", "Paris", Some("sf-002"));
    let opco = app.create_payer(&admin, &atlas).await.expect(400);
    assert!(opco.body["errors"]["external_ref"].is_array());
    let id = acme.id;
    let edited: Payer = app
        .put_as(&format!("/api/v1/payers/{id}"), &admin, &company(None))
        .await
        .ok(200);
    assert_eq!(
        edited.external_ref.as_deref(),
        Some("sf-001"),
        "absent keeps it"
    );
    let found: Page<Payer> = app
        .get_as("/api/v1/payers?external_ref=sf-001", &admin)
        .await
        .ok(200);
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].id, id);
}

async fn a_key_reads_a_bilans_administrative_facts_as_admins_do(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let scopes = [ApiScope::BilansRead, ApiScope::BeneficiariesRead];
    let crm = key(&app, &admin, &scopes).await;
    let id = open_bilan(&app, &admin, FundingMode::Employer).await;

    let by_key = app.bilan(&crm, id).await.ok(200);
    let by_admin = app.bilan(&admin, id).await.ok(200);
    assert_eq!(
        by_key, by_admin,
        "the administrative facts, as admins see them"
    );
    let page = bilans(&app, &crm, "").await;
    let all = bilans(&app, &admin, "").await;
    assert_eq!(page.total, all.total);

    // Its content never: every route under the bilan refuses a key holding every scope (notes, files,
    // results, the skills and project, documents, even its funding lines and timeline), but the two
    // lists of administrative facts: the dated milestones the gates check, and the held sessions'
    // times (the hours funders pay for), which `bilans:read` reads as admins do.
    const ADMINISTRATIVE: [&str; 2] = ["/api/v1/bilans/{id}/facts", "/api/v1/bilans/{id}/sessions"];
    let all: Vec<ApiScope> = crate::authz::ALL_SCOPES
        .iter()
        .map(|s| ApiScope::parse(s).unwrap())
        .collect();
    let everything = key(&app, &admin, &all).await;
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
            .replace("{file_id}", &Uuid::now_v7().to_string());
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
    let record: BeneficiaryProfile = app
        .get_as(&format!("/api/v1/beneficiaries/{camille}"), &crm)
        .await
        .ok(200);
    assert!(record.accessibility_needs.is_none());
}

async fn api_keys_expire_and_show_where_they_were_last_used(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let ending = |expires_at| NewApiKey {
        name: "CRM".into(),
        scopes: vec![ApiScope::BilansRead],
        expires_at: Some(expires_at),
    };
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    let refused = app.create_api_key(&admin, &ending(past)).await.expect(400);
    assert!(refused.body["errors"]["expires_at"].is_array());

    let soon = chrono::Utc::now() + chrono::Duration::days(30);
    let created: CreatedApiKey = app.create_api_key(&admin, &ending(soon)).await.ok(201);
    let secret = created.key;
    let id = created.api_key.id;
    assert!(created.api_key.last_used_at.is_none());
    app.get("/api/v1/bilans", &secret).await.expect(200);

    let keys: Vec<ApiKey> = app.get_as("/api/v1/api-keys", &admin).await.ok(200);
    let listed = keys.iter().find(|k| k.id == id).unwrap();
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
