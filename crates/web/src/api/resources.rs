//! The resource library and direct threads between colleagues: one method per endpoint.

use boussole_shared::Page;
use boussole_shared::bilans::PersonRef;
use boussole_shared::messages::{ConversationSummary, NewDirectConversation};
use boussole_shared::resources::{
    NewResource, Resource, ResourceAccess, ResourceAccessFilter, ResourceFilter, ResourceOpened,
    ResourceShare, ResourceShares, UpdateResource,
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req, money::Download, upload::Progress};

impl Api {
    /// `f` carries its page.
    pub async fn resources(self, f: &ResourceFilter) -> ApiResult<Page<Resource>> {
        self.call(Req::new(Method::GET, "/resources").query(f))
            .await
    }

    pub async fn create_resource(self, body: &NewResource) -> ApiResult<Resource> {
        self.call(Req::new(Method::POST, "/resources").json(body))
            .await
    }

    pub async fn update_resource(self, id: Uuid, body: &UpdateResource) -> ApiResult<Resource> {
        self.call(Req::new(Method::PATCH, format!("/resources/{id}")).json(body))
            .await
    }

    /// Archives it (beneficiaries no longer see it; its accesses stay).
    pub async fn archive_resource(self, id: Uuid) -> ApiResult<()> {
        self.call_empty(Req::new(Method::DELETE, format!("/resources/{id}")))
            .await
    }

    /// Puts the file of a file resource, with its progress.
    pub async fn upload_resource_file(
        self,
        id: Uuid,
        file: &web_sys::File,
        progress: Progress,
    ) -> ApiResult<Resource> {
        let req = Req::new(Method::PUT, format!("/resources/{id}/file"));
        self.upload(req, file, progress).await
    }

    /// A file resource's bytes (logged as an access for a beneficiary).
    pub async fn resource_file(self, id: Uuid) -> ApiResult<Download> {
        self.download(Req::new(Method::GET, format!("/resources/{id}/file")))
            .await
    }

    /// Logs the opening of a link resource and answers its address.
    pub async fn open_resource(self, id: Uuid) -> ApiResult<ResourceOpened> {
        self.call(Req::new(Method::POST, format!("/resources/{id}/open")))
            .await
    }

    pub async fn resource_shares(self, id: Uuid) -> ApiResult<Vec<ResourceShare>> {
        self.call(Req::new(Method::GET, format!("/resources/{id}/shares")))
            .await
    }

    pub async fn share_resource(
        self,
        id: Uuid,
        body: &ResourceShares,
    ) -> ApiResult<Vec<ResourceShare>> {
        self.call(Req::new(Method::POST, format!("/resources/{id}/shares")).json(body))
            .await
    }

    pub async fn unshare_resource(self, id: Uuid, beneficiary: Uuid) -> ApiResult<()> {
        self.call_empty(Req::new(
            Method::DELETE,
            format!("/resources/{id}/shares/{beneficiary}"),
        ))
        .await
    }

    /// Newest first.
    pub async fn resource_accesses(
        self,
        page: i64,
        per_page: i64,
    ) -> ApiResult<Page<ResourceAccess>> {
        let f = ResourceAccessFilter {
            page: Some(page),
            per_page: Some(per_page),
            ..Default::default()
        };
        let req = Req::new(Method::GET, "/resources/accesses").query(&f);
        self.call(req).await
    }

    // ---- direct threads between colleagues ----

    /// The active admins and consultants but the caller.
    pub async fn contacts(self) -> ApiResult<Vec<PersonRef>> {
        self.call(Req::new(Method::GET, "/conversations/contacts"))
            .await
    }

    /// The thread with `with`, created the first time.
    pub async fn direct_conversation(self, with: Uuid) -> ApiResult<ConversationSummary> {
        let req = Req::new(Method::POST, "/conversations").json(&NewDirectConversation { with });
        self.call(req).await
    }
}
