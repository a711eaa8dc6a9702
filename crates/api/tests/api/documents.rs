//! Issued documents (issue 12): the organisation's identity, the three kinds read back from their PDF
//! text, versions, verification by hash, who reads what.

use boussole_shared::bilans::{Fact, FactKind, NewSession, Phase, SessionKind, SessionMode};
use boussole_shared::documents::{DocumentKind, DocumentVerification, IssuedDocument, NewDocument};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

on_both_backends!(
    documents_print_every_mention_and_are_verified_by_hash,
    concurrent_issues_take_distinct_versions,
    the_consultants_titles_are_printed_and_required_before_the_contract
);

pub async fn put_identity(app: &TestApp, token: &str, identity: Value) -> Answer {
    app.call(
        Method::PUT,
        "/api/v1/settings/organisation",
        Some(token),
        Some(identity),
    )
    .await
}

pub fn demo_identity() -> Value {
    serde_json::to_value(boussole_api::documents::demo::identity()).unwrap()
}

pub async fn issue(
    app: &TestApp,
    token: &str,
    bilan: Uuid,
    kind: DocumentKind,
) -> Answer<IssuedDocument> {
    let path = format!("/api/v1/bilans/{bilan}/documents");
    app.post_as(&path, Some(token), &NewDocument { kind }).await
}

/// A held accompaniment session on `day` of November 2026, 08:00 UTC for `minutes`.
async fn held(app: &TestApp, consultant: &str, bilan: Uuid, day: u32, minutes: i64) {
    let starts = chrono::NaiveDate::from_ymd_opt(2026, 11, day)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
        .and_utc();
    let body = NewSession {
        kind: SessionKind::Accompaniment,
        phase: Phase::Preliminary,
        mode: SessionMode::Remote,
        starts_at: starts,
        ends_at: starts + chrono::Duration::minutes(minutes),
    };
    app.add_session(consultant, bilan, &body).await.expect(201);
}

/// The PDF's bytes (status checked).
pub async fn pdf(app: &TestApp, token: &str, id: impl std::fmt::Display, status: u16) -> Vec<u8> {
    let res = app
        .client
        .get(format!("{}/api/v1/documents/{id}/pdf", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), status);
    if status == 200 {
        assert_eq!(res.headers()["content-type"], "application/pdf");
    }
    res.bytes().await.unwrap().to_vec()
}

/// The text of every page, whitespace collapsed (wrapped lines join with a space).
pub fn text_of(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[track_caller]
pub fn has_all(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "missing {w:?} in: {text}");
    }
}

pub async fn verify(app: &TestApp, hash: &str) -> Answer<DocumentVerification> {
    app.call(
        Method::GET,
        &format!("/api/v1/documents/verify?sha256={hash}"),
        None,
        None,
    )
    .await
    .typed()
}

async fn documents_print_every_mention_and_are_verified_by_hash(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = start_bilan(&app, &admin, FundingMode::Cpf).await;

    // No identity, no session: 422 naming everything, nothing stored.
    let refused = issue(&app, &admin, bilan, DocumentKind::CertificatRealisation)
        .await
        .expect(422);
    assert!(refused.problem_type().ends_with("document-data-missing"));
    let listed = missing(&refused);
    for field in [
        "organisation.name",
        "organisation.address",
        "organisation.siret",
        "organisation.nda",
        "organisation.nda_region",
        "organisation.city",
        "organisation.representative_name",
        "bilan.sessions",
    ] {
        assert!(listed.contains(&field.to_string()), "{field}: {listed:?}");
    }
    let docs: Vec<IssuedDocument> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/documents"), &admin)
        .await
        .ok(200);
    assert!(docs.is_empty());

    // The identity: admins write, with field errors; staff read.
    let mut wrong = demo_identity();
    wrong["siret"] = json!("81234567800014");
    wrong["nda"] = json!("123");
    let bad = put_identity(&app, &admin, wrong).await.expect(400);
    assert!(bad.body["errors"]["siret"].is_array() && bad.body["errors"]["nda"].is_array());
    put_identity(&app, &consultant, demo_identity())
        .await
        .expect(403);
    put_identity(&app, &admin, demo_identity())
        .await
        .expect(200);
    let read = app
        .get("/api/v1/settings/organisation", &consultant)
        .await
        .expect(200);
    assert_eq!(read.body, demo_identity());
    app.get("/api/v1/settings/organisation", &beneficiary)
        .await
        .expect(403);

    held(&app, &consultant, bilan, 2, 180).await;
    held(&app, &consultant, bilan, 9, 150).await;

    // The certificat, issued by an admin (no bilan content), read by the beneficiary.
    let cert = issue(&app, &admin, bilan, DocumentKind::CertificatRealisation)
        .await
        .ok(201);
    assert_eq!(cert.version, 1);
    let cert_id = cert.id;
    let bytes = pdf(&app, &beneficiary, cert_id, 200).await;
    assert_eq!(sha256(&bytes), cert.sha256);
    assert_eq!(bytes.len() as i64, cert.size);
    let text = text_of(&bytes);
    has_all(
        &text,
        &[
            "Cap Horizons Conseil",
            "12 rue des Tanneurs",
            "SIRET 81234567800013",
            "Déclaration d'activité enregistrée sous le numéro 84691234569 auprès du préfet de \
             région d'Auvergne-Rhône-Alpes. Cet enregistrement ne vaut pas agrément de l'État.",
            "Certification Qualiopi n° QUAL-2024-01187",
            "Certificat de réalisation",
            "Je soussigné(e) Claire Vasseur, Présidente",
            "Bénéficiaire : Camille Durand",
            "[X] bilan de compétences",
            "[ ] action de formation",
            "du 02/11/2026 au 09/11/2026",
            "durée de 5 h 30",
            "Fait à Lyon",
            "Page 1 / 1",
        ],
    );
    let parsed = lopdf::Document::load_mem(&bytes).unwrap();
    let lang = parsed.catalog().unwrap().get(b"Lang").unwrap();
    assert_eq!(lang.as_str().unwrap(), b"fr-FR");

    // The attendance sheet, issued by the consultant.
    let sheet = issue(&app, &consultant, bilan, DocumentKind::AttendanceSheet)
        .await
        .ok(201);
    let text = text_of(&pdf(&app, &consultant, sheet.id, 200).await);
    has_all(
        &text,
        &[
            "Feuille d'émargement",
            "02/11/2026",
            "09:00 – 12:00 (3 h)",
            "09:00 – 11:30 (2 h 30)",
            "À distance",
            "Séance déclarée par le consultant",
            "Total des heures d'accompagnement : 5 h 30",
        ],
    );

    // The pre-contract information records its fact, dated today.
    let facts = format!("/api/v1/bilans/{bilan}/facts");
    let facts_before: Vec<Fact> = app.get_as(&facts, &admin).await.ok(200);
    let info = issue(&app, &consultant, bilan, DocumentKind::PreContractInfo)
        .await
        .ok(201);
    let text = text_of(&pdf(&app, &beneficiary, info.id, 200).await);
    has_all(
        &text,
        &[
            "Information préalable au contrat",
            "L6353-8",
            "Objectifs",
            "Phase préliminaire",
            "Durée prévue : 20 h",
            "Intervenants : titres et qualités",
            &format!(
                "Consultant(s) : Karim Benali — {}",
                boussole_api::seed::KARIM_QUALIFICATION
            ),
            "1 800,00 € (Exonération de TVA – article 261-4-4° a du CGI)",
            "Annulation et abandon",
            "Confidentialité",
            "R6313-7",
            "Référent handicap : Julien Marchand",
            "œ",
        ],
    );
    let facts_after: Vec<Fact> = app.get_as(&facts, &admin).await.ok(200);
    let count = |facts: &[Fact]| {
        let kind = FactKind::PreContractInfo;
        facts.iter().filter(|f| f.kind == kind).count()
    };
    assert_eq!(count(&facts_after), count(&facts_before) + 1);

    // Again: version 2, the first unchanged.
    let again = issue(&app, &admin, bilan, DocumentKind::CertificatRealisation)
        .await
        .ok(201);
    assert_eq!(again.version, 2);
    let listed: Vec<IssuedDocument> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/documents"), &beneficiary)
        .await
        .ok(200);
    assert_eq!(listed.len(), 4);
    assert_eq!(pdf(&app, &admin, cert_id, 200).await, bytes);

    // Verification by hash: the original is known, one changed byte is not.
    let known = verify(&app, &cert.sha256).await.expect(200);
    // On the raw answer: nothing names the bilan.
    assert!(known.body.get("bilan_id").is_none());
    let known: DocumentVerification = known.into_body();
    assert!(known.issued);
    assert_eq!(known.kind, Some(DocumentKind::CertificatRealisation));
    let mut altered = bytes.clone();
    let middle = altered.len() / 2;
    altered[middle] ^= 1;
    let unknown = verify(&app, &sha256(&altered)).await.ok(200);
    assert!(!unknown.issued);
    verify(&app, "not-a-hash").await.expect(400);

    // Someone else's: 404 everywhere; a beneficiary cannot issue.
    let lucas = app.token("lucas.moreau@boussole.test").await;
    let other_consultant = app.token("consultante2@boussole.test").await;
    for token in [&lucas, &other_consultant] {
        app.get(&format!("/api/v1/documents/{cert_id}"), token)
            .await
            .expect(404);
        pdf(&app, token, cert_id, 404).await;
        app.get(&format!("/api/v1/bilans/{bilan}/documents"), token)
            .await
            .expect(404);
    }
    issue(&app, &beneficiary, bilan, DocumentKind::AttendanceSheet)
        .await
        .expect(403);
    let meta: IssuedDocument = app
        .get_as(&format!("/api/v1/documents/{cert_id}"), &beneficiary)
        .await
        .ok(200);
    assert_eq!(meta, cert);

    // Every issue and download is in the audit journal.
    use boussole_api::schema::audit_log;
    let mut conn = app.conn();
    let issued: i64 = audit_log::table
        .filter(audit_log::action.eq("document.issue"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let downloads: i64 = audit_log::table
        .filter(audit_log::action.eq("document.download"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!((issued, downloads), (4, 4));
}

async fn concurrent_issues_take_distinct_versions(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = start_bilan(&app, &admin, FundingMode::SelfFunded).await;
    put_identity(&app, &admin, demo_identity())
        .await
        .expect(200);
    held(&app, &consultant, bilan, 3, 120).await;
    let answers = futures_util::future::join_all(
        (0..4).map(|_| issue(&app, &consultant, bilan, DocumentKind::AttendanceSheet)),
    )
    .await;
    let mut versions: Vec<i64> = answers.into_iter().map(|a| a.ok(201).version).collect();
    versions.sort();
    assert_eq!(versions, vec![1, 2, 3, 4]);
}

/// L6353-8 and R6313-8: the pre-contract information and the contract name each consultant with
/// their titles and qualifications; while one has none, those documents are refused naming
/// `consultant.qualification`, and the attendance sheet and the certificat (which do not print
/// them) are still issued.
async fn the_consultants_titles_are_printed_and_required_before_the_contract(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.login(CONSULTANT, DEMO_PASSWORD).await;
    let karim = consultant.access_token.as_str();
    let beneficiary = app.token(BENEFICIARY).await;
    put_identity(&app, &admin, demo_identity())
        .await
        .expect(200);
    let bilan = start_bilan(&app, &admin, FundingMode::SelfFunded).await;
    held(&app, karim, bilan, 2, 120).await;

    // Karim removes his qualification: the documents that describe the action are refused.
    app.patch("/api/v1/me", karim, json!({ "qualification": "" }))
        .await
        .expect(200);
    for kind in [
        DocumentKind::PreContractInfo,
        DocumentKind::IndividualContract,
    ] {
        let refused = issue(&app, karim, bilan, kind).await.expect(422);
        assert!(refused.problem_type().ends_with("document-data-missing"));
        assert_eq!(
            missing(&refused),
            vec!["consultant.qualification"],
            "{kind:?}"
        );
    }
    let convention = issue(&app, &admin, bilan, DocumentKind::TripartiteConvention)
        .await
        .expect(422);
    assert!(missing(&convention).contains(&"consultant.qualification".to_string()));
    for kind in [
        DocumentKind::AttendanceSheet,
        DocumentKind::CertificatRealisation,
    ] {
        issue(&app, karim, bilan, kind).await.expect(201);
    }

    // The admin gives it back: the information and the contract print it next to his name.
    let titled = "Psychologue du travail, titre RNCP « Conseiller en bilan de compétences », 12 \
                  ans d'expérience";
    app.patch(
        &format!("/api/v1/users/{}", consultant.user.id),
        &admin,
        json!({ "qualification": titled }),
    )
    .await
    .expect(200);
    let expected = format!("Consultant(s) : Karim Benali — {titled}");
    for kind in [
        DocumentKind::PreContractInfo,
        DocumentKind::IndividualContract,
    ] {
        let doc = issue(&app, karim, bilan, kind).await.ok(201);
        let text = text_of(&pdf(&app, &beneficiary, doc.id, 200).await);
        has_all(&text, &[&expected]);
        if kind == DocumentKind::IndividualContract {
            has_all(&text, &["Moyens et qualification des intervenants"]);
        }
    }
}
