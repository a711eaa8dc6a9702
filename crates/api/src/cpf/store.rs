//! The CPF file's rows and rules: opening and correcting a file, moving it forward, and the deadline
//! its state and the bilan's sessions give.

use boussole_shared::Slug;
use boussole_shared::bilans::{BilanStatus, FactKind, FundingMode, NewFact};
use boussole_shared::cpf::{
    CAP_CENTS, CpfDeadline, CpfDuty, CpfFile, CpfFileInput, CpfState, CpfStep, CpfTransition,
    EarlierBilan, participation_cents,
};
use boussole_shared::field_rules::FieldRule;
use chrono::{Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::bilans::model::{self, BilanRow, Happened};
use crate::bilans::records;
use crate::calendar::{add_working_days, working_days_until};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::schema::{bilan_sessions, bilans, cpf_file_steps, cpf_files};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cpf_files)]
pub struct FileRow {
    pub bilan_id: String,
    pub edof_number: String,
    pub state: String,
    pub state_since: NaiveDate,
    pub requested_on: NaiveDate,
    pub amount_cents: i64,
    pub participation_exempt: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cpf_file_steps)]
struct StepRow {
    id: String,
    bilan_id: String,
    from_state: Option<String>,
    to_state: String,
    occurred_on: NaiveDate,
    actor_id: Option<String>,
    recorded_at: NaiveDateTime,
}

fn state_of(text: &str) -> Result<CpfState, ApiError> {
    CpfState::parse(text)
        .ok_or_else(|| ApiError::internal(format!("cpf_files.state `{text}` does not parse")))
}

pub fn find(conn: &mut Conn, bilan_id: &str) -> Result<Option<FileRow>, ApiError> {
    Ok(cpf_files::table
        .find(bilan_id)
        .select(FileRow::as_select())
        .first(conn)
        .optional()?)
}

/// Field errors of a file's number and amount; the opening day must not be in the future.
fn check(input: &CpfFileInput, today: NaiveDate) -> Result<(), ApiError> {
    let number = input.edof_number.trim();
    if number.is_empty()
        || number.len() > 40
        || !number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(ApiError::field(
            "edof_number",
            FieldRule::Format,
            "1 à 40 lettres, chiffres ou tirets",
        ));
    }
    if !(1..=CAP_CENTS).contains(&input.amount_cents) {
        return Err(ApiError::field(
            "amount_cents",
            FieldRule::Range,
            "entre 0,01 € et 1 600 € (plafond du CPF pour un bilan de compétences)",
        ));
    }
    if input.requested_on.is_some_and(|d| d > today) {
        return Err(ApiError::field(
            "requested_on",
            FieldRule::NotInFuture,
            "pas dans le futur",
        ));
    }
    Ok(())
}

/// Opens the file of a CPF-funded bilan (in `not_processed`) or corrects its number and amount.
/// 422 `not-cpf-funded` for another funding; 409 when the EDOF number belongs to another bilan.
pub fn save(
    conn: &mut Conn,
    bilan: &BilanRow,
    input: &CpfFileInput,
    actor: &Actor,
    today: NaiveDate,
) -> Result<(), ApiError> {
    check(input, today)?;
    if bilan.funding()? != FundingMode::Cpf {
        return Err(ApiError::Rule {
            slug: Slug::NOT_CPF_FUNDED,
            detail: "Ce bilan n'est pas financé par le CPF : il n'a pas de dossier EDOF.".into(),
            missing: vec![],
        });
    }
    let number = input.edof_number.trim().to_string();
    let taken: Option<String> = cpf_files::table
        .filter(cpf_files::edof_number.eq(&number))
        .filter(cpf_files::bilan_id.ne(&bilan.id))
        .select(cpf_files::bilan_id)
        .first(conn)
        .optional()?;
    if taken.is_some() {
        return Err(ApiError::conflict(
            Slug::CPF_FILE_TAKEN,
            format!("Le dossier EDOF {number} est déjà rattaché à un autre bilan."),
        ));
    }
    let now = db::now();
    let existing = find(conn, &bilan.id)?;
    let details = serde_json::json!({ "edof_number": number, "amount_cents": input.amount_cents });
    if existing.is_some() {
        diesel::update(cpf_files::table.find(&bilan.id))
            .set((
                cpf_files::edof_number.eq(&number),
                cpf_files::amount_cents.eq(input.amount_cents),
                cpf_files::participation_exempt.eq(input.participation_exempt),
                cpf_files::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(
            conn,
            actor,
            &bilan.id,
            "cpf_file_updated",
            "cpf.update",
            details,
        )?;
        return Ok(());
    }
    let requested_on = input.requested_on.unwrap_or(today);
    diesel::insert_into(cpf_files::table)
        .values(&FileRow {
            bilan_id: bilan.id.clone(),
            edof_number: number,
            state: CpfState::NotProcessed.as_str().into(),
            state_since: requested_on,
            requested_on,
            amount_cents: input.amount_cents,
            participation_exempt: input.participation_exempt,
            created_at: now,
            updated_at: now,
        })
        .execute(conn)?;
    step(
        conn,
        &bilan.id,
        None,
        CpfState::NotProcessed,
        requested_on,
        actor,
    )?;
    record(
        conn,
        actor,
        &bilan.id,
        "cpf_file_opened",
        "cpf.open",
        details,
    )
}

/// Moves the file forward: only to a state EDOF allows from the current one, on a day neither in the
/// future nor before the current state began. Accepting records the `cpf_file_accepted` fact. The row is read and updated under the write lock the
/// transaction holds, so two clerks recording the same move cannot both succeed.
pub fn transition(
    conn: &mut Conn,
    bilan_id: &str,
    req: &CpfTransition,
    actor: &Actor,
    recorded_by: &str,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let file = find(conn, bilan_id)?.ok_or(ApiError::NotFound)?;
    let from = state_of(&file.state)?;
    if !from.next().contains(&req.to) {
        return Err(ApiError::Rule {
            slug: Slug::CPF_TRANSITION_NOT_ALLOWED,
            detail: format!(
                "Un dossier « {} » ne peut pas passer à « {} ».",
                from.as_str(),
                req.to.as_str()
            ),
            missing: vec![],
        });
    }
    if req.on > today {
        return Err(ApiError::field(
            "on",
            FieldRule::NotInFuture,
            "pas dans le futur",
        ));
    }
    if req.on < file.state_since {
        return Err(ApiError::field(
            "on",
            FieldRule::TooEarly,
            format!("pas avant le {} (début de l'état actuel)", file.state_since),
        ));
    }
    let changed = diesel::update(
        cpf_files::table
            .find(bilan_id)
            .filter(cpf_files::state.eq(from.as_str())),
    )
    .set((
        cpf_files::state.eq(req.to.as_str()),
        cpf_files::state_since.eq(req.on),
        cpf_files::updated_at.eq(db::now()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(ApiError::conflict(
            Slug::CPF_FILE_CHANGED,
            "Le dossier a changé entre-temps : rechargez-le.",
        ));
    }
    step(conn, bilan_id, Some(from), req.to, req.on, actor)?;
    if req.to == CpfState::Accepted {
        // The accepted file is the contract of a CPF bilan (DOMAIN.md §3.6): the fact the start gate
        // checks is recorded with it, so the office does not type it twice.
        let fact = NewFact {
            kind: FactKind::CpfFileAccepted,
            occurred_on: req.on,
        };
        records::record_fact(conn, actor, bilan_id, &fact, recorded_by)?;
    }
    let details = serde_json::json!({ "from": from.as_str(), "to": req.to.as_str(), "on": req.on });
    record(
        conn,
        actor,
        bilan_id,
        "cpf_state_changed",
        "cpf.transition",
        details,
    )
}

fn step(
    conn: &mut Conn,
    bilan_id: &str,
    from: Option<CpfState>,
    to: CpfState,
    on: NaiveDate,
    actor: &Actor,
) -> Result<(), ApiError> {
    diesel::insert_into(cpf_file_steps::table)
        .values(&StepRow {
            id: db::new_id(),
            bilan_id: bilan_id.into(),
            from_state: from.map(|s| s.as_str().into()),
            to_state: to.as_str().into(),
            occurred_on: on,
            actor_id: actor.id.clone(),
            recorded_at: db::now(),
        })
        .execute(conn)?;
    Ok(())
}

fn record(
    conn: &mut Conn,
    actor: &Actor,
    bilan_id: &str,
    event: &str,
    action: &str,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    let what = Happened {
        event,
        action,
        details,
        content: false,
    };
    Ok(model::journal(conn, actor, bilan_id, what)?)
}

/// The provider's (or the holder's) next duty and its last day, from the state and the sessions:
/// 2 working days to answer a request, 4 for the holder to accept, 3 to declare the start after the
/// first session and the end after the last one once the bilan has ended.
pub fn deadline(
    conn: &mut Conn,
    bilan: &BilanRow,
    file: &FileRow,
    today: NaiveDate,
) -> Result<Option<CpfDeadline>, ApiError> {
    let state = state_of(&file.state)?;
    let mut sessions = || -> Result<(Option<NaiveDateTime>, Option<NaiveDateTime>), ApiError> {
        Ok(bilan_sessions::table
            .filter(bilan_sessions::bilan_id.eq(&bilan.id))
            .select((
                diesel::dsl::min(bilan_sessions::starts_at),
                diesel::dsl::max(bilan_sessions::ends_at),
            ))
            .first(conn)?)
    };
    let (duty, from, days) = match state {
        CpfState::NotProcessed => (CpfDuty::AnswerRequest, file.state_since, 2),
        CpfState::Validated => (CpfDuty::HolderAcceptance, file.state_since, 4),
        CpfState::Accepted => match sessions()?.0 {
            Some(first) => (
                CpfDuty::DeclareStart,
                boussole_shared::time::paris_date(first),
                3,
            ),
            None => return Ok(None),
        },
        CpfState::InTraining => {
            let ended = matches!(
                bilan.status()?,
                BilanStatus::Completed | BilanStatus::Closed | BilanStatus::Abandoned
            );
            match (ended, sessions()?.1) {
                (true, Some(last)) => (
                    CpfDuty::DeclareEnd,
                    boussole_shared::time::paris_date(last),
                    3,
                ),
                _ => return Ok(None),
            }
        }
        _ => return Ok(None),
    };
    let due_on = add_working_days(from, days);
    Ok(Some(CpfDeadline {
        duty,
        from,
        due_on,
        working_days_left: working_days_until(today, due_on),
    }))
}

/// The beneficiary's other bilans paid with public money (CPF, employer plan through an OPCO, France
/// Travail) opened in the five years before this one: a second one so soon is usually refused.
pub fn earlier_public_bilans(
    conn: &mut Conn,
    bilan: &BilanRow,
) -> Result<Vec<EarlierBilan>, ApiError> {
    let since = bilan
        .created_at
        .checked_sub_months(Months::new(60))
        .unwrap_or(bilan.created_at);
    let public = [
        FundingMode::Cpf.as_str(),
        FundingMode::Employer.as_str(),
        FundingMode::FranceTravail.as_str(),
        FundingMode::Mixed.as_str(),
    ];
    let rows: Vec<(String, String, NaiveDateTime)> = bilans::table
        .filter(bilans::beneficiary_id.eq(&bilan.beneficiary_id))
        .filter(bilans::id.ne(&bilan.id))
        .filter(bilans::funding.eq_any(public))
        .filter(bilans::created_at.ge(since))
        .filter(bilans::created_at.le(bilan.created_at))
        .order(bilans::created_at.desc())
        .select((bilans::id, bilans::funding, bilans::created_at))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, funding, created)| {
            Ok(EarlierBilan {
                bilan_id: db::uuid_of(&id)?,
                funding: FundingMode::parse(&funding).ok_or_else(|| {
                    ApiError::internal(format!("bilans.funding `{funding}` does not parse"))
                })?,
                opened_on: boussole_shared::time::paris_date(created),
            })
        })
        .collect()
}

/// The file as its reader sees it: the amount only when `show_amount`.
pub fn dto(
    conn: &mut Conn,
    bilan: &BilanRow,
    file: FileRow,
    show_amount: bool,
    today: NaiveDate,
) -> Result<CpfFile, ApiError> {
    let steps: Vec<StepRow> = cpf_file_steps::table
        .filter(cpf_file_steps::bilan_id.eq(&bilan.id))
        .order(cpf_file_steps::recorded_at.asc())
        .select(StepRow::as_select())
        .load(conn)?;
    let history = steps
        .into_iter()
        .map(|s| {
            Ok(CpfStep {
                from: s.from_state.as_deref().map(state_of).transpose()?,
                to: state_of(&s.to_state)?,
                on: s.occurred_on,
                by: s.actor_id.as_deref().map(db::uuid_of).transpose()?,
                recorded_at: s.recorded_at.and_utc(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(CpfFile {
        bilan_id: db::uuid_of(&bilan.id)?,
        deadline: deadline(conn, bilan, &file, today)?,
        earlier_public_bilans: earlier_public_bilans(conn, bilan)?,
        edof_number: file.edof_number,
        state: state_of(&file.state)?,
        state_since: file.state_since,
        amount_cents: show_amount.then_some(file.amount_cents),
        participation_cents: if file.participation_exempt {
            0
        } else {
            participation_cents(file.requested_on)
        },
        participation_exempt: file.participation_exempt,
        history,
    })
}
