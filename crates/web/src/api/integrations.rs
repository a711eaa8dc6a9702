//! Issue 15 from the office's side: a beneficiary created by an admin, CSV imports (and, below, the
//! webhooks). One method per endpoint.

use boussole_shared::{
    Page, Problem,
    bilans::{BeneficiaryProfile, NewBeneficiary},
    imports::{ImportKind, ImportLineError, ImportQuery, ImportReport},
    integrations::{
        NewWebhookEndpoint, UpdateWebhookEndpoint, WebhookDelivery, WebhookDeliveryFilter,
        WebhookEndpoint, WebhookSecret,
    },
};
use gloo_net::http::Method;
use serde::Deserialize;
use uuid::Uuid;

use super::{Api, ApiError, ApiResult, Req, from_value, money::Download};

/// What creating a beneficiary did.
#[derive(Clone)]
pub enum Created {
    /// The new record (the invitation is on its way).
    New(Box<BeneficiaryProfile>),
    /// The address (or the CRM id) is already a beneficiary's: their id, when the API gives it.
    Exists(Option<Uuid>),
}

/// The members of a 409 `already-exists` and a 422 `import-invalid` beyond the problem's own.
#[derive(Deserialize)]
struct Extra {
    #[serde(default)]
    existing_id: Option<Uuid>,
    #[serde(default)]
    errors: Option<Vec<ImportLineError>>,
}

/// A problem document read from its JSON; a problem whose `errors` are import lines, not fields,
/// keeps its other members.
fn problem(status: u16, value: serde_json::Value) -> ApiError {
    let mut v = value;
    if let Some(o) = v
        .as_object_mut()
        .filter(|o| o.get("errors").is_some_and(serde_json::Value::is_array))
    {
        o.remove("errors");
    }
    from_value::<Problem>(v)
        .map(ApiError::Problem)
        .unwrap_or(ApiError::Unexpected(status))
}

impl Api {
    /// `POST /beneficiaries`: a 409 `already-exists` is an answer, not a failure.
    pub async fn create_beneficiary(self, body: &NewBeneficiary) -> ApiResult<Created> {
        let (status, value) = self
            .send_value(Req::new(Method::POST, "/beneficiaries").json(body))
            .await?;
        match status {
            200..=299 => from_value(value)
                .map(|p| Created::New(Box::new(p)))
                .ok_or(ApiError::Unexpected(status)),
            409 if value["type"]
                .as_str()
                .is_some_and(|k| k.ends_with("already-exists")) =>
            {
                let extra: Option<Extra> = from_value(value);
                Ok(Created::Exists(extra.and_then(|e| e.existing_id)))
            }
            _ => Err(problem(status, value)),
        }
    }

    /// `POST /imports/{kind}?dry_run=`: the report; an import refused for bad lines (422) comes back
    /// as the report of those lines, nothing created.
    pub async fn import(
        self,
        kind: ImportKind,
        csv: String,
        dry_run: bool,
    ) -> ApiResult<ImportReport> {
        let req = Req::new(Method::POST, format!("/imports/{}", kind.as_str()))
            .query(&ImportQuery {
                dry_run: Some(dry_run),
            })
            .csv(csv);
        let (status, value) = self.send_value(req).await?;
        if (200..300).contains(&status) {
            return from_value(value).ok_or(ApiError::Unexpected(status));
        }
        match from_value::<Extra>(value.clone()).and_then(|e| e.errors) {
            Some(errors) if status == 422 && !errors.is_empty() => Ok(ImportReport {
                dry_run: true,
                lines: 0,
                valid: 0,
                errors,
                created: Vec::new(),
            }),
            _ => Err(problem(status, value)),
        }
    }

    /// The CSV template of an import: the header row and one example line.
    pub async fn import_template(self, kind: ImportKind) -> ApiResult<Download> {
        self.download(Req::new(
            Method::GET,
            format!("/imports/{}/template", kind.as_str()),
        ))
        .await
    }

    // ---- webhooks ----

    pub async fn webhooks(self) -> ApiResult<Vec<WebhookEndpoint>> {
        self.call(Req::new(Method::GET, "/webhooks")).await
    }

    pub async fn webhook(self, id: Uuid) -> ApiResult<WebhookEndpoint> {
        self.call(Req::new(Method::GET, format!("/webhooks/{id}")))
            .await
    }

    pub async fn create_webhook(self, body: &NewWebhookEndpoint) -> ApiResult<WebhookSecret> {
        self.call(Req::new(Method::POST, "/webhooks").json(body))
            .await
    }

    pub async fn update_webhook(
        self,
        id: Uuid,
        body: &UpdateWebhookEndpoint,
    ) -> ApiResult<WebhookEndpoint> {
        self.call(Req::new(Method::PUT, format!("/webhooks/{id}")).json(body))
            .await
    }

    pub async fn delete_webhook(self, id: Uuid) -> ApiResult<()> {
        self.call_empty(Req::new(Method::DELETE, format!("/webhooks/{id}")))
            .await
    }

    pub async fn rotate_webhook_secret(self, id: Uuid) -> ApiResult<WebhookSecret> {
        self.call(Req::new(Method::POST, format!("/webhooks/{id}/secret")))
            .await
    }

    pub async fn webhook_deliveries(
        self,
        id: Uuid,
        page: i64,
        per_page: i64,
    ) -> ApiResult<Page<WebhookDelivery>> {
        let f = WebhookDeliveryFilter {
            page: Some(page),
            per_page: Some(per_page),
            status: None,
        };
        self.call(Req::new(Method::GET, format!("/webhooks/{id}/deliveries")).query(&f))
            .await
    }

    pub async fn replay_delivery(self, id: Uuid) -> ApiResult<WebhookDelivery> {
        self.call(Req::new(
            Method::POST,
            format!("/webhook-deliveries/{id}/replay"),
        ))
        .await
    }
}
