use boussole_shared::Page;
use boussole_shared::auth::{ApiKey, ApiScope, NewApiKey, Session};
use boussole_shared::users::{Locale, MePatch, Role, User, UserPatch};
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

async fn users(app: &TestApp, token: &str, query: &str) -> Page<User> {
    app.get_as(&format!("/api/v1/users{query}"), token)
        .await
        .ok(200)
}

async fn patch_me(app: &TestApp, token: &str, patch: &MePatch) -> Answer<User> {
    app.patch_as("/api/v1/me", token, patch).await
}

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
    assert_eq!(users(&app, &admin, "").await.total, 7);
    let invite = invitation("nadia@example.org", Role::Consultant, "Nadia", "Roux");
    let created = app.invite(&admin, &invite).await.ok(201);
    assert!(!created.user.has_password);
    assert_eq!(users(&app, &admin, "").await.total, 8);
    app.invite(&admin, &invite).await.expect(409);
    let beneficiary_invite = invitation("x@example.org", Role::Beneficiary, "X", "Y");
    app.invite(&admin, &beneficiary_invite).await.expect(400);
    // Before accepting, the account cannot log in.
    app.login_answer("nadia@example.org", "anything at all here")
        .await
        .expect(401);

    let token = app
        .last_link_token("nadia@example.org", "/invitation")
        .await;
    let weak = app
        .accept_invitation(&token, "nadiaroux1234")
        .await
        .expect(400);
    assert!(
        weak.body["errors"]["password"].is_array(),
        "names are guessable: {}",
        weak.body
    );
    let accepted = app
        .accept_invitation(&token, "des carnets bleus au grenier")
        .await
        .ok(200);
    assert_eq!(accepted.role, Role::Consultant);
    assert!(accepted.email_verified);
    app.accept_invitation(&token, "un autre mot de passe long")
        .await
        .expect(400);
    let logged = app
        .login("nadia@example.org", "des carnets bleus au grenier")
        .await;
    assert_eq!(logged.user.role, Role::Consultant);
}

async fn users_list_paginates_searches_and_filters(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    assert_eq!(users(&app, &admin, "?per_page=100").await.total, 7);
    let page = users(&app, &admin, "?page=2&per_page=3").await;
    assert_eq!(page.items.len(), 3);
    assert_eq!((page.page, page.per_page, page.total), (2, 3, 7));
    let last = users(&app, &admin, "?page=3&per_page=3").await;
    assert_eq!(last.items.len(), 1);
    // Case-insensitive search over names with accents, and filters.
    let found = users(&app, &admin, "?q=LEFÈVRE").await;
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].email, "consultante2@boussole.test");
    assert_eq!(users(&app, &admin, "?role=consultant").await.total, 2);
    let wildcard = users(&app, &admin, "?q=%25").await;
    assert_eq!(wildcard.total, 0, "% is searched literally");
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
    let active = |is_active| UserPatch {
        is_active: Some(is_active),
        ..UserPatch::default()
    };
    let answer: User = app
        .patch_as(&path, &admin.access_token, &active(false))
        .await
        .ok(200);
    assert!(!answer.is_active);
    app.get("/api/v1/me", &consultant.access_token)
        .await
        .expect(401);
    let refused = app
        .login_answer(CONSULTANT, DEMO_PASSWORD)
        .await
        .expect(403);
    assert!(refused.problem_type().ends_with("account-disabled"));
    let own = format!("/api/v1/users/{}", admin.user.id);
    app.patch_as::<User>(&own, &admin.access_token, &active(false))
        .await
        .expect(422);
    app.patch_as::<User>(&path, &admin.access_token, &active(true))
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
    let bad = MePatch {
        first_name: Some(String::new()),
        phone: Some("0".repeat(31)),
        ..MePatch::default()
    };
    let bad = patch_me(&app, &token, &bad).await.expect(400);
    assert!(bad.body["errors"]["first_name"].is_array() && bad.body["errors"]["phone"].is_array());
    let unchanged: User = app.get_as("/api/v1/me", &token).await.ok(200);
    assert_eq!(unchanged.first_name, "Camille");
    let good = MePatch {
        first_name: Some("Camille-Rose".into()),
        phone: Some("06 12 34 56 78".into()),
        locale: Some(Locale::En),
        ..MePatch::default()
    };
    let saved = patch_me(&app, &token, &good).await.ok(200);
    assert_eq!(saved.first_name, "Camille-Rose");
    assert_eq!(saved.locale, Locale::En);
    let again: User = app.get_as("/api/v1/me", &token).await.ok(200);
    assert_eq!(again.phone.as_deref(), Some("06 12 34 56 78"));
}

async fn api_keys_are_scoped_shown_once_and_revocable(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let body = NewApiKey {
        name: "CRM".into(),
        scopes: vec![ApiScope::UsersRead],
        expires_at: None,
    };
    app.create_api_key(&consultant, &body).await.expect(403);
    let no_scope = NewApiKey {
        scopes: vec![],
        ..body.clone()
    };
    app.create_api_key(&admin, &no_scope).await.expect(400);
    // A scope that does not exist: only raw JSON can name it.
    app.post(
        "/api/v1/api-keys",
        Some(&admin),
        json!({ "name": "CRM", "scopes": ["bilans:everything"] }),
    )
    .await
    .expect(400);
    let created = app.create_api_key(&admin, &body).await.ok(201);
    let key = created.key;
    assert!(key.starts_with("bsl_"));
    let listed = app.get("/api/v1/api-keys", &admin).await.expect(200);
    assert!(
        !listed.body.to_string().contains(&key),
        "the secret is never shown again"
    );

    assert_eq!(users(&app, &key, "").await.total, 7);
    let scope = app.get("/api/v1/audit", &key).await.expect(403);
    assert!(scope.problem_type().ends_with("missing-scope"));
    app.get("/api/v1/me", &key).await.expect(403);
    app.post("/api/v1/invitations", Some(&key), json!({}))
        .await
        .expect(403);

    let id = created.api_key.id;
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
    let listed: Vec<ApiKey> = app.get_as("/api/v1/api-keys", &admin).await.ok(200);
    assert!(listed[0].revoked_at.is_some());
    assert!(listed[0].last_used_at.is_some());
}

async fn a_session_can_be_ended_from_another(backend: Backend) {
    let app = spawn_demo(backend).await;
    let lost_phone = app.login(BENEFICIARY, DEMO_PASSWORD).await;
    let laptop = app.login(BENEFICIARY, DEMO_PASSWORD).await;
    let sessions: Vec<Session> = app
        .get_as("/api/v1/me/sessions", &laptop.access_token)
        .await
        .ok(200);
    let other = sessions.iter().find(|s| !s.current).unwrap();
    let path = format!("/api/v1/me/sessions/{}", other.id);
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
    let invite = invitation("zoe@example.org", Role::Consultant, "Zoé", "dupont");
    app.invite(&admin, &invite).await.expect(201);
    let all = |sort: &'static str, desc: bool| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let mut seen = Vec::new();
            for page in 1..=4 {
                let query = format!("?sort={sort}&desc={desc}&per_page=2&page={page}");
                for u in users(app, &admin, &query).await.items {
                    seen.push((u.last_name, u.email));
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
    let me = |token: &str, value: String| {
        let token = token.to_string();
        let app = &app;
        async move {
            let patch = MePatch {
                qualification: Some(value),
                ..MePatch::default()
            };
            patch_me(app, &token, &patch).await
        }
    };
    let saved = me(&karim.access_token, "  Psychologue du travail  ".into())
        .await
        .ok(200);
    assert_eq!(
        saved.qualification.as_deref(),
        Some("Psychologue du travail")
    );
    for bad in ["é".repeat(301), "Psychologue\nObjet : faux".to_string()] {
        let refused = me(&karim.access_token, bad).await.expect(400);
        assert!(
            refused.body["errors"]["qualification"].is_array(),
            "{}",
            refused.body
        );
    }
    me(&karim.access_token, "é".repeat(300)).await.expect(200);

    // A beneficiary (or an admin) cannot give themself one: 422 naming the field, nothing saved.
    for token in [&camille.access_token, &admin.access_token] {
        let refused = me(token, "Psychologue".into()).await.expect(422);
        assert_eq!(missing(&refused), vec!["qualification"]);
        let unchanged: User = app.get_as("/api/v1/me", token).await.ok(200);
        assert_eq!(unchanged.qualification, None);
    }

    // The admin's patch: on a consultant, journaled by field name only; an empty text removes it.
    let karim_path = format!("/api/v1/users/{}", karim.user.id);
    let qualified = |text: &str| UserPatch {
        qualification: Some(text.into()),
        ..UserPatch::default()
    };
    let rncp = "Conseiller en bilan de compétences (titre RNCP)";
    let patched: User = app
        .patch_as(&karim_path, &admin.access_token, &qualified(rncp))
        .await
        .ok(200);
    assert_eq!(patched.qualification.as_deref(), Some(rncp));
    let read: User = app.get_as(&karim_path, &admin.access_token).await.ok(200);
    assert_eq!(read.qualification, patched.qualification);
    let too_long = qualified(&"x".repeat(301));
    let refused = app
        .patch_as::<User>(&karim_path, &admin.access_token, &too_long)
        .await
        .expect(400);
    assert!(refused.body["errors"]["qualification"].is_array());
    let camille_path = format!("/api/v1/users/{}", camille.user.id);
    let renamed = UserPatch {
        first_name: Some("Camilla".into()),
        ..qualified("Psychologue")
    };
    let refused = app
        .patch_as::<User>(&camille_path, &admin.access_token, &renamed)
        .await
        .expect(422);
    assert_eq!(missing(&refused), vec!["qualification"]);
    let camille_now: User = app.get_as(&camille_path, &admin.access_token).await.ok(200);
    assert_eq!(camille_now.first_name, "Camille", "nothing saved");
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
    let bilan = open_bilan(&app, &admin.access_token, FundingMode::Cpf).await;
    // On the raw answer: the qualification is nowhere in it, under any field.
    let shown = app.bilan(&camille.access_token, bilan).await.expect(200);
    let text = shown.body.to_string();
    assert!(text.contains("Benali") && !text.contains("RNCP"), "{text}");

    let removed: User = app
        .patch_as(&karim_path, &admin.access_token, &qualified(""))
        .await
        .ok(200);
    assert_eq!(removed.qualification, None);
}
