//! Beneficiary records: one method per endpoint.

use boussole_shared::{
    Page,
    bilans::{BeneficiaryFilter, BeneficiaryProfile, BeneficiaryProfileUpdate},
};
use gloo_net::http::Method;
use uuid::Uuid;

use super::{Api, ApiResult, Req};

impl Api {
    /// Admins get every beneficiary, consultants those of their bilans (without accessibility needs).
    pub async fn beneficiaries(
        self,
        page: i64,
        per_page: i64,
        q: Option<String>,
    ) -> ApiResult<Page<BeneficiaryProfile>> {
        let f = BeneficiaryFilter {
            q: q.filter(|q| !q.trim().is_empty()),
            external_ref: None,
        };
        let req = Req::new(Method::GET, "/beneficiaries")
            .page(page, per_page)
            .query(&f);
        self.call(req).await
    }

    pub async fn beneficiary(self, id: Uuid) -> ApiResult<BeneficiaryProfile> {
        self.call(Req::new(Method::GET, format!("/beneficiaries/{id}")))
            .await
    }

    /// The whole record (PUT): the beneficiary, or an admin for the administrative fields.
    pub async fn update_beneficiary(
        self,
        id: Uuid,
        body: &BeneficiaryProfileUpdate,
    ) -> ApiResult<BeneficiaryProfile> {
        self.call(Req::new(Method::PUT, format!("/beneficiaries/{id}")).json(body))
            .await
    }
}
