//! Assessments (issue 11): instruments, the ones assigned on a bilan, answers, submission, results
//! and the consultant's interpretation. One method per endpoint.

use boussole_shared::assessments::{
    Answer, Answers, Assessment, AssignInstrument, Instrument, InstrumentSummary, Interpretation,
    InterpretationRequest, Results, SaveAnswers,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req};

impl Api {
    /// The instruments a consultant can assign.
    pub async fn instruments(self) -> ApiResult<Vec<InstrumentSummary>> {
        self.call(Req::new(Method::GET, "/instruments")).await
    }

    /// One instrument at the version an assessment was given on.
    pub async fn instrument(self, id: &str, version: i32) -> ApiResult<Instrument> {
        let req =
            Req::new(Method::GET, format!("/instruments/{id}")).query(&[("version", version)]);
        self.call(req).await
    }

    /// One instrument's latest version (the questionnaire builder starts from it).
    pub async fn latest_instrument(self, id: &str) -> ApiResult<Instrument> {
        self.call(Req::new(Method::GET, format!("/instruments/{id}")))
            .await
    }

    /// Saves a questionnaire built by staff: its next version (the API sets the number).
    pub async fn create_instrument(self, inst: &Instrument) -> ApiResult<Instrument> {
        self.call(Req::new(Method::POST, "/instruments").json(inst))
            .await
    }

    /// The instruments assigned on a bilan (its beneficiary and assigned consultants).
    pub async fn assessments(self, bilan: Uuid) -> ApiResult<Vec<Assessment>> {
        self.call(Req::new(
            Method::GET,
            format!("/bilans/{bilan}/assessments"),
        ))
        .await
    }

    pub async fn assign_instrument(
        self,
        bilan: Uuid,
        body: &AssignInstrument,
    ) -> ApiResult<Assessment> {
        let req = Req::new(Method::POST, format!("/bilans/{bilan}/assessments")).json(body);
        self.call(req).await
    }

    /// The answers given so far, with where the assessment stands.
    pub async fn answers(self, id: Uuid) -> ApiResult<Answers> {
        self.call(Req::new(Method::GET, format!("/assessments/{id}/answers")))
            .await
    }

    /// Saves some answers (autosave); the others keep theirs.
    pub async fn save_answers(self, id: Uuid, answers: Vec<Answer>) -> ApiResult<Answers> {
        let req = Req::new(Method::PUT, format!("/assessments/{id}/answers"))
            .json(&SaveAnswers { answers });
        self.call(req).await
    }

    pub async fn submit_assessment(self, id: Uuid) -> ApiResult<Assessment> {
        let req = Req::new(Method::POST, format!("/assessments/{id}/submit"))
            .json(&serde_json::json!({}));
        self.call(req).await
    }

    pub async fn results(self, id: Uuid) -> ApiResult<Results> {
        self.call(Req::new(Method::GET, format!("/assessments/{id}/results")))
            .await
    }

    pub async fn interpret(self, id: Uuid, text: String) -> ApiResult<Interpretation> {
        let req = Req::new(Method::PUT, format!("/assessments/{id}/interpretation"))
            .json(&InterpretationRequest { text });
        self.call(req).await
    }
}
