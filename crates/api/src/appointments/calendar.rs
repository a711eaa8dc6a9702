//! Calendar feeds: each person may have one secret URL (RFC 5545) that Google, Outlook and Apple
//! calendars subscribe to. Only the token's hash is stored; making a new URL revokes the old one.

use actix_web::{HttpResponse, delete, get, post, web};

use boussole_shared::appointments::CalendarFeed;
use chrono::Duration;
use diesel::prelude::*;
use icalendar::Calendar;
use sha2::{Digest, Sha256};

use super::AppointmentRow;
use super::messages::ics_event;
use crate::accounts;
use crate::auth::caller::AnyUser;
use crate::db;
use crate::error::ApiError;
use crate::schema::{appointments, bilan_consultants, calendar_feeds, users};
use crate::{AppState, journal};

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Makes a new secret feed URL for the caller (the previous one stops working).
#[utoipa::path(tag = "appointments",
    responses((status = 201, description = "Created", body = CalendarFeed), crate::problems::Caller),
    security(("bearer" = [])))]
#[post("/me/calendar")]
async fn create_feed(
    AnyUser(user): AnyUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let token = {
        use rand::RngCore;
        let mut b = [0u8; 32];
        rand::rng().fill_bytes(&mut b);
        hex::encode(b)
    };
    let token_hash = hash(&token);
    let me = user.user.id.clone();
    let actor = user.actor();
    db::tx(&state.pool, move |conn| {
        diesel::delete(calendar_feeds::table.find(&me)).execute(conn)?;
        diesel::insert_into(calendar_feeds::table)
            .values((
                calendar_feeds::user_id.eq(&me),
                calendar_feeds::token_hash.eq(&token_hash),
                calendar_feeds::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        journal::record(
            conn,
            &actor,
            "calendar.create_feed",
            "user",
            Some(&me),
            serde_json::json!({}),
        )?;
        Ok(())
    })
    .await?;
    let url = format!("{}/api/v1/calendar/{token}.ics", state.config.public_url);
    Ok(HttpResponse::Created().json(CalendarFeed { url }))
}

/// Revokes the caller's feed URL.
#[utoipa::path(tag = "appointments",
    responses((status = 204, description = "Revoked"), crate::problems::Caller),
    security(("bearer" = [])))]
#[delete("/me/calendar")]
async fn revoke_feed(
    AnyUser(user): AnyUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let me = user.user.id.clone();
    let actor = user.actor();
    db::tx(&state.pool, move |conn| {
        diesel::delete(calendar_feeds::table.find(&me)).execute(conn)?;
        journal::record(
            conn,
            &actor,
            "calendar.revoke_feed",
            "user",
            Some(&me),
            serde_json::json!({}),
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct FeedPath {
    /// The secret token of the feed URL.
    pub token: String,
}

/// The iCalendar feed of a secret URL: the person's appointments from 90 days ago on (cancelled ones
/// marked so, for calendars to remove them). No content of the bilan is in it.
#[utoipa::path(tag = "appointments", params(FeedPath),
    responses((status = 200, description = "text/calendar", content_type = "text/calendar", body = String), crate::problems::NotFound))]
#[get("/calendar/{token}.ics")]
async fn feed(
    state: web::Data<AppState>,
    path: web::Path<FeedPath>,
) -> Result<HttpResponse, ApiError> {
    let token_hash = hash(&path.token);
    let public_url = state.config.public_url.clone();
    let body = db::run(&state.pool, move |conn| {
        // A deactivated account's feed answers nothing, whatever happened to its row.
        let active = users::table
            .filter(users::is_active.eq(true))
            .select(users::id);
        let user_id: String = calendar_feeds::table
            .filter(calendar_feeds::token_hash.eq(&token_hash))
            .filter(calendar_feeds::user_id.eq_any(active))
            .select(calendar_feeds::user_id)
            .first(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        let mine = bilan_consultants::table
            .filter(bilan_consultants::consultant_id.eq(&user_id))
            .filter(bilan_consultants::unassigned_at.is_null())
            .select(bilan_consultants::bilan_id);
        let rows: Vec<AppointmentRow> = appointments::table
            .filter(
                appointments::beneficiary_id
                    .eq(&user_id)
                    .or(appointments::consultant_id
                        .eq(&user_id)
                        // A consultant's feed holds the bilans assigned to them now, as the API does.
                        .and(appointments::bilan_id.eq_any(mine))),
            )
            .filter(appointments::starts_at.ge(db::now() - Duration::days(90)))
            .order(appointments::starts_at.asc())
            .limit(2000)
            .select(AppointmentRow::as_select())
            .load(conn)?;
        let mut cal = Calendar::new();
        cal.name("Boussole — rendez-vous");
        for row in &rows {
            let other_id = if row.consultant_id == user_id {
                &row.beneficiary_id
            } else {
                &row.consultant_id
            };
            let other = accounts::find_by_id(conn, other_id)?.ok_or(ApiError::NotFound)?;
            cal.push(ics_event(row, &other, &public_url)?);
        }
        Ok(cal.done().to_string())
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "private, max-age=300"))
        .body(body))
}
