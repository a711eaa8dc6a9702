//! Bilans: one typed call per route many tests take, and the scenarios they start from (a bilan
//! opened for the demo beneficiary and consultant, started as the law lets it).

use boussole_shared::Page;
use boussole_shared::bilans::{
    Bilan, BilanFormat, BilanSession, Consent, ConsentKind, Fact, NewAssignment, NewBilan,
    NewConsent, NewFact, NewNote, NewSession, Note, TimelineEvent, TransitionRequest,
};
use boussole_shared::conditions::Condition;
use boussole_shared::users::User;
use chrono::NaiveDate;
use uuid::Uuid;

use super::{Answer, BENEFICIARY, CONSULTANT, TestApp};

// The types the scenarios below take, for the tests that call them.
pub use boussole_shared::bilans::{BilanStatus, FactKind, FundingMode};

impl TestApp {
    /// The id of the account with this email, as an admin finds it.
    pub async fn user_id(&self, admin: &str, email: &str) -> Uuid {
        let path = format!("/api/v1/users?q={email}");
        let found: Page<User> = self.get_as(&path, admin).await.ok(200);
        let user = found.items.iter().find(|u| u.email == email);
        user.unwrap_or_else(|| panic!("no account {email}")).id
    }

    pub async fn create_bilan(&self, token: &str, bilan: &NewBilan) -> Answer<Bilan> {
        self.post_as("/api/v1/bilans", Some(token), bilan).await
    }

    pub async fn bilan(&self, token: &str, bilan: Uuid) -> Answer<Bilan> {
        self.get_as(&format!("/api/v1/bilans/{bilan}"), token).await
    }

    pub async fn transition(
        &self,
        token: &str,
        bilan: Uuid,
        request: &TransitionRequest,
    ) -> Answer<Bilan> {
        let path = format!("/api/v1/bilans/{bilan}/transitions");
        self.post_as(&path, Some(token), request).await
    }

    pub async fn add_fact(&self, token: &str, bilan: Uuid, fact: &NewFact) -> Answer<Fact> {
        let path = format!("/api/v1/bilans/{bilan}/facts");
        self.post_as(&path, Some(token), fact).await
    }

    pub async fn add_session(
        &self,
        token: &str,
        bilan: Uuid,
        session: &NewSession,
    ) -> Answer<BilanSession> {
        let path = format!("/api/v1/bilans/{bilan}/sessions");
        self.post_as(&path, Some(token), session).await
    }

    pub async fn consent(&self, token: &str, bilan: Uuid, consent: &NewConsent) -> Answer<Consent> {
        let path = format!("/api/v1/bilans/{bilan}/consents");
        self.post_as(&path, Some(token), consent).await
    }

    pub async fn add_note(&self, token: &str, bilan: Uuid, note: &NewNote) -> Answer<Note> {
        let path = format!("/api/v1/bilans/{bilan}/notes");
        self.post_as(&path, Some(token), note).await
    }

    /// Hands the bilan over to another consultant (admins).
    pub async fn assign(&self, token: &str, bilan: Uuid, consultant_id: Uuid) -> Answer<Bilan> {
        let path = format!("/api/v1/bilans/{bilan}/assignments");
        let body = NewAssignment { consultant_id };
        self.post_as(&path, Some(token), &body).await
    }

    pub async fn timeline(&self, token: &str, bilan: Uuid) -> Answer<Vec<TimelineEvent>> {
        let path = format!("/api/v1/bilans/{bilan}/timeline");
        self.get_as(&path, token).await
    }
}

/// A bilan of 20 planned hours, mixed format.
pub fn new_bilan(beneficiary_id: Uuid, consultant_id: Uuid, funding: FundingMode) -> NewBilan {
    NewBilan {
        beneficiary_id,
        consultant_id,
        funding,
        format: BilanFormat::Mixed,
        planned_hours: 20,
        planned_end_on: None,
        external_ref: None,
    }
}

/// The beneficiary's consent to start (no recipient, scope or retention).
pub fn consent_of(kind: ConsentKind) -> NewConsent {
    NewConsent {
        kind,
        recipient: None,
        scope: None,
        retention_months: None,
        kept: None,
    }
}

/// A date written `YYYY-MM-DD`.
pub fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A day `days` before today (UTC).
pub fn days_ago(days: i64) -> NaiveDate {
    chrono::Utc::now().date_naive() - chrono::Duration::days(days)
}

/// Opens a bilan for the demo beneficiary with the demo consultant; returns its id.
pub async fn open_bilan(app: &TestApp, admin: &str, funding: FundingMode) -> Uuid {
    let beneficiary = app.user_id(admin, BENEFICIARY).await;
    let consultant = app.user_id(admin, CONSULTANT).await;
    let body = new_bilan(beneficiary, consultant, funding);
    let created = app.create_bilan(admin, &body).await.ok(201);
    assert_eq!(created.status, BilanStatus::Request);
    created.id
}

/// The document that stands for the contract of each funding mode (DOMAIN.md §3.6).
pub fn start_document(funding: FundingMode) -> FactKind {
    match funding {
        FundingMode::Cpf => FactKind::CpfFileAccepted,
        FundingMode::FranceTravail => FactKind::KairosQuoteAccepted,
        FundingMode::SelfFunded => FactKind::IndividualContractSigned,
        _ => FactKind::TripartiteConventionSigned,
    }
}

/// Opens a bilan and starts it lawfully (information, the funding mode's document, the beneficiary's
/// consent, the withdrawal period over): it is in the preliminary phase, where sessions may be held.
pub async fn start_bilan(app: &TestApp, admin: &str, funding: FundingMode) -> Uuid {
    let bilan = open_bilan(app, admin, funding).await;
    start(app, admin, bilan, funding).await;
    bilan
}

/// Moves an open bilan of the demo beneficiary to the preliminary phase, as the law lets it.
pub async fn start(app: &TestApp, admin: &str, bilan: Uuid, funding: FundingMode) {
    fact(app, admin, bilan, FactKind::PreContractInfo, days_ago(20)).await;
    fact(app, admin, bilan, start_document(funding), days_ago(15)).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let start = consent_of(ConsentKind::Start);
    app.consent(&beneficiary, bilan, &start).await.expect(201);
    move_to(app, admin, bilan, BilanStatus::Preliminary)
        .await
        .expect(200);
}

/// Records a fact (201 expected).
pub async fn fact(app: &TestApp, token: &str, bilan: Uuid, kind: FactKind, occurred_on: NaiveDate) {
    let body = NewFact { kind, occurred_on };
    app.add_fact(token, bilan, &body).await.expect(201);
}

/// Ends the action early: abandons the bilan for `reason`, which must be accepted.
pub async fn abandon(app: &TestApp, token: &str, bilan: Uuid, reason: &str) -> Bilan {
    let request = TransitionRequest {
        to: BilanStatus::Abandoned,
        reason: Some(reason.into()),
    };
    app.transition(token, bilan, &request).await.ok(200)
}

/// Asks for a transition without a reason.
pub async fn move_to(app: &TestApp, token: &str, bilan: Uuid, to: BilanStatus) -> Answer<Bilan> {
    let body = TransitionRequest { to, reason: None };
    app.transition(token, bilan, &body).await
}

/// What a refused request (a 422 problem) says is missing, as sent.
pub fn missing<T>(answer: &Answer<T>) -> Vec<String> {
    serde_json::from_value(answer.body["missing"].clone()).unwrap()
}

/// The workflow conditions a refused step (a 422 problem) lacks: every entry must be a condition's code.
pub fn conditions<T>(answer: &Answer<T>) -> Vec<Condition> {
    serde_json::from_value(answer.body["missing"].clone())
        .unwrap_or_else(|e| panic!("not condition codes ({e}): {}", answer.body))
}

/// The codes the API sends for `list`, as a bilan's `next_step_missing` holds them.
pub fn codes(list: &[Condition]) -> Vec<String> {
    list.iter().map(|c| c.as_str().to_string()).collect()
}
