//! The dated facts the gates check, the sessions that make the hours, the consents, and the timeline.

use actix_web::{HttpResponse, get, post, web};
use boussole_shared::field_rules::FieldRule;

use boussole_shared::bilans::{
    BilanSession, Consent, ConsentKind, Fact, FactKind, NewConsent, NewFact, NewSession, Phase,
    SessionKind, SessionMode, TimelineEvent,
};
use boussole_shared::retention::KeptDocument;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::BilanPath;
use super::hours::record_session;
use super::lifecycle::destroy_content;
use super::model::{self, BilanRow, Happened};
use crate::AppState;
use crate::auth::caller::{
    Beneficiary, BilansRead, BilansWrite, Consultant, StaffOrKey, Viewer, ViewerOrKey,
};
use crate::db::{self, uuid_of as uuid};
use crate::error::ApiError;
use crate::journal;
use crate::json::JsonBody;
use crate::schema::{bilan_consents, bilan_events, bilan_facts, bilan_sessions};

/// The facts recorded on the bilan (dated administrative milestones; an API key with `bilans:read`
/// reads them as admins do).
#[utoipa::path(tag = "bilans", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<Fact>), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/bilans/{id}/facts")]
async fn list_facts(
    ViewerOrKey { viewer, .. }: ViewerOrKey<BilansRead>,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<Fact>>, ApiError> {
    let id = path.id.to_string();
    let rows: Vec<(String, String, chrono::NaiveDate, NaiveDateTime)> =
        db::run(&state.pool, move |conn| {
            model::load_for(conn, &id, &viewer)?;
            Ok(bilan_facts::table
                .filter(bilan_facts::bilan_id.eq(&id))
                .order(bilan_facts::recorded_at.asc())
                .select((
                    bilan_facts::id,
                    bilan_facts::kind,
                    bilan_facts::occurred_on,
                    bilan_facts::recorded_at,
                ))
                .load(conn)?)
        })
        .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|(id, kind, occurred_on, recorded_at)| {
                Ok(Fact {
                    id: uuid(&id)?,
                    kind: db::stored(FactKind::parse(&kind), "bilan_facts.kind", &kind)?,
                    occurred_on,
                    recorded_at: recorded_at.and_utc(),
                })
            })
            .collect::<Result<_, ApiError>>()?,
    ))
}

/// Records a dated fact (the consultant, or the organisation: an admin or an API key with
/// `bilans:write`). A fact is a date, never content.
#[utoipa::path(tag = "bilans", params(BilanPath), request_body = NewFact,
    responses((status = 201, description = "Created", body = Fact), crate::problems::Write, crate::problems::NotFound),
    security(("bearer" = []), ("api_key" = [])))]
#[post("/bilans/{id}/facts")]
async fn create_fact(
    StaffOrKey { viewer, actor, .. }: StaffOrKey<BilansWrite>,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewFact>,
) -> Result<HttpResponse, ApiError> {
    let new = body.parse()?;
    if new.occurred_on > boussole_shared::time::paris_date(state.config.clock.utc_now()) {
        return Err(ApiError::field(
            "occurred_on",
            FieldRule::NotInFuture,
            "ne peut pas être dans le futur",
        ));
    }
    let id = path.id.to_string();
    let fact = db::tx(&state.pool, move |conn| {
        model::load_for(conn, &id, &viewer)?;
        record_fact(conn, &actor, &id, &new, viewer.id())
    })
    .await?;
    Ok(HttpResponse::Created().json(fact))
}

/// Records a dated fact on the bilan's timeline and in the audit journal, in the caller's
/// transaction (typed by the office here, or recorded by issuing its document: `documents`).
pub fn record_fact(
    conn: &mut db::Conn,
    actor: &journal::Actor,
    bilan_id: &str,
    new: &NewFact,
    recorded_by: &str,
) -> Result<Fact, ApiError> {
    let (fid, now) = (db::new_id(), db::now());
    diesel::insert_into(bilan_facts::table)
        .values((
            bilan_facts::id.eq(&fid),
            bilan_facts::bilan_id.eq(bilan_id),
            bilan_facts::kind.eq(new.kind.as_str()),
            bilan_facts::occurred_on.eq(new.occurred_on),
            bilan_facts::recorded_by.eq(recorded_by),
            bilan_facts::recorded_at.eq(now),
        ))
        .execute(conn)?;
    let details = serde_json::json!({ "kind": new.kind.as_str(), "occurred_on": new.occurred_on });
    let what = Happened {
        event: "fact",
        action: "bilan.fact",
        details,
        content: false,
    };
    model::journal(conn, actor, bilan_id, what)?;
    Ok(Fact {
        id: uuid(&fid)?,
        kind: new.kind,
        occurred_on: new.occurred_on,
        recorded_at: now.and_utc(),
    })
}

type SessionRow = (
    String,
    String,
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
    i64,
);

fn session_dto(
    (id, kind, phase, mode, starts_at, ends_at, minutes): SessionRow,
) -> Result<BilanSession, ApiError> {
    Ok(BilanSession {
        id: uuid(&id)?,
        kind: db::stored(SessionKind::parse(&kind), "bilan_sessions.kind", &kind)?,
        phase: db::stored(Phase::parse(&phase), "bilan_sessions.phase", &phase)?,
        mode: db::stored(SessionMode::parse(&mode), "bilan_sessions.mode", &mode)?,
        starts_at: starts_at.and_utc(),
        ends_at: ends_at.and_utc(),
        minutes,
    })
}

/// The held sessions (accompaniment and personal work: times and hours), oldest first; an API key
/// with `bilans:read` reads them as admins do.
#[utoipa::path(tag = "bilans", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<BilanSession>), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/bilans/{id}/sessions")]
async fn list_bilan_sessions(
    ViewerOrKey { viewer, .. }: ViewerOrKey<BilansRead>,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<BilanSession>>, ApiError> {
    let id = path.id.to_string();
    let rows: Vec<SessionRow> = db::run(&state.pool, move |conn| {
        model::load_for(conn, &id, &viewer)?;
        Ok(bilan_sessions::table
            .filter(bilan_sessions::bilan_id.eq(&id))
            .order(bilan_sessions::starts_at.asc())
            .select((
                bilan_sessions::id,
                bilan_sessions::kind,
                bilan_sessions::phase,
                bilan_sessions::mode,
                bilan_sessions::starts_at,
                bilan_sessions::ends_at,
                bilan_sessions::minutes,
            ))
            .load(conn)?)
    })
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(session_dto)
            .collect::<Result<_, _>>()?,
    ))
}

/// Records a held session (assigned consultants). Accompaniment past 24 hours in total is refused (L6313-4).
#[utoipa::path(tag = "bilans", params(BilanPath), request_body = NewSession,
    responses((status = 201, description = "Created", body = BilanSession), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/sessions")]
async fn create_bilan_session(
    Consultant(user): Consultant,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewSession>,
) -> Result<HttpResponse, ApiError> {
    let viewer = Viewer::Consultant(user.user.id.clone());
    let new = body.parse()?;
    let minutes = (new.ends_at - new.starts_at).num_minutes();
    if minutes <= 0 || minutes > 12 * 60 {
        return Err(ApiError::field(
            "ends_at",
            FieldRule::Order,
            "doit suivre le début, dans les 12 heures",
        ));
    }
    let id = path.id.to_string();
    let actor = user.actor();
    let session = db::tx(&state.pool, move |conn| {
        model::load_for(conn, &id, &viewer)?;
        let session = record_session(conn, &id, &new, viewer.id())?;
        let details = serde_json::json!({ "kind": new.kind.as_str(), "phase": new.phase.as_str(), "minutes": minutes });
        journal::record(conn, &actor, "bilan.session", "bilan", Some(&id), details)?;
        Ok(session)
    })
    .await?;
    Ok(HttpResponse::Created().json(session))
}

type ConsentRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    NaiveDateTime,
    Option<String>,
    Option<NaiveDateTime>,
    Option<String>,
);

/// What a consent keeps: a retention agreement's documents, nothing for the other kinds.
fn kept_of(kind: ConsentKind, stored: Option<&str>) -> Vec<KeptDocument> {
    match kind {
        ConsentKind::Retention => crate::retention_rules::parse_kept(stored),
        _ => vec![],
    }
}

fn consent_dto(r: ConsentRow) -> Result<Consent, ApiError> {
    let kind = db::stored(ConsentKind::parse(&r.1), "bilan_consents.kind", &r.1)?;
    Ok(Consent {
        id: uuid(&r.0)?,
        kind,
        recipient: r.2,
        scope: r.3,
        retention_months: r.4,
        kept: kept_of(kind, r.9.as_deref()),
        statement: r.5,
        given_at: r.6.and_utc(),
        ip: r.7,
        revoked_at: r.8.map(|t| t.and_utc()),
    })
}

fn statement(c: &NewConsent) -> Result<String, ApiError> {
    Ok(match c.kind {
        ConsentKind::Start => boussole_shared::bilans::START_STATEMENT.into(),
        ConsentKind::Share => {
            let recipient = c.recipient.as_deref().ok_or_else(|| {
                ApiError::field(
                    "recipient",
                    FieldRule::Required,
                    "obligatoire pour un partage",
                )
            })?;
            let scope = c.scope.as_deref().ok_or_else(|| {
                ApiError::field("scope", FieldRule::Required, "obligatoire pour un partage")
            })?;
            boussole_shared::bilans::share_statement(recipient, scope)
        }
        ConsentKind::Retention => {
            let months = c.retention_months.ok_or_else(|| {
                ApiError::field(
                    "retention_months",
                    FieldRule::Required,
                    "obligatoire pour une conservation",
                )
            })?;
            boussole_shared::bilans::retention_statement_of(months, &kept_asked(c))
        }
    })
}

/// The documents a new retention agreement keeps: those it names, or all when it names none.
fn kept_asked(c: &NewConsent) -> Vec<KeptDocument> {
    match &c.kept {
        Some(kept) => KeptDocument::ALL
            .iter()
            .copied()
            .filter(|k| kept.contains(k))
            .collect(),
        None => KeptDocument::ALL.to_vec(),
    }
}

/// The consents of the bilan, with their revocations.
#[utoipa::path(tag = "bilans", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<Consent>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/bilans/{id}/consents")]
async fn list_consents(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<Consent>>, ApiError> {
    let id = path.id.to_string();
    let rows: Vec<ConsentRow> = db::run(&state.pool, move |conn| {
        model::load_for(conn, &id, &viewer)?;
        Ok(bilan_consents::table
            .filter(bilan_consents::bilan_id.eq(&id))
            .order(bilan_consents::given_at.asc())
            .select((
                bilan_consents::id,
                bilan_consents::kind,
                bilan_consents::recipient,
                bilan_consents::scope,
                bilan_consents::retention_months,
                bilan_consents::statement,
                bilan_consents::given_at,
                bilan_consents::ip,
                bilan_consents::revoked_at,
                bilan_consents::kept,
            ))
            .load(conn)?)
    })
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(consent_dto)
            .collect::<Result<_, _>>()?,
    ))
}

/// The beneficiary gives a consent: who, when, exactly what, from where are recorded.
#[utoipa::path(tag = "bilans", params(BilanPath), request_body = NewConsent,
    responses((status = 201, description = "Created", body = Consent), crate::problems::Write, crate::problems::NotFound),
    security(("bearer" = [])))]
#[post("/bilans/{id}/consents")]
async fn create_consent(
    Beneficiary(user): Beneficiary,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewConsent>,
) -> Result<HttpResponse, ApiError> {
    let viewer = Viewer::Beneficiary(user.user.id.clone());
    let new = body.validated()?;
    if new.kept.is_some() && new.kind != ConsentKind::Retention {
        return Err(ApiError::field(
            "kept",
            FieldRule::NotAllowed,
            "seulement pour un accord de conservation",
        ));
    }
    let text = statement(&new)?;
    let kept = (new.kind == ConsentKind::Retention).then(|| kept_asked(&new));
    let id = path.id.to_string();
    let (actor, ip) = (user.actor(), user.client.ip.clone());
    let consent = db::tx(&state.pool, move |conn| {
        model::load_for(conn, &id, &viewer)?;
        let (cid, now) = (db::new_id(), db::now());
        diesel::insert_into(bilan_consents::table)
            .values((
                bilan_consents::id.eq(&cid),
                bilan_consents::bilan_id.eq(&id),
                bilan_consents::kind.eq(new.kind.as_str()),
                bilan_consents::recipient.eq(&new.recipient),
                bilan_consents::scope.eq(&new.scope),
                bilan_consents::retention_months.eq(new.retention_months),
                bilan_consents::statement.eq(&text),
                bilan_consents::given_by.eq(viewer.id()),
                bilan_consents::given_at.eq(now),
                bilan_consents::ip.eq(&ip),
                bilan_consents::kept.eq(kept.as_deref().map(crate::retention_rules::store_kept)),
            ))
            .execute(conn)?;
        let details = serde_json::json!({ "kind": new.kind.as_str(), "consent_id": cid });
        let what = Happened {
            event: "consent",
            action: "bilan.consent",
            details,
            content: false,
        };
        model::journal(conn, &actor, &id, what)?;
        Ok(Consent {
            id: uuid(&cid)?,
            kind: new.kind,
            recipient: new.recipient.clone(),
            scope: new.scope.clone(),
            retention_months: new.retention_months,
            kept: kept.clone().unwrap_or_default(),
            statement: text.clone(),
            given_at: now.and_utc(),
            ip: ip.clone(),
            revoked_at: None,
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(consent))
}

/// The beneficiary (`viewer`) withdraws a consent of the bilan: it stays in the record, marked
/// revoked, and the withdrawal is journaled; 404 when there is no such consent in force. Returns the
/// bilan's row for [`after_withdrawal`]. The route is `synthesis::consents::revoke_consent`: between
/// the two, in the same transaction, it cancels the synthèse's sendings made under the agreement.
pub fn withdraw(
    conn: &mut db::Conn,
    viewer: &Viewer,
    actor: &journal::Actor,
    id: &str,
    cid: &str,
) -> Result<BilanRow, ApiError> {
    let row = model::load_for(conn, id, viewer)?;
    let n = diesel::update(
        bilan_consents::table
            .find(cid)
            .filter(bilan_consents::bilan_id.eq(id))
            .filter(bilan_consents::revoked_at.is_null()),
    )
    .set(bilan_consents::revoked_at.eq(db::now()))
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    let details = serde_json::json!({ "consent_id": cid });
    let what = Happened {
        event: "consent_revoked",
        action: "bilan.consent_revoke",
        details,
        content: false,
    };
    model::journal(conn, actor, id, what)?;
    Ok(row)
}

/// After a withdrawal: withdrawing the retention agreement of a bilan whose action has ended
/// destroys at once what it kept (R6313-7). Whether it did (the caller then deletes the stored
/// ciphertexts).
pub fn after_withdrawal(
    conn: &mut db::Conn,
    row: &mut BilanRow,
    actor: &journal::Actor,
) -> Result<bool, ApiError> {
    let kept = row.retention_until.is_some() && row.content_destroyed_at.is_none();
    if !kept {
        return Ok(false);
    }
    let still_agreed: i64 = bilan_consents::table
        .filter(bilan_consents::bilan_id.eq(&row.id))
        .filter(bilan_consents::kind.eq(ConsentKind::Retention.as_str()))
        .filter(bilan_consents::revoked_at.is_null())
        .count()
        .get_result(conn)?;
    if still_agreed > 0 {
        return Ok(false);
    }
    destroy_content(conn, row, actor)?;
    Ok(true)
}

/// Every event of the bilan, oldest first; admins do not see the events about content.
#[utoipa::path(tag = "bilans", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<TimelineEvent>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/bilans/{id}/timeline")]
async fn get_timeline(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<TimelineEvent>>, ApiError> {
    let id = path.id.to_string();
    let rows: Vec<(NaiveDateTime, String, Option<String>, String)> =
        db::run(&state.pool, move |conn| {
            model::load_for(conn, &id, &viewer)?;
            let mut q = bilan_events::table
                .filter(bilan_events::bilan_id.eq(&id))
                .into_boxed();
            if let Viewer::Admin(_) = viewer {
                q = q.filter(bilan_events::content.eq(false));
            }
            Ok(q.order(bilan_events::at.asc())
                .select((
                    bilan_events::at,
                    bilan_events::kind,
                    bilan_events::actor_id,
                    bilan_events::details,
                ))
                .load(conn)?)
        })
        .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|(at, kind, actor, details)| {
                Ok(TimelineEvent {
                    at: at.and_utc(),
                    kind,
                    actor_id: actor.as_deref().map(uuid).transpose()?,
                    details: serde_json::from_str(&details).map_err(|e| {
                        ApiError::Internal(
                            anyhow::Error::new(e).context("bilan_events.details does not parse"),
                        )
                    })?,
                })
            })
            .collect::<Result<_, ApiError>>()?,
    ))
}
