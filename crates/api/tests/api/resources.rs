//! The resources library (issue 14, item 5; Qualiopi indicator 19): who sees what, who changes and
//! shares what, each opening logged once and reported by scope, files sealed at rest, bad input
//! refused with nothing stored, and the demo's library.

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::direct_threads::{LUCAS, SOPHIE, user_id};
use crate::files::PDF;
use crate::helpers::*;

on_both_backends!(
    beneficiaries_see_what_is_for_all_or_shared_with_them,
    consultants_share_only_with_their_beneficiaries,
    each_opening_is_logged_once_and_reported_by_scope,
    bad_resources_and_files_are_refused_and_nothing_is_stored,
    the_demo_library_has_shares_accesses_and_a_file,
    a_share_tells_each_beneficiary_once,
);

async fn create(app: &TestApp, token: &str, body: Value) -> String {
    let created = app
        .post("/api/v1/resources", Some(token), body)
        .await
        .expect(201);
    created.body["id"].as_str().unwrap().to_string()
}

fn link(title: &str, audience: &str) -> Value {
    json!({ "title": title, "kind": "link", "url": "https://candidat.francetravail.fr/metierscope/fiche-metier/K1801", "audience": audience, "tags": ["métiers"] })
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

async fn put_file(
    app: &TestApp,
    token: &str,
    id: &str,
    name: Option<&str>,
    bytes: Vec<u8>,
) -> Answer {
    let mut url = reqwest::Url::parse(&format!("{}/api/v1/resources/{id}/file", app.base)).unwrap();
    if let Some(name) = name {
        url.query_pairs_mut().append_pair("name", name);
    }
    let res = app
        .client
        .put(url)
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let text = res.text().await.unwrap();
    Answer::new(
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

async fn share(app: &TestApp, token: &str, id: &str, emails: &[&str]) -> Answer {
    let ids: Vec<String> = emails.iter().map(|e| user_id(app, e)).collect();
    app.post(
        &format!("/api/v1/resources/{id}/shares"),
        Some(token),
        json!({ "beneficiary_ids": ids }),
    )
    .await
}

fn count(app: &TestApp, table: &str) -> i64 {
    use boussole_api::schema::{resource_accesses, resource_shares, resources};
    let mut conn = app.conn();
    match table {
        "resources" => resources::table.count().get_result(&mut conn),
        "shares" => resource_shares::table.count().get_result(&mut conn),
        _ => resource_accesses::table.count().get_result(&mut conn),
    }
    .unwrap()
}

async fn beneficiaries_see_what_is_for_all_or_shared_with_them(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let karim = app.token(CONSULTANT).await;
    let sophie = app.token(SOPHIE).await;
    let camille = app.token(BENEFICIARY).await;
    let lucas = app.token(LUCAS).await;
    open_bilan(&app, &admin, FundingMode::Cpf).await;

    let public = create(&app, &karim, link("Fiche Métier conseiller", "all")).await;
    let private = create(
        &app,
        &karim,
        link("Les entreprises qui recrutent", "shared"),
    )
    .await;
    let file = create(
        &app,
        &admin,
        json!({ "title": "Guide", "kind": "file", "audience": "all" }),
    )
    .await;

    // Camille sees the link for all; not the one shared with nobody, nor the file without its file.
    let page = app.get("/api/v1/resources", &camille).await.expect(200);
    assert_eq!(titles(&page.body), ["Fiche Métier conseiller"]);
    assert!(
        page.body["items"][0]["shared_count"].is_null(),
        "counts are for staff"
    );
    let staff = app.get("/api/v1/resources", &sophie).await.expect(200);
    assert_eq!(staff.body["total"], 3);
    assert_eq!(staff.body["items"][0]["shared_count"], 0);
    app.get(&format!("/api/v1/resources/{private}"), &camille)
        .await
        .expect(404);
    app.post(
        &format!("/api/v1/resources/{private}/open"),
        Some(&camille),
        json!({}),
    )
    .await
    .expect(404);
    app.get(&format!("/api/v1/resources/{file}"), &camille)
        .await
        .expect(404);

    // Shared with her, she sees it; Lucas still does not.
    share(&app, &karim, &private, &[BENEFICIARY])
        .await
        .expect(200);
    let page = app.get("/api/v1/resources", &camille).await.expect(200);
    assert_eq!(page.body["total"], 2);
    app.get(&format!("/api/v1/resources/{private}"), &lucas)
        .await
        .expect(404);
    let opened = app
        .post(
            &format!("/api/v1/resources/{private}/open"),
            Some(&camille),
            json!({}),
        )
        .await
        .expect(200);
    assert!(opened.body["url"].as_str().unwrap().starts_with("https://"));

    // Search (title, description, tags) ignores case, accented letters included; tags filter exactly.
    let found = app
        .get("/api/v1/resources?q=M%C3%89TIER%20CONSEILLER", &camille)
        .await
        .expect(200);
    assert_eq!(titles(&found.body), ["Fiche Métier conseiller"]);
    let tagged = app
        .get("/api/v1/resources?tag=m%C3%A9tiers", &sophie)
        .await
        .expect(200);
    assert_eq!(tagged.body["total"], 2);

    // Only its creator or an admin changes it.
    let denied = app
        .patch(
            &format!("/api/v1/resources/{public}"),
            &sophie,
            json!({ "title": "Autre" }),
        )
        .await
        .expect(403);
    assert_eq!(
        denied.problem_type(),
        "urn:boussole:problem:not-resource-creator"
    );
    app.patch(
        &format!("/api/v1/resources/{public}"),
        &camille,
        json!({ "title": "Autre" }),
    )
    .await
    .expect(403);
    let changed = app
        .patch(
            &format!("/api/v1/resources/{public}"),
            &admin,
            json!({ "title": "Fiche métier K1801", "tags": ["métiers", "insertion"], "description": "ROME 4.0" }),
        )
        .await
        .expect(200);
    assert_eq!(changed.body["tags"], json!(["insertion", "métiers"]));
    assert_eq!(changed.body["created_by"]["first_name"], "Karim");

    // Archived: gone for beneficiaries, kept for staff on request.
    let path = format!("/api/v1/resources/{public}");
    app.call(reqwest::Method::DELETE, &path, Some(&sophie), None)
        .await
        .expect(403);
    app.call(reqwest::Method::DELETE, &path, Some(&karim), None)
        .await
        .expect(204);
    app.call(reqwest::Method::DELETE, &path, Some(&karim), None)
        .await
        .expect(204);
    app.get(&path, &camille).await.expect(404);
    assert_eq!(
        app.get("/api/v1/resources", &camille).await.body["total"],
        1
    );
    assert_eq!(app.get("/api/v1/resources", &karim).await.body["total"], 2);
    let all = app
        .get("/api/v1/resources?include_archived=true", &karim)
        .await
        .expect(200);
    assert_eq!(all.body["total"], 3);
    assert!(app.get(&path, &karim).await.expect(200).body["archived_at"].is_string());
    share(&app, &karim, &public, &[BENEFICIARY])
        .await
        .expect(409);
}

async fn consultants_share_only_with_their_beneficiaries(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let karim = app.token(CONSULTANT).await;
    let sophie = app.token(SOPHIE).await;
    let camille = app.token(BENEFICIARY).await;
    open_bilan(&app, &admin, FundingMode::Cpf).await; // Camille's, with Karim; Lucas has no bilan
    let id = create(&app, &karim, link("La bonne boîte", "shared")).await;

    // Lucas is not Karim's: the whole request is refused, Camille's share included.
    let refused = share(&app, &karim, &id, &[BENEFICIARY, LUCAS])
        .await
        .expect(403);
    assert_eq!(
        refused.problem_type(),
        "urn:boussole:problem:not-your-beneficiary"
    );
    share(&app, &sophie, &id, &[BENEFICIARY]).await.expect(403);
    assert_eq!(count(&app, "shares"), 0);
    // An admin shares with any beneficiary, never with a staff account.
    let not = share(&app, &admin, &id, &[CONSULTANT]).await.expect(422);
    assert_eq!(not.body["missing"], json!(["beneficiary_ids"]));
    app.post(
        &format!("/api/v1/resources/{id}/shares"),
        Some(&admin),
        json!({ "beneficiary_ids": [] }),
    )
    .await
    .expect(400);
    share(&app, &camille, &id, &[BENEFICIARY]).await.expect(403);
    assert_eq!(count(&app, "shares"), 0);

    let shares = share(&app, &karim, &id, &[BENEFICIARY]).await.expect(200);
    assert_eq!(shares.body[0]["beneficiary"]["first_name"], "Camille");
    assert_eq!(shares.body[0]["shared_by"]["first_name"], "Karim");
    share(&app, &admin, &id, &[LUCAS, BENEFICIARY])
        .await
        .expect(200);
    assert_eq!(
        count(&app, "shares"),
        2,
        "sharing again keeps the first share"
    );
    // Karim sees his beneficiary's share only; the admin both.
    let path = format!("/api/v1/resources/{id}/shares");
    assert_eq!(
        app.get(&path, &karim)
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        app.get(&path, &admin)
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let listed = app
        .get(&format!("/api/v1/resources/{id}"), &karim)
        .await
        .expect(200);
    assert_eq!(listed.body["shared_count"], 1);
    app.get(&path, &camille).await.expect(403);

    let lucas = user_id(&app, LUCAS);
    let one = format!("{path}/{lucas}");
    app.call(reqwest::Method::DELETE, &one, Some(&karim), None)
        .await
        .expect(404);
    app.call(reqwest::Method::DELETE, &one, Some(&admin), None)
        .await
        .expect(204);
    app.call(reqwest::Method::DELETE, &one, Some(&admin), None)
        .await
        .expect(404);
    assert_eq!(count(&app, "shares"), 1);
}

async fn each_opening_is_logged_once_and_reported_by_scope(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let karim = app.token(CONSULTANT).await;
    let camille = app.token(BENEFICIARY).await;
    let lucas = app.token(LUCAS).await;
    open_bilan(&app, &admin, FundingMode::Cpf).await;
    let site = create(&app, &karim, link("Mon Compte Formation", "all")).await;
    let guide = create(
        &app,
        &karim,
        json!({ "title": "Guide de l'enquête métier", "kind": "file", "audience": "all" }),
    )
    .await;
    let uploaded = put_file(&app, &karim, &guide, Some("guide.pdf"), PDF.to_vec())
        .await
        .expect(200);
    assert_eq!(uploaded.body["content_type"], "application/pdf");
    assert_eq!(uploaded.body["size"], PDF.len());
    assert_eq!(uploaded.body["file_name"], "guide.pdf");

    let open = format!("/api/v1/resources/{site}/open");
    for _ in 0..2 {
        app.post(&open, Some(&camille), json!({})).await.expect(200);
    }
    app.post(&open, Some(&karim), json!({})).await.expect(200);
    assert_eq!(
        count(&app, "accesses"),
        2,
        "each opening once; staff are not logged"
    );
    // A file: `open` gives no address and logs nothing, the download logs once.
    let opened = app
        .post(
            &format!("/api/v1/resources/{guide}/open"),
            Some(&camille),
            json!({}),
        )
        .await
        .expect(200);
    assert!(opened.body["url"].is_null());
    let res = app
        .client
        .get(format!("{}/api/v1/resources/{guide}/file", app.base))
        .bearer_auth(&camille)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("guide.pdf")
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(count(&app, "accesses"), 3);
    app.post(&open, Some(&lucas), json!({})).await.expect(200);

    // Sealed at rest.
    let dir = app
        .config
        .data_dir
        .join("files")
        .join("resources")
        .join(&guide);
    let stored: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].windows(4).any(|w| w == b"%PDF"));

    // The report: Karim sees Camille's three, not Lucas's (not his beneficiary); the admin all four.
    let mine = app
        .get("/api/v1/resources/accesses", &karim)
        .await
        .expect(200);
    assert_eq!(mine.body["total"], 3, "{}", mine.body);
    assert_eq!(
        mine.body["items"][0]["resource_title"],
        "Guide de l'enquête métier"
    );
    assert_eq!(mine.body["items"][0]["person"]["first_name"], "Camille");
    let all = app
        .get("/api/v1/resources/accesses", &admin)
        .await
        .expect(200);
    assert_eq!(all.body["total"], 4);
    let lucas_id = user_id(&app, LUCAS);
    let his = app
        .get(
            &format!("/api/v1/resources/accesses?beneficiary_id={lucas_id}"),
            &karim,
        )
        .await
        .expect(200);
    assert_eq!(his.body["total"], 0);
    let of_site = app
        .get(
            &format!("/api/v1/resources/accesses?resource_id={site}"),
            &admin,
        )
        .await
        .expect(200);
    assert_eq!(of_site.body["total"], 3);
    let counted = app
        .get(&format!("/api/v1/resources/{site}"), &karim)
        .await
        .expect(200);
    assert_eq!(counted.body["open_count"], 2, "his beneficiaries' openings");
    let counted = app
        .get(&format!("/api/v1/resources/{site}"), &admin)
        .await
        .expect(200);
    assert_eq!(counted.body["open_count"], 3);
    app.get("/api/v1/resources/accesses", &camille)
        .await
        .expect(403);
    app.get("/api/v1/resources/accesses?beneficiary_id=nope", &admin)
        .await
        .expect(400);

    // A new file replaces the old one, in storage too.
    put_file(&app, &karim, &guide, Some("guide v2.pdf"), PDF.to_vec())
        .await
        .expect(200);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

async fn bad_resources_and_files_are_refused_and_nothing_is_stored(backend: Backend) {
    let app = spawn_demo(backend).await;
    let karim = app.token(CONSULTANT).await;
    let sophie = app.token(SOPHIE).await;
    let camille = app.token(BENEFICIARY).await;
    let long_tag = "x".repeat(41);
    let eleven: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
    for (field, body) in [
        (
            "url",
            json!({ "title": "X", "kind": "link", "url": "javascript:alert(1)", "audience": "all" }),
        ),
        (
            "url",
            json!({ "title": "X", "kind": "link", "url": "ftp://example.org/a", "audience": "all" }),
        ),
        (
            "url",
            json!({ "title": "X", "kind": "link", "audience": "all" }),
        ),
        (
            "url",
            json!({ "title": "X", "kind": "file", "url": "https://example.org", "audience": "all" }),
        ),
        (
            "title",
            json!({ "title": "", "kind": "link", "url": "https://example.org", "audience": "all" }),
        ),
        (
            "title",
            json!({ "title": "   ", "kind": "link", "url": "https://example.org", "audience": "all" }),
        ),
        (
            "tags",
            json!({ "title": "X", "kind": "link", "url": "https://example.org", "audience": "all", "tags": [long_tag] }),
        ),
        (
            "tags",
            json!({ "title": "X", "kind": "link", "url": "https://example.org", "audience": "all", "tags": eleven }),
        ),
    ] {
        let answer = app
            .post("/api/v1/resources", Some(&karim), body.clone())
            .await
            .expect(400);
        assert!(
            answer.body["errors"][field].is_array(),
            "{body}: {}",
            answer.body
        );
    }
    for body in [
        json!({ "title": "X", "kind": "video", "audience": "all" }),
        json!({ "title": "X", "kind": "link", "url": "https://example.org", "audience": "everyone" }),
    ] {
        app.post("/api/v1/resources", Some(&karim), body)
            .await
            .expect(400);
    }
    app.post("/api/v1/resources", Some(&camille), link("X", "all"))
        .await
        .expect(403);
    assert_eq!(count(&app, "resources"), 0);

    let site = create(&app, &karim, link("Site", "all")).await;
    let file = create(
        &app,
        &karim,
        json!({ "title": "Fichier", "kind": "file", "audience": "all" }),
    )
    .await;
    app.patch(
        &format!("/api/v1/resources/{site}"),
        &karim,
        json!({ "url": "notaurl" }),
    )
    .await
    .expect(400);
    app.patch(
        &format!("/api/v1/resources/{file}"),
        &karim,
        json!({ "url": "https://example.org" }),
    )
    .await
    .expect(400);
    let on_link = put_file(&app, &karim, &site, Some("a.pdf"), PDF.to_vec())
        .await
        .expect(422);
    assert_eq!(on_link.problem_type(), "urn:boussole:problem:not-a-file");
    put_file(
        &app,
        &karim,
        &file,
        Some("a.txt"),
        b"just some text".to_vec(),
    )
    .await
    .expect(415);
    put_file(
        &app,
        &karim,
        &file,
        Some("a.pdf"),
        [PDF, &vec![b' '; 10 * 1024 * 1024]].concat(),
    )
    .await
    .expect(413);
    put_file(&app, &karim, &file, Some("a.pdf"), Vec::new())
        .await
        .expect(400);
    put_file(&app, &karim, &file, None, PDF.to_vec())
        .await
        .expect(400);
    put_file(&app, &karim, &file, Some("../x.pdf"), PDF.to_vec())
        .await
        .expect(400);
    put_file(&app, &sophie, &file, Some("a.pdf"), PDF.to_vec())
        .await
        .expect(403);
    put_file(&app, &camille, &file, Some("a.pdf"), PDF.to_vec())
        .await
        .expect(403);
    let unknown = uuid::Uuid::now_v7();
    put_file(
        &app,
        &karim,
        &unknown.to_string(),
        Some("a.pdf"),
        PDF.to_vec(),
    )
    .await
    .expect(404);
    let still = app
        .get(&format!("/api/v1/resources/{file}"), &karim)
        .await
        .expect(200);
    assert!(still.body["file_name"].is_null() && still.body["size"].is_null());
    let dir = app.config.data_dir.join("files").join("resources");
    assert!(
        !dir.exists() || std::fs::read_dir(&dir).unwrap().count() == 0,
        "nothing in storage"
    );
    app.get(&format!("/api/v1/resources/{file}/file"), &karim)
        .await
        .expect(404);
    app.get("/api/v1/resources?page=0", &karim)
        .await
        .expect(400);
}

async fn the_demo_library_has_shares_accesses_and_a_file(backend: Backend) {
    let app = spawn_demo(backend).await;
    {
        let mut conn = app.conn();
        boussole_api::seed::seed_demo_bilan(&mut conn, &app.config.master_key).unwrap();
        boussole_api::seed::story::seed_demo_story(&mut conn, &app.config).unwrap();
    }
    let state = boussole_api::AppState::new(app.config.clone()).unwrap();
    boussole_api::resources::demo::seed(&state).await.unwrap();
    let karim = app.token(CONSULTANT).await;
    let library = app
        .get("/api/v1/resources?per_page=100", &karim)
        .await
        .expect(200);
    assert!(
        library.body["total"].as_i64().unwrap() >= 10,
        "{}",
        library.body
    );
    for email in [BENEFICIARY, LUCAS] {
        let token = app.token(email).await;
        let theirs = app
            .get("/api/v1/resources?per_page=100", &token)
            .await
            .expect(200);
        let items = theirs.body["items"].as_array().unwrap();
        assert!(
            items.iter().any(|r| r["audience"] == "shared"),
            "{email}: something shared with them"
        );
        assert!(items.iter().all(|r| r["archived_at"].is_null()));
    }
    let camille = app.token(BENEFICIARY).await;
    let theirs = app
        .get("/api/v1/resources?per_page=100", &camille)
        .await
        .expect(200);
    let guide = theirs.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "file")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .client
        .get(format!("{}/api/v1/resources/{guide}/file", app.base))
        .bearer_auth(&camille)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    let report = app
        .get("/api/v1/resources/accesses", &karim)
        .await
        .expect(200);
    assert!(
        report.body["total"].as_i64().unwrap() >= 5,
        "{}",
        report.body
    );
    let admin = app.token(ADMIN).await;
    let report = app
        .get("/api/v1/resources/accesses", &admin)
        .await
        .expect(200);
    assert!(report.body["total"].as_i64().unwrap() > 8);
}

/// The `resource_shared` notifications of `token`'s person about the resource `title`.
async fn told(app: &TestApp, token: &str, title: &str) -> Vec<Value> {
    let page = app
        .get("/api/v1/notifications?per_page=100", token)
        .await
        .expect(200);
    page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "resource_shared" && n["subject"] == title)
        .cloned()
        .collect()
}

async fn a_share_tells_each_beneficiary_once(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let karim = app.token(CONSULTANT).await;
    let camille = app.token(BENEFICIARY).await;
    let lucas = app.token(LUCAS).await;
    open_bilan(&app, &admin, FundingMode::Cpf).await;
    let id = create(&app, &karim, link("Fiche essai partage", "shared")).await;
    assert!(told(&app, &camille, "Fiche essai partage").await.is_empty());

    share(&app, &karim, &id, &[BENEFICIARY]).await.expect(200);
    let once = told(&app, &camille, "Fiche essai partage").await;
    assert_eq!(once.len(), 1, "{once:?}");
    assert_eq!(once[0]["link"], "/ressources");
    assert!(once[0]["read_at"].is_null());
    assert!(
        once[0]["title"]
            .as_str()
            .unwrap()
            .contains("Fiche essai partage")
    );

    // Shared again with her (and Lucas): only the newcomer is told.
    share(&app, &admin, &id, &[LUCAS, BENEFICIARY])
        .await
        .expect(200);
    assert_eq!(told(&app, &camille, "Fiche essai partage").await.len(), 1);
    assert_eq!(told(&app, &lucas, "Fiche essai partage").await.len(), 1);
    // A refused share tells no one.
    let other = create(&app, &karim, link("Orient'Est", "shared")).await;
    share(&app, &karim, &other, &[BENEFICIARY, LUCAS])
        .await
        .expect(403);
    assert!(told(&app, &camille, "Orient'Est").await.is_empty());
}
