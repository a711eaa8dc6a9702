//! The outbox: messages written in the same transaction as the change that causes them, then sent by
//! a job with retries and backoff.
//!
//! Sent once: a message is claimed (`pending → sending`) by a conditional update before it is sent,
//! so two processes never send the same one; one left `sending` by a process that stopped mid-send is
//! marked `failed` (its fate is unknown) rather than sent again, and an admin may retry it.

use boussole_shared::Slug;
use std::time::Duration;

use actix_web::{HttpRequest, get, post, web};
use boussole_shared::appointments::{OutboxFilter, OutboxMessage, OutboxStatus};
use boussole_shared::{Page, PageQuery};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::sms::SmsGateway;
use super::{Email, Mailer};
use crate::auth::caller::Admin;
use crate::config::AppointmentsConfig;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::outbox;
use crate::{AppState, journal};

/// A `sending` message older than this was interrupted (sends time out well before).
const STALE_SENDING_MINUTES: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub channel: Channel,
    pub recipient: String,
    pub kind: &'static str,
    pub subject: String,
    pub body: String,
    pub ics: Option<String>,
    pub appointment_id: Option<String>,
    pub not_before: NaiveDateTime,
}

pub fn enqueue(conn: &mut Conn, m: &Outgoing) -> QueryResult<()> {
    insert(conn, m).map(|_| ())
}

/// What a queued message shows where its secret part goes, until the moment it is sent.
pub const MASKED: &str = "[lien personnel masqué]";
const SECRET_PURPOSE: &str = "outbox-secret";

/// Queues an email whose `secret` (a personal link: verification, reset, invitation) only its
/// recipient may see: the stored body has [`MASKED`] in its place and the secret is sealed under a key
/// derived from the master key, bound to the row; the job puts it back when it sends, then wipes it.
/// Written in the caller's transaction like every outbox message.
pub fn enqueue_email(
    conn: &mut Conn,
    master: &[u8; 32],
    kind: &'static str,
    email: &Email,
    secret: Option<&str>,
) -> Result<(), ApiError> {
    let message = Outgoing {
        channel: Channel::Email,
        recipient: email.to.clone(),
        kind,
        subject: email.subject.clone(),
        body: email.text.clone(),
        ics: email.ics.clone(),
        appointment_id: None,
        not_before: db::now(),
    };
    enqueue_sealed(conn, master, message, secret, MASKED)
}

/// Queues `message` (email or SMS) with its `secret` part (a link, a one-time code) replaced by
/// `mask` in the stored body and sealed apart, as [`enqueue_email`] does.
pub fn enqueue_sealed(
    conn: &mut Conn,
    master: &[u8; 32],
    mut message: Outgoing,
    secret: Option<&str>,
    mask: &str,
) -> Result<(), ApiError> {
    let kind = message.kind;
    match secret {
        Some(secret) if !secret.is_empty() && message.body.contains(secret) => {
            message.body = message.body.replace(secret, mask);
        }
        Some(_) => {
            return Err(ApiError::internal(format!(
                "the {kind} message does not contain its secret part"
            )));
        }
        None => {}
    }
    let id = insert(conn, &message)?;
    if let Some(secret) = secret {
        let sealed = crate::crypto::seal_secret(master, SECRET_PURPOSE, &id, secret.as_bytes())?;
        diesel::update(outbox::table.find(&id))
            .set(outbox::secret.eq(sealed))
            .execute(conn)?;
    }
    Ok(())
}

/// What a queued message shows in place of a one-time code until it is sent.
pub const MASKED_CODE: &str = "[code personnel masqué]";

/// The body to send: the stored one, with its secret part put back when it has one.
fn unmasked(
    master: &[u8; 32],
    id: &str,
    body: String,
    secret: Option<&[u8]>,
) -> anyhow::Result<String> {
    let Some(sealed) = secret else {
        return Ok(body);
    };
    let secret = crate::crypto::open_secret(master, SECRET_PURPOSE, id, sealed)
        .map_err(|e| anyhow::anyhow!("the secret part does not open: {e:?}"))?;
    let secret = std::str::from_utf8(&secret)?;
    Ok(body.replace(MASKED, secret).replace(MASKED_CODE, secret))
}

fn insert(conn: &mut Conn, m: &Outgoing) -> QueryResult<String> {
    let now = db::now();
    let id = db::new_id();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::channel.eq(match m.channel {
                Channel::Email => "email",
                Channel::Sms => "sms",
            }),
            outbox::recipient.eq(&m.recipient),
            outbox::kind.eq(m.kind),
            outbox::subject.eq(&m.subject),
            outbox::body.eq(&m.body),
            outbox::ics.eq(&m.ics),
            outbox::appointment_id.eq(&m.appointment_id),
            outbox::status.eq(OutboxStatus::Pending.as_str()),
            outbox::attempts.eq(0),
            outbox::not_before.eq(m.not_before),
            outbox::created_at.eq(now),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// One email to each active admin, about the organisation (an alert, never a person's content).
pub fn email_admins(
    conn: &mut Conn,
    kind: &'static str,
    subject: &str,
    body: &str,
) -> QueryResult<()> {
    use crate::schema::users;
    let admins: Vec<String> = users::table
        .filter(users::role.eq(boussole_shared::users::Role::Admin.as_str()))
        .filter(users::is_active.eq(true))
        .select(users::email)
        .load(conn)?;
    for email in admins {
        let message = Outgoing {
            channel: Channel::Email,
            recipient: email,
            kind,
            subject: subject.to_string(),
            body: body.to_string(),
            ics: None,
            appointment_id: None,
            not_before: db::now(),
        };
        enqueue(conn, &message)?;
    }
    Ok(())
}

/// Drops the reminders not yet sent of an appointment (cancelled or moved).
pub fn cancel_reminders(conn: &mut Conn, appointment_id: &str) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::appointment_id.eq(appointment_id))
            .filter(outbox::status.eq(OutboxStatus::Pending.as_str()))
            .filter(outbox::kind.like("reminder%")),
    )
    .set((
        outbox::status.eq(OutboxStatus::Cancelled.as_str()),
        outbox::updated_at.eq(db::now()),
    ))
    .execute(conn)
}

/// What sends: email always, SMS when a gateway is configured; the master key opens secret parts.
#[derive(Clone)]
pub struct Sender {
    pub mailer: Mailer,
    pub sms: Option<SmsGateway>,
    pub master_key: zeroize::Zeroizing<[u8; 32]>,
}

type Claimed = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<Vec<u8>>,
);

/// Claims one due message; `None` when another process got it first.
fn claim(conn: &mut Conn, id: &str) -> QueryResult<Option<Claimed>> {
    let now = db::now();
    let n = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq(OutboxStatus::Pending.as_str())),
    )
    .set((
        outbox::status.eq(OutboxStatus::Sending.as_str()),
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    outbox::table
        .find(id)
        .select((
            outbox::id,
            outbox::channel,
            outbox::recipient,
            outbox::subject,
            outbox::body,
            outbox::ics,
            outbox::attempts,
            outbox::secret,
        ))
        .first(conn)
        .optional()
}

/// Delay before attempt `attempts + 1`: base × 4^(attempts − 1), at most 6 hours.
pub fn backoff(base_secs: i64, attempts: i64) -> chrono::Duration {
    let factor = 4i64.saturating_pow(attempts.clamp(1, 12) as u32 - 1);
    chrono::Duration::seconds(base_secs.saturating_mul(factor).min(6 * 3600))
}

/// Sends what is due; returns how many messages were sent.
pub async fn process_due(
    pool: &db::Pool,
    sender: &Sender,
    cfg: &AppointmentsConfig,
) -> Result<usize, ApiError> {
    let due: Vec<String> = db::run(pool, |conn| {
        let now = db::now();
        diesel::update(
            outbox::table
                .filter(outbox::status.eq(OutboxStatus::Sending.as_str()))
                .filter(outbox::updated_at.lt(now - chrono::Duration::minutes(STALE_SENDING_MINUTES))),
        )
        .set((
            outbox::status.eq(OutboxStatus::Failed.as_str()),
            outbox::last_error.eq("Interrompu pendant l'envoi : non renvoyé automatiquement pour ne pas l'envoyer deux fois."),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)?;
        Ok(outbox::table
            .filter(outbox::status.eq(OutboxStatus::Pending.as_str()))
            .filter(outbox::not_before.le(now))
            .order(outbox::not_before.asc())
            .limit(50)
            .select(outbox::id)
            .load(conn)?)
    })
    .await?;
    let mut sent = 0;
    for id in due {
        let claimed = db::run(pool, move |conn| Ok(claim(conn, &id)?)).await?;
        let Some((id, channel, recipient, subject, body, ics, attempts, secret)) = claimed else {
            continue;
        };
        let result = match unmasked(&sender.master_key, &id, body, secret.as_deref()) {
            Err(e) => Err(e),
            Ok(body) => send(sender, &channel, recipient, subject, body, ics).await,
        };
        let (base, max) = (cfg.outbox_retry_secs, cfg.outbox_max_attempts);
        let ok = result.is_ok();
        db::run(pool, move |conn| {
            let now = db::now();
            let target = outbox::table.find(&id);
            match result {
                Ok(()) => diesel::update(target)
                    .set((
                        outbox::status.eq(OutboxStatus::Sent.as_str()),
                        outbox::sent_at.eq(now),
                        outbox::updated_at.eq(now),
                        outbox::secret.eq(None::<Vec<u8>>),
                    ))
                    .execute(conn)?,
                Err(e) => {
                    let status = if attempts >= max {
                        OutboxStatus::Failed
                    } else {
                        OutboxStatus::Pending
                    };
                    tracing::warn!(error = %e, message = %id, attempts, "message not sent");
                    diesel::update(target)
                        .set((
                            outbox::status.eq(status.as_str()),
                            outbox::last_error.eq(e
                                .to_string()
                                .chars()
                                .take(500)
                                .collect::<String>()),
                            outbox::not_before.eq(now + backoff(base, attempts)),
                            outbox::updated_at.eq(now),
                        ))
                        .execute(conn)?
                }
            };
            Ok(())
        })
        .await?;
        sent += usize::from(ok);
    }
    Ok(sent)
}

async fn send(
    sender: &Sender,
    channel: &str,
    recipient: String,
    subject: String,
    text: String,
    ics: Option<String>,
) -> anyhow::Result<()> {
    match (channel, &sender.sms) {
        ("sms", Some(gateway)) => gateway.send(&recipient, &text).await,
        ("sms", None) => Err(anyhow::anyhow!(
            "no SMS gateway configured (BOUSSOLE_SMS_URL)"
        )),
        _ => {
            let email = Email {
                to: recipient,
                subject,
                text,
                ics,
            };
            sender.mailer.send(email).await
        }
    }
}

/// Runs the outbox on the server's runtime until it stops.
pub fn spawn(pool: db::Pool, sender: Sender, cfg: AppointmentsConfig) {
    use tracing::Instrument;
    actix_web::rt::spawn(
        async move {
            let mut tick =
                actix_web::rt::time::interval(Duration::from_millis(cfg.outbox_interval_ms));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = process_due(&pool, &sender, &cfg).await {
                    tracing::error!(error = ?e, "outbox run failed");
                }
            }
        }
        .instrument(tracing::info_span!("job", name = "outbox")),
    );
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = outbox)]
struct OutboxRow {
    id: String,
    channel: String,
    recipient: String,
    kind: String,
    subject: String,
    body: String,
    ics: Option<String>,
    status: String,
    attempts: i64,
    not_before: NaiveDateTime,
    last_error: Option<String>,
    created_at: NaiveDateTime,
    sent_at: Option<NaiveDateTime>,
}

impl OutboxRow {
    fn into_dto(self, with_body: bool) -> Result<OutboxMessage, ApiError> {
        Ok(OutboxMessage {
            id: db::uuid_of(&self.id)?,
            channel: self.channel,
            recipient: self.recipient,
            kind: self.kind,
            subject: self.subject,
            status: db::stored(
                OutboxStatus::parse(&self.status),
                "outbox.status",
                &self.status,
            )?,
            attempts: self.attempts,
            not_before: self.not_before.and_utc(),
            last_error: self.last_error,
            created_at: self.created_at.and_utc(),
            sent_at: self.sent_at.map(|t| t.and_utc()),
            has_ics: self.ics.is_some(),
            body: with_body.then_some(self.body),
        })
    }
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct OutboxPath {
    /// Message id.
    pub id: uuid::Uuid,
}

/// The messages of the outbox, newest first (admins): what was sent, what waits, what failed.
#[utoipa::path(tag = "outbox", params(PageQuery, OutboxFilter),
    responses((status = 200, description = "OK", body = Page<OutboxMessage>), crate::problems::List),
    security(("bearer" = [])))]
#[get("/outbox")]
async fn list_outbox(
    _admin: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<OutboxMessage>>, ApiError> {
    let filter: OutboxFilter = crate::json::query(&req)?;
    let paged = crate::paged::Paged::from_request(&req)?;
    let result = db::run(&state.pool, move |conn| {
        let query = || {
            let mut q = outbox::table.into_boxed();
            if let Some(s) = filter.status {
                q = q.filter(outbox::status.eq(s.as_str()));
            }
            q
        };
        let page = paged.load(conn, query, |q| {
            q.order((outbox::created_at.desc(), outbox::id.desc()))
                .select(OutboxRow::as_select())
        })?;
        page.try_map_items(|rows: Vec<OutboxRow>| {
            rows.into_iter().map(|r| r.into_dto(false)).collect()
        })
    })
    .await?;
    Ok(web::Json(result))
}

/// One message with its text (admins; the development mailbox page reads it).
#[utoipa::path(tag = "outbox", params(OutboxPath),
    responses((status = 200, description = "OK", body = OutboxMessage), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/outbox/{id}")]
async fn get_outbox_message(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<OutboxPath>,
) -> Result<web::Json<OutboxMessage>, ApiError> {
    let id = path.id.to_string();
    let row = db::run(&state.pool, move |conn| {
        outbox::table
            .find(&id)
            .select(OutboxRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(row.into_dto(true)?))
}

/// Sends a failed message again (admins), at once.
#[utoipa::path(tag = "outbox", params(OutboxPath),
    responses((status = 200, description = "Queued again", body = OutboxMessage), crate::problems::Read, crate::problems::Conflict),
    security(("bearer" = [])))]
#[post("/outbox/{id}/retry")]
async fn retry_outbox_message(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<OutboxPath>,
) -> Result<web::Json<OutboxMessage>, ApiError> {
    let id = path.id.to_string();
    let actor = admin.actor();
    let row = db::tx(&state.pool, move |conn| {
        let now = db::now();
        let n = diesel::update(
            outbox::table
                .filter(outbox::id.eq(&id))
                .filter(outbox::status.eq(OutboxStatus::Failed.as_str())),
        )
        .set((
            outbox::status.eq(OutboxStatus::Pending.as_str()),
            outbox::not_before.eq(now),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)?;
        let row = outbox::table
            .find(&id)
            .select(OutboxRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        if n == 0 {
            return Err(ApiError::conflict(
                Slug::OUTBOX_NOT_FAILED,
                "Seul un message en échec peut être renvoyé.",
            ));
        }
        journal::record(
            conn,
            &actor,
            "outbox.retry",
            "outbox",
            Some(&id),
            serde_json::json!({}),
        )?;
        Ok(row)
    })
    .await?;
    Ok(web::Json(row.into_dto(false)?))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_outbox)
        .service(get_outbox_message)
        .service(retry_outbox_message);
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_grows_fourfold_and_is_capped() {
        assert_eq!(backoff(30, 1).num_seconds(), 30);
        assert_eq!(backoff(30, 2).num_seconds(), 120);
        assert_eq!(backoff(30, 3).num_seconds(), 480);
        assert_eq!(backoff(30, 20).num_seconds(), 6 * 3600);
    }
}
