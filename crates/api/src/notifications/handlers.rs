//! The routes of the notification centre: any signed-in person, about their own notifications only
//! (API keys are refused by `Viewer`: notifications are addressed to people).

use actix_web::{HttpRequest, get, post, put, web};
use boussole_shared::notifications::{Notification, NotificationPreferences, NotificationSummary};
use boussole_shared::{Page, PageQuery};

use super::{NotificationPath, store};
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::db;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::live::Live;

/// The caller's notifications, newest first (`?unread=true`: only the unread ones).
#[utoipa::path(tag = "notifications", params(PageQuery, boussole_shared::notifications::NotificationFilter),
    responses((status = 200, description = "OK", body = Page<Notification>), crate::problems::List),
    security(("bearer" = [])))]
#[get("/notifications")]
async fn list(
    viewer: Viewer,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<Notification>>, ApiError> {
    let (unread_only, paged) = store::query_of(&req)?;
    let page = db::run(&state.pool, move |conn| {
        store::list(conn, viewer.id(), unread_only, paged)
    })
    .await?;
    Ok(web::Json(page))
}

/// How many of the caller's notifications are unread (the bell).
#[utoipa::path(tag = "notifications",
    responses((status = 200, description = "OK", body = NotificationSummary), crate::problems::Caller),
    security(("bearer" = [])))]
#[get("/notifications/summary")]
async fn summary(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<web::Json<NotificationSummary>, ApiError> {
    let unread = db::run(&state.pool, move |conn| {
        Ok(store::unread(conn, viewer.id())?)
    })
    .await?;
    Ok(web::Json(NotificationSummary { unread }))
}

/// Marks one of the caller's notifications read; answers the unread count after it.
#[utoipa::path(tag = "notifications", params(NotificationPath),
    responses((status = 200, description = "OK", body = NotificationSummary), crate::problems::Read),
    security(("bearer" = [])))]
#[post("/notifications/{id}/read")]
async fn read_notification(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<NotificationPath>,
) -> Result<web::Json<NotificationSummary>, ApiError> {
    let (id, me) = (path.id.to_string(), viewer.id().to_string());
    let clock = state.config.clock.clone();
    let unread = db::tx(&state.pool, move |conn| {
        store::mark_read(conn, &me, &id, clock.utc_now())?;
        Ok(store::unread(conn, &me)?)
    })
    .await?;
    read_elsewhere(&state, &viewer);
    Ok(web::Json(NotificationSummary { unread }))
}

/// Marks all the caller's notifications read.
#[utoipa::path(tag = "notifications",
    responses((status = 200, description = "OK", body = NotificationSummary), crate::problems::Caller),
    security(("bearer" = [])))]
#[post("/notifications/read-all")]
async fn read_all(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<web::Json<NotificationSummary>, ApiError> {
    let me = viewer.id().to_string();
    let clock = state.config.clock.clone();
    let unread = db::tx(&state.pool, move |conn| {
        store::mark_all_read(conn, &me, clock.utc_now())?;
        Ok(store::unread(conn, &me)?)
    })
    .await?;
    read_elsewhere(&state, &viewer);
    Ok(web::Json(NotificationSummary { unread }))
}

/// The caller's other tabs and devices update their bell (`notification_summary` event).
fn read_elsewhere(state: &AppState, viewer: &Viewer) {
    state.live.send(Live::NotificationsRead {
        user: viewer.id().to_string(),
    });
}

/// The caller's channels for each kind of notification, and whether SMS can be chosen.
#[utoipa::path(tag = "notifications",
    responses((status = 200, description = "OK", body = NotificationPreferences), crate::problems::Caller),
    security(("bearer" = [])))]
#[get("/notifications/preferences")]
async fn get_preferences(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<web::Json<NotificationPreferences>, ApiError> {
    let prefs = db::run(&state.pool, move |conn| {
        store::preferences(conn, viewer.id())
    })
    .await?;
    Ok(web::Json(prefs))
}

/// Changes the caller's channels: the kinds listed (each once) take the channels given, the others
/// keep theirs; `sms_available` is ignored. SMS without an opted-in mobile in the profile: 422 `sms`.
#[utoipa::path(tag = "notifications", request_body = NotificationPreferences,
    responses((status = 200, description = "The preferences now", body = NotificationPreferences),
        crate::problems::Write, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/notifications/preferences")]
async fn put_preferences(
    viewer: Viewer,
    state: web::Data<AppState>,
    body: JsonBody<NotificationPreferences>,
) -> Result<web::Json<NotificationPreferences>, ApiError> {
    let wanted = body.parse()?;
    let prefs = db::tx(&state.pool, move |conn| {
        store::save_preferences(conn, viewer.id(), &wanted)
    })
    .await?;
    Ok(web::Json(prefs))
}
