//! The threads: the caller's list, a thread's messages (paged), sending, and read receipts.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use boussole_shared::Page;
use boussole_shared::Slug;
use boussole_shared::access::AccessKind;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::messages::{
    ConversationList, Message, MessageChange, NewMessage, ReadReceipt, UnreadCounts,
};
use boussole_shared::users::Role;
use diesel::prelude::*;

use super::store::{self, COLUMNS, MessageRow, Thread};
use super::{ConversationPath, notice};
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::bilans::access;
use crate::crypto;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::live::Live;
use crate::paged::Paged;
use crate::schema::{
    bilan_files, conversation_messages as m, conversation_reads as r, conversations as c,
};

/// The caller's threads (one per bilan they take part in now, and their direct threads with other
/// staff members), with unread counts and their total. Admins have only direct threads. A bilan's
/// thread is created here the first time it is listed.
#[utoipa::path(tag = "messages",
    responses((status = 200, description = "OK", body = ConversationList), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/conversations")]
async fn list_conversations(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<web::Json<ConversationList>, ApiError> {
    let list = db::run(&state.pool, move |conn| {
        let items = store::summaries(conn, &viewer)?;
        let total_unread = items.iter().map(|s| s.unread).sum();
        Ok(ConversationList {
            items,
            total_unread,
        })
    })
    .await?;
    Ok(web::Json(list))
}

/// A thread's messages, newest first (`?page=&per_page=`). A consultant's read of a bilan's thread is
/// journaled in the bilan's access history.
#[utoipa::path(tag = "messages", params(ConversationPath, boussole_shared::PageQuery),
    responses((status = 200, description = "OK", body = Page<Message>), crate::problems::Read, crate::problems::BadRequest, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/conversations/{id}/messages")]
async fn list_messages(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ConversationPath>,
    req: HttpRequest,
) -> Result<web::Json<Page<Message>>, ApiError> {
    let paged = Paged::from_request(&req)?;
    let id = path.id.to_string();
    let st = state.clone();
    let page = db::run(&state.pool, move |conn| {
        let thread = store::thread_of(conn, &id, &viewer)?;
        if let Some(bilan) = thread.bilan() {
            access::read_content(conn, bilan, &viewer, AccessKind::Messages, None)?;
        }
        let key = store::key_of(conn, &st.config.master_key, &id, &thread)?;
        let page: Page<MessageRow> = paged.load(
            conn,
            || m::table.filter(m::conversation_id.eq(&id)).into_boxed(),
            |q| {
                q.order((m::created_at.desc(), m::id.desc()))
                    .select(COLUMNS)
            },
        )?;
        page.try_map_items(|rows| store::to_dtos(conn, &key, rows))
    })
    .await?;
    Ok(web::Json(page))
}

/// The thread, for a write by `viewer` (one of its people now; admins 403 on a bilan's, others 404).
pub fn for_write(
    conn: &mut Conn,
    conversation_id: &str,
    viewer: &Viewer,
) -> Result<Thread, ApiError> {
    store::joined(conn, conversation_id, viewer)
}

/// The attachment of a new message: a live document of the thread's bilan; a direct thread takes none
/// (attachments are bilan files, destroyed with the bilan).
fn check_attachment(
    conn: &mut Conn,
    thread: &Thread,
    attachment: Option<uuid::Uuid>,
) -> Result<(), ApiError> {
    let Some(file) = attachment else {
        return Ok(());
    };
    let Some(bilan) = thread.bilan() else {
        return Err(ApiError::Rule {
            slug: Slug::ATTACHMENT_OUTSIDE_BILAN,
            detail: "Une pièce jointe est un document d'un bilan : un fil direct n'en prend pas."
                .into(),
            missing: vec!["attachment_id".into()],
        });
    };
    let n: i64 = bilan_files::table
        .filter(bilan_files::id.eq(file.to_string()))
        .filter(bilan_files::bilan_id.eq(bilan))
        .filter(bilan_files::destroyed_at.is_null())
        .count()
        .get_result(conn)?;
    if n == 0 {
        return Err(ApiError::field(
            "attachment_id",
            FieldRule::Unknown,
            "aucun document de ce bilan",
        ));
    }
    Ok(())
}

/// The message's text, trimmed of nothing but refused when only spaces.
pub fn checked_body(body: &str) -> Result<(), ApiError> {
    if body.trim().is_empty() {
        return Err(ApiError::field(
            "body",
            FieldRule::Required,
            "le message est vide",
        ));
    }
    Ok(())
}

/// Sends a message to the thread; the others are told live and, at most once a quarter of an hour
/// per thread, by an email without its content.
#[utoipa::path(tag = "messages", params(ConversationPath), request_body = NewMessage,
    responses((status = 201, description = "Created", body = Message), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/conversations/{id}/messages")]
async fn post_message(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ConversationPath>,
    body: JsonBody<NewMessage>,
) -> Result<HttpResponse, ApiError> {
    let id = path.id.to_string();
    // An admin hears 403 whatever they send (see projection::may_write).
    let (v, cid) = (viewer.clone(), id.clone());
    db::run(&state.pool, move |conn| {
        for_write(conn, &cid, &v).map(|_| ())
    })
    .await?;
    let new = body.validated()?;
    checked_body(&new.body)?;
    let st = state.clone();
    let me = viewer.clone();
    let (message, recipients) = db::tx(&state.pool, move |conn| {
        let thread = for_write(conn, &id, &me)?;
        check_attachment(conn, &thread, new.attachment_id)?;
        let key = store::key_of(conn, &st.config.master_key, &id, &thread)?;
        let (mid, now) = (db::new_id(), st.config.clock.utc_now());
        diesel::insert_into(m::table)
            .values((
                m::id.eq(&mid),
                m::conversation_id.eq(&id),
                m::author_id.eq(me.id()),
                m::body.eq(Some(crypto::encrypt(&key, &mid, &new.body)?)),
                m::attachment_id.eq(new.attachment_id.map(|f| f.to_string())),
                m::created_at.eq(now),
                m::updated_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(c::table.find(&id))
            .set(c::last_message_at.eq(now))
            .execute(conn)?;
        let others: Vec<String> = store::people_of(conn, &id, &thread)?
            .into_iter()
            .filter(|p| p != me.id())
            .collect();
        // The notice names the author's side only in a bilan's thread ("de votre consultant");
        // between colleagues it says nothing of who wrote (the `Admin` wording).
        let role = match (&thread, &me) {
            (Thread::Direct, _) | (_, Viewer::Admin(_)) => Role::Admin,
            (_, Viewer::Consultant(_)) => Role::Consultant,
            (_, Viewer::Beneficiary(_)) => Role::Beneficiary,
        };
        notice::tell(conn, &id, &others, role, now, &st.config.public_url)?;
        let row = store::find(conn, &mid)?;
        let mut dto = store::to_dtos(conn, &key, vec![row])?;
        let message = dto.pop().ok_or(ApiError::NotFound)?;
        let mut recipients = others;
        recipients.push(me.id().to_string());
        Ok((message, recipients))
    })
    .await?;
    state.live.send(Live::Message {
        recipients,
        conversation_id: message.conversation_id.to_string(),
        message_id: message.id.to_string(),
        change: MessageChange::Created,
        stamp: message.created_at.naive_utc(),
    });
    Ok(HttpResponse::Created().json(message))
}

/// Marks the thread read up to a message (included). A receipt never moves the mark back: of two sent
/// at once, the later message wins whichever arrives last.
#[utoipa::path(tag = "messages", params(ConversationPath), request_body = ReadReceipt,
    responses((status = 200, description = "The caller's unread counts now", body = UnreadCounts), crate::problems::Write, crate::problems::NotFound),
    security(("bearer" = [])))]
#[post("/conversations/{id}/read")]
async fn mark_read(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ConversationPath>,
    body: JsonBody<ReadReceipt>,
) -> Result<web::Json<UnreadCounts>, ApiError> {
    let id = path.id.to_string();
    let (v, cid) = (viewer.clone(), id.clone());
    db::run(&state.pool, move |conn| {
        for_write(conn, &cid, &v).map(|_| ())
    })
    .await?;
    let receipt = body.validated()?;
    let me = viewer.clone();
    let counts = db::tx(&state.pool, move |conn| {
        for_write(conn, &id, &me)?;
        let up_to = receipt.up_to.to_string();
        let at: NaiveDateTimeOpt = m::table
            .filter(m::id.eq(&up_to))
            .filter(m::conversation_id.eq(&id))
            .select(m::created_at)
            .first(conn)
            .optional()?;
        let at = at.ok_or_else(|| {
            ApiError::field("up_to", FieldRule::Unknown, "aucun message de ce fil")
        })?;
        notice::mark_row(conn, &id, me.id())?;
        // Forward only: (read_up_to, read_message_id) grows, compared as a pair.
        diesel::update(
            r::table.find((&id, me.id())).filter(
                r::read_up_to
                    .is_null()
                    .or(r::read_up_to.lt(at))
                    .or(r::read_up_to.eq(at).and(r::read_message_id.lt(&up_to))),
            ),
        )
        .set((r::read_up_to.eq(at), r::read_message_id.eq(&up_to)))
        .execute(conn)?;
        Ok(UnreadCounts {
            conversation_id: uuid_of(&id)?,
            unread: store::unread(conn, &id, me.id())?,
            total_unread: store::total_unread(conn, &me)?,
        })
    })
    .await?;
    state.live.send(Live::Read {
        user: viewer.id().to_string(),
        conversation_id: counts.conversation_id.to_string(),
    });
    Ok(web::Json(counts))
}

type NaiveDateTimeOpt = Option<chrono::NaiveDateTime>;
