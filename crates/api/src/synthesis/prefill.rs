//! The first draft of a synthèse, written from what the bilan already holds: its sessions (the
//! circumstances), the skills grid, the submitted assessments with their interpretations, the career
//! paths with their field interviews, the decision matrix's ranking and the action plan. The
//! consultant then rewrites it; nothing here is saved until they do.

use boussole_shared::assessments::AssessmentStatus;
use boussole_shared::bilans::FundingMode;
use boussole_shared::projection::{
    ActionPlanInput, GapStatus, NewCareerPath, NewSkill, PathStatus, SkillCategory, gaps,
};
use boussole_shared::synthesis::{ActionStep, SynthesisSections};
use diesel::prelude::*;

use crate::assessments::{engine, store as assessments};
use crate::bilans::model::BilanRow;
use crate::db::Conn;
use crate::documents::data;
use crate::documents::render::hours;
use crate::error::ApiError;
use crate::projection::rome::Catalogue;
use crate::projection::store::{self as grid, Kind, Record};
use crate::projection::{matrix, paths};
use crate::schema::assessments as a;

/// The follow-up interview every bilan offers (R6313-4 leaves it to the organisation; Boussole's
/// workflow holds one about six months after the end).
const FOLLOW_UP: &str = "Un entretien de suivi vous est proposé environ six mois après la fin du \
     bilan, pour faire le point sur la mise en œuvre de votre projet. Il est facultatif et se \
     tient, à votre choix, en présentiel ou à distance.";

/// The prefilled sections of the bilan's synthèse.
pub fn sections(
    conn: &mut Conn,
    key: &[u8],
    bilan: &BilanRow,
    rome: &Catalogue,
) -> Result<SynthesisSections, ApiError> {
    let facts = data::gather(conn, bilan)?;
    let skills: Vec<Record<NewSkill>> = grid::list(conn, key, &bilan.id, Kind::Skill)?;
    let careers = paths::records(conn, key, &bilan.id)?;
    let ranking = matrix::matrix(conn, key, &bilan.id)?.ranking;
    let plan = matrix::plan(conn, key, &bilan.id)?.fields;
    let identified: Vec<_> = skills
        .iter()
        .map(|s| (s.uuid, s.body.name.clone(), s.body.level))
        .collect();
    // Kept paths first, in the matrix's order, then the others; dropped ones are left out.
    let mut ranked: Vec<&Record<NewCareerPath>> = careers
        .iter()
        .filter(|p| p.body.status != PathStatus::Dropped)
        .collect();
    ranked.sort_by_key(|p| {
        let rank = ranking
            .iter()
            .find(|r| r.path_id == p.uuid)
            .map_or(u32::MAX, |r| r.rank);
        (p.body.status != PathStatus::Kept, rank)
    });
    let chosen = plan
        .career_path_id
        .and_then(|id| ranked.iter().find(|p| p.uuid == id).copied())
        .or_else(|| ranked.first().copied());
    let occupations = |p: &NewCareerPath| -> String {
        let names: Vec<String> = p
            .rome_codes
            .iter()
            .map(|c| match rome.get(c) {
                Some(o) => format!("{} ({c})", o.title),
                None => c.clone(),
            })
            .collect();
        if names.is_empty() {
            String::new()
        } else {
            format!(" — métiers ROME : {}", names.join(", "))
        }
    };

    let circumstances = circumstances(&facts);
    let skills_text = skills_text(&skills);
    let investigation = investigation(conn, key, &bilan.id, &careers)?;

    let project = match chosen {
        Some(p) => {
            let mut text = format!("{}{}.", p.body.title.trim(), occupations(&p.body));
            if !plan.project.trim().is_empty() {
                text = format!("{}\n{text}", plan.project.trim());
            }
            if !p.body.motivations.trim().is_empty() {
                text.push_str(&format!("\nMotivations : {}", p.body.motivations.trim()));
            }
            text
        }
        None => plan.project.trim().to_string(),
    };
    let alternatives = ranked
        .iter()
        .filter(|p| Some(p.uuid) != chosen.map(|c| c.uuid))
        .map(|p| format!("- {}{}", p.body.title.trim(), occupations(&p.body)))
        .collect::<Vec<_>>()
        .join("\n");

    let (mut factors_for, mut factors_against) = (Vec::new(), Vec::new());
    if let Some(p) = chosen {
        for gap in gaps(&p.body.required_skills, &identified) {
            match gap.status {
                GapStatus::Met => factors_for.push(format!("- Compétence acquise : {}", gap.name)),
                GapStatus::BelowLevel => {
                    factors_against.push(format!("- Compétence à renforcer : {}", gap.name))
                }
                GapStatus::Missing => {
                    factors_against.push(format!("- Compétence à acquérir : {}", gap.name))
                }
            }
        }
        let c = &p.body.constraints;
        for (label, text) in [
            ("Rémunération", &c.pay),
            ("Mobilité", &c.mobility),
            ("Formation", &c.training),
            ("Marché de l'emploi", &c.market),
        ] {
            if !text.trim().is_empty() {
                factors_against.push(format!("- {label} : {}", text.trim()));
            }
        }
    }
    for s in skills.iter().filter(|s| s.body.transferable) {
        let line = format!("- Compétence transférable : {}", s.body.name.trim());
        if !factors_for.contains(&line) {
            factors_for.push(line);
        }
    }

    Ok(SynthesisSections {
        circumstances,
        skills: skills_text,
        investigation_results: investigation,
        project,
        alternatives,
        factors_for: factors_for.join("\n"),
        factors_against: factors_against.join("\n"),
        action_plan: action_plan(&plan),
        follow_up: FOLLOW_UP.into(),
    })
}

fn circumstances(f: &data::Facts) -> String {
    let funding = match f.funding {
        FundingMode::Cpf => "au titre du compte personnel de formation (CPF)",
        FundingMode::Employer => {
            "dans le cadre du plan de développement des compétences de l'employeur"
        }
        FundingMode::SelfFunded => "sur financement personnel",
        FundingMode::Reclassement => "dans le cadre d'un congé de reclassement",
        FundingMode::FranceTravail => "avec un financement de France Travail",
        FundingMode::Mixed => "avec un financement mixte",
    };
    let mut text = format!(
        "{} a réalisé un bilan de compétences {funding}",
        f.beneficiary
    );
    if let (Some(first), Some(last)) = (f.sessions.first(), f.sessions.last()) {
        text.push_str(&format!(
            ", du {} au {}, soit {} d'accompagnement en {} séance(s)",
            crate::documents::render::day(first.starts_at),
            crate::documents::render::day(last.ends_at),
            hours(f.delivered_minutes()),
            f.sessions.len()
        ));
    }
    if !f.consultants.is_empty() {
        text.push_str(&format!(", accompagné(e) par {}", f.consultant_names()));
    }
    text.push('.');
    text
}

fn skills_text(skills: &[Record<NewSkill>]) -> String {
    let mut out = Vec::new();
    for (category, label) in [
        (SkillCategory::KnowHow, "Savoir-faire"),
        (SkillCategory::Knowledge, "Savoirs"),
        (SkillCategory::SoftSkill, "Savoir-être"),
    ] {
        let names: Vec<String> = skills
            .iter()
            .filter(|s| s.body.category == category)
            .map(|s| {
                let level = ["", "débutant", "intermédiaire", "confirmé", "expert"]
                    .get(usize::from(s.body.level))
                    .copied()
                    .unwrap_or("");
                if level.is_empty() {
                    s.body.name.trim().to_string()
                } else {
                    format!("{} ({level})", s.body.name.trim())
                }
            })
            .collect();
        if !names.is_empty() {
            out.push(format!("{label} : {}.", names.join(", ")));
        }
    }
    out.join("\n")
}

/// The submitted assessments (title, Holland code, the consultant's interpretation) and the field
/// interviews of the career paths.
fn investigation(
    conn: &mut Conn,
    key: &[u8],
    bilan_id: &str,
    careers: &[Record<NewCareerPath>],
) -> Result<String, ApiError> {
    let rows: Vec<assessments::Row> = a::table
        .filter(a::bilan_id.eq(bilan_id))
        .filter(a::status.eq(AssessmentStatus::Submitted.as_str()))
        .order(a::submitted_at.asc())
        .select(assessments::Row::as_select())
        .load(conn)?;
    let mut out = Vec::new();
    for row in &rows {
        let inst = row.instrument(conn)?;
        let mut line = format!("- {}", inst.title.fr.trim());
        let answers = assessments::read_answers(conn, key, &row.id)?;
        let map: engine::AnswerMap = answers
            .iter()
            .filter_map(|a| a.value.as_ref().map(|v| (a.item_id.as_str(), v)))
            .collect();
        if let Some(h) = engine::score(&inst, &map).holland {
            line.push_str(&format!(" : code Holland {}", h.code));
        }
        if let Some(i) = assessments::read_interpretation(conn, key, &row.id)? {
            line.push_str(&format!(". {}", i.text.trim()));
        }
        out.push(line);
    }
    for p in careers {
        for i in &p.body.interviews {
            out.push(format!(
                "- Enquête métier « {} » : entretien avec {} ({}) — {}",
                p.body.title.trim(),
                i.who.trim(),
                i.role.trim(),
                i.learnt.trim()
            ));
        }
    }
    Ok(out.join("\n"))
}

fn action_plan(plan: &ActionPlanInput) -> Vec<ActionStep> {
    let mut steps: Vec<ActionStep> = plan
        .steps
        .iter()
        .filter(|s| !s.label.trim().is_empty())
        .map(|s| ActionStep {
            step: s.label.trim().chars().take(500).collect(),
            horizon: s
                .due_on
                .map(|d| format!("d'ici le {}", d.format("%d/%m/%Y")))
                .unwrap_or_default(),
        })
        .collect();
    for t in plan.trainings.iter().filter(|t| !t.trim().is_empty()) {
        steps.push(ActionStep {
            step: format!("Formation : {}", t.trim())
                .chars()
                .take(500)
                .collect(),
            horizon: String::new(),
        });
    }
    steps.truncate(30);
    steps
}
