//! The skills analysis grid and the projection tools (issue 11, items 6–7): CRUD by both the
//! beneficiary and the consultant, gap lists, the decision matrix ranked by hand-computed totals, the
//! ROME search, confidentiality, and destruction with the bilan's content.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

on_both_backends!(
    experiences_and_skills_are_written_by_both_and_say_who,
    career_paths_check_rome_codes_and_list_gaps_against_the_skills,
    the_matrix_ranks_paths_by_hand_computed_weighted_totals,
    the_action_plan_is_saved_whole_and_checks_its_path,
    rome_search_ignores_accents_and_case_and_matches_codes,
    the_grid_is_only_for_the_beneficiary_and_the_assigned_consultants,
    destroying_the_content_wipes_the_grid,
    the_demo_bilan_has_skills_two_paths_a_matrix_and_a_plan,
);

fn experience(title: &str) -> Value {
    json!({
        "job_title": title, "employer": "Entrepôts du Rhône", "started_on": "2017-03-01",
        "tasks": "Encadrer l'équipe",
        "achievements": [{ "situation": "Erreurs", "action": "Parcours d'accueil", "result": "Moitié moins" }],
    })
}

fn skill(name: &str, level: u8, experience: Option<&str>) -> Value {
    json!({ "name": name, "category": "soft_skill", "level": level, "evidence": "Accueil des intérimaires",
            "experience_id": experience, "transferable": true })
}

fn path(title: &str, codes: &[&str], required: Value) -> Value {
    json!({ "title": title, "rome_codes": codes, "motivations": "Transmettre", "required_skills": required,
            "constraints": { "pay": "", "mobility": "", "training": "FPA", "market": "" },
            "interviews": [{ "who": "Sandrine", "role": "Formatrice", "held_on": "2026-11-20", "learnt": "Le titre FPA" }],
            "status": "exploring" })
}

fn id(answer: &Answer) -> String {
    answer.body["id"].as_str().unwrap().to_string()
}

async fn count(app: &TestApp, token: &str, url: &str) -> usize {
    app.get(url, token)
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .len()
}

async fn experiences_and_skills_are_written_by_both_and_say_who(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let exps = format!("/api/v1/bilans/{bilan}/experiences");
    let skills = format!("/api/v1/bilans/{bilan}/skills");

    let lead = app
        .post(&exps, Some(&beneficiary), experience("Chef d'équipe"))
        .await
        .expect(201);
    assert_eq!(lead.body["recorded_by"]["first_name"], "Camille");
    assert_eq!(lead.body["achievements"][0]["result"], "Moitié moins");
    let lead_id = id(&lead);
    let mut changed = experience("Chef d'équipe logistique");
    changed["ended_on"] = json!("2026-10-31");
    let put = app
        .call(
            Method::PUT,
            &format!("{exps}/{lead_id}"),
            Some(&consultant),
            Some(changed),
        )
        .await
        .expect(200);
    assert_eq!(put.body["job_title"], "Chef d'équipe logistique");
    assert_eq!(put.body["recorded_by"]["first_name"], "Camille");
    assert_ne!(put.body["updated_by"]["first_name"], "Camille");

    // Bad input names the field, and nothing is stored.
    let mut backwards = experience("X");
    backwards["ended_on"] = json!("2010-01-01");
    let refused = app
        .post(&exps, Some(&consultant), backwards)
        .await
        .expect(400);
    assert!(refused.body["errors"]["ended_on"].is_array());
    let too_high = app
        .post(&skills, Some(&consultant), skill("Pédagogie", 5, None))
        .await
        .expect(400);
    assert!(too_high.body["errors"]["level"].is_array());
    let stranger = uuid::Uuid::now_v7().to_string();
    let unlinked = app
        .post(
            &skills,
            Some(&consultant),
            skill("Pédagogie", 3, Some(&stranger)),
        )
        .await
        .expect(400);
    assert!(unlinked.body["errors"]["experience_id"].is_array());
    assert_eq!(count(&app, &consultant, &exps).await, 1);
    assert_eq!(count(&app, &consultant, &skills).await, 0);

    let s = app
        .post(
            &skills,
            Some(&consultant),
            skill("Pédagogie", 3, Some(&lead_id)),
        )
        .await
        .expect(201);
    assert_eq!(s.body["transferable"], true);
    let listed = app.get(&skills, &beneficiary).await.expect(200);
    assert_eq!(listed.body[0]["experience_id"], lead_id.as_str());
    // An experience with skills pointing to it is not deleted from under them.
    let del = |url: String| {
        let token = beneficiary.clone();
        let app = &app;
        async move { app.call(Method::DELETE, &url, Some(&token), None).await }
    };
    del(format!("{exps}/{lead_id}")).await.expect(409);
    del(format!("{skills}/{}", id(&s))).await.expect(204);
    del(format!("{skills}/{}", id(&s))).await.expect(404);
    del(format!("{exps}/{lead_id}")).await.expect(204);
    assert_eq!(count(&app, &consultant, &exps).await, 0);
}

async fn career_paths_check_rome_codes_and_list_gaps_against_the_skills(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let paths = format!("/api/v1/bilans/{bilan}/career-paths");
    let skills = format!("/api/v1/bilans/{bilan}/skills");
    app.post(
        &skills,
        Some(&consultant),
        skill("Gestion d'équipe", 2, None),
    )
    .await
    .expect(201);
    app.post(&skills, Some(&consultant), skill("Pédagogie", 4, None))
        .await
        .expect(201);
    let required = json!([
        { "name": "GESTION D'EQUIPE", "level": 3 },
        { "name": "pédagogie", "level": 3 },
        { "name": "Ingénierie de formation" },
    ]);

    let unknown = app
        .post(
            &paths,
            Some(&consultant),
            path("Formateur", &["K2111", "Z9999"], required.clone()),
        )
        .await
        .expect(422);
    assert!(
        unknown.body["detail"]
            .as_str()
            .unwrap()
            .contains("rome_codes[1]")
    );
    assert!(unknown.problem_type().ends_with("unknown-rome-code"));
    assert_eq!(
        count(&app, &consultant, &paths).await,
        0,
        "nothing stored half"
    );

    let created = app
        .post(
            &paths,
            Some(&consultant),
            path("Formateur", &["k2111"], required),
        )
        .await
        .expect(201);
    assert_eq!(created.body["rome_codes"], json!(["K2111"]));
    assert_eq!(
        created.body["occupations"][0]["title"],
        "Formateur / Formatrice"
    );
    let statuses: Vec<&str> = created.body["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["below_level", "met", "missing"]);
    assert_eq!(created.body["gaps"][0]["level"], 2);
    assert_eq!(created.body["interviews"][0]["who"], "Sandrine");

    // The gap list follows the grid: once the skill is identified, it is met.
    app.post(
        &skills,
        Some(&consultant),
        skill("ingenierie de formation", 1, None),
    )
    .await
    .expect(201);
    let listed = app.get(&paths, &consultant).await.expect(200);
    assert_eq!(listed.body[0]["gaps"][2]["status"], "met");

    let mut kept = path("Formateur CACES", &["K2124"], json!([]));
    kept["status"] = json!("kept");
    let url = format!("{paths}/{}", id(&created));
    let put = app
        .call(Method::PUT, &url, Some(&consultant), Some(kept))
        .await
        .expect(200);
    assert_eq!(put.body["status"], "kept");
    assert_eq!(put.body["gaps"], json!([]));
    app.call(Method::DELETE, &url, Some(&consultant), None)
        .await
        .expect(204);
    assert_eq!(count(&app, &consultant, &paths).await, 0);
}

async fn the_matrix_ranks_paths_by_hand_computed_weighted_totals(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let paths = format!("/api/v1/bilans/{bilan}/career-paths");
    let matrix = format!("/api/v1/bilans/{bilan}/decision-matrix");
    let mut ids = vec![];
    for title in ["Formateur", "Menuisier", "Magasinier"] {
        let p = app
            .post(&paths, Some(&consultant), path(title, &[], json!([])))
            .await
            .expect(201);
        ids.push(id(&p));
    }
    let defaults = app.get(&matrix, &consultant).await.expect(200);
    assert_eq!(defaults.body["criteria"].as_array().unwrap().len(), 5);
    assert!(defaults.body["updated_at"].is_null());

    let criteria = json!([
        { "key": "motivation", "label": "Motivation", "weight": 5 },
        { "key": "market", "label": "Marché", "weight": 2 },
        { "key": "training", "label": "Formation", "weight": 1 },
    ]);
    let notes = [[3, 4, 5], [5, 2, 1], [2, 5, 5]];
    let mut scores = vec![];
    for (path, n) in ids.iter().zip(notes) {
        for (key, score) in ["motivation", "market", "training"].iter().zip(n) {
            scores.push(json!({ "path_id": path, "criterion": key, "score": score }));
        }
    }
    // Formateur 5·3 + 2·4 + 1·5 = 28; Menuisier 5·5 + 2·2 + 1·1 = 30; Magasinier 5·2 + 2·5 + 1·5 = 25.
    let body = json!({ "criteria": criteria, "scores": scores });
    let saved = app
        .call(Method::PUT, &matrix, Some(&consultant), Some(body.clone()))
        .await
        .expect(200);
    let ranking: Vec<(String, u64, u64)> = saved.body["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["title"].as_str().unwrap().into(),
                r["total"].as_u64().unwrap(),
                r["rank"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ranking,
        [
            ("Menuisier".into(), 30, 1),
            ("Formateur".into(), 28, 2),
            ("Magasinier".into(), 25, 3)
        ]
    );
    assert_eq!(saved.body["ranking"][0]["max_total"], 40);
    assert_eq!(saved.body["ranking"][0]["complete"], true);

    // A dropped path leaves the ranking; a deleted one takes its scores along.
    let mut dropped = path("Menuisier", &[], json!([]));
    dropped["status"] = json!("dropped");
    app.call(
        Method::PUT,
        &format!("{paths}/{}", ids[1]),
        Some(&consultant),
        Some(dropped),
    )
    .await
    .expect(200);
    app.call(
        Method::DELETE,
        &format!("{paths}/{}", ids[2]),
        Some(&consultant),
        None,
    )
    .await
    .expect(204);
    let now = app.get(&matrix, &consultant).await.expect(200);
    assert_eq!(now.body["ranking"].as_array().unwrap().len(), 1);
    assert_eq!(now.body["ranking"][0]["total"], 28);
    assert_eq!(now.body["scores"].as_array().unwrap().len(), 6);

    let mut bad = body.clone();
    bad["scores"][0]["score"] = json!(6);
    let refused = app
        .call(Method::PUT, &matrix, Some(&consultant), Some(bad))
        .await
        .expect(400);
    assert!(refused.body["errors"]["scores[0].score"].is_array());
    let mut unknown = body.clone();
    unknown["scores"][0]["criterion"] = json!("pay");
    let refused = app
        .call(Method::PUT, &matrix, Some(&consultant), Some(unknown))
        .await
        .expect(400);
    assert!(refused.body["errors"]["scores[0].criterion"].is_array());
    let mut stranger = body;
    stranger["scores"][0]["path_id"] = json!(uuid::Uuid::now_v7());
    app.call(Method::PUT, &matrix, Some(&consultant), Some(stranger))
        .await
        .expect(400);
    assert_eq!(
        app.get(&matrix, &consultant).await.body["ranking"][0]["total"],
        28,
        "unchanged"
    );
}

async fn the_action_plan_is_saved_whole_and_checks_its_path(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let plan = format!("/api/v1/bilans/{bilan}/action-plan");
    let empty = app.get(&plan, &beneficiary).await.expect(200);
    assert_eq!(empty.body["steps"], json!([]));
    let p = app
        .post(
            &format!("/api/v1/bilans/{bilan}/career-paths"),
            Some(&beneficiary),
            path("Formateur", &["K2111"], json!([])),
        )
        .await
        .expect(201);
    let body = json!({
        "career_path_id": id(&p), "project": "Devenir formateur",
        "steps": [{ "label": "Dossier CPF", "due_on": "2027-01-15", "done": false },
                  { "label": "Enquête métier", "due_on": "2026-12-01", "done": true }],
        "trainings": ["Titre FPA"], "resources": ["AFPA Lyon"],
    });
    let saved = app
        .call(Method::PUT, &plan, Some(&beneficiary), Some(body.clone()))
        .await
        .expect(200);
    assert_eq!(saved.body["steps"][1]["done"], true);
    assert_eq!(saved.body["updated_by"]["first_name"], "Camille");
    let mut bad = body;
    bad["career_path_id"] = json!(uuid::Uuid::now_v7());
    bad["project"] = json!("Autre");
    let refused = app
        .call(Method::PUT, &plan, Some(&beneficiary), Some(bad))
        .await
        .expect(400);
    assert!(refused.body["errors"]["career_path_id"].is_array());
    assert_eq!(
        app.get(&plan, &beneficiary).await.body["project"],
        "Devenir formateur"
    );
}

async fn rome_search_ignores_accents_and_case_and_matches_codes(backend: Backend) {
    let app = spawn_demo(backend).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let found = app
        .get("/api/v1/rome?q=EBENISTE", &beneficiary)
        .await
        .expect(200);
    assert!(
        found.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["title"].as_str().unwrap().contains("béniste"))
    );
    let menuisier = app
        .get("/api/v1/rome?q=menuisière%20aluminium", &beneficiary)
        .await
        .expect(200);
    assert_eq!(menuisier.body["items"][0]["code"], "F1607");
    let code = app
        .get("/api/v1/rome?q=k2111", &beneficiary)
        .await
        .expect(200);
    assert_eq!(code.body["items"][0]["title"], "Formateur / Formatrice");
    let page = app
        .get("/api/v1/rome?q=formateur&per_page=2&page=2", &beneficiary)
        .await
        .expect(200);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    assert!(page.body["total"].as_u64().unwrap() > 4);
    let all = app.get("/api/v1/rome", &beneficiary).await.expect(200);
    assert_eq!(all.body["total"], 1584);
    app.get("/api/v1/rome?per_page=500", &beneficiary)
        .await
        .expect(400);
    app.call(Method::GET, "/api/v1/rome?q=bois", None, None)
        .await
        .expect(401);
}

async fn the_grid_is_only_for_the_beneficiary_and_the_assigned_consultants(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let other_consultant = app.token("consultante2@boussole.test").await;
    let other_beneficiary = app.token("lucas.moreau@boussole.test").await;
    let key = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            json!({ "name": "CRM", "scopes": ["users:read", "audit:read"] }),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    app.post(
        &format!("/api/v1/bilans/{bilan}/skills"),
        Some(&consultant),
        skill("Ébénisterie secrète", 2, None),
    )
    .await
    .expect(201);
    for what in [
        "experiences",
        "skills",
        "career-paths",
        "decision-matrix",
        "action-plan",
    ] {
        let url = format!("/api/v1/bilans/{bilan}/{what}");
        app.get(&url, &consultant).await.expect(200);
        app.get(&url, &beneficiary).await.expect(200);
        let refused = app.get(&url, &admin).await.expect(403);
        assert!(refused.problem_type().ends_with("bilan-content"), "{url}");
        assert!(!refused.body.to_string().contains("secrète"));
        app.get(&url, &other_consultant).await.expect(404);
        app.get(&url, &other_beneficiary).await.expect(404);
        app.get(&url, &key).await.expect(403);
        app.call(Method::GET, &url, None, None).await.expect(401);
    }
    let skills = format!("/api/v1/bilans/{bilan}/skills");
    app.post(&skills, Some(&admin), skill("X", 1, None))
        .await
        .expect(403);
    app.post(&skills, Some(&other_consultant), skill("X", 1, None))
        .await
        .expect(404);
    app.post(&skills, Some(&key), skill("X", 1, None))
        .await
        .expect(403);
    // The consultant's reads are in the beneficiary's access history; the beneficiary's own are not.
    let history = app
        .get(
            &format!("/api/v1/bilans/{bilan}/access?per_page=100"),
            &beneficiary,
        )
        .await
        .expect(200);
    let whats: Vec<&str> = history.body["entries"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(whats.iter().filter(|w| **w == "skills").count(), 2);
    assert_eq!(whats.iter().filter(|w| **w == "projection").count(), 3);
    // At rest, nothing of it is readable.
    let bodies: Vec<Option<Vec<u8>>> = boussole_api::schema::bilan_projection::table
        .select(boussole_api::schema::bilan_projection::body)
        .load(&mut app.conn())
        .unwrap();
    assert!(
        bodies
            .iter()
            .all(|b| !String::from_utf8_lossy(b.as_ref().unwrap()).contains("secr"))
    );
}

async fn destroying_the_content_wipes_the_grid(backend: Backend) {
    use boussole_api::bilans::model::BilanRow;
    use boussole_api::schema::{bilan_projection as t, bilans};
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    app.post(
        &format!("/api/v1/bilans/{bilan}/skills"),
        Some(&consultant),
        skill("Pédagogie", 3, None),
    )
    .await
    .expect(201);
    app.post(
        &format!("/api/v1/bilans/{bilan}/career-paths"),
        Some(&consultant),
        path("Formateur", &["K2111"], json!([])),
    )
    .await
    .expect(201);
    let mut conn = app.conn();
    let mut row: BilanRow = bilans::table
        .find(bilan.to_string())
        .select(BilanRow::as_select())
        .first(&mut conn)
        .unwrap();
    boussole_api::bilans::lifecycle::destroy_content(
        &mut conn,
        &mut row,
        &boussole_api::journal::Actor::system(),
    )
    .unwrap();
    let bodies: Vec<Option<Vec<u8>>> = t::table
        .filter(t::bilan_id.eq(bilan.to_string()))
        .select(t::body)
        .load(&mut conn)
        .unwrap();
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies.iter().all(Option::is_none),
        "ciphertexts removed with the key"
    );
    app.get(&format!("/api/v1/bilans/{bilan}/skills"), &consultant)
        .await
        .expect(422);
    app.post(
        &format!("/api/v1/bilans/{bilan}/skills"),
        Some(&consultant),
        skill("Après", 3, None),
    )
    .await
    .expect(422);
}

async fn the_demo_bilan_has_skills_two_paths_a_matrix_and_a_plan(backend: Backend) {
    let app = spawn_demo(backend).await;
    boussole_api::seed::seed_demo_bilan(&mut app.conn(), &app.config.master_key).unwrap();
    let consultant = app.token(CONSULTANT).await;
    let lucas = app.token("lucas.moreau@boussole.test").await;
    let bilans = app.get("/api/v1/bilans", &lucas).await.expect(200);
    let bilan = bilans.body["items"][0]["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/bilans/{bilan}");
    assert_eq!(
        count(&app, &consultant, &format!("{base}/experiences")).await,
        2
    );
    let skills = app.get(&format!("{base}/skills"), &lucas).await.expect(200);
    assert_eq!(skills.body.as_array().unwrap().len(), 6);
    let paths = app
        .get(&format!("{base}/career-paths"), &consultant)
        .await
        .expect(200);
    assert_eq!(paths.body.as_array().unwrap().len(), 2);
    assert_eq!(paths.body[0]["interviews"].as_array().unwrap().len(), 1);
    let matrix = app
        .get(&format!("{base}/decision-matrix"), &consultant)
        .await
        .expect(200);
    assert_eq!(
        matrix.body["ranking"][0]["title"],
        "Formateur en logistique"
    );
    assert_eq!(matrix.body["ranking"][0]["total"], 46);
    assert_eq!(matrix.body["ranking"][1]["total"], 35);
    let plan = app
        .get(&format!("{base}/action-plan"), &lucas)
        .await
        .expect(200);
    assert_eq!(plan.body["steps"].as_array().unwrap().len(), 3);
}
