//! Taking a questionnaire: assign, save answers (autosave), submit (results: `results`). Plain
//! functions on a connection, each run by its handler in one transaction.

use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;
use std::collections::{HashMap, HashSet};

use boussole_shared::assessments::{
    Answer, Answers, Assessment, AssessmentStatus, AssignInstrument, Instrument,
};
use boussole_shared::notifications::NotificationKind;
use boussole_shared::rules::runs;
use diesel::prelude::*;

use super::store::{self, Row};
use super::{catalogue, engine, validate};
use crate::auth::caller::Viewer;
use crate::bilans::model::{self, BilanRow};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::notifications::{Delivery, NewNotification};
use crate::schema::assessments;

fn running(bilan: &BilanRow) -> Result<(), ApiError> {
    if runs(bilan.status()?) {
        return Ok(());
    }
    Err(ApiError::Rule {
        slug: Slug::BILAN_NOT_RUNNING,
        detail: "Les questionnaires se proposent et se remplissent pendant le bilan, de la phase préliminaire \
                 à la phase de conclusions."
            .into(),
        missing: vec![],
    })
}

fn already_submitted() -> ApiError {
    ApiError::conflict(
        Slug::ASSESSMENT_SUBMITTED,
        "Ce questionnaire a déjà été envoyé : ses réponses ne changent plus.",
    )
}

fn invalid(item: &str, why: impl std::fmt::Display) -> ApiError {
    ApiError::Rule {
        slug: Slug::INVALID_ANSWER,
        detail: format!("Réponse à « {item} » refusée : {why}."),
        missing: vec![item.to_string()],
    }
}

/// An assigned consultant assigns an instrument (its latest version unless one is named).
pub fn assign(
    conn: &mut Conn,
    bilan_id: &str,
    viewer: &Viewer,
    req: &AssignInstrument,
) -> Result<Assessment, ApiError> {
    let bilan = model::load_for_content(conn, bilan_id, viewer)?;
    running(&bilan)?;
    let inst = match catalogue::get(conn, &req.instrument_id, req.version) {
        Err(ApiError::NotFound) => {
            return Err(ApiError::field(
                "instrument_id",
                FieldRule::Unknown,
                "aucun questionnaire de cet identifiant et de cette version",
            ));
        }
        other => other?,
    };
    let open: i64 = assessments::table
        .filter(assessments::bilan_id.eq(bilan_id))
        .filter(assessments::instrument_id.eq(&inst.id))
        .filter(assessments::status.ne(AssessmentStatus::Submitted.as_str()))
        .count()
        .get_result(conn)?;
    if open > 0 {
        return Err(ApiError::conflict(
            Slug::ASSESSMENT_ALREADY_ASSIGNED,
            "Ce questionnaire est déjà proposé sur ce bilan et n'a pas encore été envoyé.",
        ));
    }
    let required = inst
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .filter(|i| i.required)
        .count() as i64;
    let (id, now) = (db::new_id(), db::now());
    diesel::insert_into(assessments::table)
        .values((
            assessments::id.eq(&id),
            assessments::bilan_id.eq(bilan_id),
            assessments::instrument_id.eq(&inst.id),
            assessments::instrument_version.eq(i64::from(inst.version)),
            assessments::status.eq(AssessmentStatus::Assigned.as_str()),
            assessments::answered.eq(0),
            assessments::required_missing.eq(required),
            assessments::assigned_by.eq(viewer.id()),
            assessments::assigned_at.eq(now),
            assessments::updated_at.eq(now),
        ))
        .execute(conn)?;
    let details = serde_json::json!({ "instrument": inst.id, "version": inst.version });
    model::event(
        conn,
        bilan_id,
        "assessment_assigned",
        Some(viewer.id()),
        details,
        true,
    )?;
    let row = assessments::table
        .find(&id)
        .select(Row::as_select())
        .first(conn)?;
    store::to_dto(&row, &inst)
}

/// The beneficiary learns that a questionnaire waits for them: which one is bilan content (the
/// timeline marks it so), so no text names it, nor the bilan: only who proposed it.
pub fn tell_assigned(
    conn: &mut Conn,
    url: &str,
    bilan_id: &str,
    consultant_id: &str,
    assessment: &Assessment,
) -> Result<(), ApiError> {
    let beneficiary: String = crate::schema::bilans::table
        .find(bilan_id)
        .select(crate::schema::bilans::beneficiary_id)
        .first(conn)?;
    let consultant = crate::accounts::find_by_id(conn, consultant_id)?.ok_or(ApiError::NotFound)?;
    let link = format!("/beneficiaire/questionnaires/{}", assessment.id);
    let title = "Un questionnaire vous attend".to_string();
    crate::notifications::notify(
        conn,
        &NewNotification {
            user_id: beneficiary,
            kind: NotificationKind::QuestionnaireAssigned,
            title: title.clone(),
            subject: Some(consultant.display_name()),
            link: link.clone(),
            email: Some((
                format!("Boussole : {title}"),
                format!(
                    "Bonjour,\n\nVotre consultant vous propose un questionnaire dans Boussole. Répondez-y à votre rythme : vos réponses sont enregistrées au fur et à mesure.\n\nPour y répondre : {url}{link}\n"
                ),
            )),
            sms: Some(format!(
                "Boussole : {title}. Connectez-vous pour y répondre."
            )),
            delivery: Delivery::default(),
        },
    )?;
    Ok(())
}

/// The instruments assigned on a bilan, oldest first.
pub fn list(conn: &mut Conn, bilan_id: &str, viewer: &Viewer) -> Result<Vec<Assessment>, ApiError> {
    model::load_for_content(conn, bilan_id, viewer)?;
    let rows: Vec<Row> = assessments::table
        .filter(assessments::bilan_id.eq(bilan_id))
        .order((assessments::assigned_at.asc(), assessments::id.asc()))
        .select(Row::as_select())
        .load(conn)?;
    store::to_dtos(conn, &rows)
}

pub fn get(conn: &mut Conn, id: &str, viewer: &Viewer) -> Result<Assessment, ApiError> {
    let (row, _) = store::for_content(conn, id, viewer)?;
    let inst = row.instrument(conn)?;
    store::to_dto(&row, &inst)
}

/// The answers in the instrument's order.
fn ordered(inst: &Instrument, mut by_item: HashMap<String, Answer>) -> Vec<Answer> {
    engine_items(inst)
        .filter_map(|i| by_item.remove(&i.id))
        .collect()
}

fn engine_items(inst: &Instrument) -> impl Iterator<Item = &boussole_shared::assessments::Item> {
    inst.sections.iter().flat_map(|s| s.items.iter())
}

/// The answers so far (a read of content, journaled).
pub fn answers(
    conn: &mut Conn,
    master: &[u8; 32],
    id: &str,
    viewer: &Viewer,
) -> Result<Answers, ApiError> {
    let store::Opened {
        row, inst, answers, ..
    } = store::open(conn, master, id, viewer, |_| Ok(()))?;
    let by_item = answers
        .into_iter()
        .map(|a| (a.item_id.clone(), a))
        .collect();
    Ok(Answers {
        assessment: store::to_dto(&row, &inst)?,
        answers: ordered(&inst, by_item),
    })
}

/// The beneficiary saves some answers: every one is checked against its item first, and nothing is
/// stored unless all fit. A `null` value without a comment clears the item.
pub fn save(
    conn: &mut Conn,
    master: &[u8; 32],
    id: &str,
    viewer: &Viewer,
    given: &[Answer],
) -> Result<Answers, ApiError> {
    let (row, bilan) = store::for_content(conn, id, viewer)?;
    if row.status()? == AssessmentStatus::Submitted {
        return Err(already_submitted());
    }
    running(&bilan)?;
    let inst = row.instrument(conn)?;
    let items = engine::items_by_id(&inst);
    let mut seen = HashSet::new();
    for a in given {
        let item = items.get(a.item_id.as_str()).ok_or_else(|| {
            invalid(
                &a.item_id,
                format_args!(
                    "pas de question de cet identifiant dans la version {} du questionnaire",
                    inst.version
                ),
            )
        })?;
        if !seen.insert(a.item_id.as_str()) {
            return Err(invalid(
                &a.item_id,
                "répondue deux fois dans la même requête",
            ));
        }
        if let Some(v) = &a.value {
            validate::answer(item, v).map_err(|why| invalid(&a.item_id, why))?;
        }
        if let Some(c) = &a.comment {
            if item.comment_prompt.is_none() {
                return Err(invalid(
                    &a.item_id,
                    "cette question n'appelle pas de commentaire",
                ));
            }
            if c.chars().count() > validate::MAX_COMMENT {
                return Err(invalid(&a.item_id, "commentaire trop long"));
            }
        }
    }
    let key = model::content_key(conn, master, &row.bilan_id)?;
    let mut by_item: HashMap<String, Answer> = store::read_answers(conn, &key, id)?
        .into_iter()
        .map(|a| (a.item_id.clone(), a))
        .collect();
    for a in given {
        let empty_comment = a.comment.as_deref().is_none_or(|c| c.trim().is_empty());
        if a.value.is_none() && empty_comment {
            by_item.remove(&a.item_id);
        } else {
            by_item.insert(a.item_id.clone(), a.clone());
        }
    }
    let answered = by_item.values().filter(|a| a.value.is_some()).count() as i64;
    let missing = engine_items(&inst)
        .filter(|i| i.required && by_item.get(&i.id).is_none_or(|a| a.value.is_none()))
        .count() as i64;
    let all = ordered(&inst, by_item);
    let status = if all.is_empty() {
        AssessmentStatus::Assigned
    } else {
        AssessmentStatus::InProgress
    };
    let updated = diesel::update(
        assessments::table
            .find(id)
            .filter(assessments::status.ne(AssessmentStatus::Submitted.as_str())),
    )
    .set((
        assessments::answers.eq(Some(store::seal_answers(&key, id, &all)?)),
        assessments::answered.eq(answered),
        assessments::required_missing.eq(missing),
        assessments::status.eq(status.as_str()),
        assessments::updated_at.eq(db::now()),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(already_submitted());
    }
    let row = assessments::table
        .find(id)
        .select(Row::as_select())
        .first(conn)?;
    Ok(Answers {
        assessment: store::to_dto(&row, &inst)?,
        answers: all,
    })
}

/// The beneficiary submits: every required item answered, once (a second submit, even a concurrent
/// one, is a 409: the update only takes a row not yet submitted).
pub fn submit(
    conn: &mut Conn,
    master: &[u8; 32],
    id: &str,
    viewer: &Viewer,
) -> Result<Assessment, ApiError> {
    let (row, bilan) = store::for_content(conn, id, viewer)?;
    if row.status()? == AssessmentStatus::Submitted {
        return Err(already_submitted());
    }
    running(&bilan)?;
    let inst = row.instrument(conn)?;
    let key = model::content_key(conn, master, &row.bilan_id)?;
    let answered: HashSet<String> = store::read_answers(conn, &key, id)?
        .into_iter()
        .filter(|a| a.value.is_some())
        .map(|a| a.item_id)
        .collect();
    let missing: Vec<String> = engine_items(&inst)
        .filter(|i| i.required && !answered.contains(&i.id))
        .map(|i| i.id.clone())
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::Rule {
            slug: Slug::ANSWERS_MISSING,
            detail: format!("{} question(s) obligatoire(s) sans réponse.", missing.len()),
            missing,
        });
    }
    let now = db::now();
    let updated = diesel::update(
        assessments::table
            .find(id)
            .filter(assessments::status.ne(AssessmentStatus::Submitted.as_str())),
    )
    .set((
        assessments::status.eq(AssessmentStatus::Submitted.as_str()),
        assessments::submitted_at.eq(Some(now)),
        assessments::updated_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(already_submitted());
    }
    let details = serde_json::json!({ "instrument": inst.id, "version": inst.version });
    model::event(
        conn,
        &row.bilan_id,
        "assessment_submitted",
        Some(viewer.id()),
        details,
        true,
    )?;
    let row = assessments::table
        .find(id)
        .select(Row::as_select())
        .first(conn)?;
    store::to_dto(&row, &inst)
}
