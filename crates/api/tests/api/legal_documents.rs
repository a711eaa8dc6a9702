//! The consent to start with its GDPR notice, the funder's convention (D6353-1) and the règlement
//! intérieur (L6352-3) the beneficiary acknowledges (issue 12, item 2), each read back from its PDF.

use boussole_shared::bilans::{BilanFormat, ConsentKind, Fact, NewBilan, NewConsent};
use boussole_shared::conditions::Condition;
use boussole_shared::documents::DocumentKind;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::documents::{demo_identity, has_all, issue, pdf, put_identity, text_of};
use crate::helpers::*;
use crate::money::{OPCO_SIRET, new_funding, new_payer};
use boussole_shared::money::PayerKind;

on_both_backends!(
    the_consent_prints_what_was_agreed_and_the_gdpr_notice,
    the_reglement_interieur_is_acknowledged_once_and_can_gate_the_preliminary_phase,
    the_funder_convention_names_its_funder_and_every_item_of_d6353_1,
    templates_are_versioned_checked_and_printed
);

/// The day of a UTC timestamp as printed (Paris time).
fn paris_day(utc: DateTime<Utc>) -> String {
    boussole_shared::time::to_paris(utc.naive_utc())
        .format("%d/%m/%Y")
        .to_string()
}

async fn the_consent_prints_what_was_agreed_and_the_gdpr_notice(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    put_identity(&app, &admin, demo_identity())
        .await
        .expect(200);

    // No consent to start yet: 422 naming it, nothing issued.
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let refused = issue(&app, &consultant, bilan, DocumentKind::Consent)
        .await
        .expect(422);
    assert!(refused.problem_type().ends_with("document-data-missing"));
    assert_eq!(missing(&refused), vec!["bilan.start_consent"]);

    // The consent and two agreements; the retention one withdrawn afterwards.
    let start = consent_of(ConsentKind::Start);
    let start = app.consent(&beneficiary, bilan, &start).await.ok(201);
    let share = NewConsent {
        recipient: Some("Conseillère CEP de l'Apec".into()),
        scope: Some("synthèse".into()),
        ..consent_of(ConsentKind::Share)
    };
    app.consent(&beneficiary, bilan, &share).await.expect(201);
    let kept = NewConsent {
        retention_months: Some(12),
        ..consent_of(ConsentKind::Retention)
    };
    let kept = app.consent(&beneficiary, bilan, &kept).await.ok(201);
    let path = format!("/api/v1/bilans/{bilan}/consents/{}/revoke", kept.id);
    app.post(&path, Some(&beneficiary), json!({}))
        .await
        .expect(204);

    let doc = issue(&app, &consultant, bilan, DocumentKind::Consent)
        .await
        .ok(201);
    assert_eq!(doc.title, "Consentement au bilan de compétences");
    let text = text_of(&pdf(&app, &beneficiary, doc.id, 200).await);
    let ip = start.ip.map(|ip| format!("depuis l'adresse IP {ip}"));
    has_all(
        &text,
        &[
            "Consentement au bilan de compétences",
            "Bénéficiaire : Camille Durand",
            "Consentement à la réalisation du bilan (article L6313-4)",
            "ne constitue ni une faute ni un motif de licenciement",
            "« Je consens à réaliser ce bilan de compétences (article L6313-4 du Code du travail). »",
            &format!("Donné le {}", paris_day(start.given_at)),
            ip.as_deref().unwrap_or("adresse IP non enregistrée"),
            "Communication à un tiers (article L6313-4) : « J'accepte que soit communiqué à « \
             Conseillère CEP de l'Apec » : synthèse.",
            "Conservation des documents (article R6313-7) : « J'accepte que soient conservés 12 \
             mois après la fin de mon bilan",
            // The GDPR notice (arts. 13 and 14).
            "Information sur vos données personnelles (articles 13 et 14 du RGPD)",
            "Responsable du traitement : Cap Horizons Conseil, 12 rue des Tanneurs, 69001 Lyon, \
             SIRET 81234567800013",
            "Délégué à la protection des données (DPO) : dpo@cap-horizons.example",
            "exécution du contrat",
            "obligation légale (article 6.1.c)",
            "intérêt légitime",
            "lien direct et nécessaire avec l'objet du bilan",
            "Destinataires : les consultants chargés de votre bilan (Karim Benali)",
            "L'employeur et le financeur ne reçoivent aucun contenu du bilan",
            "Aucun transfert de données hors de l'Union européenne",
            "article 22",
            "au plus tard 6 mois après la fin du bilan",
            "3 ans au plus (article R6313-7)",
            "10 ans",
            "portabilité",
            "Réponse sous un mois",
            "réclamation auprès de la CNIL",
            "3 place de Fontenoy",
        ],
    );
    assert!(text.contains("Accord retiré le"), "{text}");

    // Nothing but the consent: "aucun"; without a DPO the notice names the contact.
    let mut identity = demo_identity();
    identity["dpo_contact"] = json!("");
    put_identity(&app, &admin, identity).await.expect(200);
    let plain = start_bilan(&app, &admin, FundingMode::Cpf).await;
    let doc = issue(&app, &admin, plain, DocumentKind::Consent)
        .await
        .ok(201);
    let text = text_of(&pdf(&app, &admin, doc.id, 200).await);
    has_all(
        &text,
        &[
            "Accords facultatifs Aucun.",
            "l'organisme n'a pas désigné de délégué à la protection des données ; pour toute \
             question sur vos données : Accueil : contact@cap-horizons.example",
        ],
    );

    // The beneficiary signs it (alone): a signature request with any other signer is refused.
    let requests = format!("/api/v1/documents/{}/signature-requests", doc.id);
    let two = json!({ "signers": [
        { "role": "beneficiary" },
        { "role": "organisation", "name": "Claire Vasseur", "email": "claire@cap-horizons.example" },
    ]});
    app.post(&requests, Some(&consultant), two)
        .await
        .expect(400);
    let alone = json!({ "signers": [{ "role": "beneficiary" }] });
    app.post(&requests, Some(&consultant), alone)
        .await
        .expect(201);
}

async fn acknowledge(app: &TestApp, token: &str, bilan: Uuid) -> Answer<Fact> {
    let path = format!("/api/v1/bilans/{bilan}/reglement-interieur/acknowledgement");
    app.post_as(&path, Some(token), &json!({})).await
}

async fn security(app: &TestApp, admin: &str, changes: Value) {
    app.call(
        Method::PATCH,
        "/api/v1/settings/security",
        Some(admin),
        Some(changes),
    )
    .await
    .expect(200);
}

async fn the_reglement_interieur_is_acknowledged_once_and_can_gate_the_preliminary_phase(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;

    // No text: 422 naming it; an oversized one is a field error.
    let mut identity = demo_identity();
    identity["reglement_interieur"] = json!("");
    put_identity(&app, &admin, identity.clone())
        .await
        .expect(200);
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let refused = issue(&app, &consultant, bilan, DocumentKind::ReglementInterieur)
        .await
        .expect(422);
    assert_eq!(missing(&refused), vec!["organisation.reglement_interieur"]);
    identity["reglement_interieur"] = json!("é".repeat(20_001));
    let bad = put_identity(&app, &admin, identity).await.expect(400);
    assert!(bad.body["errors"]["reglement_interieur"].is_array());
    put_identity(&app, &admin, demo_identity())
        .await
        .expect(200);

    // Nothing to acknowledge before it is issued.
    let early = acknowledge(&app, &beneficiary, bilan).await.expect(422);
    assert!(
        early
            .problem_type()
            .ends_with("reglement-interieur-not-issued")
    );

    // The gate, once the organisation requires it: everything else is there.
    fact(&app, &admin, bilan, FactKind::PreContractInfo, days_ago(10)).await;
    fact(&app, &admin, bilan, FactKind::CpfFileAccepted, days_ago(9)).await;
    let start = consent_of(ConsentKind::Start);
    app.consent(&beneficiary, bilan, &start).await.expect(201);
    security(
        &app,
        &admin,
        json!({ "reglement_interieur_required": true }),
    )
    .await;
    let blocked = move_to(&app, &admin, bilan, BilanStatus::Preliminary)
        .await
        .expect(422);
    assert_eq!(conditions(&blocked), [Condition::ReglementInterieur]);
    let shown = app.bilan(&admin, bilan).await.ok(200);
    assert_eq!(shown.next_step_missing, missing(&blocked));

    // Issued, then read in full by the beneficiary.
    let doc = issue(&app, &consultant, bilan, DocumentKind::ReglementInterieur)
        .await
        .ok(201);
    let text = text_of(&pdf(&app, &beneficiary, doc.id, 200).await);
    has_all(
        &text,
        &[
            "Règlement intérieur",
            "Règlement intérieur de Cap Horizons Conseil, établi en application des articles \
             L6352-3 et R6352-1 à R6352-15 du Code du travail, remis à Camille Durand",
            "Article 2 – Hygiène et sécurité",
            "les règles de discipline et les sanctions",
            "entendu, assisté s'il le souhaite de la personne de son choix",
            "depuis son espace Boussole",
        ],
    );

    // Only the beneficiary of the bilan acknowledges; once, then the same fact again.
    acknowledge(&app, &admin, bilan).await.expect(403);
    acknowledge(&app, &consultant, bilan).await.expect(403);
    let lucas = app.token("lucas.moreau@boussole.test").await;
    acknowledge(&app, &lucas, bilan).await.expect(404);
    let first = acknowledge(&app, &beneficiary, bilan).await.ok(201);
    assert_eq!(first.kind, FactKind::ReglementInterieurAcknowledged);
    let again = acknowledge(&app, &beneficiary, bilan).await.ok(200);
    assert_eq!(again, first);
    let facts: Vec<Fact> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/facts"), &admin)
        .await
        .ok(200);
    let recorded = facts
        .iter()
        .filter(|f| f.kind == FactKind::ReglementInterieurAcknowledged)
        .count();
    assert_eq!(recorded, 1);

    // The gate opens; a new version prints the date of the acknowledgement.
    move_to(&app, &admin, bilan, BilanStatus::Preliminary)
        .await
        .expect(200);
    let v2 = issue(&app, &admin, bilan, DocumentKind::ReglementInterieur)
        .await
        .ok(201);
    assert_eq!(v2.version, 2);
    let text = text_of(&pdf(&app, &beneficiary, v2.id, 200).await);
    let on = first.occurred_on.format("%d/%m/%Y").to_string();
    has_all(
        &text,
        &[&format!(
            "Camille Durand a déclaré avoir pris connaissance du présent règlement intérieur le {on}."
        )],
    );

    // Off again (the default): a bilan starts without it.
    security(
        &app,
        &admin,
        json!({ "reglement_interieur_required": false }),
    )
    .await;
    start_bilan(&app, &admin, FundingMode::Cpf).await;
}

async fn the_funder_convention_names_its_funder_and_every_item_of_d6353_1(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    put_identity(&app, &admin, demo_identity())
        .await
        .expect(200);

    // No funder and no planned end: 422 listing both.
    let bare = open_bilan(&app, &admin, FundingMode::Employer).await;
    let refused = issue(&app, &admin, bare, DocumentKind::FunderConvention)
        .await
        .expect(422);
    let listed = missing(&refused);
    assert_eq!(listed, vec!["bilan.planned_end_on", "bilan.funder"]);

    // A bilan with its planned end and an OPCO paying most of it, the employer the rest.
    let beneficiary_id = app.user_id(&admin, BENEFICIARY).await;
    let consultant_id = app.user_id(&admin, CONSULTANT).await;
    let body = NewBilan {
        format: BilanFormat::Remote,
        planned_end_on: Some(date("2027-03-31")),
        ..new_bilan(beneficiary_id, consultant_id, FundingMode::Employer)
    };
    let bilan = app.create_bilan(&admin, &body).await.ok(201).id;
    let company = new_payer(
        &app,
        &admin,
        PayerKind::Company,
        "Boulangerie Lefèvre",
        Some("73282932000074"),
    )
    .await;
    new_funding(&app, &admin, bilan, &company, 20_000).await;
    let opco = new_payer(
        &app,
        &admin,
        PayerKind::Opco,
        "OPCO Horizon Compétences",
        Some(OPCO_SIRET),
    )
    .await;
    new_funding(&app, &admin, bilan, &opco, 160_000).await;

    // A consultant may not print amounts the organisation hides from them.
    let mut accounting = app
        .get("/api/v1/settings/accounting", &admin)
        .await
        .expect(200)
        .body;
    accounting["consultants_see_amounts"] = json!(false);
    app.call(
        Method::PUT,
        "/api/v1/settings/accounting",
        Some(&admin),
        Some(accounting.clone()),
    )
    .await
    .expect(200);
    issue(&app, &consultant, bilan, DocumentKind::FunderConvention)
        .await
        .expect(403);
    issue(&app, &beneficiary, bilan, DocumentKind::FunderConvention)
        .await
        .expect(403);

    let doc = issue(&app, &admin, bilan, DocumentKind::FunderConvention)
        .await
        .ok(201);
    assert_eq!(doc.title, "Convention de financement");
    let text = text_of(&pdf(&app, &admin, doc.id, 200).await);
    let agreed = days_ago(3).format("%d/%m/%Y").to_string();
    has_all(
        &text,
        &[
            "Convention de financement",
            "Convention conclue en application des articles L6353-1 et D6353-1 du Code du travail.",
            "L'organisme prestataire : Cap Horizons Conseil, SIRET 81234567800013, déclaration \
             d'activité n° 84691234569",
            "Le financeur : OPCO Horizon Compétences (opérateur de compétences (OPCO)), SIRET \
             85120364700017, 3 place Bellecour, 69002 Lyon",
            "Au bénéfice de : Camille Durand",
            "Nature de l'action : Bilan de compétences, action concourant au développement des \
             compétences (article L6313-1, 2°)",
            "Objectif : permettre au bénéficiaire d'analyser ses compétences",
            "Phase d'investigation",
            "Moyens et qualification des intervenants",
            &format!(
                "Consultant(s) : Karim Benali — {}",
                boussole_api::seed::KARIM_QUALIFICATION
            ),
            "Durée : 20 h d'accompagnement",
            "au 31/03/2027",
            "Part de la durée réalisée à distance : 100 % (action entièrement à distance)",
            "Déroulement, suivi et sanction de l'action",
            "certificat de réalisation",
            "Prix de l'action : 1 800,00 € (exonération de TVA – article 261-4-4° a du CGI)",
            &format!(
                "Prise en charge : OPCO Horizon Compétences : 1 600,00 €, accord n° ACC-2026-117 \
                 du {agreed}, paiement direct à l'organisme (subrogation)"
            ),
            "Prise en charge : Boulangerie Lefèvre : 200,00 €",
            "R6332-25",
            "L6354-1",
            "Le financeur ne reçoit ni les résultats détaillés ni le document de synthèse",
            "Fait à Lyon",
            "Pour l'organisme : Claire Vasseur, Présidente",
            "Pour le financeur : OPCO Horizon Compétences",
        ],
    );
    // The funder convention is not signed in Boussole.
    let requests = format!("/api/v1/documents/{}/signature-requests", doc.id);
    let signers = json!({ "signers": [{ "role": "organisation", "name": "Claire Vasseur", "email": "c@example.com" }] });
    let refused = app.post(&requests, Some(&admin), signers).await.expect(422);
    assert!(refused.problem_type().ends_with("document-not-signable"));

    // Shown again: a consultant issues it.
    accounting["consultants_see_amounts"] = json!(true);
    app.call(
        Method::PUT,
        "/api/v1/settings/accounting",
        Some(&admin),
        Some(accounting),
    )
    .await
    .expect(200);
    issue(&app, &consultant, bilan, DocumentKind::FunderConvention)
        .await
        .expect(201);
}

async fn put_template(app: &TestApp, token: &str, kind: &str, body: Value) -> Answer {
    app.call(
        Method::PUT,
        &format!("/api/v1/templates/{kind}"),
        Some(token),
        Some(body),
    )
    .await
}

async fn templates_are_versioned_checked_and_printed(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    put_identity(&app, &admin, demo_identity())
        .await
        .expect(200);

    // Admins only.
    for token in [&consultant, &beneficiary] {
        app.get("/api/v1/templates", token).await.expect(403);
        app.get("/api/v1/templates/pre_contract_info", token)
            .await
            .expect(403);
    }
    let all = app.get("/api/v1/templates", &admin).await.expect(200);
    let kinds: Vec<&str> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "pre_contract_info",
            "tripartite_convention",
            "individual_contract",
            "funder_convention"
        ]
    );
    let builtin = app
        .get("/api/v1/templates/pre_contract_info", &admin)
        .await
        .expect(200);
    assert_eq!(builtin.body["version"], 0);
    assert!(builtin.body["updated_by"].is_null());
    let keys: Vec<&str> = builtin.body["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["introduction", "objectives", "evaluation"]);
    assert!(
        builtin.body["merge_fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "bilan.planned_end_on")
    );
    app.get("/api/v1/templates/certificat_realisation", &admin)
        .await
        .expect(404);
    app.get("/api/v1/templates/nothing", &admin)
        .await
        .expect(404);

    // Bad saves: each refused, nothing saved.
    let intro =
        |text: &str| json!({ "version": 0, "sections": [{ "key": "introduction", "text": text }] });
    put_template(&app, &consultant, "pre_contract_info", intro("Bonjour"))
        .await
        .expect(403);
    let unknown = put_template(
        &app,
        &admin,
        "pre_contract_info",
        json!({ "version": 0, "sections": [
            { "key": "introduction", "text": "Bonjour {{beneficiary.age}}" },
            { "key": "price", "text": "Gratuit" },
        ]}),
    )
    .await
    .expect(422);
    assert!(unknown.problem_type().ends_with("template-invalid"));
    assert_eq!(
        missing(&unknown),
        vec![
            "sections.introduction: champ de fusion inconnu : {{beneficiary.age}}",
            "sections.price: section inconnue",
        ]
    );
    for bad in [
        "Bonjour {{beneficiary.full_name",
        "Bonjour {beneficiary.full_name}",
        "a } b",
    ] {
        let refused = put_template(&app, &admin, "pre_contract_info", intro(bad))
            .await
            .expect(422);
        assert!(
            missing(&refused)[0].starts_with("sections.introduction: "),
            "{bad}"
        );
    }
    put_template(&app, &admin, "pre_contract_info", intro("  "))
        .await
        .expect(400);
    put_template(&app, &admin, "pre_contract_info", intro(&"x".repeat(4001)))
        .await
        .expect(400);
    put_template(&app, &admin, "pre_contract_info", json!({ "version": 0 }))
        .await
        .expect(400);
    put_template(&app, &admin, "certificat_realisation", intro("Bonjour"))
        .await
        .expect(404);
    let still = app
        .get("/api/v1/templates/pre_contract_info", &admin)
        .await
        .expect(200);
    assert_eq!(still.body, builtin.body);

    // A new wording: version 1; the same base again is stale.
    let wording = "Bonjour {{ beneficiary.full_name }}, {{organisation.name}} vous accueille \
                   (fin prévue : {{bilan.planned_end_on}}, {{bilan.planned_hours}}, {{bilan.format}}).";
    let saved = put_template(&app, &admin, "pre_contract_info", intro(wording))
        .await
        .expect(200);
    assert_eq!(saved.body["version"], 1);
    assert_eq!(saved.body["sections"][0]["text"], wording);
    assert_eq!(saved.body["sections"][1], builtin.body["sections"][1]);
    assert_eq!(
        saved.body["updated_by"],
        json!(app.user_id(&admin, ADMIN).await)
    );
    put_template(&app, &admin, "pre_contract_info", intro("Autre"))
        .await
        .expect(409);
    let versions = app
        .get("/api/v1/templates/pre_contract_info/versions", &admin)
        .await
        .expect(200);
    let numbers: Vec<i64> = versions
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![1, 0]);
    assert_eq!(versions.body[1], builtin.body);

    // Issued with the new wording and its values; the legal mentions are still there.
    let bilan = start_bilan(&app, &admin, FundingMode::Cpf).await;
    let doc = issue(&app, &consultant, bilan, DocumentKind::PreContractInfo)
        .await
        .ok(201);
    let text = text_of(&pdf(&app, &beneficiary, doc.id, 200).await);
    has_all(
        &text,
        &[
            "Bonjour Camille Durand, Cap Horizons Conseil vous accueille (fin prévue : à définir, \
             20 h, en présentiel et à distance).",
            "Le bilan de compétences permet d'analyser ses compétences",
            "Phase préliminaire",
            "R6313-7",
            "L6353-7",
        ],
    );
    assert!(!text.contains("avant son inscription définitive"), "{text}");

    // The contract's prerequisites too: a version of another kind, independent of this one.
    let contract = put_template(
        &app,
        &admin,
        "individual_contract",
        json!({ "version": 0, "sections": [{ "key": "prerequisites", "text": "Savoir utiliser une messagerie électronique" }] }),
    )
    .await
    .expect(200);
    assert_eq!(contract.body["version"], 1);
    let own = start_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let doc = issue(&app, &admin, own, DocumentKind::IndividualContract)
        .await
        .ok(201);
    let text = text_of(&pdf(&app, &admin, doc.id, 200).await);
    has_all(
        &text,
        &[
            "Prérequis : Savoir utiliser une messagerie électronique",
            "L6353-5",
        ],
    );
}
