//! Who read my bilan (the beneficiary only): one method per endpoint.

use boussole_shared::access::{AccessEntry, AccessHistory};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req};

impl Api {
    /// The reads of the bilan's content, newest first, and who may read it now.
    pub async fn access(self, id: Uuid, page: i64, per_page: i64) -> ApiResult<AccessHistory> {
        let req = Req::new(Method::GET, format!("/bilans/{id}/access")).page(page, per_page);
        self.call(req).await
    }

    /// "I do not recognise this access": the admins are alerted (once per entry).
    pub async fn report_access(self, id: Uuid, entry: Uuid) -> ApiResult<AccessEntry> {
        let req = Req::new(Method::POST, format!("/bilans/{id}/access/{entry}/report"))
            .json(&serde_json::json!({}));
        self.call(req).await
    }
}
