//! The signer's side of electronic signature (issue 12): no account, the link's token is the credential.

use boussole_shared::signatures::{
    CodeChannel, CodeRequest, NewSignatureRequest, SignDocument, SignatureRequest, SigningView,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req};

impl Api {
    pub async fn signing_view(self, token: String) -> ApiResult<SigningView> {
        self.call(Req::new(Method::GET, format!("/sign/{token}")))
            .await
    }

    pub async fn signing_code(self, token: String, channel: CodeChannel) -> ApiResult<SigningView> {
        let body = CodeRequest { channel };
        self.call(Req::new(Method::POST, format!("/sign/{token}/code")).json(&body))
            .await
    }

    pub async fn sign_document(
        self,
        token: String,
        code: String,
        accept: bool,
    ) -> ApiResult<SigningView> {
        let body = SignDocument { code, accept };
        self.call(Req::new(Method::POST, format!("/sign/{token}")).json(&body))
            .await
    }
}

/// The organisation's side: ask, follow, remind, cancel, download the signed original.
impl Api {
    pub async fn signature_requests(self, document: Uuid) -> ApiResult<Vec<SignatureRequest>> {
        self.call(Req::new(
            Method::GET,
            format!("/documents/{document}/signature-requests"),
        ))
        .await
    }

    pub async fn request_signatures(
        self,
        document: Uuid,
        body: NewSignatureRequest,
    ) -> ApiResult<SignatureRequest> {
        let req = Req::new(
            Method::POST,
            format!("/documents/{document}/signature-requests"),
        )
        .json(&body);
        self.call(req).await
    }

    /// `remind` or `cancel` a request.
    pub async fn signature_action(
        self,
        request: Uuid,
        verb: &'static str,
    ) -> ApiResult<SignatureRequest> {
        self.call(Req::new(
            Method::POST,
            format!("/signature-requests/{request}/{verb}"),
        ))
        .await
    }

    /// The signed original's bytes (the document and its evidence page).
    pub async fn signed_pdf(self, request: Uuid) -> ApiResult<super::money::Download> {
        self.download(Req::new(
            Method::GET,
            format!("/signature-requests/{request}/pdf"),
        ))
        .await
    }
}
