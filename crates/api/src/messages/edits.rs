//! A message's author changes it or withdraws it, within the edit window. A withdrawn message stays
//! in the thread as a marker ("message retiré") for everyone; its text is wiped. Nothing is deleted:
//! what the other side may have read does not silently vanish.

use actix_web::{patch, post, web};
use boussole_shared::Slug;
use boussole_shared::messages::{EDIT_WINDOW_MINUTES, EditMessage, Message, MessageChange};
use diesel::prelude::*;

use super::MessagePath;
use super::store::{self, Thread};
use super::threads::{checked_body, for_write};
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::crypto;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::live::Live;
use crate::schema::conversation_messages as m;

/// The message if `viewer` may change it now: one of its thread's people (admins 403 in a bilan's
/// thread, others 404), its author (403 `not-author`), not withdrawn, within the window (422
/// `edit-window-closed`).
fn own_message(
    conn: &mut Conn,
    id: &str,
    viewer: &Viewer,
    now: chrono::NaiveDateTime,
) -> Result<(store::MessageRow, Thread), ApiError> {
    let row = store::find(conn, id)?;
    let thread = for_write(conn, &row.1, viewer)?;
    if row.2 != viewer.id() {
        return Err(ApiError::forbidden(
            Slug::NOT_AUTHOR,
            "Seul l'auteur d'un message peut le modifier ou le retirer.",
        ));
    }
    if row.7.is_some() {
        return Err(ApiError::Rule {
            slug: Slug::MESSAGE_WITHDRAWN,
            detail: "Ce message a été retiré.".into(),
            missing: vec![],
        });
    }
    if now > row.5 + chrono::Duration::minutes(EDIT_WINDOW_MINUTES) {
        return Err(ApiError::Rule {
            slug: Slug::EDIT_WINDOW_CLOSED,
            detail: format!(
                "Un message ne peut être modifié ou retiré que dans les {EDIT_WINDOW_MINUTES} minutes qui suivent son envoi."
            ),
            missing: vec![],
        });
    }
    Ok((row, thread))
}

async fn change(
    viewer: Viewer,
    state: web::Data<AppState>,
    id: String,
    new_body: Option<String>,
) -> Result<web::Json<Message>, ApiError> {
    let st = state.clone();
    let me = viewer.clone();
    let mid = id.clone();
    let (message, recipients) = db::tx(&state.pool, move |conn| {
        let now = st.config.clock.utc_now();
        let (row, thread) = own_message(conn, &mid, &me, now)?;
        let key = store::key_of(conn, &st.config.master_key, &row.1, &thread)?;
        match &new_body {
            Some(text) => diesel::update(m::table.find(&mid))
                .set((
                    m::body.eq(Some(crypto::encrypt(&key, &mid, text)?)),
                    m::edited_at.eq(now),
                    m::updated_at.eq(now),
                ))
                .execute(conn)?,
            None => diesel::update(m::table.find(&mid))
                .set((
                    m::body.eq(None::<Vec<u8>>),
                    m::withdrawn_at.eq(now),
                    m::updated_at.eq(now),
                ))
                .execute(conn)?,
        };
        let fresh = store::find(conn, &mid)?;
        let message = store::to_dtos(conn, &key, vec![fresh])?
            .pop()
            .ok_or(ApiError::NotFound)?;
        Ok(((message, now), store::people_of(conn, &row.1, &thread)?))
    })
    .await?;
    let (message, stamp) = message;
    state.live.send(Live::Message {
        recipients,
        conversation_id: message.conversation_id.to_string(),
        message_id: message.id.to_string(),
        change: if message.withdrawn_at.is_some() {
            MessageChange::Withdrawn
        } else {
            MessageChange::Edited
        },
        stamp,
    });
    Ok(web::Json(message))
}

/// Its author corrects a message, within 10 minutes of sending it.
#[utoipa::path(tag = "messages", params(MessagePath), request_body = EditMessage,
    responses((status = 200, description = "OK", body = Message), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[patch("/messages/{id}")]
async fn edit_message(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<MessagePath>,
    body: JsonBody<EditMessage>,
) -> Result<web::Json<Message>, ApiError> {
    let id = path.id.to_string();
    let (v, mid, st) = (viewer.clone(), id.clone(), state.clone());
    // Who may edit is decided before the body is read, so that an admin hears 403 whatever they send.
    db::run(&state.pool, move |conn| {
        own_message(conn, &mid, &v, st.config.clock.utc_now()).map(|_| ())
    })
    .await?;
    let edit = body.validated()?;
    checked_body(&edit.body)?;
    change(viewer, state, id, Some(edit.body)).await
}

/// Its author withdraws a message, within 10 minutes of sending it: the others see that it was
/// withdrawn, not what it said.
#[utoipa::path(tag = "messages", params(MessagePath),
    responses((status = 200, description = "OK", body = Message), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/messages/{id}/withdraw")]
async fn withdraw_message(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<MessagePath>,
) -> Result<web::Json<Message>, ApiError> {
    change(viewer, state, path.id.to_string(), None).await
}
