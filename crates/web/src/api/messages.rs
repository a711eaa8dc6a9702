//! Conversations: one method per endpoint (the live stream is `crate::live`).

use boussole_shared::Page;
use boussole_shared::bilans::BilanFile;
use boussole_shared::messages::{
    ConversationList, EditMessage, Message, NewMessage, ReadReceipt, UnreadCounts,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req, money::Download, upload::Progress};

impl Api {
    pub async fn conversations(self) -> ApiResult<ConversationList> {
        self.call(Req::new(Method::GET, "/conversations")).await
    }

    /// Newest first.
    pub async fn messages(self, id: Uuid, page: i64, per_page: i64) -> ApiResult<Page<Message>> {
        let req =
            Req::new(Method::GET, format!("/conversations/{id}/messages")).page(page, per_page);
        self.call(req).await
    }

    pub async fn send_message(self, id: Uuid, body: &NewMessage) -> ApiResult<Message> {
        let req = Req::new(Method::POST, format!("/conversations/{id}/messages")).json(body);
        self.call(req).await
    }

    pub async fn mark_read(self, id: Uuid, up_to: Uuid) -> ApiResult<UnreadCounts> {
        let req = Req::new(Method::POST, format!("/conversations/{id}/read"))
            .json(&ReadReceipt { up_to });
        self.call(req).await
    }

    pub async fn edit_message(self, id: Uuid, body: String) -> ApiResult<Message> {
        let req = Req::new(Method::PATCH, format!("/messages/{id}")).json(&EditMessage { body });
        self.call(req).await
    }

    pub async fn withdraw_message(self, id: Uuid) -> ApiResult<Message> {
        self.call(Req::new(Method::POST, format!("/messages/{id}/withdraw")))
            .await
    }

    /// The access token for the live stream, refreshed first when there is none yet.
    pub fn access_token(self) -> Option<String> {
        self.token()
    }

    // ---- a bilan's files (the attachments of its thread) ----

    pub async fn bilan_files(self, bilan: Uuid) -> ApiResult<Vec<BilanFile>> {
        self.call(Req::new(Method::GET, format!("/bilans/{bilan}/files")))
            .await
    }

    /// Uploads `file` to the bilan's documents, with its progress.
    pub async fn upload_bilan_file(
        self,
        bilan: Uuid,
        file: &web_sys::File,
        progress: Progress,
    ) -> ApiResult<BilanFile> {
        let req = Req::new(Method::POST, format!("/bilans/{bilan}/files"));
        self.upload(req, file, progress).await
    }

    /// A bilan file's bytes (the request carries the session, so a plain link cannot fetch it).
    pub async fn bilan_file(self, bilan: Uuid, file: Uuid) -> ApiResult<Download> {
        self.download(Req::new(
            Method::GET,
            format!("/bilans/{bilan}/files/{file}"),
        ))
        .await
    }
}
