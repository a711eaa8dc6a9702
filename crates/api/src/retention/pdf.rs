//! The procès-verbal de destruction of a run, through the documents' PDF writer: the organisation
//! on every page, page numbers, the run, each item destroyed and the rules applied (R6313-7).

use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::retention::DestructionRunDetail;
use boussole_shared::time::to_paris;

use crate::error::ApiError;
use crate::pdf::Writer;
use crate::retention_rules::short_name;

pub const TITLE: &str = "Procès-verbal de destruction";

fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    to_paris(at.naive_utc())
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

pub fn render(
    org: &OrganisationIdentity,
    detail: &DestructionRunDetail,
) -> Result<Vec<u8>, ApiError> {
    let run = &detail.run;
    let mut w = Writer::new(TITLE, org)?;
    w.title(TITLE);
    w.field("Exécution", &when(run.ran_at));
    w.field(
        "Déclenchement",
        match run.trigger.as_str() {
            "admin" => "à la demande d'un administrateur",
            _ => "tâche périodique de conservation",
        },
    );
    w.field("Éléments détruits", &run.items.to_string());
    w.field("Référence", &run.id.to_string());
    w.space(6.0);
    w.paragraph(
        "Les documents produits pour la réalisation d'un bilan de compétences sont détruits dès la \
         fin de l'action, sauf la synthèse transmise au conseil en évolution professionnelle et les \
         documents conservés avec l'accord écrit du bénéficiaire, pour trois ans au plus (article \
         R6313-7 du Code du travail). Les documents administratifs sont conservés pour les contrôles \
         pendant la durée fixée par l'organisme, puis supprimés. Ce procès-verbal liste ce qui a été \
         détruit, sans en reproduire le contenu.",
    );
    w.heading("Éléments détruits");
    if detail.items.is_empty() {
        w.paragraph("Aucun élément n'était à détruire lors de cette exécution.");
    } else {
        let rows: Vec<Vec<String>> = detail
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                vec![
                    (i + 1).to_string(),
                    item.what.clone(),
                    item.bilan_reference.clone().unwrap_or_default(),
                    short_name(item.class).to_string(),
                    when(item.destroyed_at),
                ]
            })
            .collect();
        w.table(
            &["N°", "Élément", "Bilan", "Catégorie", "Détruit le"],
            &[0.06, 0.42, 0.14, 0.2, 0.18],
            &rows,
        );
    }
    let mut applied: Vec<&str> = Vec::new();
    for item in &detail.items {
        if !applied.contains(&item.rule.as_str()) {
            applied.push(&item.rule);
        }
    }
    if !applied.is_empty() {
        w.heading("Règles appliquées");
        for rule in applied {
            w.paragraph(&format!("• {rule}"));
        }
    }
    w.space(12.0);
    w.paragraph(&format!(
        "Établi par Boussole pour {} le {}.",
        org.name.trim(),
        when(run.ran_at)
    ));
    w.finish(run.ran_at)
}
