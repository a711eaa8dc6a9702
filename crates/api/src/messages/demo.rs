//! The demo's thread: Camille Durand and her consultant Karim Benali prepare her next session; Karim's
//! last message waits unread, so her "Messages" entry shows one.

use diesel::prelude::*;

use super::{notice, store};
use crate::bilans::model;
use crate::config::Config;
use crate::crypto;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::{
    bilan_consultants, bilans, conversation_messages as m, conversation_reads as r,
    conversations as c, users,
};

fn id_of(conn: &mut Conn, email: &str) -> QueryResult<Option<String>> {
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(conn)
        .optional()
}

/// Seeds the thread of Camille's bilan with Karim (nothing when the story has no such bilan), then the
/// staff's direct threads.
pub fn seed(conn: &mut Conn, config: &Config) -> anyhow::Result<()> {
    let go = |conn: &mut Conn| -> Result<(), ApiError> {
        let (Some(camille), Some(karim)) = (
            id_of(conn, "beneficiaire@boussole.test")?,
            id_of(conn, "consultant@boussole.test")?,
        ) else {
            return Ok(());
        };
        let bilan: Option<String> = bilans::table
            .inner_join(bilan_consultants::table)
            .filter(bilans::beneficiary_id.eq(&camille))
            .filter(bilans::content_destroyed_at.is_null())
            .filter(bilan_consultants::consultant_id.eq(&karim))
            .filter(bilan_consultants::unassigned_at.is_null())
            .select(bilans::id)
            .first(conn)
            .optional()?;
        let Some(bilan) = bilan else {
            return Ok(());
        };
        let key = model::content_key(conn, &config.master_key, &bilan)?;
        let conversation = store::ensure(conn, &bilan)?;
        let now = db::now();
        let thread = [
            (
                &karim,
                50 * 60,
                "Bonjour Camille, comme convenu je vous ai déposé le questionnaire sur vos intérêts professionnels. Prenez le temps d'y répondre avant notre prochaine séance.",
            ),
            (
                &camille,
                47 * 60,
                "Bonjour Karim, merci ! Je l'ai commencé hier soir. Est-ce que je peux aussi vous envoyer la fiche métier de chargée d'accompagnement social que j'ai trouvée ?",
            ),
            (
                &karim,
                46 * 60,
                "Bien sûr, déposez-la dans vos documents du bilan : nous la regarderons ensemble. Pensez aussi à noter deux ou trois questions pour votre enquête métier.",
            ),
            (
                &camille,
                26 * 60,
                "C'est fait, et j'ai obtenu un rendez-vous avec une conseillère en insertion la semaine prochaine.",
            ),
            (
                &karim,
                90,
                "Excellente nouvelle ! Préparez vos questions sur le quotidien du métier et la formation : nous en parlons jeudi.",
            ),
        ];
        let mut last = None;
        for (author, minutes_ago, text) in thread {
            let (id, at) = (db::new_id(), now - chrono::Duration::minutes(minutes_ago));
            diesel::insert_into(m::table)
                .values((
                    m::id.eq(&id),
                    m::conversation_id.eq(&conversation),
                    m::author_id.eq(author),
                    m::body.eq(Some(crypto::encrypt(&key, &id, text)?)),
                    m::created_at.eq(at),
                    m::updated_at.eq(at),
                ))
                .execute(conn)?;
            last = Some((author.clone(), id, at));
        }
        diesel::update(c::table.find(&conversation))
            .set(c::last_message_at.eq(last.as_ref().map(|l| l.2)))
            .execute(conn)?;
        // Karim read everything; Camille up to her own last message (his answer waits for her).
        let marks: Vec<(String, Option<NaiveRead>)> = vec![
            (karim.clone(), last.clone().map(|(_, id, at)| (id, at))),
            (camille.clone(), mark_before_last(conn, &conversation)?),
        ];
        for (user, mark) in marks {
            notice::mark_row(conn, &conversation, &user)?;
            if let Some((id, at)) = mark {
                diesel::update(r::table.find((&conversation, &user)))
                    .set((r::read_up_to.eq(at), r::read_message_id.eq(id)))
                    .execute(conn)?;
            }
        }
        Ok(())
    };
    db::transaction(conn, go).map_err(|e| anyhow::anyhow!("demo messages: {e}"))?;
    super::demo_direct::seed(conn, config)
}

type NaiveRead = (String, chrono::NaiveDateTime);

fn mark_before_last(conn: &mut Conn, conversation: &str) -> QueryResult<Option<NaiveRead>> {
    let rows: Vec<NaiveRead> = m::table
        .filter(m::conversation_id.eq(conversation))
        .order((m::created_at.desc(), m::id.desc()))
        .select((m::id, m::created_at))
        .limit(2)
        .load(conn)?;
    Ok(rows.into_iter().nth(1))
}
