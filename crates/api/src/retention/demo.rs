//! Demo destruction records (`seed-demo`, after the story): the story's bilans that the job closed
//! after their follow-up period, their content destroyed (Sandrine Michel's), each get the run that
//! recorded it, at the time it happened, so the admin finds a procès-verbal on the retention page.
//! Nothing is invented: the items are what the story destroyed, under the rule that applied (a
//! bilan abandoned by hand destroys its content at once, outside any run).

use boussole_shared::retention::RetentionClass;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::destroy::bilan_reference;
use crate::db::{self, Conn};
use crate::retention_rules;
use crate::schema::{bilans, destruction_items, destruction_runs};

pub fn seed(conn: &mut Conn) -> anyhow::Result<()> {
    let destroyed: Vec<(String, Option<String>, NaiveDateTime)> = bilans::table
        .filter(bilans::content_destroyed_at.is_not_null())
        .filter(bilans::status.eq(boussole_shared::bilans::BilanStatus::Closed.as_str()))
        .order(bilans::content_destroyed_at.asc())
        .select((
            bilans::id,
            bilans::external_ref,
            bilans::content_destroyed_at.assume_not_null(),
        ))
        .load(conn)?;
    let rule = retention_rules::rule(conn, RetentionClass::BilanContent)
        .map_err(|e| anyhow::anyhow!("seed-demo: retention rule: {e}"))?;
    for (id, external_ref, at) in destroyed {
        let run = db::new_id();
        let reference = bilan_reference(&id, external_ref.as_deref());
        diesel::insert_into(destruction_runs::table)
            .values((
                destruction_runs::id.eq(&run),
                destruction_runs::ran_at.eq(at),
                destruction_runs::source.eq("job"),
                destruction_runs::items.eq(1i64),
            ))
            .execute(conn)?;
        diesel::insert_into(destruction_items::table)
            .values((
                destruction_items::id.eq(db::new_id()),
                destruction_items::run_id.eq(&run),
                destruction_items::position.eq(1i64),
                destruction_items::what.eq(format!(
                    "Contenu du bilan {reference} (clé de chiffrement, notes, fichiers, résultats, messages)"
                )),
                destruction_items::class.eq(RetentionClass::BilanContent.as_str()),
                destruction_items::rule.eq(rule.describe()),
                destruction_items::bilan_reference.eq(&reference),
                destruction_items::destroyed_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}
