//! Telling the others of a thread that a message is waiting (issue 14, item 3), through the
//! notification centre (in the list, by email, by SMS, as each person chose), in the same transaction
//! as the message. Nothing says what the message says; the email and the SMS do not even say who
//! wrote it (admins read the outbox, and a name would already tell them who is in a bilan), only the
//! in-app notification, which its recipient alone reads, names the author.

use boussole_shared::notifications::NotificationKind;
use boussole_shared::users::Role;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::ApiError;
use crate::notifications::{self, Delivery, NewNotification};
use crate::schema::{conversation_messages as m, conversation_reads as r, users};

/// A burst of messages gives one notice: at most one per thread and person in this many minutes.
pub const BATCH_MINUTES: i64 = 15;

/// Who wrote, as the recipient knows them.
fn from_whom(author: Role, recipient: Role) -> &'static str {
    match (author, recipient) {
        (_, Role::Beneficiary) => "de votre consultant",
        (Role::Beneficiary, _) => "d'un bénéficiaire que vous accompagnez",
        _ => "d'un collègue",
    }
}

/// Notifies each of `recipients` not told about this thread in the last quarter of an hour.
/// The conditional update decides: of two messages sent at once, one sets `notified_at`, the other
/// finds it recent and tells nothing.
pub fn tell(
    conn: &mut Conn,
    conversation_id: &str,
    recipients: &[String],
    author_role: Role,
    now: NaiveDateTime,
    public_url: &str,
) -> Result<usize, ApiError> {
    let since = now - chrono::Duration::minutes(BATCH_MINUTES);
    // The message just written is the thread's latest: its author, for the in-app wording.
    let author = m::table
        .inner_join(users::table.on(users::id.eq(m::author_id)))
        .filter(m::conversation_id.eq(conversation_id))
        .order((m::created_at.desc(), m::id.desc()))
        .select((users::first_name, users::last_name))
        .first::<(String, String)>(conn)
        .optional()?
        .map(|(first, last)| format!("{first} {last}"));
    let mut sent = 0;
    for user in recipients {
        mark_row(conn, conversation_id, user)?;
        let due = diesel::update(
            r::table
                .find((conversation_id, user))
                .filter(r::notified_at.is_null().or(r::notified_at.le(since))),
        )
        .set(r::notified_at.eq(now))
        .execute(conn)?
            == 1;
        if !due {
            continue;
        }
        let role: Option<String> = users::table
            .find(user)
            .select(users::role)
            .first(conn)
            .optional()?;
        let Some(role) = role.as_deref().and_then(Role::parse) else {
            continue;
        };
        let from = from_whom(author_role, role);
        let link = format!("/messages/{conversation_id}");
        notifications::notify(
            conn,
            &NewNotification {
                user_id: user.clone(),
                kind: NotificationKind::MessageReceived,
                title: format!("Nouveau message {from}"),
                subject: author.clone(),
                link: link.clone(),
                email: Some((
                    "Boussole : vous avez un nouveau message".into(),
                    format!(
                        "Bonjour,\n\nVous avez un nouveau message {from} dans Boussole.\n\nPour le lire, connectez-vous : {public_url}{link}\n\nCe courriel ne contient pas le message : il reste dans votre espace sécurisé.\n"
                    ),
                )),
                sms: Some(format!(
                    "Boussole : vous avez un nouveau message {from}. Connectez-vous pour le lire."
                )),
                delivery: Delivery {
                    outbox_kind: Some("new_message"),
                    at: Some(now),
                    ..Delivery::default()
                },
            },
        )?;
        sent += 1;
    }
    Ok(sent)
}

/// The participant's row in a thread, created if missing (a read receipt or a notice may come first).
pub fn mark_row(conn: &mut Conn, conversation_id: &str, user: &str) -> QueryResult<()> {
    crate::on_backend!(conn, |co| {
        diesel::insert_into(r::table)
            .values((r::conversation_id.eq(conversation_id), r::user_id.eq(user)))
            .on_conflict_do_nothing()
            .execute(co)
    })?;
    Ok(())
}
