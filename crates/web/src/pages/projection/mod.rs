//! The skills analysis grid and the projection tools (issue 11, items 6–7): the "Compétences" and
//! "Projet" tabs of the consultant's bilan file, and the same panels on the beneficiary's page
//! `/beneficiaire/projet/:id`. Both write; the API says who wrote what.

mod grid;
mod matrix;
mod paths;
mod plan;
mod rome;

pub use grid::SkillsPanel;

use std::collections::BTreeMap;

use boussole_shared::Problem;
use boussole_shared::bilans::PersonRef;
use boussole_shared::projection::{
    ActionPlan, CareerPath, DecisionMatrix, Experience, RequiredSkill, Skill,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::{api::ApiError, components::*, i18n::use_i18n};

/// What these panels load, as one enum (see `pages::appointments::AData`).
#[derive(Clone)]
pub enum PData {
    Experiences(Vec<Experience>),
    Skills(Vec<Skill>),
    Paths(Vec<CareerPath>),
    Matrix(DecisionMatrix),
    Plan(ActionPlan),
}

/// A field error found before sending, shown like the server's.
pub fn local_error(field: &str, message: &str) -> ApiError {
    let mut errors = BTreeMap::new();
    errors.insert(field.to_string(), vec![message.to_string()]);
    ApiError::Problem(Problem {
        kind: "urn:boussole:problem:validation".into(),
        title: message.into(),
        status: 400,
        detail: None,
        errors: Some(errors),
        rules: None,
        missing: None,
    })
}

pub fn name(p: &PersonRef) -> String {
    format!("{} {}", p.first_name, p.last_name)
}

/// Required skills typed one per line, "name" or "name: level" (level 1–4); blank lines skipped.
pub fn parse_required(text: &str) -> Vec<RequiredSkill> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.rsplit_once(':') {
            Some((name, level)) if level.trim().parse::<u8>().is_ok() => RequiredSkill {
                name: name.trim().to_string(),
                level: level.trim().parse().ok(),
            },
            _ => RequiredSkill {
                name: line.to_string(),
                level: None,
            },
        })
        .collect()
}

/// The "Projet" tab: career paths, the decision matrix, the action plan.
#[component]
pub fn ProjectPanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    view! {
        <paths::PathsSection id version/>
        <matrix::MatrixSection id version/>
        <plan::PlanSection id version/>
    }
}

/// `/beneficiaire/projet/:id`: the beneficiary's own grid and project.
#[component]
pub fn MyProjection() -> impl IntoView {
    let i = use_i18n();
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let version = RwSignal::new(0_u32);
    view! {
        <Page title=move || i.t().proj.page_title help="mon-projet">
            <p><a href="/beneficiaire">{move || i.t().proj.back_home}</a></p>
            {match id {
                Some(id) => view! {
                    <SkillsPanel id version/>
                    <ProjectPanel id version/>
                }
                .into_any(),
                None => view! { <p>{move || i.t().not_found_text}</p> }.into_any(),
            }}
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_skills_read_one_per_line_with_an_optional_level() {
        let got = parse_required("Pédagogie : 3\n\n  Lecture de plans  \nRatio 1:x");
        assert_eq!(got.len(), 3);
        assert_eq!((got[0].name.as_str(), got[0].level), ("Pédagogie", Some(3)));
        assert_eq!(
            (got[1].name.as_str(), got[1].level),
            ("Lecture de plans", None)
        );
        assert_eq!(got[2].name, "Ratio 1:x");
    }
}
