//! The skills grid and the projection tools: one method per endpoint.

use boussole_shared::Page;
use boussole_shared::projection::{
    ActionPlan, ActionPlanInput, CareerPath, DecisionMatrix, DecisionMatrixInput, Experience,
    NewCareerPath, NewExperience, NewSkill, RomeOccupation, RomeQuery, Skill,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req};

impl Api {
    pub async fn experiences(self, id: Uuid) -> ApiResult<Vec<Experience>> {
        self.call(Req::new(Method::GET, format!("/bilans/{id}/experiences")))
            .await
    }

    pub async fn create_experience(self, id: Uuid, body: &NewExperience) -> ApiResult<Experience> {
        let req = Req::new(Method::POST, format!("/bilans/{id}/experiences")).json(body);
        self.call(req).await
    }

    pub async fn delete_experience(self, id: Uuid, item: Uuid) -> ApiResult<()> {
        let req = Req::new(Method::DELETE, format!("/bilans/{id}/experiences/{item}"));
        self.call_empty(req).await
    }

    pub async fn skills(self, id: Uuid) -> ApiResult<Vec<Skill>> {
        self.call(Req::new(Method::GET, format!("/bilans/{id}/skills")))
            .await
    }

    pub async fn create_skill(self, id: Uuid, body: &NewSkill) -> ApiResult<Skill> {
        let req = Req::new(Method::POST, format!("/bilans/{id}/skills")).json(body);
        self.call(req).await
    }

    pub async fn delete_skill(self, id: Uuid, item: Uuid) -> ApiResult<()> {
        let req = Req::new(Method::DELETE, format!("/bilans/{id}/skills/{item}"));
        self.call_empty(req).await
    }

    pub async fn career_paths(self, id: Uuid) -> ApiResult<Vec<CareerPath>> {
        self.call(Req::new(Method::GET, format!("/bilans/{id}/career-paths")))
            .await
    }

    pub async fn create_career_path(self, id: Uuid, body: &NewCareerPath) -> ApiResult<CareerPath> {
        let req = Req::new(Method::POST, format!("/bilans/{id}/career-paths")).json(body);
        self.call(req).await
    }

    pub async fn update_career_path(
        self,
        id: Uuid,
        item: Uuid,
        body: &NewCareerPath,
    ) -> ApiResult<CareerPath> {
        let req = Req::new(Method::PUT, format!("/bilans/{id}/career-paths/{item}")).json(body);
        self.call(req).await
    }

    pub async fn delete_career_path(self, id: Uuid, item: Uuid) -> ApiResult<()> {
        let req = Req::new(Method::DELETE, format!("/bilans/{id}/career-paths/{item}"));
        self.call_empty(req).await
    }

    pub async fn decision_matrix(self, id: Uuid) -> ApiResult<DecisionMatrix> {
        self.call(Req::new(
            Method::GET,
            format!("/bilans/{id}/decision-matrix"),
        ))
        .await
    }

    pub async fn save_decision_matrix(
        self,
        id: Uuid,
        body: &DecisionMatrixInput,
    ) -> ApiResult<DecisionMatrix> {
        let req = Req::new(Method::PUT, format!("/bilans/{id}/decision-matrix")).json(body);
        self.call(req).await
    }

    pub async fn action_plan(self, id: Uuid) -> ApiResult<ActionPlan> {
        self.call(Req::new(Method::GET, format!("/bilans/{id}/action-plan")))
            .await
    }

    pub async fn save_action_plan(self, id: Uuid, body: &ActionPlanInput) -> ApiResult<ActionPlan> {
        let req = Req::new(Method::PUT, format!("/bilans/{id}/action-plan")).json(body);
        self.call(req).await
    }

    /// ROME occupations matching `q` (title words or code), 8 at most: the combobox's options.
    pub async fn rome(self, q: &str) -> ApiResult<Page<RomeOccupation>> {
        let query = RomeQuery {
            q: Some(q.to_string()),
            page: Some(1),
            per_page: Some(8),
        };
        self.call(Req::new(Method::GET, "/rome").query(&query))
            .await
    }
}
