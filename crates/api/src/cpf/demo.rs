//! Demo CPF files (`seed-demo`): the story writes a file with its past moves straight into the rows,
//! as an EDOF connector would, without the checks a clerk's entry goes through.

use boussole_shared::cpf::CpfState;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::{self, Conn};
use crate::schema::{cpf_file_steps, cpf_files};

/// Writes the file of `bilan_id` with its moves (`steps`, oldest first; the first is the request).
pub fn seed_file(
    conn: &mut Conn,
    bilan_id: &str,
    edof_number: &str,
    amount_cents: i64,
    steps: &[(CpfState, NaiveDate)],
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return Ok(());
    };
    diesel::insert_into(cpf_files::table)
        .values((
            cpf_files::bilan_id.eq(bilan_id),
            cpf_files::edof_number.eq(edof_number),
            cpf_files::state.eq(last.0.as_str()),
            cpf_files::state_since.eq(last.1),
            cpf_files::requested_on.eq(first.1),
            cpf_files::amount_cents.eq(amount_cents),
            cpf_files::participation_exempt.eq(false),
            cpf_files::created_at.eq(now),
            cpf_files::updated_at.eq(now),
        ))
        .execute(conn)?;
    let mut from: Option<CpfState> = None;
    for (to, on) in steps {
        diesel::insert_into(cpf_file_steps::table)
            .values((
                cpf_file_steps::id.eq(db::new_id()),
                cpf_file_steps::bilan_id.eq(bilan_id),
                cpf_file_steps::from_state.eq(from.map(|s| s.as_str())),
                cpf_file_steps::to_state.eq(to.as_str()),
                cpf_file_steps::occurred_on.eq(on),
                cpf_file_steps::actor_id.eq(None::<String>),
                cpf_file_steps::recorded_at.eq(now),
            ))
            .execute(conn)?;
        from = Some(*to);
    }
    Ok(())
}
