//! The documents the parties sign (issue 12): the tripartite convention and the individual contract
//! read back from their PDF, then signed in order through personal links and one-time codes; the
//! signed original carries its evidence page and `verify` tells it from a modified copy; the
//! employee's silence past 10 days refuses the convention.

use boussole_shared::Page;
use boussole_shared::appointments::OutboxMessage;
use boussole_shared::bilans::{Fact, NewBilan};
use boussole_shared::documents::{DocumentKind, DocumentVerification};
use boussole_shared::signatures::{
    CodeChannel, CodeRequest, NewSignatureRequest, NewSigner, SignDocument, SignatureRequest,
    SignatureStatus, SignerRole, SignerState, SigningView,
};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::documents::{demo_identity, has_all, issue, pdf, put_identity, sha256, text_of, verify};
use crate::helpers::*;

on_both_backends!(
    the_convention_is_signed_in_order_and_its_original_verified,
    silence_refuses_the_convention_and_requests_expire,
    the_individual_contract_prints_the_consumer_rules
);

const ORG_SIGNER: &str = "direction@orientest.example";
const EMPLOYER_SIGNER: &str = "rh@boulangerie-lefevre.example";

/// A bilan of the demo beneficiary, funded as `funding`, with a planned end and the employer on the
/// beneficiary's record; the organisation's identity set.
pub async fn prepared(app: &TestApp, admin: &str, funding: FundingMode) -> Uuid {
    put_identity(app, admin, demo_identity()).await.expect(200);
    let beneficiary = app.user_id(admin, BENEFICIARY).await;
    let record = json!({
        "situation": "employee_cdi",
        "employer": { "name": "Boulangerie Lefèvre & Fils", "siret": "73282932000074",
                      "contact": "Mme Lefèvre, DRH" },
    });
    app.call(
        Method::PUT,
        &format!("/api/v1/beneficiaries/{beneficiary}"),
        Some(admin),
        Some(record),
    )
    .await
    .expect(200);
    let consultant = app.user_id(admin, CONSULTANT).await;
    let body = NewBilan {
        planned_end_on: Some(date("2027-03-31")),
        ..new_bilan(beneficiary, consultant, funding)
    };
    app.create_bilan(admin, &body).await.ok(201).id
}

fn signer(role: SignerRole, name: &str, email: &str) -> NewSigner {
    NewSigner {
        role,
        name: Some(name.into()),
        email: Some(email.into()),
        phone: None,
    }
}

/// The beneficiary signs with their account: no name nor address to give.
const BENEFICIARY_SIGNER: NewSigner = NewSigner {
    role: SignerRole::Beneficiary,
    name: None,
    email: None,
    phone: None,
};

pub fn signers() -> NewSignatureRequest {
    NewSignatureRequest {
        signers: vec![
            BENEFICIARY_SIGNER,
            signer(SignerRole::Organisation, "Claire Martin", ORG_SIGNER),
            signer(SignerRole::Employer, "Mme Lefèvre", EMPLOYER_SIGNER),
        ],
    }
}

pub async fn request(
    app: &TestApp,
    token: &str,
    document: Uuid,
    body: &NewSignatureRequest,
) -> Answer<SignatureRequest> {
    let path = format!("/api/v1/documents/{document}/signature-requests");
    app.post_as(&path, Some(token), body).await
}

/// The requests of a document, newest first.
async fn requests(app: &TestApp, token: &str, document: Uuid) -> Answer<Vec<SignatureRequest>> {
    let path = format!("/api/v1/documents/{document}/signature-requests");
    app.get_as(&path, token).await
}

async fn view(app: &TestApp, token: &str) -> Answer<SigningView> {
    let path = format!("/api/v1/sign/{token}");
    app.call(Method::GET, &path, None, None).await.typed()
}

async fn ask_code(app: &TestApp, token: &str) -> Answer {
    let body = CodeRequest {
        channel: CodeChannel::Email,
    };
    app.post(&format!("/api/v1/sign/{token}/code"), None, to_json(&body))
        .await
}

async fn answer(app: &TestApp, token: &str, code: &str, accept: bool) -> Answer<SigningView> {
    let body = SignDocument {
        code: code.into(),
        accept,
    };
    app.post_as(&format!("/api/v1/sign/{token}"), None, &body)
        .await
}

async fn sign(app: &TestApp, token: &str, code: &str) -> Answer<SigningView> {
    answer(app, token, code, true).await
}

/// The kinds of the bilan's facts.
async fn fact_kinds(app: &TestApp, token: &str, bilan: Uuid) -> Vec<FactKind> {
    let path = format!("/api/v1/bilans/{bilan}/facts");
    let facts: Vec<Fact> = app.get_as(&path, token).await.ok(200);
    facts.iter().map(|f| f.kind).collect()
}

/// The 6-digit code of the last code email to `to`.
async fn code_for(app: &TestApp, to: &str) -> String {
    let mail = app
        .mailbox()
        .await
        .into_iter()
        .rev()
        .find(|m| m.to == to && m.subject.contains("code"))
        .unwrap_or_else(|| panic!("no code sent to {to}"));
    let at = mail.text.find("est : ").unwrap() + "est : ".len();
    mail.text[at..at + 6].to_string()
}

/// Whether a signing link was emailed to `to`.
async fn has_link(app: &TestApp, to: &str) -> bool {
    app.mailbox()
        .await
        .iter()
        .any(|m| m.to == to && m.text.contains("/signer?token="))
}

async fn sign_with_code(app: &TestApp, email: &str) {
    let token = app.last_link_token(email, "/signer?token=").await;
    assert_eq!(view(app, &token).await.ok(200).state, SignerState::YourTurn);
    ask_code(app, &token).await.expect(200);
    let code = code_for(app, email).await;
    sign(app, &token, &code).await.expect(200);
}

async fn the_convention_is_signed_in_order_and_its_original_verified(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = prepared(&app, &admin, FundingMode::Employer).await;

    // Every item R6313-8 requires, from the records.
    let doc = issue(&app, &consultant, bilan, DocumentKind::TripartiteConvention)
        .await
        .ok(201);
    let id = doc.id;
    let original = pdf(&app, &admin, id, 200).await;
    let text = text_of(&original);
    has_all(
        &text,
        &[
            "Convention tripartite de bilan de compétences",
            "R6313-8",
            "Boulangerie Lefèvre & Fils",
            "73282932000074",
            "Intitulé",
            "Objectif",
            "Phase préliminaire",
            "Moyens",
            "Durée",
            "20 h",
            "du ",
            "31/03/2027",
            "remis au seul bénéficiaire",
            "Prix",
            "Règlement",
            "10 jours",
            "vaut refus",
            "ni une faute ni un motif de licenciement",
        ],
    );

    // A convention for a bilan the beneficiary pays: the funding is named missing.
    let own = prepared(&app, &admin, FundingMode::SelfFunded).await;
    let refused = issue(&app, &admin, own, DocumentKind::TripartiteConvention)
        .await
        .expect(422);
    assert!(
        missing(&refused)
            .iter()
            .any(|m| m.contains("bilan.funding"))
    );

    // Bad requests change nothing: a missing party, an unsignable document.
    let wrong = NewSignatureRequest {
        signers: vec![
            BENEFICIARY_SIGNER,
            signer(SignerRole::Organisation, "C", ORG_SIGNER),
        ],
    };
    request(&app, &admin, id, &wrong).await.expect(400);
    let sheet = issue(&app, &admin, bilan, DocumentKind::PreContractInfo)
        .await
        .ok(201);
    let not_signable = request(&app, &admin, sheet.id, &signers())
        .await
        .expect(422);
    assert!(
        not_signable
            .problem_type()
            .ends_with("document-not-signable")
    );
    assert!(!has_link(&app, ORG_SIGNER).await);

    // Two requests at once: one is created, the other is told one is pending.
    let body = signers();
    let (a, b) = futures_util::join!(
        request(&app, &admin, id, &body),
        request(&app, &consultant, id, &body)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);
    let listed = requests(&app, &admin, id).await.ok(200);
    let req = &listed[0];
    let req_id = req.id;
    assert_eq!(req.status, SignatureStatus::Pending);
    assert!(req.answer_by.is_some(), "the employee's 10 days: {req:?}");

    // Only the first signer has a link; the others get theirs at their turn.
    let token = app.last_link_token(BENEFICIARY, "/signer?token=").await;
    assert!(!has_link(&app, ORG_SIGNER).await && !has_link(&app, EMPLOYER_SIGNER).await);
    let seen = view(&app, &token).await.ok(200);
    assert_eq!(seen.state, SignerState::YourTurn);
    assert!(seen.consent_text.contains(&doc.sha256));

    // No code yet, a wrong code, no agreement: refused, nothing signed.
    sign(&app, &token, "000000").await.expect(422);
    ask_code(&app, &token).await.expect(200);
    let code = code_for(&app, BENEFICIARY).await;
    // The code never sits readable in the outbox an admin reads.
    let outbox: Page<OutboxMessage> = app
        .get_as("/api/v1/outbox?per_page=100", &admin)
        .await
        .ok(200);
    let row = outbox.items.iter().find(|m| m.kind == "signature_code");
    let path = format!("/api/v1/outbox/{}", row.unwrap().id);
    let one = app.get_as::<OutboxMessage>(&path, &admin).await.expect(200);
    // On the raw answer: the code is in no field at all.
    assert!(!one.body.to_string().contains(&code));
    let text = one.into_body().body.unwrap();
    assert!(text.contains("[code personnel masqué]"));
    let wrong_code = if code == "123456" { "654321" } else { "123456" };
    let bad = sign(&app, &token, wrong_code).await.expect(422);
    assert!(bad.problem_type().ends_with("signature-code-invalid"));
    answer(&app, &token, &code, false).await.expect(400);
    let still = requests(&app, &admin, id).await.ok(200);
    assert!(still[0].signers[0].signed_at.is_none());

    // The beneficiary signs; the link does not sign twice.
    let signed = sign(&app, &token, &code).await.ok(200);
    assert_eq!(signed.state, SignerState::Signed);
    let reused = sign(&app, &token, &code).await.expect(422);
    assert!(reused.problem_type().ends_with("signature-link-used"));

    // Then the organisation, then the employer (no account: link and code).
    assert!(!has_link(&app, EMPLOYER_SIGNER).await);
    sign_with_code(&app, ORG_SIGNER).await;
    sign_with_code(&app, EMPLOYER_SIGNER).await;

    let done = requests(&app, &admin, id).await.ok(200);
    let done = &done[0];
    assert_eq!(done.status, SignatureStatus::Completed);
    let signed_hash = done.signed_sha256.clone().unwrap();

    // The signed original: the document's pages, then the evidence of each signature.
    let beneficiary = app.token(BENEFICIARY).await;
    let res = app
        .client
        .get(format!(
            "{}/api/v1/signature-requests/{req_id}/pdf",
            app.base
        ))
        .bearer_auth(&beneficiary)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let signed_pdf = res.bytes().await.unwrap().to_vec();
    assert_eq!(sha256(&signed_pdf), signed_hash);
    let pages = |b: &[u8]| lopdf::Document::load_mem(b).unwrap().get_pages().len();
    // The evidence follows the document's own pages (it may take more than one page).
    assert!(pages(&signed_pdf) > pages(&original));
    assert!(text_of(&signed_pdf).starts_with(&text_of(&original)[..200]));
    let evidence = text_of(&signed_pdf);
    has_all(
        &evidence,
        &[
            "Preuve de signature électronique",
            &doc.sha256,
            "Claire Martin",
            "Mme Lefèvre",
            EMPLOYER_SIGNER,
            "Adresse IP",
            "code à usage unique",
            "Texte accepté",
            "R6313-8",
        ],
    );

    // Verification: by hash and by file; one changed byte is a document never issued.
    let by_hash = verify(&app, &signed_hash).await.ok(200);
    assert!(by_hash.issued);
    assert!(by_hash.signed);
    assert_eq!(by_hash.kind, Some(DocumentKind::TripartiteConvention));
    let upload = |bytes: Vec<u8>| {
        app.client
            .post(format!("{}/api/v1/documents/verify", app.base))
            .header("content-type", "application/pdf")
            .body(bytes)
            .send()
    };
    let by_file: DocumentVerification = upload(signed_pdf.clone())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(by_file.signed);
    let mut tampered = signed_pdf.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 0x01;
    let forged: DocumentVerification = upload(tampered).await.unwrap().json().await.unwrap();
    assert!(!forged.issued);
    assert!(!forged.signed);
    let unsigned = verify(&app, &doc.sha256).await.ok(200);
    assert!(unsigned.issued);
    assert!(!unsigned.signed);

    // The workflow's gate reads the signature as its dated fact.
    let kinds = fact_kinds(&app, &admin, bilan).await;
    assert!(kinds.contains(&FactKind::TripartiteConventionSigned));

    // Someone else's beneficiary sees none of it.
    let other = app.token("lucas.moreau@boussole.test").await;
    requests(&app, &other, id).await.expect(404);
}

async fn silence_refuses_the_convention_and_requests_expire(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let bilan = prepared(&app, &admin, FundingMode::Employer).await;
    let doc = issue(&app, &admin, bilan, DocumentKind::TripartiteConvention)
        .await
        .ok(201);
    let id = doc.id;
    request(&app, &admin, id, &signers()).await.expect(201);
    let token = app.last_link_token(BENEFICIARY, "/signer?token=").await;

    // Day 9: still open. The job run with a fixed clock changes nothing.
    let now = app.config.clock.utc_now();
    let run = boussole_api::signatures::job::sweep(
        &mut app.conn(),
        &app.config,
        now + chrono::Duration::days(9),
    )
    .unwrap();
    assert!(run.ended.is_empty());
    assert_eq!(run.reminded, 1, "3 days without signing: one reminder");

    // Day 11: silence counts as refusal, and the link signs nothing.
    let run = boussole_api::signatures::job::sweep(
        &mut app.conn(),
        &app.config,
        now + chrono::Duration::days(11),
    )
    .unwrap();
    assert_eq!(run.ended.len(), 1);
    let listed = requests(&app, &admin, id).await.ok(200);
    assert_eq!(listed[0].status, SignatureStatus::RefusedBySilence);
    let reminded = app.last_link_token(BENEFICIARY, "/signer?token=").await;
    assert_ne!(reminded, token, "a reminder sends a fresh link");
    let closed = ask_code(&app, &reminded).await.expect(422);
    assert!(closed.problem_type().ends_with("signature-request-closed"));
    view(&app, &token).await.expect(404);

    // A new request may follow; cancelled, it signs nothing either.
    let rid = request(&app, &admin, id, &signers()).await.ok(201).id;
    app.post(
        &format!("/api/v1/signature-requests/{rid}/cancel"),
        Some(&admin),
        json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/signature-requests/{rid}/cancel"),
        Some(&admin),
        json!({}),
    )
    .await
    .expect(422);
    let fresh = app.last_link_token(BENEFICIARY, "/signer?token=").await;
    ask_code(&app, &fresh).await.expect(422);
    let kinds = fact_kinds(&app, &admin, bilan).await;
    assert!(!kinds.contains(&FactKind::TripartiteConventionSigned));
}

async fn the_individual_contract_prints_the_consumer_rules(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let employer_paid = prepared(&app, &admin, FundingMode::Employer).await;
    let refused = issue(
        &app,
        &admin,
        employer_paid,
        DocumentKind::IndividualContract,
    )
    .await
    .expect(422);
    assert!(
        missing(&refused)
            .iter()
            .any(|m| m.contains("bilan.funding"))
    );

    let bilan = prepared(&app, &admin, FundingMode::SelfFunded).await;
    let doc = issue(&app, &admin, bilan, DocumentKind::IndividualContract)
        .await
        .ok(201);
    let id = doc.id;
    let text = text_of(&pdf(&app, &admin, id, 200).await);
    has_all(
        &text,
        &[
            "Contrat de bilan de compétences",
            "L6353-3",
            "Nombre de participants",
            "Prérequis",
            "Consultant(s)",
            "rétracter par lettre recommandée",
            "L6353-5",
            "30 %",
            "L6353-6",
            "force majeure",
            "L6353-7",
            "Prix",
            "Paiement",
        ],
    );
    // Two signers, the beneficiary then the organisation; the dated fact when both signed.
    let body = NewSignatureRequest {
        signers: vec![
            BENEFICIARY_SIGNER,
            signer(SignerRole::Organisation, "Claire Martin", ORG_SIGNER),
        ],
    };
    request(&app, &admin, id, &body).await.expect(201);
    sign_with_code(&app, BENEFICIARY).await;
    sign_with_code(&app, ORG_SIGNER).await;
    let kinds = fact_kinds(&app, &admin, bilan).await;
    assert!(kinds.contains(&FactKind::IndividualContractSigned));
}
