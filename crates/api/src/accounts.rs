//! The accounts data: the user row and the queries on it that `auth`, `users` and other features share
//! (no HTTP; the routes on accounts are in `users`).

use boussole_shared::Slug;
use boussole_shared::users::{Civility, Locale, Role, User};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::users;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub civility: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub locale: String,
    pub email_verified_at: Option<NaiveDateTime>,
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<NaiveDateTime>,
    pub totp_last_step: i64,
    pub token_version: i64,
    pub is_active: bool,
    pub search: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub sms_reminders: bool,
    pub qualification: Option<String>,
}

impl UserRow {
    /// A new account; `search` is kept in sync by [`search_text`].
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        email: &str,
        role: Role,
        civility: Option<Civility>,
        first_name: &str,
        last_name: &str,
        phone: Option<&str>,
        locale: Locale,
        password_hash: Option<String>,
    ) -> UserRow {
        let now = crate::db::now();
        let email = normalize_email(email);
        UserRow {
            id: crate::db::new_id(),
            search: search_text(&email, first_name, last_name),
            email,
            password_hash,
            role: role.as_str().into(),
            civility: civility.map(|c| c.as_str().into()),
            first_name: first_name.trim().into(),
            last_name: last_name.trim().into(),
            phone: phone
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(Into::into),
            locale: locale.as_str().into(),
            email_verified_at: None,
            totp_secret: None,
            totp_enabled_at: None,
            totp_last_step: 0,
            token_version: 0,
            is_active: true,
            created_at: now,
            updated_at: now,
            sms_reminders: false,
            qualification: None,
        }
    }

    /// The column has a CHECK constraint; anything else is a corrupted row, and the request fails
    /// rather than guessing a role for it.
    pub fn role(&self) -> Result<Role, ApiError> {
        crate::db::stored(Role::parse(&self.role), "users.role", &self.role)
    }

    pub fn locale(&self) -> Locale {
        Locale::parse(&self.locale)
    }

    pub fn uuid(&self) -> Result<uuid::Uuid, ApiError> {
        crate::db::uuid_of(&self.id)
    }

    pub fn totp_enabled(&self) -> bool {
        self.totp_enabled_at.is_some()
    }

    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

impl TryFrom<UserRow> for User {
    type Error = ApiError;

    fn try_from(row: UserRow) -> Result<User, ApiError> {
        Ok(User {
            id: row.uuid()?,
            role: row.role()?,
            locale: row.locale(),
            email_verified: row.email_verified_at.is_some(),
            totp_enabled: row.totp_enabled(),
            has_password: row.password_hash.is_some(),
            civility: row
                .civility
                .as_deref()
                .map(|c| crate::db::stored(Civility::parse(c), "users.civility", c))
                .transpose()?,
            email: row.email,
            first_name: row.first_name,
            last_name: row.last_name,
            phone: row.phone,
            is_active: row.is_active,
            sms_reminders: row.sms_reminders,
            created_at: row.created_at.and_utc(),
            qualification: row.qualification,
        })
    }
}

/// Sets a consultant's titles and qualifications from a patch (an empty text removes them): 422
/// naming `qualification` for another role, where the documents would never print it.
pub fn set_qualification(row: &mut UserRow, given: Option<&str>) -> Result<(), ApiError> {
    let Some(given) = given.map(str::trim) else {
        return Ok(());
    };
    if !given.is_empty() && row.role()? != Role::Consultant {
        return Err(ApiError::Rule {
            slug: Slug::QUALIFICATIONS_FOR_CONSULTANTS,
            detail: "Seuls les consultants ont des titres et qualifications : ils sont imprimés \
                     avec leur nom sur l'information préalable, les conventions et le contrat."
                .into(),
            missing: vec!["qualification".into()],
        });
    }
    row.qualification = Some(given.to_string()).filter(|q| !q.is_empty());
    Ok(())
}

/// Emails are compared without case and surrounding blanks.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// What list searches match: lower-cased in Rust, because SQLite's `lower()` only folds ASCII.
pub fn search_text(email: &str, first_name: &str, last_name: &str) -> String {
    format!("{} {} {}", email, first_name.trim(), last_name.trim()).to_lowercase()
}

/// The LIKE pattern for a search of `search` (None for an empty query): lower-cased like the column,
/// with `%`, `_` and the escape character itself taken literally (use with `.escape('\\')`).
pub fn search_pattern(q: Option<&str>) -> Option<String> {
    let q = q.map(str::trim).filter(|q| !q.is_empty())?.to_lowercase();
    Some(format!(
        "%{}%",
        q.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    ))
}

pub fn find_by_email(conn: &mut Conn, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(normalize_email(email)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_id(conn: &mut Conn, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut Conn, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Ends every session of the account at once: access tokens carry the version and stop working,
/// all refresh tokens are revoked, and the calendar feed's secret URL dies too (it is a credential of
/// its own: "log out everywhere", a new password or a deactivation must reach it).
pub fn revoke_all_sessions(conn: &mut Conn, user_id: &str) -> QueryResult<()> {
    use crate::schema::{calendar_feeds, sessions};
    diesel::delete(calendar_feeds::table.filter(calendar_feeds::user_id.eq(user_id)))
        .execute(conn)?;
    let now = crate::db::now();
    diesel::update(users::table.find(user_id))
        .set((
            users::token_version.eq(users::token_version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}
