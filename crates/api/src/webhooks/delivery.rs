//! The delivery job: POSTs each due delivery, signed, and records every attempt.
//!
//! Sent once: a delivery is claimed (`pending → sending`) by a conditional update before it is sent,
//! so two processes never send it twice; one left `sending` by a process that stopped mid-send is
//! marked failed (its fate is unknown) rather than sent again: an admin may replay it. A 2xx answer
//! delivers it; anything else is retried after 1, 5, 30, 120, then 360 times `retry_secs` (1 min,
//! 5 min, 30 min, 2 h, 6 h…) until `max_attempts`, then given up. `disable_after` deliveries given up
//! in a row disable the endpoint and every admin is told by email; a delivery that succeeds resets
//! the count.

use std::sync::Arc;
use std::time::{Duration, Instant};

use boussole_shared::integrations::WebhookAttempt;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::sign;
use super::store::attempts_of;
use crate::clock::Clock;
use crate::config::{Config, WebhooksConfig};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::notify::outbox;
use crate::schema::{webhook_deliveries as d, webhook_endpoints as e, webhook_events as ev};

/// A `sending` delivery claimed longer ago than this was interrupted (a POST times out well before).
const STALE_SENDING_SECS: i64 = 180;
/// Deliveries claimed by one run at most.
const BATCH: i64 = 50;
const INTERRUPTED: &str = "Interrompu pendant l'envoi (arrêt du serveur) : non renvoyé automatiquement \
     pour ne pas l'envoyer deux fois ; rejouez-le au besoin.";

/// What the job needs: the database, an HTTP client, the settings, the master key (to open secrets)
/// and the clock (tests move it forward instead of waiting for a retry).
#[derive(Clone)]
pub struct Deliverer {
    pub pool: db::Pool,
    pub http: reqwest::Client,
    pub config: Arc<Config>,
}

impl Deliverer {
    pub fn new(pool: db::Pool, config: Arc<Config>) -> Result<Deliverer, ApiError> {
        let cfg = &config.webhooks;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(cfg.timeout_secs))
            .connect_timeout(Duration::from_secs(cfg.timeout_secs.min(5)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Boussole-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(ApiError::internal)?;
        Ok(Deliverer { pool, http, config })
    }

    fn cfg(&self) -> &WebhooksConfig {
        &self.config.webhooks
    }

    fn clock(&self) -> &Clock {
        &self.config.clock
    }
}

/// Delay before attempt `attempts + 1`.
pub fn backoff(unit_secs: i64, attempts: i64) -> chrono::Duration {
    const STEPS: [i64; 5] = [1, 5, 30, 120, 360];
    let step = STEPS[usize::try_from(attempts.clamp(1, 5) - 1).unwrap_or(4)];
    chrono::Duration::seconds(unit_secs.saturating_mul(step))
}

/// One claimed delivery, with what sending it takes.
struct Claimed {
    id: String,
    event_id: String,
    kind: String,
    payload: String,
    endpoint_id: String,
    url: String,
    secret: String,
}

/// Marks the interrupted sends failed, with an attempt that says so.
fn fail_interrupted(conn: &mut Conn, now: NaiveDateTime) -> Result<usize, ApiError> {
    let stale: Vec<(String, String, Option<NaiveDateTime>)> = d::table
        .filter(d::status.eq("sending"))
        .filter(d::claimed_at.lt(now - chrono::Duration::seconds(STALE_SENDING_SECS)))
        .select((d::id, d::attempts, d::claimed_at))
        .load(conn)?;
    let mut failed = 0;
    for (id, attempts, claimed_at) in stale {
        let mut attempts = attempts_of(&attempts)?;
        attempts.push(WebhookAttempt {
            at: claimed_at.unwrap_or(now).and_utc(),
            status_code: None,
            error: Some(INTERRUPTED.into()),
            duration_ms: 0,
        });
        failed += diesel::update(
            d::table
                .filter(d::id.eq(&id))
                .filter(d::status.eq("sending")),
        )
        .set((
            d::status.eq("failed"),
            d::attempts.eq(serde_json::to_string(&attempts).map_err(ApiError::internal)?),
            d::attempt_count.eq(d::attempt_count + 1),
            d::next_attempt_at.eq(None::<NaiveDateTime>),
            d::claimed_at.eq(None::<NaiveDateTime>),
            d::updated_at.eq(now),
        ))
        .execute(conn)?;
    }
    Ok(failed)
}

/// Claims one due delivery; `None` when another process got it first.
fn claim(conn: &mut Conn, id: &str, now: NaiveDateTime) -> Result<Option<Claimed>, ApiError> {
    let n = diesel::update(
        d::table
            .filter(d::id.eq(id))
            .filter(d::status.eq("pending"))
            .filter(d::next_attempt_at.le(now)),
    )
    .set((
        d::status.eq("sending"),
        d::claimed_at.eq(Some(now)),
        d::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    let row: (String, String, String, String, String, String, String) = d::table
        .inner_join(ev::table)
        .inner_join(e::table)
        .filter(d::id.eq(id))
        .select((
            d::id,
            ev::id,
            ev::kind,
            ev::payload,
            e::id,
            e::url,
            e::secret,
        ))
        .first(conn)?;
    let (id, event_id, kind, payload, endpoint_id, url, secret) = row;
    Ok(Some(Claimed {
        id,
        event_id,
        kind,
        payload,
        endpoint_id,
        url,
        secret,
    }))
}

/// POSTs the delivery; the attempt as logged, and whether the endpoint took it.
async fn send(job: &Deliverer, c: &Claimed) -> (WebhookAttempt, bool) {
    let at = job.clock().utc_now().and_utc();
    let started = Instant::now();
    let result = match sign::open(&job.config.master_key, &c.endpoint_id, &c.secret) {
        Err(e) => Err(format!("Secret illisible : {e}")),
        Ok(secret) => {
            let signature = sign::signature(&secret, at.timestamp(), &c.payload);
            job.http
                .post(&c.url)
                .header("Content-Type", "application/json")
                .header(sign::HEADER, signature)
                .header("Boussole-Event-Id", &c.event_id)
                .header("Boussole-Event-Type", &c.kind)
                .header("Boussole-Delivery-Id", &c.id)
                .body(c.payload.clone())
                .send()
                .await
                .map_err(|e| describe(&e.without_url(), job.cfg().timeout_secs))
        }
    };
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match result {
        Ok(res) => {
            let code = res.status();
            (
                WebhookAttempt {
                    at,
                    status_code: Some(i32::from(code.as_u16())),
                    error: None,
                    duration_ms,
                },
                code.is_success(),
            )
        }
        Err(error) => (
            WebhookAttempt {
                at,
                status_code: None,
                error: Some(error),
                duration_ms,
            },
            false,
        ),
    }
}

/// A failed request in a few words, without its URL (it may carry the receiver's token).
fn describe(e: &reqwest::Error, timeout_secs: u64) -> String {
    if e.is_timeout() {
        format!("Pas de réponse en {timeout_secs} s")
    } else if e.is_connect() {
        "Connexion impossible".into()
    } else {
        let text = e.to_string();
        format!(
            "Échec de l'envoi : {}",
            text.chars().take(300).collect::<String>()
        )
    }
}

/// Writes the attempt's outcome: delivered, retried later, or given up (and maybe the endpoint
/// disabled, the admins told).
fn record(
    conn: &mut Conn,
    cfg: &WebhooksConfig,
    c: &Claimed,
    attempt: WebhookAttempt,
    ok: bool,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let (attempts, count): (String, i64) = d::table
        .find(&c.id)
        .select((d::attempts, d::attempt_count))
        .first(conn)?;
    let mut attempts = attempts_of(&attempts)?;
    attempts.push(attempt);
    let attempts = serde_json::to_string(&attempts).map_err(ApiError::internal)?;
    let count = count + 1;
    let target = d::table
        .filter(d::id.eq(&c.id))
        .filter(d::status.eq("sending"));
    if ok {
        diesel::update(target)
            .set((
                d::status.eq("delivered"),
                d::attempts.eq(attempts),
                d::attempt_count.eq(count),
                d::next_attempt_at.eq(None::<NaiveDateTime>),
                d::claimed_at.eq(None::<NaiveDateTime>),
                d::delivered_at.eq(Some(now)),
                d::updated_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(e::table.find(&c.endpoint_id))
            .set((
                e::consecutive_failures.eq(0i64),
                e::last_delivery_at.eq(Some(now)),
            ))
            .execute(conn)?;
        return Ok(());
    }
    let give_up = count >= cfg.max_attempts;
    let next = (!give_up).then(|| now + backoff(cfg.retry_secs, count));
    diesel::update(target)
        .set((
            d::status.eq(if give_up { "failed" } else { "pending" }),
            d::attempts.eq(attempts),
            d::attempt_count.eq(count),
            d::next_attempt_at.eq(next),
            d::claimed_at.eq(None::<NaiveDateTime>),
            d::updated_at.eq(now),
        ))
        .execute(conn)?;
    if give_up {
        given_up(conn, cfg, &c.endpoint_id, now)?;
    }
    Ok(())
}

/// One more delivery given up on the endpoint; at `disable_after` in a row it is disabled and every
/// active admin gets an email (the endpoint's description, host and id; never its secret).
fn given_up(
    conn: &mut Conn,
    cfg: &WebhooksConfig,
    endpoint: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::update(e::table.find(endpoint))
        .set(e::consecutive_failures.eq(e::consecutive_failures + 1))
        .execute(conn)?;
    let (failures, url, description): (i64, String, Option<String>) = e::table
        .find(endpoint)
        .select((e::consecutive_failures, e::url, e::description))
        .first(conn)?;
    if failures < cfg.disable_after {
        return Ok(());
    }
    let reason = format!(
        "Désactivé automatiquement le {} (UTC) après {failures} livraisons échouées de suite.",
        now.format("%d/%m/%Y à %H:%M")
    );
    let disabled = diesel::update(e::table.find(endpoint).filter(e::enabled.eq(true)))
        .set((
            e::enabled.eq(false),
            e::disabled_reason.eq(Some(reason.clone())),
            e::updated_at.eq(now),
        ))
        .execute(conn)?;
    if disabled == 0 {
        return Ok(());
    }
    let details = serde_json::json!({ "consecutive_failures": failures });
    journal::record(
        conn,
        &Actor::system(),
        "webhook.auto_disable",
        "webhook_endpoint",
        Some(endpoint),
        details,
    )?;
    let host = reqwest::Url::parse(&url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let name = description.unwrap_or_else(|| host.clone());
    let subject = format!("Boussole : webhook « {name} » désactivé");
    let body = format!(
        "Bonjour,\n\nLe point de réception de webhooks « {name} » (serveur {host}, identifiant \
         {endpoint}) ne répond plus correctement : {failures} livraisons ont échoué de suite \
         malgré les nouvelles tentatives. Il a été désactivé et ne reçoit plus d'événements.\n\n\
         Consultez son journal des livraisons dans Administration > Intégrations, corrigez le \
         serveur, puis réactivez-le ; les livraisons échouées peuvent être rejouées.\n"
    );
    outbox::email_admins(conn, "webhook_disabled", &subject, &body)?;
    Ok(())
}

/// Sends what is due; returns how many deliveries were delivered.
pub async fn process_due(job: &Deliverer) -> Result<usize, ApiError> {
    let now = job.clock().utc_now();
    let due: Vec<String> = db::run(&job.pool, move |conn| {
        let interrupted = fail_interrupted(conn, now)?;
        if interrupted > 0 {
            tracing::warn!(
                interrupted,
                "webhook deliveries interrupted mid-send marked failed"
            );
        }
        Ok(d::table
            .inner_join(e::table)
            .filter(d::status.eq("pending"))
            .filter(d::next_attempt_at.le(now))
            .filter(e::enabled.eq(true))
            .order(d::next_attempt_at.asc())
            .limit(BATCH)
            .select(d::id)
            .load(conn)?)
    })
    .await?;
    let mut claimed = Vec::new();
    for id in due {
        if let Some(c) = db::run(&job.pool, move |conn| claim(conn, &id, now)).await? {
            claimed.push(c);
        }
    }
    // Sent side by side: one slow endpoint does not hold up the others.
    let sends = claimed.into_iter().map(|c| {
        let job = job.clone();
        actix_web::rt::spawn(async move {
            let (attempt, ok) = send(&job, &c).await;
            let (cfg, at) = (job.cfg().clone(), job.clock().utc_now());
            let written = db::tx(&job.pool, move |conn| {
                record(conn, &cfg, &c, attempt.clone(), ok, at)
            })
            .await;
            if let Err(e) = &written {
                tracing::error!(error = ?e, "webhook attempt not recorded");
            }
            written.is_ok() && ok
        })
    });
    let handles: Vec<_> = sends.collect();
    let mut delivered = 0;
    for h in handles {
        delivered += usize::from(h.await.unwrap_or(false));
    }
    Ok(delivered)
}

/// Runs the delivery job on the server's runtime until it stops.
pub fn spawn(job: Deliverer) {
    use tracing::Instrument;
    actix_web::rt::spawn(
        async move {
            let mut tick =
                actix_web::rt::time::interval(Duration::from_millis(job.cfg().interval_ms));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = process_due(&job).await {
                    tracing::error!(error = ?e, "webhook deliveries run failed");
                }
            }
        }
        .instrument(tracing::info_span!("job", name = "webhooks")),
    );
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_follows_the_schedule_then_stays_at_six_hours() {
        let mins = |n| backoff(60, n).num_minutes();
        assert_eq!(
            [mins(1), mins(2), mins(3), mins(4), mins(5), mins(9)],
            [1, 5, 30, 120, 360, 360]
        );
    }
}
