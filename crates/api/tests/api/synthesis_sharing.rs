//! Sending the synthèse to the recipient the beneficiary named (issue 12): only under a `share`
//! agreement in force that names the synthèse, only once issued; a personal link read from the
//! mailbox, a one-time code, one download, then 410; expiry on a clock the test holds, wrong codes
//! that lock the link, the agreement's withdrawal that stops it; admins see none of it; a synthèse
//! that reached the CEP operator is kept 3 years apart from the bilan's destruction (R6313-7).

use boussole_shared::bilans::{Consent, ConsentKind, NewConsent};
use boussole_shared::documents::IssuedDocument;
use boussole_shared::retention::RetentionClass;
use boussole_shared::signatures::{CodeChannel, CodeRequest};
use boussole_shared::synthesis::{
    NewSynthesisComment, NewSynthesisSending, SendingStatus, SharedDownload, SharedView, Synthesis,
    SynthesisApproval, SynthesisComment, SynthesisSending,
};
use boussole_shared::users::User;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::documents::pdf;
use crate::helpers::*;
use crate::retention::{end_action, job, later, stored};
use crate::synthesis::{full_sections, save, setup, url};

on_both_backends!(
    the_synthese_reaches_its_recipient_once,
    links_expire_lock_and_stop_with_the_agreement,
    a_synthese_downloaded_by_the_cep_is_kept_three_years
);

const RECIPIENT: &str = "c.durand@cep-idf.example";
const CEP: &str = "Conseiller en évolution professionnelle : Claire Fabre";

/// The demo bilan's synthèse written, approved and issued; returns the issued document's id.
async fn issued(app: &TestApp, consultant: &str, beneficiary: &str, bilan: Uuid) -> String {
    save(app, consultant, bilan, 0, full_sections())
        .await
        .expect(200);
    submit(app, consultant, bilan).await.expect(200);
    approve(app, beneficiary, bilan).await.expect(200);
    issue(app, consultant, bilan).await.ok(201).id.to_string()
}

async fn submit(app: &TestApp, consultant: &str, bilan: Uuid) -> Answer<Synthesis> {
    app.post_as(&url(bilan, "/submit"), Some(consultant), &json!({}))
        .await
}

/// The beneficiary approves the first revision.
async fn approve(app: &TestApp, beneficiary: &str, bilan: Uuid) -> Answer<Synthesis> {
    let approval = SynthesisApproval { revision: 1 };
    app.post_as(&url(bilan, "/approve"), Some(beneficiary), &approval)
        .await
}

async fn issue(app: &TestApp, consultant: &str, bilan: Uuid) -> Answer<IssuedDocument> {
    app.post_as(&url(bilan, "/issue"), Some(consultant), &json!({}))
        .await
}

/// The beneficiary's agreement to share `scope` with `recipient`; returns its id.
async fn agree(
    app: &TestApp,
    beneficiary: &str,
    bilan: Uuid,
    recipient: &str,
    scope: &str,
) -> Uuid {
    let share = NewConsent {
        recipient: Some(recipient.into()),
        scope: Some(scope.into()),
        ..consent_of(ConsentKind::Share)
    };
    let given = app.consent(beneficiary, bilan, &share).await.ok(201);
    given.id
}

async fn send(
    app: &TestApp,
    token: &str,
    bilan: Uuid,
    body: &NewSynthesisSending,
) -> Answer<SynthesisSending> {
    app.post_as(&url(bilan, "/sendings"), Some(token), body)
        .await
}

fn sending(consent_id: Uuid, cep: bool) -> NewSynthesisSending {
    NewSynthesisSending {
        consent_id,
        email: RECIPIENT.into(),
        phone: Some("06 12 34 56 78".into()),
        cep,
    }
}

async fn sendings(app: &TestApp, token: &str, bilan: Uuid) -> Answer<Vec<SynthesisSending>> {
    app.get_as(&url(bilan, "/sendings"), token).await
}

async fn view(app: &TestApp, token: &str) -> Answer<SharedView> {
    app.call(Method::GET, &format!("/api/v1/shared/{token}"), None, None)
        .await
        .typed()
}

async fn ask_code(app: &TestApp, token: &str) -> Answer<SharedView> {
    let body = CodeRequest {
        channel: CodeChannel::Email,
    };
    app.post_as(&format!("/api/v1/shared/{token}/code"), None, &body)
        .await
}

/// The download's status and bytes.
async fn download(app: &TestApp, token: &str, code: &str) -> (u16, Vec<u8>, Value) {
    let res = app
        .client
        .post(format!("{}/api/v1/shared/{token}/download", app.base))
        .json(&SharedDownload { code: code.into() })
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    let bytes = res.bytes().await.unwrap().to_vec();
    if status == 200 {
        assert_eq!(ct, "application/pdf");
        return (status, bytes, Value::Null);
    }
    assert_eq!(ct, "application/problem+json");
    (status, vec![], serde_json::from_slice(&bytes).unwrap())
}

/// The code of the last code email to the recipient.
async fn code(app: &TestApp) -> String {
    let mail = app
        .mailbox()
        .await
        .into_iter()
        .rev()
        .find(|m| m.to == RECIPIENT && m.subject.contains("code"))
        .expect("a code email");
    let at = mail.text.find("est : ").unwrap() + "est : ".len();
    mail.text[at..at + 6].to_string()
}

async fn link(app: &TestApp) -> String {
    app.last_link_token(RECIPIENT, "/partage?token=").await
}

fn journaled(app: &TestApp, action: &str) -> i64 {
    use boussole_api::schema::audit_log;
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn gone(answer: Answer<SharedView>, slug: &str) {
    let answer = answer.expect(410);
    assert!(answer.problem_type().ends_with(slug), "{}", answer.body);
}

async fn notifications(app: &TestApp, token: &str) -> Vec<String> {
    let page = app.notifications(token, "").await.ok(200);
    page.items.into_iter().map(|n| n.title).collect()
}

async fn the_synthese_reaches_its_recipient_once(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (admin, consultant, beneficiary, bilan) = setup(&app).await;
    let consent = agree(&app, &beneficiary, bilan, CEP, "le document de synthèse").await;

    // Nothing leaves before the synthèse is issued.
    let early = send(&app, &consultant, bilan, &sending(consent, true))
        .await
        .expect(422);
    assert!(early.problem_type().ends_with("synthesis-not-issued"));

    // The consultant hears of the beneficiary's comment and approval (never what they say).
    save(&app, &consultant, bilan, 0, full_sections())
        .await
        .expect(200);
    submit(&app, &consultant, bilan).await.expect(200);
    let comment = NewSynthesisComment {
        section: None,
        body: "Je préfère une échéance à six mois.".into(),
    };
    app.post_as::<SynthesisComment>(&url(bilan, "/comments"), Some(&beneficiary), &comment)
        .await
        .expect(201);
    approve(&app, &beneficiary, bilan).await.expect(200);
    let told = notifications(&app, &consultant).await;
    assert!(
        told.iter()
            .any(|t| t.contains("commentaire du bénéficiaire")),
        "{told:?}"
    );
    assert!(
        told.iter()
            .any(|t| t.contains("approuvé le document de synthèse")),
        "{told:?}"
    );
    assert!(told.iter().all(|t| !t.contains("six mois")));
    let doc = issue(&app, &consultant, bilan).await.ok(201).id;

    // Only under an agreement of this bilan, of kind share, naming the synthèse.
    let unknown = Uuid::now_v7();
    let consents: Vec<Consent> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/consents"), &beneficiary)
        .await
        .ok(200);
    let start = consents.iter().find(|c| c.kind == ConsentKind::Start);
    let start = start.unwrap().id;
    for (id, slug) in [
        (unknown, "share-consent-missing"),
        (start, "share-consent-missing"),
    ] {
        let refused = send(&app, &consultant, bilan, &sending(id, true))
            .await
            .expect(422);
        assert!(refused.problem_type().ends_with(slug), "{}", refused.body);
    }
    let results = agree(
        &app,
        &beneficiary,
        bilan,
        "Employeur : ACME",
        "résultats détaillés",
    )
    .await;
    let refused = send(&app, &consultant, bilan, &sending(results, false))
        .await
        .expect(422);
    assert!(refused.problem_type().ends_with("share-consent-scope"));
    let no_address = NewSynthesisSending {
        consent_id: consent,
        email: "pas-une-adresse".into(),
        phone: None,
        cep: false,
    };
    send(&app, &consultant, bilan, &no_address)
        .await
        .expect(400);
    // Content: admins 403, the beneficiary does not send.
    send(&app, &admin, bilan, &sending(consent, true))
        .await
        .expect(403);
    send(&app, &beneficiary, bilan, &sending(consent, true))
        .await
        .expect(403);
    sendings(&app, &admin, bilan).await.expect(403);
    assert!(app.mailbox().await.iter().all(|m| m.to != RECIPIENT));

    // Sent: the recipient is the agreement's; the email carries a link, no name, no content.
    let sent = send(&app, &consultant, bilan, &sending(consent, true))
        .await
        .ok(201);
    assert_eq!(sent.recipient, CEP);
    assert_eq!(sent.status, SendingStatus::Pending);
    assert!(sent.cep);
    assert_eq!(sent.document_id, doc);
    let token = link(&app).await;
    let mail = app
        .mailbox()
        .await
        .into_iter()
        .find(|m| m.to == RECIPIENT)
        .unwrap();
    assert!(mail.text.contains("/partage?token="));
    for private in ["licenciement", "Fabre"] {
        assert!(!mail.text.contains(private), "{private} in {}", mail.text);
    }
    let me: User = app.get_as("/api/v1/me", &beneficiary).await.ok(200);
    let (first, last) = (me.first_name.as_str(), me.last_name.as_str());
    assert!(!mail.text.contains(first) && !mail.text.contains(last));

    // The page: who sends what for whom, no content (the whole body as sent, unknown fields too).
    let page = view(&app, &token).await.expect(200);
    let shown = page.parse();
    assert_eq!(shown.beneficiary, first);
    assert_eq!(shown.recipient, CEP);
    assert_eq!(shown.document_title, "Document de synthèse");
    assert!(shown.code_sent_to.is_none());
    assert!(shown.sms_available);
    let raw = page.body.to_string();
    assert!(!raw.contains(last), "{raw} {last}");
    view(&app, "not-a-token").await.expect(404);
    view(&app, &"x".repeat(43)).await.expect(404);

    // No code asked yet; then a code, a wrong one (4 tries left), the right one: the PDF as issued.
    let (status, _, problem) = download(&app, &token, "123456").await;
    assert_eq!(status, 422);
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("share-code-expired")
    );
    let asked = ask_code(&app, &token).await.ok(200);
    assert_eq!(asked.code_sent_to.as_deref(), Some("c***@cep-idf.example"));
    ask_code(&app, &token).await.expect(429);
    let good = code(&app).await;
    let wrong = if good == "000000" { "111111" } else { "000000" };
    let (status, _, problem) = download(&app, &token, wrong).await;
    assert_eq!(status, 422);
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("share-code-invalid")
    );
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("il reste 4 essai")
    );
    let (status, bytes, _) = download(&app, &token, &good).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, pdf(&app, &beneficiary, &doc, 200).await);

    // Single use: the same link and code give nothing more.
    let (status, _, problem) = download(&app, &token, &good).await;
    assert_eq!(status, 410);
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("share-link-used")
    );
    gone(view(&app, &token).await, "share-link-used");
    gone(ask_code(&app, &token).await, "share-link-used");

    // Both sides see it downloaded; admins still see none of it.
    for who in [&consultant, &beneficiary] {
        let listed = sendings(&app, who, bilan).await.ok(200);
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].status, SendingStatus::Downloaded);
        assert!(listed[0].downloaded_at.is_some());
    }
    sendings(&app, &admin, bilan).await.expect(403);
    let told = notifications(&app, &beneficiary).await;
    assert!(
        told.iter()
            .any(|t| t.contains("téléchargé par son destinataire")),
        "{told:?}"
    );

    // Every step journaled, without the recipient's address.
    for action in [
        "synthesis.send",
        "synthesis.shared.open",
        "synthesis.shared.code",
        "synthesis.shared.code_invalid",
        "synthesis.shared.download",
    ] {
        assert!(journaled(&app, action) >= 1, "{action}");
    }
    assert_eq!(journaled(&app, "synthesis.shared.download"), 1);
    let details: Vec<String> = boussole_api::schema::audit_log::table
        .filter(boussole_api::schema::audit_log::action.like("synthesis.%"))
        .select(boussole_api::schema::audit_log::details)
        .load::<String>(&mut app.conn())
        .unwrap();
    assert!(
        details
            .iter()
            .all(|d| !d.contains(RECIPIENT) && !d.contains("Fabre"))
    );
}

async fn links_expire_lock_and_stop_with_the_agreement(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (admin, consultant, beneficiary, bilan) = setup(&app).await;
    issued(&app, &consultant, &beneficiary, bilan).await;
    let consent = agree(&app, &beneficiary, bilan, "Employeur : ACME", "synthèse").await;

    // Five wrong codes lock the link: the right code then gives nothing.
    send(&app, &consultant, bilan, &sending(consent, false))
        .await
        .expect(201);
    let token = link(&app).await;
    ask_code(&app, &token).await.expect(200);
    let good = code(&app).await;
    let wrong = if good == "000000" { "111111" } else { "000000" };
    for left in (1..=4).rev() {
        let (status, _, problem) = download(&app, &token, wrong).await;
        assert_eq!(status, 422);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains(&format!("il reste {left} essai"))
        );
    }
    let (status, _, problem) = download(&app, &token, wrong).await;
    assert_eq!(status, 410);
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("share-link-locked")
    );
    let (status, _, _) = download(&app, &token, &good).await;
    assert_eq!(status, 410);
    assert_eq!(journaled(&app, "synthesis.shared.locked"), 1);

    // Cancelled by the consultant (once; not by others): the link stops.
    let second = send(&app, &consultant, bilan, &sending(consent, false))
        .await
        .ok(201);
    let token = link(&app).await;
    let id = second.id;
    let cancel = |who: String, id: Uuid| {
        let app = &app;
        async move {
            let path = url(bilan, &format!("/sendings/{id}/cancel"));
            app.post_as::<SynthesisSending>(&path, Some(&who), &json!({}))
                .await
        }
    };
    cancel(beneficiary.clone(), id).await.expect(403);
    cancel(admin.clone(), id).await.expect(403);
    cancel(consultant.clone(), Uuid::now_v7()).await.expect(404);
    let done = cancel(consultant.clone(), id).await.ok(200);
    assert_eq!(done.status, SendingStatus::Cancelled);
    let again = cancel(consultant.clone(), id).await.expect(422);
    assert!(again.problem_type().ends_with("sending-closed"));
    gone(view(&app, &token).await, "share-link-cancelled");

    // The beneficiary withdraws the agreement: what was not downloaded stops, nothing more is sent.
    send(&app, &consultant, bilan, &sending(consent, false))
        .await
        .expect(201);
    let token = link(&app).await;
    app.post(
        &format!("/api/v1/bilans/{bilan}/consents/{consent}/revoke"),
        Some(&beneficiary),
        json!({}),
    )
    .await
    .expect(204);
    gone(view(&app, &token).await, "share-link-cancelled");
    let listed = sendings(&app, &beneficiary, bilan).await.ok(200);
    let statuses: Vec<SendingStatus> = listed.iter().map(|s| s.status).collect();
    assert_eq!(
        statuses,
        [
            SendingStatus::Revoked,
            SendingStatus::Cancelled,
            SendingStatus::Locked
        ]
    );
    let refused = send(&app, &consultant, bilan, &sending(consent, false))
        .await
        .expect(422);
    assert!(refused.problem_type().ends_with("share-consent-revoked"));

    // A link unused for 7 days expires (the server's clock moved, no sleeping).
    let other = agree(&app, &beneficiary, bilan, "Employeur : ACME", "synthèse").await;
    send(&app, &consultant, bilan, &sending(other, false))
        .await
        .expect(201);
    let token = link(&app).await;
    view(&app, &token).await.expect(200);
    app.config
        .clock
        .advance(std::time::Duration::from_secs(8 * 24 * 3600));
    gone(view(&app, &token).await, "share-link-expired");
    gone(ask_code(&app, &token).await, "share-link-expired");
}

async fn a_synthese_downloaded_by_the_cep_is_kept_three_years(backend: Backend) {
    use boussole_api::schema::{issued_documents, synthesis_sendings};
    let app = spawn_demo(backend).await;
    let (_admin, consultant, beneficiary, cep_bilan) = setup(&app).await;

    // One synthèse reaches the CEP operator; another goes to an employer.
    let kept = issued(&app, &consultant, &beneficiary, cep_bilan).await;
    let consent = agree(&app, &beneficiary, cep_bilan, CEP, "synthèse").await;
    send(&app, &consultant, cep_bilan, &sending(consent, true))
        .await
        .expect(201);
    let token = link(&app).await;
    ask_code(&app, &token).await.expect(200);
    let (status, _, _) = download(&app, &token, &code(&app).await).await;
    assert_eq!(status, 200);
    let kept_key = boussole_api::synthesis::sending::kept_key(&cep_bilan.to_string(), &kept);
    assert!(stored(&app, &kept_key).await);

    let admin = app.token(ADMIN).await;
    let other_bilan = start_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let other = issued(&app, &consultant, &beneficiary, other_bilan).await;
    let consent = agree(
        &app,
        &beneficiary,
        other_bilan,
        "Employeur : ACME",
        "synthèse",
    )
    .await;
    send(&app, &consultant, other_bilan, &sending(consent, false))
        .await
        .expect(201);
    let token = link(&app).await;
    ask_code(&app, &token).await.expect(200);
    let (status, _, _) = download(&app, &token, &code(&app).await).await;
    assert_eq!(status, 200);
    assert!(
        !stored(
            &app,
            &boussole_api::synthesis::sending::kept_key(&other_bilan.to_string(), &other)
        )
        .await
    );

    // The actions end: the content goes; the employer's copy goes at the next pass, the CEP's stays.
    let ended = end_action(&app, &consultant, cep_bilan).await;
    end_action(&app, &consultant, other_bilan).await;
    let run = job(&app, later(ended, 1)).await.expect("a run");
    let items = &run.items;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].class, RetentionClass::BilanContent);
    assert!(items[0].what.starts_with("Document de synthèse v1"));
    let left: Vec<String> = issued_documents::table
        .filter(issued_documents::kind.eq("synthese"))
        .select(issued_documents::id)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(left, vec![kept.clone()]);
    assert!(stored(&app, &kept_key).await);
    assert_eq!(job(&app, later(ended, 35)).await, None);

    // 3 years after the end, under the CEP rule: the row, the kept copy, who received it.
    let run = job(&app, later(ended, 37)).await.expect("a run");
    let items = &run.items;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].class, RetentionClass::SynthesisCep);
    assert!(!stored(&app, &kept_key).await);
    let sendings: i64 = synthesis_sendings::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(sendings, 0);
}
