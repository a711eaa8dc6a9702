//! The organisation's documents: one method per endpoint (issue 12).

use boussole_shared::documents::{DocumentKind, IssuedDocument, NewDocument};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiError, ApiResult, Req};

impl Api {
    pub async fn documents(self, bilan: Uuid) -> ApiResult<Vec<IssuedDocument>> {
        self.call(Req::new(Method::GET, format!("/bilans/{bilan}/documents")))
            .await
    }

    pub async fn issue_document(
        self,
        bilan: Uuid,
        kind: DocumentKind,
    ) -> ApiResult<IssuedDocument> {
        let req = Req::new(Method::POST, format!("/bilans/{bilan}/documents"))
            .json(&NewDocument { kind });
        self.call(req).await
    }

    /// The PDF's bytes (the request carries the session, so a plain link cannot fetch it).
    pub async fn document_pdf(self, id: Uuid) -> ApiResult<Vec<u8>> {
        let resp = self
            .execute(Req::new(Method::GET, format!("/documents/{id}/pdf")))
            .await?;
        resp.binary()
            .await
            .map_err(|_| ApiError::Unexpected(resp.status()))
    }
}
