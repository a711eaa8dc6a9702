//! `/api/v1/webhooks` and `/api/v1/webhook-deliveries`: admins, or an API key with `webhooks:manage`.
//! Nothing here sends anything: deliveries are the job's (`delivery`), so a request never waits on an
//! endpoint, wherever it points.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use boussole_shared::Page;
use boussole_shared::Slug;
use boussole_shared::integrations::{
    NewWebhookEndpoint, UpdateWebhookEndpoint, WebhookDelivery, WebhookDeliveryFilter,
    WebhookDeliveryStatus, WebhookEndpoint, WebhookSecret,
};
use diesel::prelude::*;
use utoipa::IntoParams;

use super::events::queue;
use super::sign;
use super::store::{
    self, DeliveryRow, EndpointRow, check_url, delivery_dto, events_column, find_delivery,
    find_endpoint,
};
use crate::AppState;
use crate::auth::caller::{ApiCaller, WebhooksManage};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::json::JsonBody;
use crate::schema::{webhook_deliveries, webhook_endpoints, webhook_events};

type Caller = ApiCaller<WebhooksManage>;

#[derive(Debug, serde::Deserialize, IntoParams)]
struct WebhookPath {
    /// Endpoint id.
    id: uuid::Uuid,
}

#[derive(Debug, serde::Deserialize, IntoParams)]
struct DeliveryPath {
    /// Delivery id.
    id: uuid::Uuid,
}

/// What the journal keeps of an endpoint: its host and events, not the whole URL (a path or query
/// may carry a token of the receiver's).
fn journaled(row: &EndpointRow) -> serde_json::Value {
    let host = reqwest::Url::parse(&row.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    serde_json::json!({ "host": host, "events": row.events, "enabled": row.enabled })
}

fn journal(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    row: &EndpointRow,
) -> Result<(), ApiError> {
    journal::record(
        conn,
        actor,
        action,
        "webhook_endpoint",
        Some(&row.id),
        journaled(row),
    )?;
    Ok(())
}

/// The registered webhook endpoints, newest first.
#[utoipa::path(tag = "webhooks",
    responses((status = 200, description = "OK", body = Vec<WebhookEndpoint>), crate::problems::Caller),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/webhooks")]
async fn list_webhooks(
    _caller: Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<WebhookEndpoint>>, ApiError> {
    let rows = db::run(&state.pool, |conn| {
        Ok(webhook_endpoints::table
            .order((
                webhook_endpoints::created_at.desc(),
                webhook_endpoints::id.desc(),
            ))
            .select(EndpointRow::as_select())
            .load(conn)?)
    })
    .await?;
    Ok(web::Json(
        rows.iter()
            .map(EndpointRow::dto)
            .collect::<Result<_, _>>()?,
    ))
}

/// Registers an endpoint for some events. The answer carries the signing secret, shown this once
/// (rotate it to get a new one). The URL must be `https://` (`http://` only for `localhost`);
/// nothing is sent to it until an event it subscribed to happens.
#[utoipa::path(tag = "webhooks", request_body = NewWebhookEndpoint,
    responses((status = 201, description = "Registered; keep the secret", body = WebhookSecret), crate::problems::Write),
    security(("bearer" = []), ("api_key" = [])))]
#[post("/webhooks")]
async fn create_webhook(
    caller: Caller,
    state: web::Data<AppState>,
    body: JsonBody<NewWebhookEndpoint>,
) -> Result<HttpResponse, ApiError> {
    let new = body.validated()?;
    let url = check_url(&new.url, &state.config.webhooks)?;
    let (id, now) = (db::new_id(), db::now());
    let secret = sign::new_secret();
    let row = EndpointRow {
        secret: sign::seal(&state.config.master_key, &id, &secret)?,
        id,
        url,
        description: store::description(new.description.as_deref()),
        events: events_column(&new.events),
        enabled: true,
        disabled_reason: None,
        consecutive_failures: 0,
        created_at: now,
        updated_at: now,
        last_delivery_at: None,
    };
    let (saved, actor) = (row.clone(), caller.actor());
    db::tx(&state.pool, move |conn| {
        diesel::insert_into(webhook_endpoints::table)
            .values(&row)
            .execute(conn)?;
        journal(conn, &actor, "webhook.create", &row)
    })
    .await?;
    Ok(HttpResponse::Created().json(WebhookSecret {
        endpoint: saved.dto()?,
        secret: secret.to_string(),
    }))
}

/// One endpoint.
#[utoipa::path(tag = "webhooks", params(WebhookPath),
    responses((status = 200, description = "OK", body = WebhookEndpoint), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/webhooks/{id}")]
async fn get_webhook(
    _caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<WebhookPath>,
) -> Result<web::Json<WebhookEndpoint>, ApiError> {
    let id = path.id.to_string();
    let row = db::run(&state.pool, move |conn| find_endpoint(conn, &id)).await?;
    Ok(web::Json(row.dto()?))
}

/// Replaces an endpoint's URL, description, events and state. `enabled: false` stops its deliveries
/// (those pending wait); `enabled: true` resumes them and resets the failure count.
#[utoipa::path(tag = "webhooks", params(WebhookPath), request_body = UpdateWebhookEndpoint,
    responses((status = 200, description = "Updated", body = WebhookEndpoint), crate::problems::Write, crate::problems::NotFound),
    security(("bearer" = []), ("api_key" = [])))]
#[put("/webhooks/{id}")]
async fn update_webhook(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<WebhookPath>,
    body: JsonBody<UpdateWebhookEndpoint>,
) -> Result<web::Json<WebhookEndpoint>, ApiError> {
    let new = body.validated()?;
    let url = check_url(&new.url, &state.config.webhooks)?;
    let (id, actor) = (path.id.to_string(), caller.actor());
    let row = db::tx(&state.pool, move |conn| {
        let mut row = find_endpoint(conn, &id)?;
        if new.enabled && !row.enabled {
            row.consecutive_failures = 0;
        }
        // An automatic disabling keeps its reason until the endpoint is enabled again.
        if new.enabled || row.enabled {
            row.disabled_reason = None;
        }
        row.url = url.clone();
        row.description = store::description(new.description.as_deref());
        row.events = events_column(&new.events);
        row.enabled = new.enabled;
        row.updated_at = db::now();
        diesel::update(webhook_endpoints::table.find(&id))
            .set((
                webhook_endpoints::url.eq(&row.url),
                webhook_endpoints::description.eq(&row.description),
                webhook_endpoints::events.eq(&row.events),
                webhook_endpoints::enabled.eq(row.enabled),
                webhook_endpoints::disabled_reason.eq(&row.disabled_reason),
                webhook_endpoints::consecutive_failures.eq(row.consecutive_failures),
                webhook_endpoints::updated_at.eq(row.updated_at),
            ))
            .execute(conn)?;
        journal(conn, &actor, "webhook.update", &row)?;
        Ok(row)
    })
    .await?;
    Ok(web::Json(row.dto()?))
}

/// Deletes an endpoint with its delivery log; nothing more is sent to it.
#[utoipa::path(tag = "webhooks", params(WebhookPath),
    responses((status = 204, description = "Deleted"), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[delete("/webhooks/{id}")]
async fn delete_webhook(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<WebhookPath>,
) -> Result<HttpResponse, ApiError> {
    let (id, actor) = (path.id.to_string(), caller.actor());
    db::tx(&state.pool, move |conn| {
        let row = find_endpoint(conn, &id)?;
        diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::endpoint_id.eq(&id)))
            .execute(conn)?;
        diesel::delete(webhook_endpoints::table.find(&id)).execute(conn)?;
        journal(conn, &actor, "webhook.delete", &row)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Gives the endpoint a new signing secret, shown this once; the old one stops signing at once.
#[utoipa::path(tag = "webhooks", params(WebhookPath),
    responses((status = 200, description = "The new secret", body = WebhookSecret), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[post("/webhooks/{id}/secret")]
async fn rotate_webhook_secret(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<WebhookPath>,
) -> Result<web::Json<WebhookSecret>, ApiError> {
    let (id, actor) = (path.id.to_string(), caller.actor());
    let secret = sign::new_secret();
    let sealed = sign::seal(&state.config.master_key, &id, &secret)?;
    let row = db::tx(&state.pool, move |conn| {
        let row = find_endpoint(conn, &id)?;
        diesel::update(webhook_endpoints::table.find(&id))
            .set((
                webhook_endpoints::secret.eq(&sealed),
                webhook_endpoints::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
        journal(conn, &actor, "webhook.rotate_secret", &row)?;
        Ok(row)
    })
    .await?;
    Ok(web::Json(WebhookSecret {
        endpoint: row.dto()?,
        secret: secret.to_string(),
    }))
}

/// The delivery log of an endpoint, newest first, each delivery with its attempts (time, the status
/// the endpoint answered or the error, duration).
#[utoipa::path(tag = "webhooks", params(WebhookPath, WebhookDeliveryFilter),
    responses((status = 200, description = "OK", body = Page<WebhookDelivery>), crate::problems::List, crate::problems::NotFound),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/webhooks/{id}/deliveries")]
async fn list_webhook_deliveries(
    _caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<WebhookPath>,
    req: HttpRequest,
) -> Result<web::Json<Page<WebhookDelivery>>, ApiError> {
    let filter: WebhookDeliveryFilter = crate::json::query(&req)?;
    let paged = crate::paged::Paged::from_request(&req)?;
    let id = path.id.to_string();
    let page = db::run(&state.pool, move |conn| {
        find_endpoint(conn, &id)?;
        let statuses: Vec<&str> = match filter.status {
            None => vec!["pending", "sending", "delivered", "failed"],
            Some(WebhookDeliveryStatus::Pending) => vec!["pending", "sending"],
            Some(s) => vec![s.as_str()],
        };
        let query = || {
            webhook_deliveries::table
                .inner_join(webhook_events::table)
                .filter(webhook_deliveries::endpoint_id.eq(id.clone()))
                .filter(webhook_deliveries::status.eq_any(statuses.clone()))
                .into_boxed()
        };
        let page = paged.load(conn, query, |q| {
            q.order((
                webhook_deliveries::created_at.desc(),
                webhook_deliveries::id.desc(),
            ))
            .select((DeliveryRow::as_select(), webhook_events::kind))
        })?;
        page.try_map_items(|rows: Vec<store::DeliveryWithKind>| {
            rows.into_iter().map(delivery_dto).collect()
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// Sends a delivery's event again, as a new delivery of the same event (same event id, so a receiver
/// that already handled it can tell); it goes out with the next run of the delivery job. 409 when the
/// endpoint is disabled (enable it first).
#[utoipa::path(tag = "webhooks", params(DeliveryPath),
    responses((status = 202, description = "Queued", body = WebhookDelivery), crate::problems::Read, crate::problems::Conflict),
    security(("bearer" = []), ("api_key" = [])))]
#[post("/webhook-deliveries/{id}/replay")]
async fn replay_webhook_delivery(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<DeliveryPath>,
) -> Result<HttpResponse, ApiError> {
    let (id, actor) = (path.id.to_string(), caller.actor());
    let delivery = db::tx(&state.pool, move |conn| {
        let (original, _) = find_delivery(conn, &id)?;
        let endpoint = find_endpoint(conn, &original.endpoint_id)?;
        if !endpoint.enabled {
            return Err(ApiError::conflict(
                Slug::WEBHOOK_DISABLED,
                "Ce point de réception est désactivé : réactivez-le pour rejouer l'envoi.",
            ));
        }
        let new = queue(
            conn,
            &endpoint.id,
            &original.event_id,
            Some(&original.id),
            db::now(),
        )?;
        let details = serde_json::json!({
            "endpoint_id": endpoint.id, "event_id": original.event_id, "replay_of": original.id,
        });
        journal::record(
            conn,
            &actor,
            "webhook.replay",
            "webhook_delivery",
            Some(&new),
            details,
        )?;
        find_delivery(conn, &new)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(delivery_dto(delivery)?))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_webhooks)
        .service(create_webhook)
        .service(get_webhook)
        .service(update_webhook)
        .service(delete_webhook)
        .service(rotate_webhook_secret)
        .service(list_webhook_deliveries)
        .service(replay_webhook_delivery);
}
