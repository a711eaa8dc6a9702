//! The skills analysis grid and the projection tools (issue 11, items 6–7): CRUD by both the
//! beneficiary and the consultant, gap lists, the decision matrix ranked by hand-computed totals, the
//! ROME search, confidentiality, and destruction with the bilan's content.

use boussole_shared::Page;
use boussole_shared::access::{AccessHistory, AccessKind};
use boussole_shared::auth::ApiScope;
use boussole_shared::bilans::Bilan;
use boussole_shared::projection::{
    Achievement, ActionPlan, ActionPlanInput, ActionStep, CareerPath, Criterion, DecisionMatrix,
    DecisionMatrixInput, Experience, FieldInterview, GapStatus, NewCareerPath, NewExperience,
    NewSkill, PathConstraints, PathStatus, RequiredSkill, RomeOccupation, Score, Skill,
    SkillCategory,
};
use diesel::prelude::*;
use reqwest::Method;
use serde::de::DeserializeOwned;
use uuid::Uuid;

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

fn experience(title: &str) -> NewExperience {
    NewExperience {
        job_title: title.into(),
        employer: Some("Entrepôts du Rhône".into()),
        started_on: date("2017-03-01"),
        ended_on: None,
        tasks: "Encadrer l'équipe".into(),
        achievements: vec![Achievement {
            situation: "Erreurs".into(),
            action: "Parcours d'accueil".into(),
            result: "Moitié moins".into(),
        }],
    }
}

fn skill(name: &str, level: u8, experience_id: Option<Uuid>) -> NewSkill {
    NewSkill {
        name: name.into(),
        category: SkillCategory::SoftSkill,
        level,
        evidence: "Accueil des intérimaires".into(),
        experience_id,
        transferable: true,
    }
}

fn required(name: &str, level: Option<u8>) -> RequiredSkill {
    RequiredSkill {
        name: name.into(),
        level,
    }
}

fn path(title: &str, codes: &[&str], required_skills: Vec<RequiredSkill>) -> NewCareerPath {
    NewCareerPath {
        title: title.into(),
        rome_codes: codes.iter().map(|c| c.to_string()).collect(),
        motivations: "Transmettre".into(),
        required_skills,
        constraints: PathConstraints {
            pay: String::new(),
            mobility: String::new(),
            training: "FPA".into(),
            market: String::new(),
        },
        interviews: vec![FieldInterview {
            who: "Sandrine".into(),
            role: "Formatrice".into(),
            held_on: date("2026-11-20"),
            learnt: "Le titre FPA".into(),
        }],
        status: PathStatus::Exploring,
    }
}

/// A record of the grid under `/api/v1/bilans/{bilan}/{what}`, written with `POST` (201).
async fn add<T: DeserializeOwned>(
    app: &TestApp,
    token: &str,
    url: &str,
    body: &impl serde::Serialize,
) -> Answer<T> {
    app.post_as(url, Some(token), body).await
}

async fn count(app: &TestApp, token: &str, url: &str) -> usize {
    let items: Vec<serde_json::Value> = app.get_as(url, token).await.ok(200);
    items.len()
}

async fn experiences_and_skills_are_written_by_both_and_say_who(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let exps = format!("/api/v1/bilans/{bilan}/experiences");
    let skills = format!("/api/v1/bilans/{bilan}/skills");

    let lead: Experience = add(&app, &beneficiary, &exps, &experience("Chef d'équipe"))
        .await
        .ok(201);
    assert_eq!(lead.authorship.recorded_by.first_name, "Camille");
    assert_eq!(lead.fields.achievements[0].result, "Moitié moins");
    let lead_id = lead.id;
    let changed = NewExperience {
        ended_on: Some(date("2026-10-31")),
        ..experience("Chef d'équipe logistique")
    };
    let put: Experience = app
        .put_as(&format!("{exps}/{lead_id}"), &consultant, &changed)
        .await
        .ok(200);
    assert_eq!(put.fields.job_title, "Chef d'équipe logistique");
    assert_eq!(put.authorship.recorded_by.first_name, "Camille");
    assert_ne!(put.authorship.updated_by.first_name, "Camille");

    // Bad input names the field, and nothing is stored.
    let backwards = NewExperience {
        ended_on: Some(date("2010-01-01")),
        ..experience("X")
    };
    let refused = add::<Experience>(&app, &consultant, &exps, &backwards)
        .await
        .expect(400);
    assert!(refused.body["errors"]["ended_on"].is_array());
    let too_high = add::<Skill>(&app, &consultant, &skills, &skill("Pédagogie", 5, None))
        .await
        .expect(400);
    assert!(too_high.body["errors"]["level"].is_array());
    let stranger = Some(Uuid::now_v7());
    let unlinked = add::<Skill>(&app, &consultant, &skills, &skill("Pédagogie", 3, stranger))
        .await
        .expect(400);
    assert!(unlinked.body["errors"]["experience_id"].is_array());
    assert_eq!(count(&app, &consultant, &exps).await, 1);
    assert_eq!(count(&app, &consultant, &skills).await, 0);

    let pedagogy = skill("Pédagogie", 3, Some(lead_id));
    let s: Skill = add(&app, &consultant, &skills, &pedagogy).await.ok(201);
    assert!(s.fields.transferable);
    let listed: Vec<Skill> = app.get_as(&skills, &beneficiary).await.ok(200);
    assert_eq!(listed[0].fields.experience_id, Some(lead_id));
    // An experience with skills pointing to it is not deleted from under them.
    let del = |url: String| {
        let token = beneficiary.clone();
        let app = &app;
        async move { app.call(Method::DELETE, &url, Some(&token), None).await }
    };
    del(format!("{exps}/{lead_id}")).await.expect(409);
    del(format!("{skills}/{}", s.id)).await.expect(204);
    del(format!("{skills}/{}", s.id)).await.expect(404);
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
    add::<Skill>(
        &app,
        &consultant,
        &skills,
        &skill("Gestion d'équipe", 2, None),
    )
    .await
    .expect(201);
    add::<Skill>(&app, &consultant, &skills, &skill("Pédagogie", 4, None))
        .await
        .expect(201);
    let required = vec![
        required("GESTION D'EQUIPE", Some(3)),
        required("pédagogie", Some(3)),
        required("Ingénierie de formation", None),
    ];

    let two_codes = path("Formateur", &["K2111", "Z9999"], required.clone());
    let unknown = add::<CareerPath>(&app, &consultant, &paths, &two_codes)
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

    let formateur = path("Formateur", &["k2111"], required);
    let created: CareerPath = add(&app, &consultant, &paths, &formateur).await.ok(201);
    assert_eq!(created.fields.rome_codes, ["K2111"]);
    assert_eq!(created.occupations[0].title, "Formateur / Formatrice");
    let statuses: Vec<GapStatus> = created.gaps.iter().map(|g| g.status).collect();
    assert_eq!(
        statuses,
        [GapStatus::BelowLevel, GapStatus::Met, GapStatus::Missing]
    );
    assert_eq!(created.gaps[0].level, Some(2));
    assert_eq!(created.fields.interviews[0].who, "Sandrine");

    // The gap list follows the grid: once the skill is identified, it is met.
    let engineering = skill("ingenierie de formation", 1, None);
    add::<Skill>(&app, &consultant, &skills, &engineering)
        .await
        .expect(201);
    let listed: Vec<CareerPath> = app.get_as(&paths, &consultant).await.ok(200);
    assert_eq!(listed[0].gaps[2].status, GapStatus::Met);

    let kept = NewCareerPath {
        status: PathStatus::Kept,
        ..path("Formateur CACES", &["K2124"], vec![])
    };
    let url = format!("{paths}/{}", created.id);
    let put: CareerPath = app.put_as(&url, &consultant, &kept).await.ok(200);
    assert_eq!(put.fields.status, PathStatus::Kept);
    assert!(put.gaps.is_empty());
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
        let p: CareerPath = add(&app, &consultant, &paths, &path(title, &[], vec![]))
            .await
            .ok(201);
        ids.push(p.id);
    }
    let read = |token: String| {
        let (app, matrix) = (&app, &matrix);
        async move { app.get_as::<DecisionMatrix>(matrix, &token).await }
    };
    let defaults = read(consultant.clone()).await.ok(200);
    assert_eq!(defaults.criteria.len(), 5);
    assert!(defaults.updated_at.is_none());

    let criterion = |key: &str, label: &str, weight: u8| Criterion {
        key: key.into(),
        label: label.into(),
        weight,
    };
    let criteria = vec![
        criterion("motivation", "Motivation", 5),
        criterion("market", "Marché", 2),
        criterion("training", "Formation", 1),
    ];
    let notes = [[3, 4, 5], [5, 2, 1], [2, 5, 5]];
    let mut scores = vec![];
    for (path, n) in ids.iter().zip(notes) {
        for (key, score) in ["motivation", "market", "training"].iter().zip(n) {
            scores.push(Score {
                path_id: *path,
                criterion: key.to_string(),
                score,
            });
        }
    }
    // Formateur 5·3 + 2·4 + 1·5 = 28; Menuisier 5·5 + 2·2 + 1·1 = 30; Magasinier 5·2 + 2·5 + 1·5 = 25.
    let body = DecisionMatrixInput { criteria, scores };
    let put = |body: DecisionMatrixInput| {
        let (app, matrix, consultant) = (&app, &matrix, &consultant);
        async move {
            app.put_as::<DecisionMatrix>(matrix, consultant, &body)
                .await
        }
    };
    let saved = put(body.clone()).await.ok(200);
    let ranking: Vec<(&str, u32, u32)> = saved
        .ranking
        .iter()
        .map(|r| (r.title.as_str(), r.total, r.rank))
        .collect();
    assert_eq!(
        ranking,
        [
            ("Menuisier", 30, 1),
            ("Formateur", 28, 2),
            ("Magasinier", 25, 3)
        ]
    );
    assert_eq!(saved.ranking[0].max_total, 40);
    assert!(saved.ranking[0].complete);

    // A dropped path leaves the ranking; a deleted one takes its scores along.
    let dropped = NewCareerPath {
        status: PathStatus::Dropped,
        ..path("Menuisier", &[], vec![])
    };
    app.put_as::<CareerPath>(&format!("{paths}/{}", ids[1]), &consultant, &dropped)
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
    let now = read(consultant.clone()).await.ok(200);
    assert_eq!(now.ranking.len(), 1);
    assert_eq!(now.ranking[0].total, 28);
    assert_eq!(now.scores.len(), 6);

    let mut bad = body.clone();
    bad.scores[0].score = 6;
    let refused = put(bad).await.expect(400);
    assert!(refused.body["errors"]["scores[0].score"].is_array());
    let mut unknown = body.clone();
    unknown.scores[0].criterion = "pay".into();
    let refused = put(unknown).await.expect(400);
    assert!(refused.body["errors"]["scores[0].criterion"].is_array());
    let mut stranger = body;
    stranger.scores[0].path_id = Uuid::now_v7();
    put(stranger).await.expect(400);
    assert_eq!(
        read(consultant.clone()).await.parse().ranking[0].total,
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
    let empty: ActionPlan = app.get_as(&plan, &beneficiary).await.ok(200);
    assert!(empty.fields.steps.is_empty());
    let p: CareerPath = add(
        &app,
        &beneficiary,
        &format!("/api/v1/bilans/{bilan}/career-paths"),
        &path("Formateur", &["K2111"], vec![]),
    )
    .await
    .ok(201);
    let step = |label: &str, due_on: &str, done: bool| ActionStep {
        label: label.into(),
        due_on: Some(date(due_on)),
        done,
    };
    let body = ActionPlanInput {
        career_path_id: Some(p.id),
        project: "Devenir formateur".into(),
        steps: vec![
            step("Dossier CPF", "2027-01-15", false),
            step("Enquête métier", "2026-12-01", true),
        ],
        trainings: vec!["Titre FPA".into()],
        resources: vec!["AFPA Lyon".into()],
    };
    let saved: ActionPlan = app.put_as(&plan, &beneficiary, &body).await.ok(200);
    assert!(saved.fields.steps[1].done);
    assert_eq!(saved.updated_by.unwrap().first_name, "Camille");
    let bad = ActionPlanInput {
        career_path_id: Some(Uuid::now_v7()),
        project: "Autre".into(),
        ..body
    };
    let refused = app
        .put_as::<ActionPlan>(&plan, &beneficiary, &bad)
        .await
        .expect(400);
    assert!(refused.body["errors"]["career_path_id"].is_array());
    let unchanged = app.get_as::<ActionPlan>(&plan, &beneficiary).await;
    assert_eq!(unchanged.parse().fields.project, "Devenir formateur");
}

async fn rome_search_ignores_accents_and_case_and_matches_codes(backend: Backend) {
    let app = spawn_demo(backend).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let rome = |query: &str| {
        let path = format!("/api/v1/rome{query}");
        let (app, token) = (&app, &beneficiary);
        async move { app.get_as::<Page<RomeOccupation>>(&path, token).await }
    };
    let found = rome("?q=EBENISTE").await.ok(200);
    assert!(found.items.iter().any(|o| o.title.contains("béniste")));
    let menuisier = rome("?q=menuisière%20aluminium").await.ok(200);
    assert_eq!(menuisier.items[0].code, "F1607");
    let code = rome("?q=k2111").await.ok(200);
    assert_eq!(code.items[0].title, "Formateur / Formatrice");
    let page = rome("?q=formateur&per_page=2&page=2").await.ok(200);
    assert_eq!(page.items.len(), 2);
    assert!(page.total > 4);
    let all = rome("").await.ok(200);
    assert_eq!(all.total, 1584);
    rome("?per_page=500").await.expect(400);
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
    let scopes = [ApiScope::UsersRead, ApiScope::AuditRead];
    let key = app.api_key(&admin, "CRM", &scopes).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let skills = format!("/api/v1/bilans/{bilan}/skills");
    let secret = skill("Ébénisterie secrète", 2, None);
    add::<Skill>(&app, &consultant, &skills, &secret)
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
    let x = skill("X", 1, None);
    add::<Skill>(&app, &admin, &skills, &x).await.expect(403);
    add::<Skill>(&app, &other_consultant, &skills, &x)
        .await
        .expect(404);
    add::<Skill>(&app, &key, &skills, &x).await.expect(403);
    // The consultant's reads are in the beneficiary's access history; the beneficiary's own are not.
    let history: AccessHistory = app
        .get_as(
            &format!("/api/v1/bilans/{bilan}/access?per_page=100"),
            &beneficiary,
        )
        .await
        .ok(200);
    let whats: Vec<AccessKind> = history.entries.items.iter().map(|e| e.what).collect();
    let reads = |kind| whats.iter().filter(|w| **w == kind).count();
    assert_eq!(reads(AccessKind::Skills), 2);
    assert_eq!(reads(AccessKind::Projection), 3);
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
    let skills = format!("/api/v1/bilans/{bilan}/skills");
    add::<Skill>(&app, &consultant, &skills, &skill("Pédagogie", 3, None))
        .await
        .expect(201);
    add::<CareerPath>(
        &app,
        &consultant,
        &format!("/api/v1/bilans/{bilan}/career-paths"),
        &path("Formateur", &["K2111"], vec![]),
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
    app.get(&skills, &consultant).await.expect(422);
    add::<Skill>(&app, &consultant, &skills, &skill("Après", 3, None))
        .await
        .expect(422);
}

async fn the_demo_bilan_has_skills_two_paths_a_matrix_and_a_plan(backend: Backend) {
    let app = spawn_demo(backend).await;
    boussole_api::seed::seed_demo_bilan(&mut app.conn(), &app.config.master_key).unwrap();
    let consultant = app.token(CONSULTANT).await;
    let lucas = app.token("lucas.moreau@boussole.test").await;
    let bilans: Page<Bilan> = app.get_as("/api/v1/bilans", &lucas).await.ok(200);
    let bilan = bilans.items[0].id;
    let base = format!("/api/v1/bilans/{bilan}");
    let experiences: Vec<Experience> = app
        .get_as(&format!("{base}/experiences"), &consultant)
        .await
        .ok(200);
    assert_eq!(experiences.len(), 2);
    let skills: Vec<Skill> = app.get_as(&format!("{base}/skills"), &lucas).await.ok(200);
    assert_eq!(skills.len(), 6);
    let paths: Vec<CareerPath> = app
        .get_as(&format!("{base}/career-paths"), &consultant)
        .await
        .ok(200);
    assert_eq!(paths.len(), 2);
    assert_eq!(paths[0].fields.interviews.len(), 1);
    let matrix: DecisionMatrix = app
        .get_as(&format!("{base}/decision-matrix"), &consultant)
        .await
        .ok(200);
    assert_eq!(matrix.ranking[0].title, "Formateur en logistique");
    assert_eq!(matrix.ranking[0].total, 46);
    assert_eq!(matrix.ranking[1].total, 35);
    let plan: ActionPlan = app
        .get_as(&format!("{base}/action-plan"), &lucas)
        .await
        .ok(200);
    assert_eq!(plan.fields.steps.len(), 3);
}
