//! Rows of the webhook tables and their DTOs, and the checks on what an admin or a key registers.

use boussole_shared::field_rules::FieldRule;
use boussole_shared::integrations::{
    WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint, WebhookEventKind,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::events::kinds_of;
use crate::config::WebhooksConfig;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::{webhook_deliveries, webhook_endpoints, webhook_events};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_endpoints)]
pub struct EndpointRow {
    pub id: String,
    pub url: String,
    pub description: Option<String>,
    pub events: String,
    pub secret: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub consecutive_failures: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_delivery_at: Option<NaiveDateTime>,
}

impl EndpointRow {
    pub fn dto(&self) -> Result<WebhookEndpoint, ApiError> {
        Ok(WebhookEndpoint {
            id: db::uuid_of(&self.id)?,
            url: self.url.clone(),
            description: self.description.clone(),
            events: kinds_of(&self.events)?,
            enabled: self.enabled,
            disabled_reason: self.disabled_reason.clone(),
            consecutive_failures: i32::try_from(self.consecutive_failures).unwrap_or(i32::MAX),
            created_at: self.created_at.and_utc(),
            last_delivery_at: self.last_delivery_at.map(|t| t.and_utc()),
        })
    }
}

pub fn find_endpoint(conn: &mut Conn, id: &str) -> Result<EndpointRow, ApiError> {
    webhook_endpoints::table
        .find(id)
        .select(EndpointRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub status: String,
    pub attempts: String,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub replay_of: Option<String>,
}

/// A delivery with its event's kind, as the log shows it.
pub type DeliveryWithKind = (DeliveryRow, String);

pub fn find_delivery(conn: &mut Conn, id: &str) -> Result<DeliveryWithKind, ApiError> {
    webhook_deliveries::table
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::id.eq(id))
        .select((DeliveryRow::as_select(), webhook_events::kind))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

pub fn attempts_of(stored: &str) -> Result<Vec<WebhookAttempt>, ApiError> {
    serde_json::from_str(stored).map_err(ApiError::internal)
}

/// The stored status as shown: `sending` is still pending for the reader.
pub fn status_of(stored: &str) -> Result<WebhookDeliveryStatus, ApiError> {
    if stored == "sending" {
        return Ok(WebhookDeliveryStatus::Pending);
    }
    db::stored(
        WebhookDeliveryStatus::parse(stored),
        "webhook_deliveries.status",
        stored,
    )
}

pub fn delivery_dto((row, kind): DeliveryWithKind) -> Result<WebhookDelivery, ApiError> {
    let status = status_of(&row.status)?;
    Ok(WebhookDelivery {
        id: db::uuid_of(&row.id)?,
        endpoint_id: db::uuid_of(&row.endpoint_id)?,
        event_id: db::uuid_of(&row.event_id)?,
        event: db::stored(WebhookEventKind::parse(&kind), "webhook_events.kind", &kind)?,
        status,
        attempts: attempts_of(&row.attempts)?,
        next_attempt_at: row
            .next_attempt_at
            .filter(|_| status == WebhookDeliveryStatus::Pending)
            .map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
        delivered_at: row.delivered_at.map(|t| t.and_utc()),
        replay_of: row.replay_of.as_deref().map(db::uuid_of).transpose()?,
    })
}

/// The events stored as the endpoint's `events` column: each once, in a stable order.
pub fn events_column(events: &[WebhookEventKind]) -> String {
    let mut names: Vec<&str> = events.iter().map(|k| k.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    serde_json::Value::from(names).to_string()
}

/// An endpoint's URL: absolute `https://`, or `http://` on the loopback (or anywhere when the server
/// allows it), without credentials in it. A 400 naming `url` otherwise.
pub fn check_url(url: &str, cfg: &WebhooksConfig) -> Result<String, ApiError> {
    let bad = |m: &str| ApiError::field("url", FieldRule::Url, m);
    let trimmed = url.trim();
    let parsed = reqwest::Url::parse(trimmed).map_err(|_| bad("adresse invalide"))?;
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return Err(bad("l'adresse doit nommer un serveur"));
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "pas d'identifiants dans l'adresse : la signature authentifie les envois",
        ));
    }
    match parsed.scheme() {
        "https" => {}
        "http" if cfg.allow_http || matches!(host, "localhost" | "127.0.0.1" | "[::1]") => {}
        "http" => {
            return Err(bad(
                "https:// obligatoire (http:// seulement pour localhost)",
            ));
        }
        _ => return Err(bad("l'adresse doit commencer par https://")),
    }
    Ok(trimmed.to_string())
}

/// A description as kept: trimmed, absent when empty.
pub fn description(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(allow_http: bool) -> WebhooksConfig {
        WebhooksConfig {
            interval_ms: 1000,
            retry_secs: 60,
            max_attempts: 8,
            disable_after: 5,
            timeout_secs: 10,
            allow_http,
        }
    }

    #[test]
    fn urls_must_be_https_except_on_the_loopback() {
        let strict = cfg(false);
        assert!(check_url("https://crm.example.org/hooks?x=1", &strict).is_ok());
        assert!(check_url("http://127.0.0.1:8080/h", &strict).is_ok());
        assert!(check_url("http://localhost/h", &strict).is_ok());
        assert!(check_url("http://[::1]:9/h", &strict).is_ok());
        assert!(check_url("http://crm.example.org/h", &strict).is_err());
        assert!(check_url("http://crm.example.org/h", &cfg(true)).is_ok());
        for bad in [
            "",
            "crm.example.org",
            "ftp://crm.example.org",
            "javascript:alert(1)",
            "https://user:pw@crm.example.org",
            "file:///etc/passwd",
            "https://",
        ] {
            assert!(check_url(bad, &strict).is_err(), "{bad}");
        }
    }

    #[test]
    fn events_are_kept_once_and_sorted() {
        use WebhookEventKind as K;
        let column = events_column(&[K::InvoiceIssued, K::BilanCreated, K::InvoiceIssued]);
        assert_eq!(column, r#"["bilan.created","invoice.issued"]"#);
        assert_eq!(
            kinds_of(&column).ok(),
            Some(vec![K::BilanCreated, K::InvoiceIssued])
        );
    }
}
