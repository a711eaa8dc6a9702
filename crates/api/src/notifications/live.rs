//! The notification side of the live stream (`messages::live` runs the stream): a `notification`
//! event per new notification of the stream's owner (id: its time, like message events, so one
//! `Last-Event-ID` resumes both), and `notification_summary` when their unread count changed by a read
//! elsewhere.
//!
//! A stream remembers the notifications it has already sent, of a window that starts a minute before
//! it opened, and at each wake sends the others of that window: a transaction that committed late
//! (its rows dated before a later one's) is still delivered, and none twice.

use std::collections::HashSet;

use actix_web::web::Bytes;
use boussole_shared::notifications::{NotificationEvent, NotificationSummary};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::store::{self, NotificationRow};
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::live::{frame, stamp_id};
use crate::schema::notifications as n;

/// At most this many notifications are replayed on reconnection (older: the client reloads its list).
const CATCH_UP_LIMIT: i64 = 200;

/// What one stream has sent of its owner's notifications.
#[derive(Debug)]
pub struct Cursor {
    user: String,
    window: NaiveDateTime,
    seen: HashSet<String>,
}

fn event(row: &NotificationRow, unread: i64) -> Result<(NaiveDateTime, Bytes), ApiError> {
    let data = NotificationEvent {
        id: uuid_of(&row.id)?,
        kind: row.kind()?,
        unread,
    };
    let id = stamp_id(row.created_at);
    Ok((row.created_at, frame(Some(&id), "notification", &data)))
}

fn rows_since(
    conn: &mut Conn,
    user: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<NotificationRow>> {
    n::table
        .filter(n::user_id.eq(user))
        .filter(n::created_at.ge(since))
        .order((n::created_at.asc(), n::id.asc()))
        .limit(CATCH_UP_LIMIT)
        .select(NotificationRow::as_select())
        .load(conn)
}

impl Cursor {
    /// Opens the cursor of `user`'s stream: the notifications since `since` (the client's last event
    /// id) to replay, each with its time so they merge with the message events.
    pub fn open(
        conn: &mut Conn,
        user: &str,
        since: Option<NaiveDateTime>,
    ) -> Result<(Cursor, Vec<(NaiveDateTime, Bytes)>), ApiError> {
        let window = db::now() - chrono::Duration::minutes(1);
        let mut cursor = Cursor {
            user: user.to_string(),
            window,
            seen: HashSet::new(),
        };
        cursor
            .seen
            .extend(rows_since(conn, user, window)?.into_iter().map(|r| r.id));
        let mut replay = Vec::new();
        if let Some(since) = since {
            let rows = rows_since(conn, user, since)?;
            let unread = store::unread(conn, user)?;
            for row in &rows {
                replay.push(event(row, unread)?);
            }
            cursor.seen.extend(rows.into_iter().map(|r| r.id));
        }
        Ok((cursor, replay))
    }

    /// The `notification` events of the owner's notifications not sent yet.
    pub fn fresh(&mut self, conn: &mut Conn) -> Result<Vec<Bytes>, ApiError> {
        let rows: Vec<NotificationRow> = rows_since(conn, &self.user, self.window)?
            .into_iter()
            .filter(|r| !self.seen.contains(&r.id))
            .collect();
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let unread = store::unread(conn, &self.user)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(event(&row, unread)?.1);
            self.seen.insert(row.id);
        }
        Ok(out)
    }
}

/// The owner's unread count (`notification_summary`, no id: nothing to resume from).
pub fn summary(conn: &mut Conn, user: &str) -> Result<Bytes, ApiError> {
    let data = NotificationSummary {
        unread: store::unread(conn, user)?,
    };
    Ok(frame(None, "notification_summary", &data))
}
