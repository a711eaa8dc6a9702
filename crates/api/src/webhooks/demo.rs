//! The demo's webhook endpoint: a CRM registered for a few events, with a delivery log to look at.
//! It is disabled, so the demo server never sends anything anywhere.

use boussole_shared::integrations::{WebhookAttempt, WebhookEventKind};
use chrono::{Duration, NaiveDateTime, SecondsFormat};
use diesel::prelude::*;

use super::sign;
use super::store::{EndpointRow, events_column};
use crate::config::Config;
use crate::db::{self, Conn};
use crate::schema::{bilans, webhook_deliveries as d, webhook_endpoints, webhook_events as ev};

fn attempt(at: NaiveDateTime, status: i32, duration_ms: i64) -> WebhookAttempt {
    WebhookAttempt {
        at: at.and_utc(),
        status_code: Some(status),
        error: None,
        duration_ms,
    }
}

/// One event of the demo, delivered after `attempts`.
fn delivered(
    conn: &mut Conn,
    endpoint: &str,
    kind: WebhookEventKind,
    at: NaiveDateTime,
    data: serde_json::Value,
    attempts: &[WebhookAttempt],
) -> anyhow::Result<()> {
    let event = db::new_id();
    let payload = serde_json::json!({
        "id": event,
        "type": kind.as_str(),
        "created_at": at.and_utc().to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": data,
    });
    diesel::insert_into(ev::table)
        .values((
            ev::id.eq(&event),
            ev::kind.eq(kind.as_str()),
            ev::payload.eq(payload.to_string()),
            ev::created_at.eq(at),
        ))
        .execute(conn)?;
    let last = attempts.last().map_or(at, |a| a.at.naive_utc());
    diesel::insert_into(d::table)
        .values((
            d::id.eq(db::new_id()),
            d::endpoint_id.eq(endpoint),
            d::event_id.eq(&event),
            d::status.eq("delivered"),
            d::attempts.eq(serde_json::to_string(attempts)?),
            d::attempt_count.eq(attempts.len() as i64),
            d::created_at.eq(at),
            d::updated_at.eq(last),
            d::delivered_at.eq(Some(last)),
        ))
        .execute(conn)?;
    Ok(())
}

/// "CRM HubSpot (démo)": registered a week ago, two deliveries of the first demo bilan's events
/// (one after a retry), then disabled by hand.
pub fn seed(conn: &mut Conn, config: &Config) -> anyhow::Result<()> {
    let Some((bilan, beneficiary)): Option<(String, String)> = bilans::table
        .order(bilans::created_at.asc())
        .select((bilans::id, bilans::beneficiary_id))
        .first(conn)
        .optional()?
    else {
        return Ok(());
    };
    let now = config.clock.utc_now();
    let (id, since) = (db::new_id(), now - Duration::days(7));
    let events = [
        WebhookEventKind::BeneficiaryCreated,
        WebhookEventKind::BilanCreated,
        WebhookEventKind::BilanStatusChanged,
        WebhookEventKind::AppointmentBooked,
        WebhookEventKind::InvoiceIssued,
        WebhookEventKind::PaymentRecorded,
    ];
    let secret = sign::new_secret();
    let endpoint = EndpointRow {
        secret: sign::seal(&config.master_key, &id, &secret).map_err(|e| anyhow::anyhow!("{e}"))?,
        id: id.clone(),
        url: "https://hubspot.example.com/webhooks/boussole".into(),
        description: Some("CRM HubSpot (démo)".into()),
        events: events_column(&events),
        enabled: false,
        disabled_reason: None,
        consecutive_failures: 0,
        created_at: since,
        updated_at: now,
        last_delivery_at: Some(since + Duration::days(2) + Duration::minutes(1)),
    };
    conn.transaction(|conn| {
        diesel::insert_into(webhook_endpoints::table)
            .values(&endpoint)
            .execute(conn)?;
        let t1 = since + Duration::hours(1);
        let data = serde_json::json!({
            "bilan_id": bilan, "beneficiary_id": beneficiary, "external_ref": null,
            "from": "request", "to": "preliminary", "changed_at": t1.and_utc(), "automatic": false,
        });
        delivered(
            conn,
            &id,
            WebhookEventKind::BilanStatusChanged,
            t1,
            data.clone(),
            &[attempt(t1, 200, 142)],
        )?;
        let t2 = since + Duration::days(2);
        let retried = [
            attempt(t2, 503, 2_310),
            attempt(t2 + Duration::minutes(1), 200, 98),
        ];
        delivered(
            conn,
            &id,
            WebhookEventKind::BilanStatusChanged,
            t2,
            data,
            &retried,
        )
    })
}
