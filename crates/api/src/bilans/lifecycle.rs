//! The life of a bilan as plain data-layer functions: moving through the workflow, and the end of the
//! action (R6313-7: content kept under agreement, or destroyed), also used by the retention job.

use boussole_shared::Slug;
use boussole_shared::bilans::{BilanStatus, TransitionRequest};
use boussole_shared::conditions::Condition;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::rules::may_move;
use chrono::NaiveDate;
use diesel::prelude::*;

use super::model::{self, BilanRow, Happened};
use super::workflow;
use crate::auth::caller::Viewer;
use crate::db;
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::schema::{bilan_files, bilan_keys, bilan_notes, bilan_projection, bilans};

/// Moves the bilan to `request.to` for `viewer` (staff), as `actor`: 404 when it is not theirs to see,
/// 409 when the move does not follow the path, 422 with what is missing when a gate is closed, 422
/// `minimum-hours` when the organisation makes the minimum of `min_minutes` of accompaniment blocking
/// and the bilan would be completed short of it. Ending the action keeps or destroys the content (see
/// [`end_of_action`]).
pub fn transition(
    conn: &mut db::Conn,
    viewer: &Viewer,
    actor: &Actor,
    id: &str,
    request: &TransitionRequest,
    today: NaiveDate,
    min_minutes: i64,
) -> Result<BilanRow, ApiError> {
    let mut row = model::load_for(conn, id, viewer)?;
    let from = row.status()?;
    if !may_move(from, request.to) {
        return Err(ApiError::conflict(
            Slug::BILAN_TRANSITION_NOT_ALLOWED,
            format!(
                "Impossible de passer de « {} » à « {} ».",
                from.as_str(),
                request.to.as_str()
            ),
        ));
    }
    if request.to == BilanStatus::Abandoned
        && request
            .reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        return Err(ApiError::field(
            "reason",
            FieldRule::Required,
            "le motif d'abandon est obligatoire",
        ));
    }
    let mut ev = workflow::evidence(conn, id)?;
    ev.reglement_required = crate::settings::security(conn)?.reglement_interieur_required;
    let missing = workflow::missing(request.to, row.funding()?, &ev, today);
    if !missing.is_empty() {
        return Err(ApiError::Rule {
            slug: Slug::BILAN_CONDITIONS_MISSING,
            detail: "Conditions manquantes pour cette étape.".into(),
            missing: missing.into_iter().map(String::from).collect(),
        });
    }
    if request.to == BilanStatus::Completed {
        check_minimum_hours(conn, id, min_minutes)?;
    }
    let now = db::now();
    row.status = request.to.as_str().into();
    row.status_changed_at = now;
    if request.to == BilanStatus::Abandoned {
        row.abandon_reason = request.reason.clone();
    }
    diesel::update(bilans::table.find(id))
        .set((
            bilans::status.eq(&row.status),
            bilans::status_changed_at.eq(now),
            bilans::abandon_reason.eq(&row.abandon_reason),
            bilans::updated_at.eq(now),
        ))
        .execute(conn)?;
    status_changed(conn, &row, from, false)?;
    let details = serde_json::json!({ "from": from.as_str(), "to": request.to.as_str() });
    model::journal(
        conn,
        actor,
        id,
        Happened {
            event: "transition",
            action: "bilan.transition",
            details,
            content: false,
        },
    )?;
    if matches!(request.to, BilanStatus::Closed | BilanStatus::Abandoned) {
        end_of_action(conn, &mut row, actor)?;
    }
    Ok(row)
}

/// Tells the webhooks that `row` moved from `from` to its status (`automatic`: by the server):
/// `bilan.status_changed` always, and `bilan.abandoned` or `bilan.completed` for those moves.
pub fn status_changed(
    conn: &mut db::Conn,
    row: &BilanRow,
    from: BilanStatus,
    automatic: bool,
) -> Result<(), ApiError> {
    use crate::webhooks::{BilanStatusEvent, WebhookEventKind as K, emit};
    let to = row.status()?;
    let data = BilanStatusEvent {
        bilan_id: row.id.clone(),
        beneficiary_id: row.beneficiary_id.clone(),
        external_ref: row.external_ref.clone(),
        from,
        to,
        changed_at: row.status_changed_at.and_utc(),
        automatic,
    };
    emit(conn, K::BilanStatusChanged, &data)?;
    match to {
        BilanStatus::Abandoned => emit(conn, K::BilanAbandoned, &data),
        BilanStatus::Completed => emit(conn, K::BilanCompleted, &data),
        _ => Ok(()),
    }
}

/// The minimum of effective accompaniment (13 hours by default, pending décret, DOMAIN.md §1.3): a
/// warning on the bilan, and a refusal to complete it when the organisation's settings say so.
fn check_minimum_hours(conn: &mut db::Conn, id: &str, min_minutes: i64) -> Result<(), ApiError> {
    if !crate::settings::security(conn)?.min_hours_blocking {
        return Ok(());
    }
    let (held, _) = model::minutes(conn, id)?;
    if held >= min_minutes {
        return Ok(());
    }
    Err(ApiError::Rule {
        slug: Slug::MINIMUM_HOURS,
        detail: format!(
            "Le bilan ne peut pas être terminé : {} h {:02} d'accompagnement effectif tenues, \
             l'organisme en exige au moins {} h.",
            held / 60,
            held % 60,
            min_minutes / 60
        ),
        missing: vec![Condition::MinimumHours.into()],
    })
}

/// R6313-7: the documents of the bilan are destroyed when the action ends, unless the beneficiary agreed in
/// writing to keep them for follow-up (then until the agreed date, within the follow-up rule's maximum of
/// 3 years). The agreement names what it keeps; the rest is destroyed now. Destroying the bilan's key
/// makes every copy of the content unreadable; the ciphertexts are removed as well.
pub fn end_of_action(
    conn: &mut db::Conn,
    row: &mut BilanRow,
    actor: &Actor,
) -> Result<(), ApiError> {
    use boussole_shared::retention::{KeptDocument, RetentionClass};
    let Some((months, kept)) = crate::retention_rules::agreement(conn, &row.id)? else {
        return destroy_content(conn, row, actor);
    };
    let most = crate::retention_rules::rule(conn, RetentionClass::FollowUpDocuments)?
        .months_after_end
        .max(1);
    let months = months.unwrap_or(most).clamp(1, most) as u32;
    let now = db::now();
    let until = now
        .checked_add_months(chrono::Months::new(months))
        .unwrap_or(now);
    row.retention_until = Some(until);
    diesel::update(bilans::table.find(&row.id))
        .set(bilans::retention_until.eq(until))
        .execute(conn)?;
    let kept_names: Vec<&str> = kept.iter().map(|k| k.as_str()).collect();
    model::event(
        conn,
        &row.id,
        "retention",
        None,
        serde_json::json!({ "until": until, "kept": kept_names }),
        false,
    )?;
    let others: Vec<KeptDocument> = KeptDocument::ALL
        .iter()
        .copied()
        .filter(|k| !kept.contains(k))
        .collect();
    if others.is_empty() {
        return Ok(());
    }
    let mut details = destroy_parts(conn, &row.id, &others)?;
    details["parts"] = serde_json::json!(others.iter().map(|k| k.as_str()).collect::<Vec<_>>());
    destroyed(conn, &row.id, actor, "content_partly_destroyed", details)
}

/// The bilan's timeline event `event` and the journal's `bilan.{event}` for a destruction.
fn destroyed(
    conn: &mut db::Conn,
    bilan_id: &str,
    actor: &Actor,
    event: &'static str,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    model::event(conn, bilan_id, event, None, details.clone(), false)?;
    journal::record(
        conn,
        actor,
        &format!("bilan.{event}"),
        "bilan",
        Some(bilan_id),
        details,
    )?;
    Ok(())
}

/// Wipes the parts of the bilan's content named in `parts`, keeping its key (what a retention
/// agreement does not keep goes at the end of the action; the rest when its period ends). The
/// synthèse's issued copy is deleted by the destruction job (`crate::retention::destroy`). Returns
/// the counts, for the journal.
pub fn destroy_parts(
    conn: &mut db::Conn,
    bilan_id: &str,
    parts: &[boussole_shared::retention::KeptDocument],
) -> Result<serde_json::Value, ApiError> {
    use boussole_shared::retention::KeptDocument as K;
    let now = db::now();
    let mut details = serde_json::json!({});
    if parts.contains(&K::Notes) {
        let notes = diesel::update(bilan_notes::table.filter(bilan_notes::bilan_id.eq(bilan_id)))
            .set(bilan_notes::body.eq(None::<Vec<u8>>))
            .execute(conn)?;
        // Answers kept for retried requests (`Idempotency-Key`) may repeat a note just written.
        crate::idempotency::forget_bilan(conn, bilan_id)?;
        details["notes"] = notes.into();
    }
    if parts.contains(&K::Files) {
        let files = diesel::update(
            bilan_files::table
                .filter(bilan_files::bilan_id.eq(bilan_id))
                .filter(bilan_files::destroyed_at.is_null()),
        )
        // With the key gone the sealed names are unreadable; what else could identify a file (its exact
        // size, its hash) goes too.
        .set((
            bilan_files::destroyed_at.eq(now),
            bilan_files::name.eq(""),
            bilan_files::name_sealed.eq(None::<Vec<u8>>),
            bilan_files::sha256.eq(""),
            bilan_files::size.eq(0),
        ))
        .execute(conn)?;
        details["files"] = files.into();
    }
    if parts.contains(&K::Results) {
        // Assessments' sealed answers and interpretations (the assessments module reads them).
        let assessments = diesel::update(
            crate::schema::assessments::table
                .filter(crate::schema::assessments::bilan_id.eq(bilan_id)),
        )
        .set((
            crate::schema::assessments::answers.eq(None::<Vec<u8>>),
            crate::schema::assessments::interpretation.eq(None::<Vec<u8>>),
        ))
        .execute(conn)?;
        // The skills grid and projection records (issue 11): their content goes, their places stay.
        let projection =
            diesel::update(bilan_projection::table.filter(bilan_projection::bilan_id.eq(bilan_id)))
                .set(bilan_projection::body.eq(None::<Vec<u8>>))
                .execute(conn)?;
        details["assessments"] = assessments.into();
        details["projection"] = projection.into();
    }
    if parts.contains(&K::Messages) {
        // The conversation's messages (issue 14): their texts go, the thread's shape stays.
        use crate::schema::{conversation_messages as m, conversations as c};
        let threads = c::table.filter(c::bilan_id.eq(bilan_id)).select(c::id);
        let messages = diesel::update(m::table.filter(m::conversation_id.eq_any(threads)))
            .set(m::body.eq(None::<Vec<u8>>))
            .execute(conn)?;
        details["messages"] = messages.into();
    }
    if parts.contains(&K::Synthese) {
        // The synthèse being written and its comments (issue 12): the texts go. An issued synthèse's
        // PDF is sealed under the bilan's key and stored under `bilans/{id}/`; its `issued_documents`
        // row (date, version, hash) is the proof of delivery.
        use crate::schema::{syntheses as s, synthesis_comments as c};
        let synthesis = diesel::update(s::table.filter(s::bilan_id.eq(bilan_id)))
            .set(s::body.eq(None::<Vec<u8>>))
            .execute(conn)?
            + diesel::update(c::table.filter(c::bilan_id.eq(bilan_id)))
                .set(c::body.eq(None::<Vec<u8>>))
                .execute(conn)?;
        details["synthesis"] = synthesis.into();
    }
    Ok(details)
}

pub fn destroy_content(
    conn: &mut db::Conn,
    row: &mut BilanRow,
    actor: &Actor,
) -> Result<(), ApiError> {
    let now = db::now();
    diesel::update(bilan_keys::table.find(&row.id))
        .set((
            bilan_keys::wrapped.eq(None::<Vec<u8>>),
            bilan_keys::destroyed_at.eq(now),
        ))
        .execute(conn)?;
    let mut details = destroy_parts(conn, &row.id, boussole_shared::retention::KeptDocument::ALL)?;
    details["key"] = true.into();
    diesel::update(bilans::table.find(&row.id))
        .set(bilans::content_destroyed_at.eq(now))
        .execute(conn)?;
    row.content_destroyed_at = Some(now);
    destroyed(conn, &row.id, actor, "content_destroyed", details)
}
