use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

on_both_backends!(
    admin_invites_a_consultant_who_sets_a_password,
    users_list_paginates_searches_and_filters,
    admin_deactivates_an_account_which_loses_its_sessions,
    profile_update_validates_and_saves,
    api_keys_are_scoped_shown_once_and_revocable,
    a_session_can_be_ended_from_another,
    the_users_list_is_sorted_across_pages,
    a_consultant_alone_has_titles_and_qualifications,
);

async fn admin_invites_a_consultant_who_sets_a_password(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    // The list is read (and cached) before the invitation: the new account must still show at once.
    assert_eq!(
        app.get("/api/v1/users", &admin).await.expect(200).body["total"],
        7
    );
    let invite = json!({ "email": "nadia@example.org", "role": "consultant", "first_name": "Nadia", "last_name": "Roux" });
    let created = app
        .post("/api/v1/invitations", Some(&admin), invite.clone())
        .await
        .expect(201);
    assert_eq!(created.body["user"]["has_password"], false);
    assert_eq!(
        app.get("/api/v1/users", &admin).await.expect(200).body["total"],
        8
    );
    app.post("/api/v1/invitations", Some(&admin), invite)
        .await
        .expect(409);
    let beneficiary_invite = json!({ "email": "x@example.org", "role": "beneficiary", "first_name": "X", "last_name": "Y" });
    app.post("/api/v1/invitations", Some(&admin), beneficiary_invite)
        .await
        .expect(400);
    // Before accepting, the account cannot log in.
    app.login_answer("nadia@example.org", "anything at all here")
        .await
        .expect(401);

    let token = app
        .last_link_token("nadia@example.org", "/invitation")
        .await;
    let weak = app
        .post(
            "/api/v1/invitations/accept",
            None,
            json!({ "token": token, "password": "nadiaroux1234" }),
        )
        .await
        .expect(400);
    assert!(
        weak.body["errors"]["password"].is_array(),
        "names are guessable: {}",
        weak.body
    );
    let accepted = app
        .post(
            "/api/v1/invitations/accept",
            None,
            json!({ "token": token, "password": "des carnets bleus au grenier" }),
        )
        .await
        .expect(200);
    assert_eq!(accepted.body["role"], "consultant");
    assert_eq!(accepted.body["email_verified"], true);
    app.post(
        "/api/v1/invitations/accept",
        None,
        json!({ "token": token, "password": "un autre mot de passe long" }),
    )
    .await
    .expect(400);
    let logged = app
        .login("nadia@example.org", "des carnets bleus au grenier")
        .await;
    assert_eq!(logged.user.role, boussole_shared::users::Role::Consultant);
}

async fn users_list_paginates_searches_and_filters(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let all = app
        .get("/api/v1/users?per_page=100", &admin)
        .await
        .expect(200);
    assert_eq!(all.body["total"], 7);
    let page = app
        .get("/api/v1/users?page=2&per_page=3", &admin)
        .await
        .expect(200);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(
        (
            page.body["page"].as_i64(),
            page.body["per_page"].as_i64(),
            page.body["total"].as_i64()
        ),
        (Some(2), Some(3), Some(7))
    );
    let last = app
        .get("/api/v1/users?page=3&per_page=3", &admin)
        .await
        .expect(200);
    assert_eq!(last.body["items"].as_array().unwrap().len(), 1);
    // Case-insensitive search over names with accents, and filters.
    let found = app.get("/api/v1/users?q=LEFÈVRE", &admin).await.expect(200);
    assert_eq!(found.body["total"], 1);
    assert_eq!(
        found.body["items"][0]["email"],
        "consultante2@boussole.test"
    );
    let consultants = app
        .get("/api/v1/users?role=consultant", &admin)
        .await
        .expect(200);
    assert_eq!(consultants.body["total"], 2);
    let wildcard = app.get("/api/v1/users?q=%25", &admin).await.expect(200);
    assert_eq!(wildcard.body["total"], 0, "% is searched literally");
    app.get("/api/v1/users?per_page=101", &admin)
        .await
        .expect(400);
    app.get("/api/v1/users?page=0", &admin).await.expect(400);
    // Found by the fuzzer: the offset of this page overflowed into a 500.
    app.get("/api/v1/users?page=9223372036854775807", &admin)
        .await
        .expect(400);
    app.get("/api/v1/users?role=king", &admin).await.expect(400);
}

async fn admin_deactivates_an_account_which_loses_its_sessions(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let consultant = app.login(CONSULTANT, DEMO_PASSWORD).await;
    let path = format!("/api/v1/users/{}", consultant.user.id);
    let answer = app
        .patch(&path, &admin.access_token, json!({ "is_active": false }))
        .await
        .expect(200);
    assert_eq!(answer.body["is_active"], false);
    app.get("/api/v1/me", &consultant.access_token)
        .await
        .expect(401);
    let refused = app
        .login_answer(CONSULTANT, DEMO_PASSWORD)
        .await
        .expect(403);
    assert!(refused.problem_type().ends_with("account-disabled"));
    let own = format!("/api/v1/users/{}", admin.user.id);
    app.patch(&own, &admin.access_token, json!({ "is_active": false }))
        .await
        .expect(422);
    app.patch(&path, &admin.access_token, json!({ "is_active": true }))
        .await
        .expect(200);
    app.login(CONSULTANT, DEMO_PASSWORD).await;
    app.patch(
        &format!("/api/v1/users/{}", uuid::Uuid::now_v7()),
        &admin.access_token,
        json!({}),
    )
    .await
    .expect(404);
    app.patch("/api/v1/users/not-a-uuid", &admin.access_token, json!({}))
        .await
        .expect(404);
}

async fn profile_update_validates_and_saves(backend: Backend) {
    let app = spawn_demo(backend).await;
    let token = app.token(BENEFICIARY).await;
    let bad = app
        .patch(
            "/api/v1/me",
            &token,
            json!({ "first_name": "", "phone": "0".repeat(31) }),
        )
        .await
        .expect(400);
    assert!(bad.body["errors"]["first_name"].is_array() && bad.body["errors"]["phone"].is_array());
    let unchanged = app.get("/api/v1/me", &token).await.expect(200);
    assert_eq!(unchanged.body["first_name"], "Camille");
    let saved = app
        .patch(
            "/api/v1/me",
            &token,
            json!({ "first_name": "Camille-Rose", "phone": "06 12 34 56 78", "locale": "en" }),
        )
        .await
        .expect(200);
    assert_eq!(saved.body["first_name"], "Camille-Rose");
    assert_eq!(saved.body["locale"], "en");
    let again = app.get("/api/v1/me", &token).await.expect(200);
    assert_eq!(again.body["phone"], "06 12 34 56 78");
}

async fn api_keys_are_scoped_shown_once_and_revocable(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let body = json!({ "name": "CRM", "scopes": ["users:read"] });
    app.post("/api/v1/api-keys", Some(&consultant), body.clone())
        .await
        .expect(403);
    app.post(
        "/api/v1/api-keys",
        Some(&admin),
        json!({ "name": "CRM", "scopes": [] }),
    )
    .await
    .expect(400);
    app.post(
        "/api/v1/api-keys",
        Some(&admin),
        json!({ "name": "CRM", "scopes": ["bilans:everything"] }),
    )
    .await
    .expect(400);
    let created = app
        .post("/api/v1/api-keys", Some(&admin), body)
        .await
        .expect(201);
    let key = created.body["key"].as_str().unwrap().to_string();
    assert!(key.starts_with("bsl_"));
    let listed = app.get("/api/v1/api-keys", &admin).await.expect(200);
    assert!(
        !listed.body.to_string().contains(&key),
        "the secret is never shown again"
    );

    let users = app.get("/api/v1/users", &key).await.expect(200);
    assert_eq!(users.body["total"], 7);
    let scope = app.get("/api/v1/audit", &key).await.expect(403);
    assert!(scope.problem_type().ends_with("missing-scope"));
    app.get("/api/v1/me", &key).await.expect(403);
    app.post("/api/v1/invitations", Some(&key), json!({}))
        .await
        .expect(403);

    let id = created.body["api_key"]["id"].as_str().unwrap();
    app.call(
        Method::DELETE,
        &format!("/api/v1/api-keys/{id}"),
        Some(&admin),
        None,
    )
    .await
    .expect(204);
    app.call(
        Method::DELETE,
        &format!("/api/v1/api-keys/{id}"),
        Some(&admin),
        None,
    )
    .await
    .expect(404);
    app.get("/api/v1/users", &key).await.expect(401);
    app.get("/api/v1/users", "bsl_made_up").await.expect(401);
    let listed = app.get("/api/v1/api-keys", &admin).await.expect(200);
    assert!(listed.body[0]["revoked_at"].is_string());
    assert!(listed.body[0]["last_used_at"].is_string());
}

async fn a_session_can_be_ended_from_another(backend: Backend) {
    let app = spawn_demo(backend).await;
    let lost_phone = app.login(BENEFICIARY, DEMO_PASSWORD).await;
    let laptop = app.login(BENEFICIARY, DEMO_PASSWORD).await;
    let sessions = app
        .get("/api/v1/me/sessions", &laptop.access_token)
        .await
        .expect(200);
    let other = sessions
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == false)
        .unwrap();
    let path = format!("/api/v1/me/sessions/{}", other["id"].as_str().unwrap());
    // Someone else's session is not found, not ended.
    let consultant = app.token(CONSULTANT).await;
    app.call(Method::DELETE, &path, Some(&consultant), None)
        .await
        .expect(404);
    app.get("/api/v1/me", &lost_phone.access_token)
        .await
        .expect(200);
    app.call(Method::DELETE, &path, Some(&laptop.access_token), None)
        .await
        .expect(204);
    app.get("/api/v1/me", &lost_phone.access_token)
        .await
        .expect(401);
    app.get("/api/v1/me", &laptop.access_token)
        .await
        .expect(200);
}

async fn the_users_list_is_sorted_across_pages(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    // A lower-case name must sort among the others, not after them.
    let invite = json!({ "email": "zoe@example.org", "role": "consultant", "first_name": "Zoé", "last_name": "dupont" });
    app.post("/api/v1/invitations", Some(&admin), invite)
        .await
        .expect(201);
    let all = |sort: &'static str, desc: bool| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let mut seen = Vec::new();
            for page in 1..=4 {
                let path = format!("/api/v1/users?sort={sort}&desc={desc}&per_page=2&page={page}");
                let body = app.get(&path, &admin).await.expect(200).body;
                for u in body["items"].as_array().unwrap() {
                    seen.push((
                        u["last_name"].as_str().unwrap().to_string(),
                        u["email"].as_str().unwrap().to_string(),
                    ));
                }
            }
            seen
        }
    };
    let by_name = all("name", false).await;
    assert_eq!(by_name.len(), 8);
    let mut expected = by_name.clone();
    expected.sort_by_key(|(last, _)| last.to_lowercase());
    assert_eq!(by_name, expected);
    assert!(
        by_name.iter().position(|(l, _)| l == "dupont")
            < by_name.iter().position(|(l, _)| l == "Martin")
    );
    let by_email_desc: Vec<String> = all("email", true)
        .await
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    let mut expected: Vec<String> = by_email_desc.clone();
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(by_email_desc, expected);
    app.get("/api/v1/users?sort=age", &admin).await.expect(400);
}

/// Titles and qualifications (L6353-8): the consultant's own profile and the admin's patch set them,
/// checked like the names; another role cannot have any, and a beneficiary sees none of them in
/// the bilan (only on the documents, next to the consultant's name).
async fn a_consultant_alone_has_titles_and_qualifications(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await;
    let karim = app.login(CONSULTANT, DEMO_PASSWORD).await;
    let camille = app.login(BENEFICIARY, DEMO_PASSWORD).await;
    assert_eq!(
        karim.user.qualification.as_deref(),
        Some(boussole_api::seed::KARIM_QUALIFICATION)
    );
    assert_eq!(camille.user.qualification, None);

    // The consultant's own profile: trimmed, 300 characters at most, no line break.
    let me = |token: &str, value: serde_json::Value| {
        let token = token.to_string();
        let app = &app;
        async move {
            app.patch("/api/v1/me", &token, json!({ "qualification": value }))
                .await
        }
    };
    let saved = me(&karim.access_token, json!("  Psychologue du travail  "))
        .await
        .expect(200);
    assert_eq!(saved.body["qualification"], "Psychologue du travail");
    for bad in ["é".repeat(301), "Psychologue\nObjet : faux".to_string()] {
        let refused = me(&karim.access_token, json!(bad)).await.expect(400);
        assert!(
            refused.body["errors"]["qualification"].is_array(),
            "{}",
            refused.body
        );
    }
    me(&karim.access_token, json!("é".repeat(300)))
        .await
        .expect(200);

    // A beneficiary (or an admin) cannot give themself one: 422 naming the field, nothing saved.
    for token in [&camille.access_token, &admin.access_token] {
        let refused = me(token, json!("Psychologue")).await.expect(422);
        assert_eq!(refused.body["missing"], json!(["qualification"]));
        let unchanged = app.get("/api/v1/me", token).await.expect(200);
        assert_eq!(unchanged.body["qualification"], serde_json::Value::Null);
    }

    // The admin's patch: on a consultant, journaled by field name only; an empty text removes it.
    let karim_path = format!("/api/v1/users/{}", karim.user.id);
    let patched = app
        .patch(
            &karim_path,
            &admin.access_token,
            json!({ "qualification": "Conseiller en bilan de compétences (titre RNCP)" }),
        )
        .await
        .expect(200);
    assert_eq!(
        patched.body["qualification"],
        "Conseiller en bilan de compétences (titre RNCP)"
    );
    let read = app.get(&karim_path, &admin.access_token).await.expect(200);
    assert_eq!(read.body["qualification"], patched.body["qualification"]);
    let too_long = json!({ "qualification": "x".repeat(301) });
    let refused = app
        .patch(&karim_path, &admin.access_token, too_long)
        .await
        .expect(400);
    assert!(refused.body["errors"]["qualification"].is_array());
    let camille_path = format!("/api/v1/users/{}", camille.user.id);
    let refused = app
        .patch(
            &camille_path,
            &admin.access_token,
            json!({ "qualification": "Psychologue", "first_name": "Camilla" }),
        )
        .await
        .expect(422);
    assert_eq!(refused.body["missing"], json!(["qualification"]));
    let camille_now = app
        .get(&camille_path, &admin.access_token)
        .await
        .expect(200);
    assert_eq!(camille_now.body["first_name"], "Camille", "nothing saved");
    {
        use boussole_api::schema::audit_log;
        use diesel::prelude::*;
        let details: Vec<String> = audit_log::table
            .filter(audit_log::action.eq("user.update"))
            .select(audit_log::details)
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(details.len(), 1, "{details:?}");
        assert!(details[0].contains("qualification") && !details[0].contains("RNCP"));
    }

    // The beneficiary's bilan names the consultant, without the qualification.
    let bilan = crate::bilans::open_bilan(&app, &admin.access_token, "cpf").await;
    let shown = app
        .get(&format!("/api/v1/bilans/{bilan}"), &camille.access_token)
        .await
        .expect(200);
    let text = shown.body.to_string();
    assert!(text.contains("Benali") && !text.contains("RNCP"), "{text}");

    let removed = app
        .patch(
            &karim_path,
            &admin.access_token,
            json!({ "qualification": "" }),
        )
        .await
        .expect(200);
    assert_eq!(removed.body["qualification"], serde_json::Value::Null);
}
