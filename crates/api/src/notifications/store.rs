//! The rows of the notification centre: a person's list and unread count, marking read, and the
//! choice of channels per kind. Every function takes the person's own id: nobody reads another's.

use boussole_shared::Page;
use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::notifications::{
    Notification, NotificationKind, NotificationPreference, NotificationPreferences,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{Channels, sms_available};
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::paged::Paged;
use crate::schema::{notification_preferences as p, notifications as n, users};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::notifications)]
pub struct NotificationRow {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub title: String,
    pub subject: Option<String>,
    pub link: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

impl NotificationRow {
    pub fn kind(&self) -> Result<NotificationKind, ApiError> {
        db::stored(
            NotificationKind::parse(&self.kind),
            "notifications.kind",
            &self.kind,
        )
    }

    pub fn into_dto(self) -> Result<Notification, ApiError> {
        Ok(Notification {
            id: uuid_of(&self.id)?,
            kind: self.kind()?,
            title: self.title,
            subject: self.subject,
            link: self.link,
            created_at: self.created_at.and_utc(),
            read_at: self.read_at.map(|t| t.and_utc()),
        })
    }
}

/// What an in-app row says.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub user: &'a str,
    pub kind: NotificationKind,
    pub title: &'a str,
    pub subject: Option<&'a str>,
    pub link: &'a str,
    pub at: NaiveDateTime,
}

/// Writes an in-app row, unread; returns its id.
pub fn insert(conn: &mut Conn, e: Entry<'_>) -> QueryResult<String> {
    let id = db::new_id();
    diesel::insert_into(n::table)
        .values((
            n::id.eq(&id),
            n::user_id.eq(e.user),
            n::kind.eq(e.kind.as_str()),
            n::title.eq(e.title),
            n::subject.eq(e.subject),
            n::link.eq(e.link),
            n::created_at.eq(e.at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The person's notifications, newest first (only the unread ones if asked).
pub fn list(
    conn: &mut Conn,
    user: &str,
    unread_only: bool,
    paged: Paged,
) -> Result<Page<Notification>, ApiError> {
    let query = || {
        let mut q = n::table.filter(n::user_id.eq(user)).into_boxed();
        if unread_only {
            q = q.filter(n::read_at.is_null());
        }
        q
    };
    let page = paged.load(conn, query, |q| {
        q.order((n::created_at.desc(), n::id.desc()))
            .select(NotificationRow::as_select())
    })?;
    page.try_map_items(|rows: Vec<NotificationRow>| {
        rows.into_iter().map(NotificationRow::into_dto).collect()
    })
}

pub fn unread(conn: &mut Conn, user: &str) -> QueryResult<i64> {
    n::table
        .filter(n::user_id.eq(user))
        .filter(n::read_at.is_null())
        .count()
        .get_result(conn)
}

/// Marks one of the person's notifications read (again: its first reading time stays). Someone
/// else's, or an unknown id: 404, so ids tell nothing.
pub fn mark_read(conn: &mut Conn, user: &str, id: &str, at: NaiveDateTime) -> Result<(), ApiError> {
    let mine: i64 = n::table
        .filter(n::id.eq(id))
        .filter(n::user_id.eq(user))
        .count()
        .get_result(conn)?;
    if mine == 0 {
        return Err(ApiError::NotFound);
    }
    diesel::update(n::table.filter(n::id.eq(id)).filter(n::read_at.is_null()))
        .set(n::read_at.eq(at))
        .execute(conn)?;
    Ok(())
}

pub fn mark_all_read(conn: &mut Conn, user: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        n::table
            .filter(n::user_id.eq(user))
            .filter(n::read_at.is_null()),
    )
    .set(n::read_at.eq(at))
    .execute(conn)
}

/// The person's stored choice for a kind, or the defaults.
pub fn channels(conn: &mut Conn, user: &str, kind: NotificationKind) -> QueryResult<Channels> {
    let stored: Option<(bool, bool, bool)> = p::table
        .find((user, kind.as_str()))
        .select((p::in_app, p::email, p::sms))
        .first(conn)
        .optional()?;
    Ok(
        stored.map_or(Channels::DEFAULT, |(in_app, email, sms)| Channels {
            in_app,
            email,
            sms,
        }),
    )
}

fn person_sms_available(conn: &mut Conn, user: &str) -> Result<bool, ApiError> {
    let (opt_in, phone): (bool, Option<String>) = users::table
        .find(user)
        .select((users::sms_reminders, users::phone))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    Ok(sms_available(opt_in, phone.as_deref()))
}

/// Every kind with the channels that apply now: SMS shows off while the profile has no opted-in
/// mobile (the stored choice comes back with the number).
pub fn preferences(conn: &mut Conn, user: &str) -> Result<NotificationPreferences, ApiError> {
    let sms_available = person_sms_available(conn, user)?;
    let mut items = Vec::with_capacity(NotificationKind::ALL.len());
    for kind in NotificationKind::ALL {
        let c = channels(conn, user, *kind)?;
        items.push(NotificationPreference {
            kind: *kind,
            in_app: c.in_app,
            email: c.email,
            sms: c.sms && sms_available,
        });
    }
    Ok(NotificationPreferences {
        items,
        sms_available,
    })
}

/// Stores the choices given (kinds left out keep theirs). SMS without an opted-in mobile: 422
/// naming `sms`; a kind listed twice: 400 on `items`; nothing stored then.
pub fn save_preferences(
    conn: &mut Conn,
    user: &str,
    wanted: &NotificationPreferences,
) -> Result<NotificationPreferences, ApiError> {
    let mut seen = Vec::new();
    for item in &wanted.items {
        if seen.contains(&item.kind) {
            return Err(ApiError::field(
                "items",
                FieldRule::Duplicate,
                format!("le type {} figure deux fois", item.kind.as_str()),
            ));
        }
        seen.push(item.kind);
    }
    if wanted.items.iter().any(|i| i.sms) && !person_sms_available(conn, user)? {
        return Err(ApiError::Rule { slug: Slug::SMS_NEEDS_MOBILE,
            detail: "Les SMS demandent d'accepter les SMS et un numéro de mobile (06 ou 07) dans votre profil.".into(),
            missing: vec!["sms".into()],
        });
    }
    for item in &wanted.items {
        diesel::delete(p::table.find((user, item.kind.as_str()))).execute(conn)?;
        let c = Channels {
            in_app: item.in_app,
            email: item.email,
            sms: item.sms,
        };
        if c == Channels::DEFAULT {
            continue;
        }
        diesel::insert_into(p::table)
            .values((
                p::user_id.eq(user),
                p::kind.eq(item.kind.as_str()),
                p::in_app.eq(c.in_app),
                p::email.eq(c.email),
                p::sms.eq(c.sms),
            ))
            .execute(conn)?;
    }
    preferences(conn, user)
}

/// `?page=&per_page=` and `?unread=` of the list, checked.
pub fn query_of(req: &actix_web::HttpRequest) -> Result<(bool, Paged), ApiError> {
    let filter: boussole_shared::notifications::NotificationFilter = crate::json::query(req)?;
    Ok((filter.unread.unwrap_or(false), Paged::from_request(req)?))
}
