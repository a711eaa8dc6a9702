//! `Idempotency-Key` on the API's `POST`s (issue 15): a client that did not get an answer (a timeout, a
//! dropped connection) sends the same request again with the same key and gets the first answer, so a
//! CRM never creates a beneficiary or a bilan twice. The scheme is Stripe's and the IETF draft's:
//! - the key is scoped to the caller (an account, or an API key), so two callers never collide;
//! - the same key with another method, path or body answers 422 (`idempotency-key-reused`);
//! - while the first request runs, a retry answers 409 (`idempotency-request-in-progress`): the row is
//!   inserted before the handler runs, and the primary key `(principal, key)` lets only one in, on
//!   both backends, whatever the timing;
//! - every answer below 500 is kept 24 hours and replayed with `Idempotent-Replayed: true`; a 5xx is
//!   forgotten, so the retry runs again.
//!
//! Kept answers may hold what the caller was shown once (an API key's secret, a note they wrote): they
//! are sealed under a key derived from the master key, purged after 24 hours by the jobs, and a bilan's
//! content destruction deletes those of the requests that name it (`forget_bilan`).
//! `/api/v1/auth/*` is left out: its answers are tokens, which must never be stored.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue, LOCATION};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};
use boussole_shared::Slug;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::extract::API_KEY_PREFIX;
use crate::auth::tokens::ACCESS;
use crate::crypto;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::idempotency_keys as t;

pub const HEADER: &str = "idempotency-key";
/// As documented.
pub const HEADER_NAME: &str = "Idempotency-Key";
pub const REPLAYED: &str = "idempotent-replayed";
/// How long an answer is kept.
pub const KEPT_HOURS: i64 = 24;
const PURPOSE: &str = "idempotent-answer";
/// The largest body read here: a file upload's limit and its multipart framing. Smaller bodies go on
/// to the handler, whose own limit (the JSON one) applies as without a key.
const MAX_BODY: usize = boussole_shared::bilans::MAX_FILE_BYTES + 64 * 1024;

/// The key as sent, when this request is one the scheme covers; an unusable key is refused.
fn key_of(req: &ServiceRequest) -> Result<Option<String>, ApiError> {
    if req.method() != Method::POST
        || !req.path().starts_with("/api/v1/")
        || req.path().starts_with("/api/v1/auth/")
    {
        return Ok(None);
    }
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default();
    if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::BadRequest(
            "En-tête Idempotency-Key invalide : de 1 à 255 caractères ASCII visibles.".into(),
        ));
    }
    Ok(Some(key.to_string()))
}

/// Who is calling, from the bearer token alone (the handler still authenticates the request): an API
/// key by its hash, an account by its id. `None` (no or a bad token): the handler answers 401.
fn principal_of(req: &ServiceRequest, state: &AppState) -> Option<String> {
    let value = req.headers().get(actix_web::http::header::AUTHORIZATION)?;
    let (scheme, token) = value.to_str().ok()?.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    if token.starts_with(API_KEY_PREFIX) {
        return Some(format!("key:{}", hex::encode(Sha256::digest(token))));
    }
    let claims = state.keys.verify(token, ACCESS).ok()?;
    Some(format!("user:{}", claims.sub))
}

/// The request's method, path, query and body, hashed: what "the same request" means.
fn fingerprint(req: &ServiceRequest, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(req.method().as_str());
    hash.update([0]);
    hash.update(req.uri().path_and_query().map_or("", |p| p.as_str()));
    hash.update([0]);
    hash.update(body);
    hex::encode(hash.finalize())
}

/// What the key already holds.
enum Claim {
    /// The key is ours: run the request.
    Taken,
    /// Another request with this key runs now.
    InProgress,
    /// The same key with another request.
    Reused,
    Replay(Kept),
}

struct Kept {
    status: u16,
    content_type: Option<String>,
    location: Option<String>,
    body: Vec<u8>,
}

#[derive(Queryable)]
struct Row {
    fingerprint: String,
    status: Option<i32>,
    content_type: Option<String>,
    location: Option<String>,
    body: Option<Vec<u8>>,
}

fn record_id(principal: &str, key: &str) -> String {
    format!("{principal}\0{key}")
}

/// Takes the key for this request, or says what it already holds. One transaction: an expired entry
/// is dropped and taken again; otherwise the insert either wins or finds the winner's row.
fn claim(
    conn: &mut Conn,
    master: &[u8; 32],
    principal: &str,
    key: &str,
    print: &str,
    path: &str,
    now: NaiveDateTime,
) -> Result<Claim, ApiError> {
    let expired = now - chrono::Duration::hours(KEPT_HOURS);
    diesel::delete(
        t::table
            .filter(t::principal.eq(principal))
            .filter(t::key.eq(key))
            .filter(t::created_at.lt(expired)),
    )
    .execute(conn)?;
    let inserted = crate::on_backend!(conn, |c| {
        diesel::insert_into(t::table)
            .values((
                t::principal.eq(principal),
                t::key.eq(key),
                t::fingerprint.eq(print),
                t::path.eq(path),
                t::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(c)
    })?;
    if inserted == 1 {
        return Ok(Claim::Taken);
    }
    let row: Row = t::table
        .find((principal, key))
        .select((
            t::fingerprint,
            t::status,
            t::content_type,
            t::location,
            t::body,
        ))
        .first(conn)?;
    if row.fingerprint != print {
        return Ok(Claim::Reused);
    }
    let (Some(status), Some(sealed)) = (row.status, row.body) else {
        return Ok(Claim::InProgress);
    };
    let body = crypto::open_secret(master, PURPOSE, &record_id(principal, key), &sealed)?;
    Ok(Claim::Replay(Kept {
        status: u16::try_from(status).map_err(ApiError::internal)?,
        content_type: row.content_type,
        location: row.location,
        body: body.to_vec(),
    }))
}

/// Keeps the answer (below 500), or lets the key go (a 5xx: the retry runs again).
fn settle(
    conn: &mut Conn,
    master: &[u8; 32],
    principal: &str,
    key: &str,
    answer: Option<&Kept>,
) -> Result<(), ApiError> {
    let row = t::table
        .filter(t::principal.eq(principal))
        .filter(t::key.eq(key));
    match answer {
        Some(kept) => {
            let sealed =
                crypto::seal_secret(master, PURPOSE, &record_id(principal, key), &kept.body)?;
            diesel::update(row)
                .set((
                    t::status.eq(Some(i32::from(kept.status))),
                    t::content_type.eq(kept.content_type.as_deref()),
                    t::location.eq(kept.location.as_deref()),
                    t::body.eq(Some(sealed)),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::delete(row).execute(conn)?;
        }
    }
    Ok(())
}

/// Deletes the kept answers older than 24 hours (the jobs run it).
pub fn purge(conn: &mut Conn, now: NaiveDateTime) -> Result<usize, ApiError> {
    let expired = now - chrono::Duration::hours(KEPT_HOURS);
    Ok(diesel::delete(t::table.filter(t::created_at.lt(expired))).execute(conn)?)
}

/// Deletes the kept answers of requests that named bilan `id` (its content is being destroyed).
pub fn forget_bilan(conn: &mut Conn, id: &str) -> Result<usize, ApiError> {
    Ok(
        diesel::delete(t::table.filter(t::path.like(format!("/api/v1/bilans/{id}%"))))
            .execute(conn)?,
    )
}

fn replay(req: ServiceRequest, kept: Kept) -> ServiceResponse<BoxBody> {
    let mut res = HttpResponse::build(
        StatusCode::from_u16(kept.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    );
    if let Some(ct) = kept.content_type {
        res.insert_header((CONTENT_TYPE, ct));
    }
    if let Some(location) = kept.location {
        res.insert_header((LOCATION, location));
    }
    res.insert_header((HeaderName::from_static(REPLAYED), "true"));
    req.into_response(res.body(kept.body))
}

fn refuse(req: ServiceRequest, error: ApiError) -> ServiceResponse<BoxBody> {
    req.into_response(error.error_response())
}

/// Reads the whole body (up to [`MAX_BODY`]), to hash it and give it back to the handler.
async fn body_of(req: &mut ServiceRequest) -> Result<web::Bytes, ApiError> {
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("corps illisible : {e}")))?;
        if body.len() + chunk.len() > MAX_BODY {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The middleware (see the module's comment).
pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = match key_of(&req) {
        Ok(Some(key)) => key,
        Ok(None) => return Ok(next.call(req).await?.map_into_boxed_body()),
        Err(e) => return Ok(refuse(req, e)),
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(principal) = principal_of(&req, &state) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let body = match body_of(&mut req).await {
        Ok(body) => body,
        Err(e) => return Ok(refuse(req, e)),
    };
    let print = fingerprint(&req, &body);
    let path = req.path().to_string();
    let now = state.config.clock.utc_now();
    let (p, k, st) = (principal.clone(), key.clone(), state.clone());
    let claimed = db::tx(&state.pool, move |conn| {
        claim(conn, &st.config.master_key, &p, &k, &print, &path, now)
    })
    .await;
    match claimed {
        Err(e) => return Ok(refuse(req, e)),
        Ok(Claim::Replay(kept)) => return Ok(replay(req, kept)),
        Ok(Claim::InProgress) => {
            return Ok(refuse(
                req,
                ApiError::conflict(
                    Slug::IDEMPOTENCY_KEY_IN_USE,
                    "Une requête avec cette clé d'idempotence est en cours : réessayez dans un instant.",
                ),
            ));
        }
        Ok(Claim::Reused) => {
            return Ok(refuse(
                req,
                ApiError::Rule {
                    slug: Slug::IDEMPOTENCY_KEY_REUSED,
                    detail: "Cette clé d'idempotence a déjà servi pour une autre requête.".into(),
                    missing: vec![],
                },
            ));
        }
        Ok(Claim::Taken) => {}
    }
    req.set_payload(actix_web::dev::Payload::from(body));
    let res = next.call(req).await?;
    let (http_req, res) = res.into_parts();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = actix_web::body::to_bytes(res.into_body())
        .await
        .map_err(|_| ApiError::internal("answer body could not be read"))?;
    let kept = (status.as_u16() < 500).then(|| Kept {
        status: status.as_u16(),
        content_type: text(headers.get(CONTENT_TYPE)),
        location: text(headers.get(LOCATION)),
        body: bytes.to_vec(),
    });
    let st = state.clone();
    let settled = db::run(&state.pool, move |conn| {
        settle(conn, &st.config.master_key, &principal, &key, kept.as_ref())
    })
    .await;
    if let Err(e) = settled {
        tracing::error!(error = ?e, "idempotent answer not kept");
    }
    let mut out = HttpResponse::build(status);
    for (name, value) in headers.iter() {
        out.append_header((name.clone(), value.clone()));
    }
    Ok(ServiceResponse::new(http_req, out.body(bytes)))
}

fn text(value: Option<&HeaderValue>) -> Option<String> {
    value.and_then(|v| v.to_str().ok()).map(str::to_string)
}
