//! The threads' data: who takes part (a bilan's people read live from the bilan, never copied; a
//! direct thread's two members), the threads of a caller, unread counts and messages as DTOs. Plain
//! functions over `&mut Conn`.

use std::collections::HashMap;

use boussole_shared::bilans::PersonRef;
use boussole_shared::messages::{
    ConversationKind, ConversationSummary, EDIT_WINDOW_MINUTES, Message,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::direct;
use crate::auth::caller::Viewer;
use crate::bilans::model;
use crate::crypto;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::schema::{
    bilan_consultants, bilans, conversation_messages as m, conversation_reads as r,
    conversations as c,
};

/// The beneficiary and the consultants assigned now: the people of a bilan's thread.
pub fn participants(conn: &mut Conn, bilan_id: &str) -> QueryResult<Vec<String>> {
    let beneficiary: String = bilans::table
        .find(bilan_id)
        .select(bilans::beneficiary_id)
        .first(conn)?;
    let mut ids: Vec<String> = bilan_consultants::table
        .filter(bilan_consultants::bilan_id.eq(bilan_id))
        .filter(bilan_consultants::unassigned_at.is_null())
        .select(bilan_consultants::consultant_id)
        .load(conn)?;
    ids.insert(0, beneficiary);
    ids.dedup();
    Ok(ids)
}

/// The bilans whose thread the caller takes part in now (content not destroyed). Admins have none:
/// a bilan's thread is bilan content.
pub fn my_bilans(conn: &mut Conn, viewer: &Viewer) -> QueryResult<Vec<String>> {
    match viewer {
        Viewer::Admin(_) => Ok(Vec::new()),
        Viewer::Beneficiary(id) => bilans::table
            .filter(bilans::beneficiary_id.eq(id))
            .filter(bilans::content_destroyed_at.is_null())
            .select(bilans::id)
            .load(conn),
        Viewer::Consultant(id) => bilan_consultants::table
            .inner_join(bilans::table)
            .filter(bilan_consultants::consultant_id.eq(id))
            .filter(bilan_consultants::unassigned_at.is_null())
            .filter(bilans::content_destroyed_at.is_null())
            .select(bilans::id)
            .load(conn),
    }
}

/// The thread of a bilan, created on first use (two first uses at once: the unique index keeps one).
pub fn ensure(conn: &mut Conn, bilan_id: &str) -> QueryResult<String> {
    // Read first: listing threads (and every live event) should not take SQLite's write lock.
    let found: Option<String> = c::table
        .filter(c::bilan_id.eq(bilan_id))
        .select(c::id)
        .first(conn)
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    let (id, now) = (db::new_id(), db::now());
    crate::on_backend!(conn, |co| {
        diesel::insert_into(c::table)
            .values((
                c::id.eq(&id),
                c::kind.eq("bilan"),
                c::bilan_id.eq(bilan_id),
                c::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(co)
    })?;
    c::table
        .filter(c::bilan_id.eq(bilan_id))
        .select(c::id)
        .first(conn)
}

/// What a thread is: a bilan's (its id), or a direct thread between two staff members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Thread {
    Bilan(String),
    Direct,
}

impl Thread {
    /// The bilan a bilan's thread belongs to.
    pub fn bilan(&self) -> Option<&str> {
        match self {
            Thread::Bilan(id) => Some(id),
            Thread::Direct => None,
        }
    }
}

/// The thread `conversation_id` as `viewer` may reach it: a bilan's (admins 403 — bilan content — and
/// whether the viewer takes part is the caller's check, with or without journaling the read), or a
/// direct thread they are a member of. Unknown, or a direct thread of others: 404.
pub fn thread_of(
    conn: &mut Conn,
    conversation_id: &str,
    viewer: &Viewer,
) -> Result<Thread, ApiError> {
    let bilan: Option<String> = c::table
        .find(conversation_id)
        .select(c::bilan_id)
        .first::<Option<String>>(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    match bilan {
        Some(_) if matches!(viewer, Viewer::Admin(_)) => Err(model::content_refused()),
        Some(bilan) => Ok(Thread::Bilan(bilan)),
        None if direct::is_member(conn, conversation_id, viewer.id())? => Ok(Thread::Direct),
        None => Err(ApiError::NotFound),
    }
}

/// The thread if `viewer` takes part in it now (a bilan's: the beneficiary or a consultant assigned
/// now, content not destroyed), without journaling anything.
pub fn joined(conn: &mut Conn, conversation_id: &str, viewer: &Viewer) -> Result<Thread, ApiError> {
    let thread = thread_of(conn, conversation_id, viewer)?;
    if let Thread::Bilan(bilan) = &thread {
        model::load_for_content(conn, bilan, viewer)?;
    }
    Ok(thread)
}

/// The key the thread's texts are sealed under: the bilan's, or one derived from the master key for
/// this direct thread alone (a bilan key never opens a staff thread, nor one staff thread another).
pub fn key_of(
    conn: &mut Conn,
    master: &[u8; 32],
    conversation_id: &str,
    thread: &Thread,
) -> Result<zeroize::Zeroizing<Vec<u8>>, ApiError> {
    match thread {
        Thread::Bilan(bilan) => model::content_key(conn, master, bilan),
        Thread::Direct => {
            let purpose = format!("direct-thread:{conversation_id}");
            Ok(zeroize::Zeroizing::new(
                crypto::derived_key(master, &purpose).to_vec(),
            ))
        }
    }
}

/// The people of a thread now.
pub fn people_of(
    conn: &mut Conn,
    conversation_id: &str,
    thread: &Thread,
) -> QueryResult<Vec<String>> {
    match thread {
        Thread::Bilan(bilan) => participants(conn, bilan),
        Thread::Direct => direct::members(conn, conversation_id),
    }
}

/// Where `user` has read up to in a thread: (the read message's time, its id).
fn read_mark(
    conn: &mut Conn,
    conversation_id: &str,
    user: &str,
) -> QueryResult<(Option<NaiveDateTime>, Option<String>)> {
    Ok(r::table
        .find((conversation_id, user))
        .select((r::read_up_to, r::read_message_id))
        .first(conn)
        .optional()?
        .unwrap_or((None, None)))
}

/// The others' messages, not withdrawn, after `user`'s read mark.
pub fn unread(conn: &mut Conn, conversation_id: &str, user: &str) -> QueryResult<i64> {
    let (at, mid) = read_mark(conn, conversation_id, user)?;
    let mut q = m::table
        .filter(m::conversation_id.eq(conversation_id))
        .filter(m::author_id.ne(user))
        .filter(m::withdrawn_at.is_null())
        .into_boxed();
    if let Some(at) = at {
        let mid = mid.unwrap_or_default();
        q = q.filter(
            m::created_at
                .gt(at)
                .or(m::created_at.eq(at).and(m::id.gt(mid))),
        );
    }
    q.count().get_result(conn)
}

/// The caller's threads (each bilan's created if missing), most recent first, with their unread
/// counts: the bilans they take part in now, and their direct threads (admins: those only).
pub fn summaries(conn: &mut Conn, viewer: &Viewer) -> Result<Vec<ConversationSummary>, ApiError> {
    let me = viewer.id().to_string();
    let mut threads: Vec<(String, Thread)> = Vec::new();
    for bilan in my_bilans(conn, viewer)? {
        threads.push((ensure(conn, &bilan)?, Thread::Bilan(bilan)));
    }
    for id in direct::threads_of(conn, &me)? {
        threads.push((id, Thread::Direct));
    }
    let mut out = Vec::new();
    for (id, thread) in threads {
        let last: Option<NaiveDateTime> =
            c::table.find(&id).select(c::last_message_at).first(conn)?;
        let others: Vec<String> = people_of(conn, &id, &thread)?
            .into_iter()
            .filter(|p| *p != me)
            .collect();
        let refs: Vec<&str> = others.iter().map(String::as_str).collect();
        let people = model::people(conn, &refs)?;
        out.push(ConversationSummary {
            id: uuid_of(&id)?,
            kind: match thread {
                Thread::Bilan(_) => ConversationKind::Bilan,
                Thread::Direct => ConversationKind::Direct,
            },
            bilan_id: thread.bilan().map(uuid_of).transpose()?,
            with: others
                .iter()
                .filter_map(|p| people.get(p).cloned())
                .collect(),
            last_message_at: last.map(|t| t.and_utc()),
            unread: unread(conn, &id, &me)?,
        });
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.last_message_at));
    Ok(out)
}

/// The caller's unread count in all their threads.
pub fn total_unread(conn: &mut Conn, viewer: &Viewer) -> Result<i64, ApiError> {
    Ok(summaries(conn, viewer)?.iter().map(|s| s.unread).sum())
}

pub type MessageRow = (
    String,
    String,
    String,
    Option<Vec<u8>>,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

pub const COLUMNS: (
    m::id,
    m::conversation_id,
    m::author_id,
    m::body,
    m::attachment_id,
    m::created_at,
    m::edited_at,
    m::withdrawn_at,
) = (
    m::id,
    m::conversation_id,
    m::author_id,
    m::body,
    m::attachment_id,
    m::created_at,
    m::edited_at,
    m::withdrawn_at,
);

/// The messages as DTOs: bodies opened with the thread's key, read receipts from the others' marks.
pub fn to_dtos(
    conn: &mut Conn,
    key: &[u8],
    rows: Vec<MessageRow>,
) -> Result<Vec<Message>, ApiError> {
    let Some(conversation) = rows.first().map(|row| row.1.clone()) else {
        return Ok(vec![]);
    };
    // The others' read marks: a message is read by others when one of them read up to it or later.
    let marks: Vec<(String, Option<NaiveDateTime>, Option<String>)> = r::table
        .filter(r::conversation_id.eq(&conversation))
        .select((r::user_id, r::read_up_to, r::read_message_id))
        .load(conn)?;
    let authors: Vec<&str> = rows.iter().map(|row| row.2.as_str()).collect();
    let people: HashMap<String, PersonRef> = model::people(conn, &authors)?;
    let window = chrono::Duration::minutes(EDIT_WINDOW_MINUTES);
    rows.into_iter()
        .map(
            |(id, conv, author, body, attachment, created, edited, withdrawn)| {
                let read_by_others = marks.iter().any(|(user, at, mid)| {
                    *user != author
                        && at.is_some_and(|at| {
                            at > created || (at == created && mid.as_deref() >= Some(id.as_str()))
                        })
                });
                let body = match (withdrawn, body) {
                    (Some(_), _) => None,
                    (None, Some(sealed)) => Some(crypto::decrypt(key, &id, &sealed)?),
                    // Its text destroyed at the end of the action, which the retention
                    // agreement did not keep (R6313-7).
                    (None, None) => None,
                };
                Ok(Message {
                    author: people
                        .get(&author)
                        .cloned()
                        .ok_or(diesel::result::Error::NotFound)?,
                    id: uuid_of(&id)?,
                    conversation_id: uuid_of(&conv)?,
                    body,
                    attachment_id: attachment.as_deref().map(uuid_of).transpose()?,
                    created_at: created.and_utc(),
                    edited_at: edited.map(|t| t.and_utc()),
                    withdrawn_at: withdrawn.map(|t| t.and_utc()),
                    read_by_others,
                    editable_until: (created + window).and_utc(),
                })
            },
        )
        .collect()
}

/// One message row, by id.
pub fn find(conn: &mut Conn, id: &str) -> Result<MessageRow, ApiError> {
    m::table
        .find(id)
        .select(COLUMNS)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}
