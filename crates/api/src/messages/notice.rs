//! Telling the others of a thread by email that a message is waiting (issue 14, item 3), through the
//! outbox, in the same transaction as the message. The email says nothing of the message, not even
//! who wrote it: admins read the outbox, and a name would already tell them who is in a bilan.

use boussole_shared::users::Role;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{self, Conn};
use crate::notify::outbox::{self, Channel, Outgoing};
use crate::schema::{conversation_reads as r, users};

/// A burst of messages gives one email: at most one per thread and person in this many minutes.
pub const BATCH_MINUTES: i64 = 15;

/// Queues the email to each of `recipients` not told about this thread in the last quarter of an hour.
/// The conditional update decides: of two messages sent at once, one sets `notified_at`, the other
/// finds it recent and queues nothing.
pub fn tell(
    conn: &mut Conn,
    conversation_id: &str,
    recipients: &[String],
    author_role: Role,
    now: NaiveDateTime,
    public_url: &str,
) -> QueryResult<usize> {
    let since = now - chrono::Duration::minutes(BATCH_MINUTES);
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
        let Some((email, active)) = users::table
            .find(user)
            .select((users::email, users::is_active))
            .first::<(String, bool)>(conn)
            .optional()?
        else {
            continue;
        };
        if !active {
            continue;
        }
        let from = match author_role {
            Role::Consultant => "de votre consultant",
            Role::Beneficiary => "d'un bénéficiaire que vous accompagnez",
            Role::Admin => "",
        };
        outbox::enqueue(
            conn,
            &Outgoing {
                channel: Channel::Email,
                recipient: email,
                kind: "new_message",
                subject: "Boussole : vous avez un nouveau message".into(),
                body: format!(
                    "Bonjour,\n\nVous avez un nouveau message {from} dans Boussole.\n\nPour le lire, connectez-vous : {public_url}/messages\n\nCe courriel ne contient pas le message : il reste dans votre espace sécurisé.\n"
                ),
                ics: None,
                appointment_id: None,
                not_before: db::now(),
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
