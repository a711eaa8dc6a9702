//! The document de synthèse (issue 12): one method per endpoint.

use boussole_shared::documents::IssuedDocument;
use boussole_shared::synthesis::{
    NewSynthesisComment, Synthesis, SynthesisApproval, SynthesisComment, SynthesisDraft,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req};

impl Api {
    pub async fn synthesis(self, bilan: Uuid) -> ApiResult<Synthesis> {
        self.call(Req::new(Method::GET, format!("/bilans/{bilan}/synthesis")))
            .await
    }

    pub async fn save_synthesis(self, bilan: Uuid, draft: SynthesisDraft) -> ApiResult<Synthesis> {
        let req = Req::new(Method::PUT, format!("/bilans/{bilan}/synthesis")).json(&draft);
        self.call(req).await
    }

    /// `submit` (consultant) or `approve` (beneficiary, at `revision`).
    pub async fn synthesis_step(
        self,
        bilan: Uuid,
        step: &'static str,
        revision: i64,
    ) -> ApiResult<Synthesis> {
        let req = Req::new(Method::POST, format!("/bilans/{bilan}/synthesis/{step}"))
            .json(&SynthesisApproval { revision });
        self.call(req).await
    }

    pub async fn comment_synthesis(
        self,
        bilan: Uuid,
        body: NewSynthesisComment,
    ) -> ApiResult<SynthesisComment> {
        let req = Req::new(Method::POST, format!("/bilans/{bilan}/synthesis/comments")).json(&body);
        self.call(req).await
    }

    pub async fn issue_synthesis(self, bilan: Uuid) -> ApiResult<IssuedDocument> {
        self.call(Req::new(
            Method::POST,
            format!("/bilans/{bilan}/synthesis/issue"),
        ))
        .await
    }
}
