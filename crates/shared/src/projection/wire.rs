//! How the SPA reads the grid's records: each one flat, as it is sent.
//!
//! `Experience`, `Skill`, `CareerPath` and `ActionPlan` are written as their input (`fields`) plus who
//! wrote them, `#[serde(flatten)]`ed into one JSON object. Reading a flattened struct, serde first
//! buffers the whole object into its generic `Content` tree, then reads each part again from it: in the
//! wasm, that is a second copy of every nested type's reader (7.6 KB gzip for these four, measured
//! against the 1 MB budget). Each record is read here through a flat struct of the same fields, then
//! put together (`#[serde(from = …)]`); writing them (the API) and their OpenAPI schemas still go
//! through the nested types. A field added to an input fails to compile in its `From` below until it is
//! read here too; the tests check that each flat reader reads what the record writes, and that a field
//! the input may omit may be omitted here too.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::*;
use crate::bilans::PersonRef;

#[derive(Deserialize)]
pub(super) struct ExperienceWire {
    id: Uuid,
    job_title: String,
    employer: Option<String>,
    started_on: NaiveDate,
    ended_on: Option<NaiveDate>,
    #[serde(default)]
    tasks: String,
    #[serde(default)]
    achievements: Vec<Achievement>,
    recorded_by: PersonRef,
    updated_by: PersonRef,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<ExperienceWire> for Experience {
    fn from(w: ExperienceWire) -> Self {
        Experience {
            id: w.id,
            fields: NewExperience {
                job_title: w.job_title,
                employer: w.employer,
                started_on: w.started_on,
                ended_on: w.ended_on,
                tasks: w.tasks,
                achievements: w.achievements,
            },
            authorship: Authorship {
                recorded_by: w.recorded_by,
                updated_by: w.updated_by,
                created_at: w.created_at,
                updated_at: w.updated_at,
            },
        }
    }
}

#[derive(Deserialize)]
pub(super) struct SkillWire {
    id: Uuid,
    name: String,
    category: SkillCategory,
    level: u8,
    #[serde(default)]
    evidence: String,
    experience_id: Option<Uuid>,
    #[serde(default)]
    transferable: bool,
    recorded_by: PersonRef,
    updated_by: PersonRef,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<SkillWire> for Skill {
    fn from(w: SkillWire) -> Self {
        Skill {
            id: w.id,
            fields: NewSkill {
                name: w.name,
                category: w.category,
                level: w.level,
                evidence: w.evidence,
                experience_id: w.experience_id,
                transferable: w.transferable,
            },
            authorship: Authorship {
                recorded_by: w.recorded_by,
                updated_by: w.updated_by,
                created_at: w.created_at,
                updated_at: w.updated_at,
            },
        }
    }
}

#[derive(Deserialize)]
pub(super) struct CareerPathWire {
    id: Uuid,
    title: String,
    #[serde(default)]
    rome_codes: Vec<String>,
    #[serde(default)]
    motivations: String,
    #[serde(default)]
    required_skills: Vec<RequiredSkill>,
    #[serde(default)]
    constraints: PathConstraints,
    #[serde(default)]
    interviews: Vec<FieldInterview>,
    status: PathStatus,
    occupations: Vec<RomeOccupation>,
    gaps: Vec<SkillGap>,
    recorded_by: PersonRef,
    updated_by: PersonRef,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<CareerPathWire> for CareerPath {
    fn from(w: CareerPathWire) -> Self {
        CareerPath {
            id: w.id,
            fields: NewCareerPath {
                title: w.title,
                rome_codes: w.rome_codes,
                motivations: w.motivations,
                required_skills: w.required_skills,
                constraints: w.constraints,
                interviews: w.interviews,
                status: w.status,
            },
            occupations: w.occupations,
            gaps: w.gaps,
            authorship: Authorship {
                recorded_by: w.recorded_by,
                updated_by: w.updated_by,
                created_at: w.created_at,
                updated_at: w.updated_at,
            },
        }
    }
}

#[derive(Deserialize)]
pub(super) struct ActionPlanWire {
    career_path_id: Option<Uuid>,
    #[serde(default)]
    project: String,
    #[serde(default)]
    steps: Vec<ActionStep>,
    #[serde(default)]
    trainings: Vec<String>,
    #[serde(default)]
    resources: Vec<String>,
    updated_by: Option<PersonRef>,
    updated_at: Option<DateTime<Utc>>,
}

impl From<ActionPlanWire> for ActionPlan {
    fn from(w: ActionPlanWire) -> Self {
        ActionPlan {
            fields: ActionPlanInput {
                career_path_id: w.career_path_id,
                project: w.project,
                steps: w.steps,
                trainings: w.trainings,
                resources: w.resources,
            },
            updated_by: w.updated_by,
            updated_at: w.updated_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use serde_json::{Value, json};

    use super::*;

    fn person(n: u8) -> PersonRef {
        PersonRef {
            id: Uuid::from_u128(u128::from(n)),
            first_name: format!("Prénom {n}"),
            last_name: format!("Nom {n}"),
        }
    }

    fn authorship() -> Authorship {
        Authorship {
            recorded_by: person(1),
            updated_by: person(2),
            created_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            updated_at: DateTime::from_timestamp(1_700_086_400, 5_000).unwrap_or_default(),
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 3, d).unwrap_or_default()
    }

    /// `record` as sent, read back through its flat reader, is the same record; and each key of its
    /// input that the input's own reader lets a client omit may be omitted from the record too, with
    /// the same result.
    fn reads_back<R, I>(record: &R, input: &I)
    where
        R: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
        I: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let sent = serde_json::to_value(record).unwrap_or_default();
        let read: R =
            serde_json::from_value(sent.clone()).unwrap_or_else(|e| panic!("{e}: {sent}"));
        assert_eq!(&read, record);
        let Value::Object(input_json) = serde_json::to_value(input).unwrap_or_default() else {
            panic!("an input is an object");
        };
        for key in input_json.keys() {
            let mut short_input = input_json.clone();
            short_input.remove(key);
            let Ok(input_read) = serde_json::from_value::<I>(Value::Object(short_input)) else {
                continue; // required: the record must carry it too
            };
            let mut short = sent.clone();
            if let Value::Object(map) = &mut short {
                map.remove(key);
            }
            let record_read: R = serde_json::from_value(short).unwrap_or_else(|e| {
                panic!("{key} may be omitted from the input, not the record: {e}")
            });
            let back = serde_json::to_value(&record_read).unwrap_or_default();
            let expected = serde_json::to_value(&input_read).unwrap_or_default();
            assert_eq!(back[key.as_str()], expected[key.as_str()], "{key}");
        }
    }

    #[test]
    fn experience_reads_back() {
        let fields = NewExperience {
            job_title: "Comptable".into(),
            employer: Some("Cabinet Martin".into()),
            started_on: day(1),
            ended_on: Some(day(20)),
            tasks: "Bilans annuels".into(),
            achievements: vec![Achievement {
                situation: "Clôture en retard".into(),
                action: "Nouveau calendrier".into(),
                result: "Clôture à J+10".into(),
            }],
        };
        let record = Experience {
            id: Uuid::from_u128(7),
            fields: fields.clone(),
            authorship: authorship(),
        };
        reads_back(&record, &fields);
    }

    #[test]
    fn skill_reads_back() {
        let fields = NewSkill {
            name: "Analyse financière".into(),
            category: SkillCategory::Knowledge,
            level: 3,
            evidence: "Tableaux de bord".into(),
            experience_id: Some(Uuid::from_u128(7)),
            transferable: true,
        };
        let record = Skill {
            id: Uuid::from_u128(8),
            fields: fields.clone(),
            authorship: authorship(),
        };
        reads_back(&record, &fields);
    }

    #[test]
    fn career_path_reads_back() {
        let fields = NewCareerPath {
            title: "Contrôleur de gestion".into(),
            rome_codes: vec!["M1204".into()],
            motivations: "Les chiffres".into(),
            required_skills: vec![RequiredSkill {
                name: "Excel".into(),
                level: Some(3),
            }],
            constraints: PathConstraints {
                pay: "35 k€".into(),
                mobility: "Lyon".into(),
                training: "DCG".into(),
                market: "Porteur".into(),
            },
            interviews: vec![FieldInterview {
                who: "Mme Petit".into(),
                role: "DAF".into(),
                held_on: day(5),
                learnt: "Le rythme".into(),
            }],
            status: PathStatus::Kept,
        };
        let record = CareerPath {
            id: Uuid::from_u128(9),
            fields: fields.clone(),
            occupations: vec![RomeOccupation {
                code: "M1204".into(),
                title: "Contrôle de gestion".into(),
            }],
            gaps: vec![SkillGap {
                name: "Excel".into(),
                required_level: Some(3),
                status: GapStatus::BelowLevel,
                skill_id: Some(Uuid::from_u128(8)),
                level: Some(2),
            }],
            authorship: authorship(),
        };
        reads_back(&record, &fields);
    }

    #[test]
    fn action_plan_reads_back() {
        let fields = ActionPlanInput {
            career_path_id: Some(Uuid::from_u128(9)),
            project: "Devenir contrôleur de gestion".into(),
            steps: vec![ActionStep {
                label: "S'inscrire au DCG".into(),
                due_on: Some(day(30)),
                done: true,
            }],
            trainings: vec!["DCG".into()],
            resources: vec!["https://www.francetravail.fr".into()],
        };
        let record = ActionPlan {
            fields: fields.clone(),
            updated_by: Some(person(3)),
            updated_at: Some(authorship().updated_at),
        };
        reads_back(&record, &fields);
        let empty: ActionPlan = serde_json::from_value(json!({"career_path_id": null,
            "updated_by": null, "updated_at": null}))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(empty.fields, ActionPlanInput::default());
    }
}
