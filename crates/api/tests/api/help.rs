//! The users' guides under `/aide` (issue 16, item 2): served by the app in French and English, with the
//! e2e run's screenshots, and nothing else of the screenshots folder reachable.

use crate::helpers::*;

async fn page(app: &TestApp, path: &str) -> (u16, String, String) {
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, ct, res.text().await.unwrap())
}

#[actix_web::test]
async fn each_role_s_guide_is_served_in_both_languages_with_the_e2e_screenshots() {
    let shots = tempfile::tempdir().unwrap();
    // Any bytes: the route serves the file as it is.
    let png = b"\x89PNG\r\n\x1a\nnot really an image".to_vec();
    std::fs::write(shots.path().join("connexion-1280.png"), &png).unwrap();
    std::fs::write(shots.path().join("secret.txt"), b"no").unwrap();
    let app = spawn_app_with(
        Backend::Sqlite,
        &[(
            "BOUSSOLE_GUIDE_SCREENSHOTS",
            shots.path().display().to_string(),
        )],
    )
    .await;

    let (status, ct, index) = page(&app, "/aide").await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/html"), "{ct}");
    for guide in ["/aide/beneficiaire", "/aide/consultant", "/aide/admin"] {
        assert!(
            index.contains(&format!("href=\"{guide}\"")),
            "index links {guide}"
        );
    }

    let (status, _, fr) = page(&app, "/aide/beneficiaire").await;
    assert_eq!(status, 200);
    assert!(fr.contains("<html lang=\"fr\">"));
    assert!(fr.contains("<h1>Guide du bénéficiaire</h1>"));
    // The sections the screens' "?" links point at.
    for anchor in [
        "se-connecter",
        "consentement",
        "prendre-rendez-vous",
        "emarger",
        "qui-a-consulte",
        "questionnaire",
        "resultats",
        "mon-projet",
        "messages",
        "documents",
    ] {
        assert!(
            fr.contains(&format!("<h2 id=\"{anchor}\">")),
            "section {anchor}"
        );
    }
    // The screenshot the run took is shown; one it did not take leaves its description.
    assert!(fr.contains("<img src=\"/aide/captures/connexion-1280.png\""));
    assert!(fr.contains("class=\"no-shot\">[Créer un compte]"));

    let (status, _, en) = page(&app, "/aide/en/consultant").await;
    assert_eq!(status, 200);
    assert!(en.contains("<html lang=\"en\">"));
    assert!(
        en.contains("<h1>Consultant’s guide</h1>") || en.contains("<h1>Consultant's guide</h1>")
    );
    assert!(en.contains("<h2 id=\"emarger\">"));
    // The sections of the assessments tab, the results page and the skills and project tabs.
    let (_, _, fr) = page(&app, "/aide/consultant").await;
    for anchor in [
        "proposer-questionnaire",
        "resultats",
        "grille-competences",
        "pistes",
        "plan-action",
        "creer-questionnaire",
        "messages",
        "documents",
    ] {
        assert!(en.contains(&format!("<h2 id=\"{anchor}\">")), "en {anchor}");
        assert!(fr.contains(&format!("<h2 id=\"{anchor}\">")), "fr {anchor}");
    }

    let res = app
        .client
        .get(format!("{}/aide/captures/connexion-1280.png", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().to_vec(), png);

    for bad in [
        "/aide/captures/secret.txt",
        "/aide/captures/..%2Fsecret.png",
        "/aide/captures/absent-1280.png",
        "/aide/inconnu",
        "/aide/en/inconnu",
    ] {
        let (status, _, _) = page(&app, bad).await;
        assert_eq!(status, 404, "{bad}");
    }
}
