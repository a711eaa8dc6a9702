//! The demo's direct threads between staff: Agnès (admin) and Karim prepare the Qualiopi audit, Karim
//! and Sophie swap a resource for the investigation phase, Agnès asks Sophie about her schedule. Each
//! staff account has a thread, and the last message of each waits unread for its receiver. Nothing in
//! them names a beneficiary: a staff thread is not the place for bilan content.

use diesel::prelude::*;

use super::direct::ensure_pair;
use super::notice;
use super::store::{self, Thread};
use crate::config::Config;
use crate::crypto;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::{
    conversation_messages as m, conversation_reads as r, conversations as c, users,
};

/// (first speaker, second speaker, lines alternating from the first, minutes ago of the first line)
type Script = (&'static str, &'static str, &'static [&'static str], i64);

const SCRIPTS: &[Script] = &[
    (
        "admin@boussole.test",
        "consultant@boussole.test",
        &[
            "Bonjour Karim, l'audit de surveillance Qualiopi est fixé au 15 : pouvez-vous vérifier que vos synthèses signées sont bien déposées ?",
            "Bonjour Agnès, c'est fait pour les bilans terminés. Il me reste une synthèse à faire signer jeudi.",
            "Parfait. L'auditeur regardera aussi l'indicateur 19 : pensez à partager les fiches métiers utiles depuis la bibliothèque, les consultations sont tracées.",
        ],
        3 * 24 * 60,
    ),
    (
        "consultant@boussole.test",
        "consultante2@boussole.test",
        &[
            "Sophie, j'ai ajouté le guide de l'enquête métier dans la bibliothèque, si ça peut servir à tes bénéficiaires en investigation.",
            "Merci Karim ! Je le partage cette semaine. Tu as une bonne adresse pour les métiers qui recrutent en Grand Est ?",
            "Orient'Est, c'est dans la bibliothèque aussi, ouvert à tous les bénéficiaires.",
        ],
        26 * 60,
    ),
    (
        "admin@boussole.test",
        "consultante2@boussole.test",
        &[
            "Bonjour Sophie, pouvez-vous ouvrir deux créneaux de plus le mardi matin en janvier ? Les demandes arrivent.",
        ],
        45,
    ),
];

fn id_of(conn: &mut Conn, email: &str) -> QueryResult<Option<String>> {
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(conn)
        .optional()
}

fn play(conn: &mut Conn, config: &Config, script: &Script) -> Result<(), ApiError> {
    let (first, second, lines, start) = *script;
    let (Some(a), Some(b)) = (id_of(conn, first)?, id_of(conn, second)?) else {
        return Ok(());
    };
    let (conversation, _) = ensure_pair(conn, &a, &b)?;
    let key = store::key_of(conn, &config.master_key, &conversation, &Thread::Direct)?;
    let now = db::now();
    let step = start / (lines.len() as i64 + 1);
    let mut last = None;
    for (n, text) in lines.iter().enumerate() {
        let author = if n % 2 == 0 { &a } else { &b };
        let (id, at) = (
            db::new_id(),
            now - chrono::Duration::minutes(start - step * n as i64),
        );
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
    let Some((author, id, at)) = last else {
        return Ok(());
    };
    diesel::update(c::table.find(&conversation))
        .set(c::last_message_at.eq(at))
        .execute(conn)?;
    // The author of the last line has read everything; the other has not read it yet.
    notice::mark_row(conn, &conversation, &author)?;
    diesel::update(r::table.find((&conversation, &author)))
        .set((r::read_up_to.eq(at), r::read_message_id.eq(id)))
        .execute(conn)?;
    Ok(())
}

/// Seeds the staff threads (nothing for an account the demo does not have).
pub fn seed(conn: &mut Conn, config: &Config) -> anyhow::Result<()> {
    db::transaction(conn, |conn| {
        SCRIPTS
            .iter()
            .try_for_each(|script| play(conn, config, script))
    })
    .map_err(|e| anyhow::anyhow!("demo staff threads: {e}"))
}
