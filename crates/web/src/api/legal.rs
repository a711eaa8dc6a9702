//! Document templates (admins) and the beneficiary's
//! acknowledgement of the règlement intérieur (issue 12): one method per endpoint.

use boussole_shared::bilans::Fact;
use boussole_shared::documents::DocumentKind;
use boussole_shared::templates::{DocumentTemplate, TemplateUpdate};
use gloo_net::http::Method;
use uuid::Uuid;

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

    /// The beneficiary has read the règlement intérieur: the dated fact (the same one when it was
    /// already recorded).
    pub async fn acknowledge_reglement(self, bilan: Uuid) -> ApiResult<Fact> {
        let path = format!("/bilans/{bilan}/reglement-interieur/acknowledgement");
        self.call(Req::new(Method::POST, path)).await
    }
}
