//! The resources library (issue 14, item 5; Qualiopi indicator 19): who sees what, who changes and
//! shares what, each opening logged once and reported by scope, files sealed at rest, bad input
//! refused with nothing stored, and the demo's library.

use boussole_shared::Page;
use boussole_shared::notifications::{Notification, NotificationKind};
use boussole_shared::resources::{
    NewResource, Resource, ResourceAccess, ResourceAudience, ResourceKind, ResourceOpened,
    ResourceShare, ResourceShares, UpdateResource,
};
use diesel::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

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

async fn create(app: &TestApp, token: &str, resource: &NewResource) -> Uuid {
    let created: Resource = app
        .post_as("/api/v1/resources", Some(token), resource)
        .await
        .ok(201);
    created.id
}

fn link(title: &str, audience: ResourceAudience) -> NewResource {
    NewResource {
        title: title.into(),
        description: None,
        kind: ResourceKind::Link,
        url: Some("https://candidat.francetravail.fr/metierscope/fiche-metier/K1801".into()),
        tags: vec!["métiers".into()],
        audience,
    }
}

/// A file resource for all, its file not uploaded yet.
fn file(title: &str) -> NewResource {
    NewResource {
        title: title.into(),
        description: None,
        kind: ResourceKind::File,
        url: None,
        tags: vec![],
        audience: ResourceAudience::All,
    }
}

fn titles(page: &Page<Resource>) -> Vec<&str> {
    page.items.iter().map(|r| r.title.as_str()).collect()
}

async fn resources(app: &TestApp, token: &str, query: &str) -> Answer<Page<Resource>> {
    app.get_as(&format!("/api/v1/resources{query}"), token)
        .await
}

async fn resource(app: &TestApp, token: &str, id: Uuid) -> Answer<Resource> {
    app.get_as(&format!("/api/v1/resources/{id}"), token).await
}

async fn change(app: &TestApp, token: &str, id: Uuid, patch: &UpdateResource) -> Answer<Resource> {
    app.patch_as(&format!("/api/v1/resources/{id}"), token, patch)
        .await
}

async fn open(app: &TestApp, token: &str, id: Uuid) -> Answer<ResourceOpened> {
    let path = format!("/api/v1/resources/{id}/open");
    app.post_as(&path, Some(token), &json!({})).await
}

async fn accesses(app: &TestApp, token: &str, query: &str) -> Answer<Page<ResourceAccess>> {
    app.get_as(&format!("/api/v1/resources/accesses{query}"), token)
        .await
}

async fn put_file(
    app: &TestApp,
    token: &str,
    id: Uuid,
    name: Option<&str>,
    bytes: Vec<u8>,
) -> Answer<Resource> {
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

async fn share(
    app: &TestApp,
    token: &str,
    id: Uuid,
    emails: &[&str],
) -> Answer<Vec<ResourceShare>> {
    let beneficiary_ids = emails.iter().map(|e| user_id(app, e)).collect();
    app.post_as(
        &format!("/api/v1/resources/{id}/shares"),
        Some(token),
        &ResourceShares { beneficiary_ids },
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

    let public = create(
        &app,
        &karim,
        &link("Fiche Métier conseiller", ResourceAudience::All),
    )
    .await;
    let private = create(
        &app,
        &karim,
        &link("Les entreprises qui recrutent", ResourceAudience::Shared),
    )
    .await;
    let guide = create(&app, &admin, &file("Guide")).await;

    // Camille sees the link for all; not the one shared with nobody, nor the file without its file.
    let page = resources(&app, &camille, "").await.ok(200);
    assert_eq!(titles(&page), ["Fiche Métier conseiller"]);
    assert!(page.items[0].shared_count.is_none(), "counts are for staff");
    let staff = resources(&app, &sophie, "").await.ok(200);
    assert_eq!(staff.total, 3);
    assert_eq!(staff.items[0].shared_count, Some(0));
    resource(&app, &camille, private).await.expect(404);
    open(&app, &camille, private).await.expect(404);
    resource(&app, &camille, guide).await.expect(404);

    // Shared with her, she sees it; Lucas still does not.
    share(&app, &karim, private, &[BENEFICIARY])
        .await
        .expect(200);
    let page = resources(&app, &camille, "").await.ok(200);
    assert_eq!(page.total, 2);
    resource(&app, &lucas, private).await.expect(404);
    let opened = open(&app, &camille, private).await.ok(200);
    assert!(opened.url.unwrap().starts_with("https://"));

    // Search (title, description, tags) ignores case, accented letters included; tags filter exactly.
    let found = resources(&app, &camille, "?q=M%C3%89TIER%20CONSEILLER")
        .await
        .ok(200);
    assert_eq!(titles(&found), ["Fiche Métier conseiller"]);
    let tagged = resources(&app, &sophie, "?tag=m%C3%A9tiers").await.ok(200);
    assert_eq!(tagged.total, 2);

    // Only its creator or an admin changes it.
    let retitle = UpdateResource {
        title: Some("Autre".into()),
        ..UpdateResource::default()
    };
    let denied = change(&app, &sophie, public, &retitle).await.expect(403);
    assert_eq!(
        denied.problem_type(),
        "urn:boussole:problem:not-resource-creator"
    );
    change(&app, &camille, public, &retitle).await.expect(403);
    let patch = UpdateResource {
        title: Some("Fiche métier K1801".into()),
        tags: Some(vec!["métiers".into(), "insertion".into()]),
        description: Some("ROME 4.0".into()),
        ..UpdateResource::default()
    };
    let changed = change(&app, &admin, public, &patch).await.ok(200);
    assert_eq!(changed.tags, ["insertion", "métiers"]);
    assert_eq!(changed.created_by.first_name, "Karim");

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
    resource(&app, &camille, public).await.expect(404);
    assert_eq!(resources(&app, &camille, "").await.parse().total, 1);
    assert_eq!(resources(&app, &karim, "").await.parse().total, 2);
    let all = resources(&app, &karim, "?include_archived=true")
        .await
        .ok(200);
    assert_eq!(all.total, 3);
    let archived = resource(&app, &karim, public).await.ok(200);
    assert!(archived.archived_at.is_some());
    share(&app, &karim, public, &[BENEFICIARY])
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
    let id = create(
        &app,
        &karim,
        &link("La bonne boîte", ResourceAudience::Shared),
    )
    .await;

    // Lucas is not Karim's: the whole request is refused, Camille's share included.
    let refused = share(&app, &karim, id, &[BENEFICIARY, LUCAS])
        .await
        .expect(403);
    assert_eq!(
        refused.problem_type(),
        "urn:boussole:problem:not-your-beneficiary"
    );
    share(&app, &sophie, id, &[BENEFICIARY]).await.expect(403);
    assert_eq!(count(&app, "shares"), 0);
    // An admin shares with any beneficiary, never with a staff account.
    let not = share(&app, &admin, id, &[CONSULTANT]).await.expect(422);
    assert_eq!(missing(&not), ["beneficiary_ids"]);
    share(&app, &admin, id, &[]).await.expect(400);
    share(&app, &camille, id, &[BENEFICIARY]).await.expect(403);
    assert_eq!(count(&app, "shares"), 0);

    let shares = share(&app, &karim, id, &[BENEFICIARY]).await.ok(200);
    assert_eq!(shares[0].beneficiary.first_name, "Camille");
    assert_eq!(shares[0].shared_by.first_name, "Karim");
    share(&app, &admin, id, &[LUCAS, BENEFICIARY])
        .await
        .expect(200);
    assert_eq!(
        count(&app, "shares"),
        2,
        "sharing again keeps the first share"
    );
    // Karim sees his beneficiary's share only; the admin both.
    let path = format!("/api/v1/resources/{id}/shares");
    let shares_of = |token: String| {
        let (app, path) = (&app, &path);
        async move { app.get_as::<Vec<ResourceShare>>(path, &token).await }
    };
    assert_eq!(shares_of(karim.clone()).await.ok(200).len(), 1);
    assert_eq!(shares_of(admin.clone()).await.ok(200).len(), 2);
    let listed = resource(&app, &karim, id).await.ok(200);
    assert_eq!(listed.shared_count, Some(1));
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
    let site = create(
        &app,
        &karim,
        &link("Mon Compte Formation", ResourceAudience::All),
    )
    .await;
    let guide = create(&app, &karim, &file("Guide de l'enquête métier")).await;
    let uploaded = put_file(&app, &karim, guide, Some("guide.pdf"), PDF.to_vec())
        .await
        .ok(200);
    assert_eq!(uploaded.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(uploaded.size, Some(PDF.len() as i64));
    assert_eq!(uploaded.file_name.as_deref(), Some("guide.pdf"));

    for _ in 0..2 {
        open(&app, &camille, site).await.expect(200);
    }
    open(&app, &karim, site).await.expect(200);
    assert_eq!(
        count(&app, "accesses"),
        2,
        "each opening once; staff are not logged"
    );
    // A file: `open` gives no address and logs nothing, the download logs once.
    let opened = open(&app, &camille, guide).await.ok(200);
    assert!(opened.url.is_none());
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
    open(&app, &lucas, site).await.expect(200);

    // Sealed at rest.
    let dir = app
        .config
        .data_dir
        .join("files")
        .join("resources")
        .join(guide.to_string());
    let stored: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].windows(4).any(|w| w == b"%PDF"));

    // The report: Karim sees Camille's three, not Lucas's (not his beneficiary); the admin all four.
    let mine = accesses(&app, &karim, "").await.ok(200);
    assert_eq!(mine.total, 3, "{mine:?}");
    assert_eq!(mine.items[0].resource_title, "Guide de l'enquête métier");
    assert_eq!(mine.items[0].person.first_name, "Camille");
    let all = accesses(&app, &admin, "").await.ok(200);
    assert_eq!(all.total, 4);
    let lucas_id = user_id(&app, LUCAS);
    let his = accesses(&app, &karim, &format!("?beneficiary_id={lucas_id}"))
        .await
        .ok(200);
    assert_eq!(his.total, 0);
    let of_site = accesses(&app, &admin, &format!("?resource_id={site}"))
        .await
        .ok(200);
    assert_eq!(of_site.total, 3);
    let counted = resource(&app, &karim, site).await.ok(200);
    assert_eq!(counted.open_count, Some(2), "his beneficiaries' openings");
    let counted = resource(&app, &admin, site).await.ok(200);
    assert_eq!(counted.open_count, Some(3));
    accesses(&app, &camille, "").await.expect(403);
    accesses(&app, &admin, "?beneficiary_id=nope")
        .await
        .expect(400);

    // A new file replaces the old one, in storage too.
    put_file(&app, &karim, guide, Some("guide v2.pdf"), PDF.to_vec())
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
    // Raw JSON, as a client might send it: missing fields, unknown kinds and audiences included.
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
    app.post_as::<Resource>(
        "/api/v1/resources",
        Some(&camille),
        &link("X", ResourceAudience::All),
    )
    .await
    .expect(403);
    assert_eq!(count(&app, "resources"), 0);

    let site = create(&app, &karim, &link("Site", ResourceAudience::All)).await;
    let file = create(&app, &karim, &file("Fichier")).await;
    let url = |url: &str| UpdateResource {
        url: Some(url.into()),
        ..UpdateResource::default()
    };
    change(&app, &karim, site, &url("notaurl"))
        .await
        .expect(400);
    change(&app, &karim, file, &url("https://example.org"))
        .await
        .expect(400);
    let on_link = put_file(&app, &karim, site, Some("a.pdf"), PDF.to_vec())
        .await
        .expect(422);
    assert_eq!(on_link.problem_type(), "urn:boussole:problem:not-a-file");
    put_file(
        &app,
        &karim,
        file,
        Some("a.txt"),
        b"just some text".to_vec(),
    )
    .await
    .expect(415);
    put_file(
        &app,
        &karim,
        file,
        Some("a.pdf"),
        [PDF, &vec![b' '; 10 * 1024 * 1024]].concat(),
    )
    .await
    .expect(413);
    put_file(&app, &karim, file, Some("a.pdf"), Vec::new())
        .await
        .expect(400);
    put_file(&app, &karim, file, None, PDF.to_vec())
        .await
        .expect(400);
    put_file(&app, &karim, file, Some("../x.pdf"), PDF.to_vec())
        .await
        .expect(400);
    put_file(&app, &sophie, file, Some("a.pdf"), PDF.to_vec())
        .await
        .expect(403);
    put_file(&app, &camille, file, Some("a.pdf"), PDF.to_vec())
        .await
        .expect(403);
    put_file(&app, &karim, Uuid::now_v7(), Some("a.pdf"), PDF.to_vec())
        .await
        .expect(404);
    let still = resource(&app, &karim, file).await.ok(200);
    assert!(still.file_name.is_none() && still.size.is_none());
    let dir = app.config.data_dir.join("files").join("resources");
    assert!(
        !dir.exists() || std::fs::read_dir(&dir).unwrap().count() == 0,
        "nothing in storage"
    );
    app.get(&format!("/api/v1/resources/{file}/file"), &karim)
        .await
        .expect(404);
    resources(&app, &karim, "?page=0").await.expect(400);
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
    let library = resources(&app, &karim, "?per_page=100").await.ok(200);
    assert!(library.total >= 10, "{library:?}");
    for email in [BENEFICIARY, LUCAS] {
        let token = app.token(email).await;
        let theirs = resources(&app, &token, "?per_page=100").await.ok(200);
        let items = &theirs.items;
        assert!(
            items.iter().any(|r| r.audience == ResourceAudience::Shared),
            "{email}: something shared with them"
        );
        assert!(items.iter().all(|r| r.archived_at.is_none()));
    }
    let camille = app.token(BENEFICIARY).await;
    let theirs = resources(&app, &camille, "?per_page=100").await.ok(200);
    let guide = theirs.items.iter().find(|r| r.kind == ResourceKind::File);
    let guide = guide.unwrap().id;
    let res = app
        .client
        .get(format!("{}/api/v1/resources/{guide}/file", app.base))
        .bearer_auth(&camille)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"%PDF"));
    let report = accesses(&app, &karim, "").await.ok(200);
    assert!(report.total >= 5, "{report:?}");
    let admin = app.token(ADMIN).await;
    let report = accesses(&app, &admin, "").await.ok(200);
    assert!(report.total > 8);
}

/// The `resource_shared` notifications of `token`'s person about the resource `title`.
async fn told(app: &TestApp, token: &str, title: &str) -> Vec<Notification> {
    let page = app.notifications(token, "?per_page=100").await.ok(200);
    page.items
        .into_iter()
        .filter(|n| {
            n.kind == NotificationKind::ResourceShared && n.subject.as_deref() == Some(title)
        })
        .collect()
}

async fn a_share_tells_each_beneficiary_once(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let karim = app.token(CONSULTANT).await;
    let camille = app.token(BENEFICIARY).await;
    let lucas = app.token(LUCAS).await;
    open_bilan(&app, &admin, FundingMode::Cpf).await;
    let shared = ResourceAudience::Shared;
    let id = create(&app, &karim, &link("Fiche essai partage", shared)).await;
    assert!(told(&app, &camille, "Fiche essai partage").await.is_empty());

    share(&app, &karim, id, &[BENEFICIARY]).await.expect(200);
    let once = told(&app, &camille, "Fiche essai partage").await;
    assert_eq!(once.len(), 1, "{once:?}");
    assert_eq!(once[0].link, "/ressources");
    assert!(once[0].read_at.is_none());
    assert!(once[0].title.contains("Fiche essai partage"));

    // Shared again with her (and Lucas): only the newcomer is told.
    share(&app, &admin, id, &[LUCAS, BENEFICIARY])
        .await
        .expect(200);
    assert_eq!(told(&app, &camille, "Fiche essai partage").await.len(), 1);
    assert_eq!(told(&app, &lucas, "Fiche essai partage").await.len(), 1);
    // A refused share tells no one.
    let other = create(&app, &karim, &link("Orient'Est", shared)).await;
    share(&app, &karim, other, &[BENEFICIARY, LUCAS])
        .await
        .expect(403);
    assert!(told(&app, &camille, "Orient'Est").await.is_empty());
}
