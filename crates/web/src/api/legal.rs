//! Document templates, retention rules and destruction records (admins), and the beneficiary's
//! acknowledgement of the règlement intérieur (issue 12): one method per endpoint.

use boussole_shared::Page;
use boussole_shared::bilans::Fact;
use boussole_shared::documents::DocumentKind;
use boussole_shared::retention::{
    DestructionRun, DestructionRunDetail, RetentionClass, RetentionRule, RetentionRuleUpdate,
};
use boussole_shared::templates::{DocumentTemplate, TemplateUpdate};
use gloo_net::http::Method;
use uuid::Uuid;

use super::money::Download;
use super::{Api, ApiResult, Req};

impl Api {
    pub async fn templates(self) -> ApiResult<Vec<DocumentTemplate>> {
        self.call(Req::new(Method::GET, "/templates")).await
    }

    pub async fn template(self, kind: DocumentKind) -> ApiResult<DocumentTemplate> {
        self.call(Req::new(
            Method::GET,
            format!("/templates/{}", kind.as_str()),
        ))
        .await
    }

    pub async fn template_versions(self, kind: DocumentKind) -> ApiResult<Vec<DocumentTemplate>> {
        let path = format!("/templates/{}/versions", kind.as_str());
        self.call(Req::new(Method::GET, path)).await
    }

    pub async fn put_template(
        self,
        kind: DocumentKind,
        body: &TemplateUpdate,
    ) -> ApiResult<DocumentTemplate> {
        let path = format!("/templates/{}", kind.as_str());
        self.call(Req::new(Method::PUT, path).json(body)).await
    }

    pub async fn retention_rules(self) -> ApiResult<Vec<RetentionRule>> {
        self.call(Req::new(Method::GET, "/retention-rules")).await
    }

    pub async fn put_retention_rule(
        self,
        class: RetentionClass,
        body: &RetentionRuleUpdate,
    ) -> ApiResult<RetentionRule> {
        let path = format!("/retention-rules/{}", class.as_str());
        self.call(Req::new(Method::PUT, path).json(body)).await
    }

    pub async fn destruction_runs(
        self,
        page: i64,
        per_page: i64,
    ) -> ApiResult<Page<DestructionRun>> {
        self.call(Req::new(Method::GET, "/destruction-runs").page(page, per_page))
            .await
    }

    /// "Run now": the destruction job with the server's clock, recorded even when nothing was due.
    pub async fn run_destruction(self) -> ApiResult<DestructionRunDetail> {
        self.call(Req::new(Method::POST, "/destruction-runs")).await
    }

    /// The procès-verbal de destruction, under the name the server gives it.
    pub async fn destruction_pdf(self, id: Uuid) -> ApiResult<Download> {
        self.download(Req::new(Method::GET, format!("/destruction-runs/{id}/pdf")))
            .await
    }

    /// The beneficiary has read the règlement intérieur: the dated fact (the same one when it was
    /// already recorded).
    pub async fn acknowledge_reglement(self, bilan: Uuid) -> ApiResult<Fact> {
        let path = format!("/bilans/{bilan}/reglement-interieur/acknowledgement");
        self.call(Req::new(Method::POST, path)).await
    }
}
