use diesel::RunQueryDsl;
use serde_json::json;

use crate::helpers::*;

on_both_backends!(a_beneficiary_record_keeps_special_category_data_for_those_entitled_only);

async fn a_beneficiary_record_keeps_special_category_data_for_those_entitled_only(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let other_consultant = app.token("consultante2@boussole.test").await;
    let beneficiary = app.login(BENEFICIARY, DEMO_PASSWORD).await;
    let other_beneficiary = app.token("lucas.moreau@boussole.test").await;
    let me = beneficiary.access_token.as_str();
    let path = format!("/api/v1/beneficiaries/{}", beneficiary.user.id);
    let record = |needs: Option<&str>, consent: bool, siret: &str, birth: &str| {
        json!({
            "date_of_birth": birth, "situation": "employee_cdi", "current_job": "Comptable",
            "employer": { "name": "Menuiserie Roux", "siret": siret, "contact": "M. Roux" },
            "accessibility_consent": consent, "accessibility_needs": needs,
        })
    };
    let needs = "Malentendante : entretiens avec sous-titrage";
    app.call(
        reqwest::Method::PUT,
        &path,
        Some(me),
        Some(record(Some(needs), false, "73282932000074", "1985-04-12")),
    )
    .await
    .expect(400);
    app.call(
        reqwest::Method::PUT,
        &path,
        Some(me),
        Some(record(None, false, "73282932000075", "1985-04-12")),
    )
    .await
    .expect(400);
    app.call(
        reqwest::Method::PUT,
        &path,
        Some(me),
        Some(record(None, false, "73282932000074", "2030-01-01")),
    )
    .await
    .expect(400);
    let saved = app
        .call(
            reqwest::Method::PUT,
            &path,
            Some(me),
            Some(record(Some(needs), true, "73282932000074", "1985-04-12")),
        )
        .await
        .expect(200);
    assert_eq!(saved.body["accessibility_needs"], needs);

    // Admins see the administrative record, not the special-category data.
    let seen = app.get(&path, &admin).await.expect(200);
    assert_eq!(seen.body["employer"]["name"], "Menuiserie Roux");
    assert_eq!(seen.body["accessibility_consent"], true);
    assert!(seen.body["accessibility_needs"].is_null());
    // Consultants only once a bilan of this beneficiary is theirs.
    app.get(&path, &consultant).await.expect(404);
    open_bilan(&app, &admin, FundingMode::Employer).await;
    assert_eq!(
        app.get(&path, &consultant).await.expect(200).body["accessibility_needs"],
        needs
    );
    app.get(&path, &other_consultant).await.expect(404);
    app.get(&path, &other_beneficiary).await.expect(404);
    app.call(
        reqwest::Method::PUT,
        &path,
        Some(&consultant),
        Some(record(None, false, "73282932000074", "1985-04-12")),
    )
    .await
    .expect(403);
    let list = app
        .get("/api/v1/beneficiaries", &consultant)
        .await
        .expect(200);
    assert_eq!(list.body["total"], 1);
    assert!(
        list.body["items"][0]["accessibility_needs"].is_null(),
        "lists never carry it"
    );
    assert_eq!(
        app.get("/api/v1/beneficiaries", &admin)
            .await
            .expect(200)
            .body["total"],
        4
    );
    app.get("/api/v1/beneficiaries", &other_beneficiary)
        .await
        .expect(403);
    for (q, total) in [("DURAND", 1), ("%25", 0), ("%20", 4)] {
        // Case-insensitive; % taken literally; a blank query filters nothing.
        let found = app
            .get(&format!("/api/v1/beneficiaries?q={q}"), &admin)
            .await
            .expect(200);
        assert_eq!(found.body["total"], total, "q={q}");
    }

    // An admin's correction keeps what only the beneficiary may change.
    let mut fix = record(None, false, "73282932000074", "1985-04-12");
    fix["situation"] = json!("job_seeker");
    app.call(reqwest::Method::PUT, &path, Some(&admin), Some(fix))
        .await
        .expect(200);
    let mine = app.get(&path, me).await.expect(200);
    assert_eq!(
        (
            mine.body["situation"].as_str(),
            mine.body["accessibility_needs"].as_str()
        ),
        (Some("job_seeker"), Some(needs))
    );

    #[derive(diesel::QueryableByName)]
    struct Raw {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Binary>)]
        accessibility_needs: Option<Vec<u8>>,
    }
    let raw: Vec<Raw> = diesel::sql_query("SELECT accessibility_needs FROM beneficiary_profiles")
        .load(&mut app.conn())
        .unwrap();
    assert!(
        !String::from_utf8_lossy(raw[0].accessibility_needs.as_deref().unwrap())
            .contains("Malentendante"),
        "encrypted at rest"
    );

    // Withdrawing consent erases the data.
    app.call(
        reqwest::Method::PUT,
        &path,
        Some(me),
        Some(record(None, false, "73282932000074", "1985-04-12")),
    )
    .await
    .expect(200);
    let raw: Vec<Raw> = diesel::sql_query("SELECT accessibility_needs FROM beneficiary_profiles")
        .load(&mut app.conn())
        .unwrap();
    assert!(raw[0].accessibility_needs.is_none());
}
