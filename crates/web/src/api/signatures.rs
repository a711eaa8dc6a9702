//! The signer's side of electronic signature (issue 12): no account, the link's token is the credential.

use boussole_shared::signatures::{CodeChannel, CodeRequest, SignDocument, SigningView};
use gloo_net::http::Method;

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
