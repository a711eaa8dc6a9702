//! CSV imports (issue 15, item 6): a dry run lists every bad line, the import is all or nothing, each
//! created beneficiary is invited, a re-import finds only duplicates; keys need `beneficiaries:write`.

use std::collections::BTreeSet;

use boussole_shared::field_rules::FieldRule;
use boussole_shared::imports::ImportLineError;
use serde_json::{Value, json};

use crate::helpers::*;

on_both_backends!(
    a_file_with_bad_lines_is_reported_line_by_line_and_never_half_imported,
    a_key_imports_beneficiaries_with_the_write_scope_only,
    companies_are_checked_by_siret_and_imported_as_payers,
);

const HEADER: &str =
    "email;first_name;last_name;situation;employer_name;employer_siret;external_ref";

fn good_line(i: usize) -> String {
    format!(
        "import{i}@exemple.fr;Prénom{i};Nom{i};employee_cdi;Menuiserie Roux;73282932000074;CRM-{i}"
    )
}

async fn upload(app: &TestApp, token: &str, kind: &str, dry_run: bool, csv: &str) -> Answer {
    upload_in(app, token, kind, dry_run, csv, "fr").await
}

/// An upload whose messages are asked in `language` (`Accept-Language`).
async fn upload_in(
    app: &TestApp,
    token: &str,
    kind: &str,
    dry_run: bool,
    csv: &str,
    language: &str,
) -> Answer {
    let res = app
        .client
        .post(format!(
            "{}/api/v1/imports/{kind}?dry_run={dry_run}",
            app.base
        ))
        .bearer_auth(token)
        .header("Content-Type", "text/csv")
        .header("Accept-Language", language)
        .body(csv.to_string())
        .send()
        .await
        .unwrap();
    Answer::read(res).await
}

fn beneficiaries(app: &TestApp) -> i64 {
    use boussole_api::schema::users;
    use diesel::dsl::count_star;
    use diesel::prelude::*;
    users::table
        .filter(users::role.eq("beneficiary"))
        .select(count_star())
        .first(&mut app.conn())
        .unwrap()
}

fn lines_of(report: &Value) -> Vec<(u64, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (line, rule) of each error of a report (or of a refused import's problem); every error of these
/// files has a rule.
fn rules_of(report: &Value) -> BTreeSet<(u32, String)> {
    let lines: Vec<ImportLineError> = serde_json::from_value(report["errors"].clone()).unwrap();
    lines
        .into_iter()
        .map(|e| {
            (
                e.line,
                e.rule.unwrap_or_else(|| panic!("no rule: {}", e.reason)),
            )
        })
        .collect()
}

async fn a_file_with_bad_lines_is_reported_line_by_line_and_never_half_imported(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let mut lines: Vec<String> = (0..10).map(good_line).collect();
    lines[2] = "pas-une-adresse;Léa;Durand;other;;;CRM-X2".into(); // file line 4
    lines[5] = "import5@exemple.fr;Paul;;astronaut;;;CRM-5".into(); // line 7: no name, unknown situation
    lines[8] = "import8@exemple.fr;Zoé;Nom8;other;Menuiserie;73282932000075;CRM-8".into(); // line 10: SIRET key
    let csv = format!("{HEADER}\n{}\n", lines.join("\n"));
    let before = beneficiaries(&app);
    let dry = upload(&app, &admin, "beneficiaries", true, &csv)
        .await
        .expect(200);
    assert_eq!(dry.body["lines"], 10);
    assert_eq!(dry.body["valid"], 7);
    let found = lines_of(&dry.body);
    let numbers: std::collections::BTreeSet<u64> = found.iter().map(|(l, _)| *l).collect();
    assert_eq!(
        numbers.into_iter().collect::<Vec<_>>(),
        vec![4, 7, 10],
        "{found:?}"
    );
    assert!(
        found.iter().any(|(l, r)| *l == 4 && r.contains("e-mail")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(l, r)| *l == 7 && r.contains("nom manquant")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(l, r)| *l == 7 && r.contains("situation inconnue")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(l, r)| *l == 10 && r.contains("SIRET")),
        "{found:?}"
    );
    // Each bad line names the rule it breaks, which the English screen says instead of the reason.
    let ruled: BTreeSet<(u32, String)> = rules_of(&dry.body);
    let expected = [(4, "email"), (7, "required"), (7, "unknown"), (10, "siret")];
    let expected: BTreeSet<(u32, String)> = expected.map(|(l, r)| (l, r.to_string())).into();
    assert_eq!(ruled, expected);
    // Asked in English, each of those lines says its rule in English, for the dry run and for the
    // refused import alike.
    for dry_run in [true, false] {
        let english = upload_in(&app, &admin, "beneficiaries", dry_run, &csv, "en").await;
        assert_eq!(rules_of(&english.body), expected);
        let reasons: BTreeSet<(u64, String)> = lines_of(&english.body).into_iter().collect();
        let said = |line: u64, rule: FieldRule| (line, rule.english().to_string());
        let want = [
            said(4, FieldRule::Email),
            said(7, FieldRule::Required),
            said(7, FieldRule::Unknown),
            said(10, FieldRule::Siret),
        ];
        assert_eq!(reasons, BTreeSet::from(want), "{}", english.body);
    }
    let refused = upload(&app, &admin, "beneficiaries", false, &csv)
        .await
        .expect(422);
    assert_eq!(
        refused.problem_type(),
        "urn:boussole:problem:import-invalid"
    );
    assert_eq!(lines_of(&refused.body), found);
    assert_eq!(beneficiaries(&app), before, "nothing created");

    let good: Vec<String> = (0..10).map(good_line).collect();
    let csv = format!("{HEADER}\n{}\n", good.join("\n"));
    let done = upload(&app, &admin, "beneficiaries", false, &csv)
        .await
        .expect(200);
    assert_eq!(done.body["created"].as_array().unwrap().len(), 10);
    assert_eq!(beneficiaries(&app), before + 10);
    for i in 0..10 {
        app.last_link_token(&format!("import{i}@exemple.fr"), "/invitation")
            .await;
    }
    let again = upload(&app, &admin, "beneficiaries", true, &csv)
        .await
        .expect(200);
    assert_eq!(again.body["valid"], 0);
    let dup = lines_of(&again.body);
    assert_eq!(dup.len(), 10, "{dup:?}");
    assert!(dup.iter().all(|(_, r)| r.contains("déjà")), "{dup:?}");
    assert!(
        rules_of(&again.body).iter().all(|(_, r)| r == "taken"),
        "{}",
        again.body
    );
    // Duplicates inside one file, by address (case aside) and by CRM id; a comma-separated file.
    let csv = "email,first_name,last_name,external_ref\na@exemple.fr,A,B,R1\nA@exemple.fr,C,D,R2\ne@exemple.fr,E,F,R1\n";
    let dup = lines_of(
        &upload(&app, &admin, "beneficiaries", true, csv)
            .await
            .expect(200)
            .body,
    );
    assert_eq!(
        dup.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        vec![3, 4],
        "{dup:?}"
    );
    // Not CSV: 415; the template is CSV.
    let json = app
        .post("/api/v1/imports/beneficiaries", Some(&admin), json!({}))
        .await;
    assert_eq!(json.status, 415);
    let template = app
        .get("/api/v1/imports/beneficiaries/template", &admin)
        .await
        .expect(200);
    let text = template.body.as_str().unwrap().to_string();
    assert!(text.starts_with("email;first_name;last_name"), "{text}");
    let check = upload(&app, &admin, "beneficiaries", true, &text)
        .await
        .expect(200);
    assert_eq!(check.body["valid"], 1, "{}", check.body);
}

async fn a_key_imports_beneficiaries_with_the_write_scope_only(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let key = |scopes: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            app.post(
                "/api/v1/api-keys",
                Some(&admin),
                json!({ "name": "crm", "scopes": scopes }),
            )
            .await
            .expect(201)
            .body["key"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let reader = key(json!(["beneficiaries:read"])).await;
    let writer = key(json!(["beneficiaries:write"])).await;
    let csv = format!("{HEADER}\n{}\n", good_line(1));
    let refused = upload(&app, &reader, "beneficiaries", false, &csv)
        .await
        .expect(403);
    assert_eq!(refused.problem_type(), "urn:boussole:problem:missing-scope");
    upload(&app, &writer, "beneficiaries", false, &csv)
        .await
        .expect(200);
    app.last_link_token("import1@exemple.fr", "/invitation")
        .await;
    // Companies are the admins' only.
    upload(&app, &writer, "companies", true, "name;siret;address\n")
        .await
        .expect(403);
}

async fn companies_are_checked_by_siret_and_imported_as_payers(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let csv = "name;siret;address;external_ref\nRoux;73282932000074;1 rue A;E1\nBad;73282932000075;2 rue B;E2\nTwice;73282932000074;3 rue C;E3\n";
    let dry = upload(&app, &admin, "companies", true, csv)
        .await
        .expect(200);
    let found = lines_of(&dry.body);
    assert_eq!(
        found.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        vec![3, 4],
        "{found:?}"
    );
    upload(&app, &admin, "companies", false, csv)
        .await
        .expect(422);
    let ok = "name;siret;address;external_ref\nRoux;73282932000074;1 rue A;E1\n";
    let done = upload(&app, &admin, "companies", false, ok)
        .await
        .expect(200);
    let id = done.body["created"][0].as_str().unwrap().to_string();
    let payer = app
        .get(&format!("/api/v1/payers/{id}"), &admin)
        .await
        .expect(200);
    assert_eq!(payer.body["external_ref"], "E1");
}
