//! The live stream (issue 14, item 2): `GET /api/v1/events`, server-sent events over the caller's own
//! bearer token. The web app reads it with `fetch` (the access token lives in its memory and an
//! `EventSource` cannot send it; a token in the URL would end up in proxies' logs), so no other way
//! in is needed.
//!
//! Events say which message changed and the receiver's unread counts, never the text: the client reads
//! it through the API, which checks who may read and journals the read. Each event is checked again
//! against the database when it goes out (a consultant unassigned since gets nothing more).
//!
//! The same stream carries the caller's notifications (`crate::notifications::live`), admins' too
//! (they have notifications, never bilan threads).
//!
//! One process: the writes of this server reach its streams through a broadcast channel in AppState
//! (`crate::live`, which notifications publish on too).
//! Several servers would need the database to carry them (PostgreSQL LISTEN/NOTIFY); a client of
//! another server still catches up at its next reconnection, from the database.
//!
//! Ids: a `message` event's id is the time of the message's last change (microseconds since 1970).
//! A client reconnecting with `Last-Event-ID` gets every change of its threads since then (that one
//! included: merge by message id), read from the database, so a server restart loses nothing.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use boussole_shared::messages::{MessageChange, MessageEvent, UnreadCounts};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use tokio::sync::broadcast;

use super::store;
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::db::{self, uuid_of};
use crate::error::ApiError;
use crate::live::{Live, frame, stamp_id};
use crate::notifications::{self, live::Cursor};
use crate::schema::conversation_messages as m;

/// A stream ends after this long; the client opens a new one with a fresh token and its last event id,
/// so that a revoked session or a changed role does not keep a stream open for long.
const STREAM_LIFETIME: Duration = Duration::from_secs(5 * 60);
/// A comment line this often keeps proxies from closing an idle stream.
const HEARTBEAT: Duration = Duration::from_secs(25);
/// At most this many changes are replayed on reconnection (older: the client reloads its lists).
const CATCH_UP_LIMIT: i64 = 500;

fn change_of(edited: Option<NaiveDateTime>, withdrawn: Option<NaiveDateTime>) -> MessageChange {
    match (withdrawn, edited) {
        (Some(_), _) => MessageChange::Withdrawn,
        (None, Some(_)) => MessageChange::Edited,
        (None, None) => MessageChange::Created,
    }
}

/// The event for `viewer`, if they may still read the thread.
fn message_event(
    conn: &mut db::Conn,
    viewer: &Viewer,
    conversation_id: &str,
    message_id: &str,
    change: MessageChange,
    stamp: NaiveDateTime,
) -> Result<Option<Bytes>, ApiError> {
    if store::joined(conn, conversation_id, viewer).is_err() {
        return Ok(None);
    }
    let data = MessageEvent {
        conversation_id: uuid_of(conversation_id)?,
        message_id: uuid_of(message_id)?,
        change,
        unread: store::unread(conn, conversation_id, viewer.id())?,
        total_unread: store::total_unread(conn, viewer)?,
    };
    Ok(Some(frame(Some(&stamp_id(stamp)), "message", &data)))
}

fn unread_event(
    conn: &mut db::Conn,
    viewer: &Viewer,
    conversation_id: &str,
) -> Result<Bytes, ApiError> {
    let data = UnreadCounts {
        conversation_id: uuid_of(conversation_id)?,
        unread: store::unread(conn, conversation_id, viewer.id())?,
        total_unread: store::total_unread(conn, viewer)?,
    };
    Ok(frame(None, "unread", &data))
}

/// What a (re)connecting client is owed: the changes of its threads and its notifications since its
/// last event id (merged in time order, so the ids it receives never go back), then its counts; and
/// the cursor of its notifications.
fn opening(
    conn: &mut db::Conn,
    viewer: &Viewer,
    since: Option<NaiveDateTime>,
) -> Result<(Vec<Bytes>, Cursor), ApiError> {
    let (cursor, mut replay) = Cursor::open(conn, viewer.id(), since)?;
    let mut counts = vec![notifications::live::summary(conn, viewer.id())?];
    // An admin's threads are their direct ones only (`store::summaries` never lists a bilan's to them).
    replay.extend(thread_changes(conn, viewer, since, &mut counts)?);
    replay.sort_by_key(|(stamp, _)| *stamp);
    let mut out: Vec<Bytes> = replay.into_iter().map(|(_, b)| b).collect();
    out.extend(counts);
    Ok((out, cursor))
}

/// The changes of the viewer's threads since `since`, each with its time; their counts go to `counts`.
fn thread_changes(
    conn: &mut db::Conn,
    viewer: &Viewer,
    since: Option<NaiveDateTime>,
    counts: &mut Vec<Bytes>,
) -> Result<Vec<(NaiveDateTime, Bytes)>, ApiError> {
    let threads = store::summaries(conn, viewer)?;
    let ids: Vec<String> = threads.iter().map(|t| t.id.to_string()).collect();
    let mut out = Vec::new();
    if let Some(since) = since {
        let rows: Vec<ChangeRow> = m::table
            .filter(m::conversation_id.eq_any(&ids))
            .filter(m::updated_at.ge(since))
            .order((m::updated_at.asc(), m::id.asc()))
            .limit(CATCH_UP_LIMIT)
            .select((
                m::id,
                m::conversation_id,
                m::edited_at,
                m::withdrawn_at,
                m::updated_at,
            ))
            .load(conn)?;
        for (id, conv, edited, withdrawn, stamp) in rows {
            let change = change_of(edited, withdrawn);
            let event = message_event(conn, viewer, &conv, &id, change, stamp)?;
            out.extend(event.map(|b| (stamp, b)));
        }
    }
    for t in &threads {
        counts.push(unread_event(conn, viewer, &t.id.to_string())?);
    }
    Ok(out)
}

/// A message's change for the catch-up: id, thread, edited, withdrawn, last change.
type ChangeRow = (
    String,
    String,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    NaiveDateTime,
);

fn last_event_id(req: &HttpRequest) -> Option<NaiveDateTime> {
    let raw = req.headers().get("Last-Event-ID")?.to_str().ok()?;
    let micros: i64 = raw.trim().parse().ok()?;
    chrono::DateTime::from_timestamp_micros(micros).map(|t| t.naive_utc())
}

struct Stream {
    rx: broadcast::Receiver<Arc<Live>>,
    state: web::Data<AppState>,
    viewer: Viewer,
    /// Taken by the database work of each wake, then put back.
    cursor: Option<Cursor>,
    queue: VecDeque<Bytes>,
    deadline: tokio::time::Instant,
}

impl Stream {
    /// The next frame, or `None` to end the stream (lifetime over, or the client fell too far behind:
    /// it reconnects and catches up from the database).
    async fn next(mut self) -> Option<(Result<Bytes, actix_web::Error>, Stream)> {
        loop {
            if let Some(b) = self.queue.pop_front() {
                return Some((Ok(b), self));
            }
            let received = tokio::select! {
                r = self.rx.recv() => r.map(Some),
                // A heartbeat also looks for notifications written by another process.
                () = tokio::time::sleep(HEARTBEAT) => Ok(None),
                () = tokio::time::sleep_until(self.deadline) => return None,
            };
            let event = match received {
                Ok(e) => e,
                Err(_) => return None,
            };
            if !event
                .as_deref()
                .is_none_or(|e| concerns(e, self.viewer.id()))
            {
                continue;
            }
            let (viewer, cursor) = (self.viewer.clone(), self.cursor.take());
            let frames = db::run(&self.state.pool, move |conn| {
                let Some(mut cursor) = cursor else {
                    return Err(ApiError::internal("live stream without its cursor"));
                };
                let mut out = match event.as_deref() {
                    Some(e) => live_event(conn, &viewer, e)?,
                    None => vec![Bytes::from_static(b": ping\n\n")],
                };
                out.extend(cursor.fresh(conn)?);
                Ok((out, cursor))
            })
            .await;
            match frames {
                Ok((frames, cursor)) => {
                    self.cursor = Some(cursor);
                    self.queue.extend(frames);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "live stream: an event could not be prepared");
                    return None;
                }
            }
        }
    }
}

/// Whether an event may change what `user`'s stream shows (the others are not even looked at).
fn concerns(event: &Live, user: &str) -> bool {
    match event {
        Live::Message { recipients, .. } | Live::Notified { users: recipients } => {
            recipients.iter().any(|r| r == user)
        }
        Live::Read { user: u, .. } | Live::NotificationsRead { user: u } => u == user,
    }
}

/// The frames of an event that concerns the viewer.
fn live_event(conn: &mut db::Conn, viewer: &Viewer, event: &Live) -> Result<Vec<Bytes>, ApiError> {
    Ok(match event {
        Live::Message {
            conversation_id,
            message_id,
            change,
            stamp,
            ..
        } => message_event(conn, viewer, conversation_id, message_id, *change, *stamp)?
            .into_iter()
            .collect(),
        Live::Read {
            conversation_id, ..
        } => vec![unread_event(conn, viewer, conversation_id)?],
        Live::NotificationsRead { .. } => vec![notifications::live::summary(conn, viewer.id())?],
        // Its notifications are read by the cursor, as after every wake.
        Live::Notified { .. } => Vec::new(),
    })
}

/// The caller's live events (`text/event-stream`): `message` (id: resume point) and `unread`,
/// `notification` (id: resume point) and `notification_summary`.
#[utoipa::path(tag = "messages",
    params(("Last-Event-ID" = Option<String>, Header, description = "The last event id received: the changes since are replayed")),
    responses((status = 200, description = "A stream of server-sent events: `message` (data: MessageEvent) and `unread` (data: UnreadCounts) for the caller's threads (not admins: bilan threads are content); `notification` (data: NotificationEvent) and `notification_summary` (data: NotificationSummary) for everyone. Ids (of `message` and `notification`) are one time line: send the last one back as `Last-Event-ID`", content_type = "text/event-stream", body = String),
        crate::problems::Read),
    security(("bearer" = [])))]
#[get("/events")]
async fn events(
    viewer: Viewer,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    // Listening before reading the catch-up: a message sent in between is seen twice, never lost.
    let rx = state.live.subscribe();
    let since = last_event_id(&req);
    let v = viewer.clone();
    let (opening, cursor) = db::run(&state.pool, move |conn| opening(conn, &v, since)).await?;
    let mut queue: VecDeque<Bytes> = opening.into();
    // Asks the browser to wait 3 s before reconnecting when the stream ends.
    queue.push_front(Bytes::from_static(b"retry: 3000\n\n"));
    let stream = Stream {
        rx,
        state: state.clone(),
        viewer,
        cursor: Some(cursor),
        queue,
        deadline: tokio::time::Instant::now() + STREAM_LIFETIME,
    };
    let body = futures_util::stream::unfold(stream, Stream::next);
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body))
}
