//! The retention rules, as data (`retention_rules`, defaults from DOMAIN.md §5.3 written by the
//! migration): an admin moves a class's period within the bounds its row carries. No HTTP here (the
//! routes are `retention`'s): bilans' end of action and consents read these rules and agreements, and
//! the destruction (`retention::destroy`) builds on bilans, so the rules sit below both.

use boussole_shared::Slug;
use boussole_shared::retention::{KeptDocument, RetentionClass, RetentionRule};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::schema::{bilan_consents, retention_rules};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = retention_rules)]
pub struct RuleRow {
    pub class: String,
    pub months_after_end: i64,
    pub min_months: i64,
    pub max_months: i64,
    pub label: String,
    pub basis: String,
    pub updated_by: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
}

impl RuleRow {
    pub fn class(&self) -> Result<RetentionClass, ApiError> {
        db::stored(
            RetentionClass::parse(&self.class),
            "retention_rules.class",
            &self.class,
        )
    }

    /// The rule as the destruction record prints it: its class, its period and its basis.
    pub fn describe(&self) -> String {
        let name = self.class().map(short_name).unwrap_or("Règle");
        match self.months_after_end {
            0 => format!("{name} : détruit à la fin de l'action ({})", self.basis),
            n => format!("{name} : fin de l'action + {n} mois ({})", self.basis),
        }
    }
}

/// A class's short name.
pub fn short_name(class: RetentionClass) -> &'static str {
    match class {
        RetentionClass::BilanContent => "Contenu du bilan",
        RetentionClass::AdministrativeDocuments => "Documents administratifs",
        RetentionClass::SynthesisCep => {
            "Synthèse transmise au conseil en évolution professionnelle"
        }
        RetentionClass::FollowUpDocuments => "Documents conservés pour le suivi",
    }
}

fn dto(row: RuleRow) -> Result<RetentionRule, ApiError> {
    Ok(RetentionRule {
        class: row.class()?,
        months_after_end: row.months_after_end,
        min_months: row.min_months,
        max_months: row.max_months,
        label: row.label,
        basis: row.basis,
        updated_at: row.updated_at.map(|t| t.and_utc()),
    })
}

/// One class's rule (the migration wrote every class's).
pub fn rule(conn: &mut Conn, class: RetentionClass) -> Result<RuleRow, ApiError> {
    retention_rules::table
        .find(class.as_str())
        .select(RuleRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::internal(format!("no retention rule for {}", class.as_str())))
}

/// Every class's rule, in the order of [`RetentionClass::ALL`].
pub fn all(conn: &mut Conn) -> Result<Vec<RetentionRule>, ApiError> {
    RetentionClass::ALL
        .iter()
        .map(|c| rule(conn, *c).and_then(dto))
        .collect()
}

/// Sets `class`'s period (an admin): 422 `retention-out-of-bounds` outside its bounds, nothing
/// changed; journaled with the old and new values.
pub fn update(
    conn: &mut Conn,
    actor: &Actor,
    class: RetentionClass,
    months: i64,
) -> Result<RetentionRule, ApiError> {
    let current = rule(conn, class)?;
    if months < current.min_months || months > current.max_months {
        return Err(ApiError::Rule {
            slug: Slug::RETENTION_OUT_OF_BOUNDS,
            detail: format!(
                "La durée de conservation « {} » doit être comprise entre {} et {} mois ({}).",
                short_name(class),
                current.min_months,
                current.max_months,
                current.basis
            ),
            missing: vec![],
        });
    }
    let now = db::now();
    diesel::update(retention_rules::table.find(class.as_str()))
        .set((
            retention_rules::months_after_end.eq(months),
            retention_rules::updated_by.eq(actor.id.as_deref().filter(|_| actor.kind == "user")),
            retention_rules::updated_at.eq(now),
        ))
        .execute(conn)?;
    journal::record(
        conn,
        actor,
        "retention.rule.update",
        "retention_rule",
        Some(class.as_str()),
        serde_json::json!({ "from": current.months_after_end, "to": months }),
    )?;
    dto(rule(conn, class)?)
}

/// What a stored retention agreement keeps (`None`: one given before agreements named them, all).
pub fn parse_kept(stored: Option<&str>) -> Vec<KeptDocument> {
    match stored {
        None => KeptDocument::ALL.to_vec(),
        Some(s) => KeptDocument::ALL
            .iter()
            .copied()
            .filter(|k| s.split(',').any(|p| p.trim() == k.as_str()))
            .collect(),
    }
}

/// How an agreement's kept documents are stored.
pub fn store_kept(kept: &[KeptDocument]) -> String {
    KeptDocument::ALL
        .iter()
        .filter(|k| kept.contains(k))
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A retention agreement as the destruction reads it: its months (older agreements may lack them)
/// and the documents it keeps.
pub type Agreement = (Option<i64>, Vec<KeptDocument>);

/// The bilan's retention agreement in force (the latest not revoked): its months and what it keeps.
pub fn agreement(conn: &mut Conn, bilan_id: &str) -> Result<Option<Agreement>, ApiError> {
    let found: Option<(Option<i64>, Option<String>)> = bilan_consents::table
        .filter(bilan_consents::bilan_id.eq(bilan_id))
        .filter(bilan_consents::kind.eq("retention"))
        .filter(bilan_consents::revoked_at.is_null())
        .order(bilan_consents::given_at.desc())
        .select((bilan_consents::retention_months, bilan_consents::kept))
        .first(conn)
        .optional()?;
    Ok(found.map(|(months, kept)| (months, parse_kept(kept.as_deref()))))
}
