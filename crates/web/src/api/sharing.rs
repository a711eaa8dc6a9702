//! Sending the issued synthèse to the recipient of a `share` agreement (issue 12): the consultant's
//! side (send, list, cancel; the form is the synthèse page's) and the recipient's, without an
//! account (the link's token is the credential).

use boussole_shared::signatures::{CodeChannel, CodeRequest};
use boussole_shared::synthesis::{
    NewSynthesisSending, SharedDownload, SharedView, SynthesisSending,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::money::Download;
use super::{Api, ApiResult, Req};

impl Api {
    /// The sendings of the bilan's synthèse (its beneficiary and assigned consultants), newest first.
    pub async fn synthesis_sendings(self, bilan: Uuid) -> ApiResult<Vec<SynthesisSending>> {
        self.call(Req::new(
            Method::GET,
            format!("/bilans/{bilan}/synthesis/sendings"),
        ))
        .await
    }

    /// Sends the issued synthèse to the recipient of the agreement `body.consent_id`.
    pub async fn send_synthesis(
        self,
        bilan: Uuid,
        body: &NewSynthesisSending,
    ) -> ApiResult<SynthesisSending> {
        self.call(Req::new(Method::POST, format!("/bilans/{bilan}/synthesis/sendings")).json(body))
            .await
    }

    pub async fn cancel_sending(self, bilan: Uuid, sending: Uuid) -> ApiResult<SynthesisSending> {
        let path = format!("/bilans/{bilan}/synthesis/sendings/{sending}/cancel");
        self.call(Req::new(Method::POST, path)).await
    }
}

/// The recipient's side: no account, the link's token is the credential.
impl Api {
    pub async fn shared_view(self, token: String) -> ApiResult<SharedView> {
        self.call(Req::new(Method::GET, format!("/shared/{token}")))
            .await
    }

    pub async fn shared_code(self, token: String, channel: CodeChannel) -> ApiResult<SharedView> {
        let body = CodeRequest { channel };
        self.call(Req::new(Method::POST, format!("/shared/{token}/code")).json(&body))
            .await
    }

    /// The PDF, once: the link is spent after.
    pub async fn shared_download(self, token: String, code: String) -> ApiResult<Download> {
        let body = SharedDownload { code };
        self.download(Req::new(Method::POST, format!("/shared/{token}/download")).json(&body))
            .await
    }
}
