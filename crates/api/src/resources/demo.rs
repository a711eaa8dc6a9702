//! The demo's library: occupation sheets of the ROME (France Travail), the training and orientation
//! sites a consultant points to, one PDF guide kept by Boussole, and an archived link. Karim shares
//! some with Camille and Lucas, Agnès one with Inès, and each of them has opened a few: the accesses
//! report has something to show.

use diesel::prelude::*;

use super::store::{ResourceRow, search_text, set_tags};
use crate::AppState;
use crate::accounts;
use crate::crypto;
use crate::db::{self, Conn};
use crate::pdf::Writer;
use crate::schema::{resource_accesses as ra, resource_shares as rs, resources as r};

/// (key, title, description, url or `None` for the file, tags, for all, by the admin rather than Karim)
type Seed = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    bool,
    bool,
);

const LIBRARY: &[Seed] = &[
    (
        "k1801",
        "Fiche métier ROME K1801 — Conseiller / Conseillère en insertion professionnelle",
        "Activités, compétences, accès au métier et environnements de travail (ROME 4.0, France Travail).",
        Some("https://candidat.francetravail.fr/metierscope/fiche-metier/K1801"),
        &["métiers", "insertion"],
        false,
        false,
    ),
    (
        "k1201",
        "Fiche métier ROME K1201 — Assistant social / Assistante sociale",
        "Le diplôme d'État, les lieux d'exercice et les compétences attendues (ROME 4.0).",
        Some("https://candidat.francetravail.fr/metierscope/fiche-metier/K1201"),
        &["métiers", "social"],
        false,
        false,
    ),
    (
        "h2206",
        "Fiche métier ROME H2206 — Menuisier / Menuisière",
        "Fabrication et pose d'ouvrages en bois : accès au métier, CAP et titres professionnels.",
        Some("https://candidat.francetravail.fr/metierscope/fiche-metier/H2206"),
        &["métiers", "artisanat"],
        false,
        false,
    ),
    (
        "k2111",
        "Fiche métier ROME K2111 — Formateur / Formatrice",
        "Concevoir et animer des formations pour adultes : un débouché fréquent après une reconversion.",
        Some("https://candidat.francetravail.fr/metierscope/fiche-metier/K2111"),
        &["métiers", "formation"],
        true,
        false,
    ),
    (
        "mcf",
        "Mon Compte Formation",
        "Consulter ses droits CPF et trouver une formation certifiante finançable.",
        Some("https://www.moncompteformation.gouv.fr/"),
        &["formation", "CPF"],
        true,
        true,
    ),
    (
        "ft-formations",
        "France Travail — rechercher une formation",
        "Le catalogue des formations, par métier et par région, avec les financements possibles.",
        Some("https://candidat.francetravail.fr/formations/recherche"),
        &["formation"],
        true,
        true,
    ),
    (
        "orientest",
        "Orient'Est — s'orienter en Grand Est",
        "Le portail régional de l'orientation : métiers qui recrutent, formations et événements près de chez soi.",
        Some("https://www.orientest.fr/"),
        &["orientation", "Grand Est"],
        true,
        true,
    ),
    (
        "vae",
        "France VAE — la validation des acquis de l'expérience",
        "Faire reconnaître son expérience par un diplôme : étapes, accompagnement et financement.",
        Some("https://vae.gouv.fr/"),
        &["VAE", "formation"],
        true,
        true,
    ),
    (
        "transitions",
        "Transitions Pro — le projet de transition professionnelle",
        "Se former à un nouveau métier en gardant son salaire : conditions et dépôt du dossier.",
        Some("https://www.transitionspro.fr/"),
        &["reconversion", "financement"],
        true,
        true,
    ),
    (
        "lbb",
        "La bonne boîte — les entreprises qui recrutent",
        "Les entreprises susceptibles d'embaucher dans un métier, pour des candidatures spontanées.",
        Some("https://labonneboite.francetravail.fr/"),
        &["emploi", "enquête métier"],
        false,
        false,
    ),
    (
        "guide",
        "Guide de l'enquête métier",
        "Préparer et mener un entretien avec un professionnel : questions à poser, prise de notes, remerciements.",
        None,
        &["enquête métier", "méthode"],
        true,
        false,
    ),
    (
        "pole-emploi",
        "Pôle emploi — espace candidat",
        "Ancienne adresse, remplacée par France Travail.",
        Some("https://www.pole-emploi.fr/candidat"),
        &["emploi"],
        true,
        true,
    ),
];

/// The guide's PDF, written with the platform's own PDF writer.
fn guide_pdf(conn: &mut Conn) -> anyhow::Result<Vec<u8>> {
    let org = crate::settings::organisation(conn)?;
    let mut pdf = Writer::new("Guide de l'enquête métier", &org)?;
    pdf.title("Guide de l'enquête métier");
    pdf.paragraph("Rencontrer des professionnels du métier visé est l'étape la plus utile de la phase d'investigation : elle confronte votre projet à la réalité du terrain.");
    pdf.heading("Avant l'entretien");
    pdf.paragraph("Identifiez deux ou trois professionnels (réseau, La bonne boîte, salons). Préparez une dizaine de questions : le quotidien, les compétences, la formation, le recrutement, les conditions de travail.");
    pdf.heading("Pendant l'entretien");
    pdf.paragraph(
        "Annoncez une durée courte (30 minutes), prenez des notes, demandez d'autres contacts.",
    );
    pdf.heading("Après l'entretien");
    pdf.paragraph("Remerciez par écrit, puis notez ce qui confirme ou infirme votre projet : nous en parlerons à la séance suivante.");
    Ok(pdf.finish(chrono::Utc::now())?)
}

/// Seeds the library (nothing when the demo accounts are missing).
pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let mut conn = state.pool.get()?;
    let find = |conn: &mut Conn, email: &str| -> anyhow::Result<Option<String>> {
        Ok(accounts::find_by_email(conn, email)?.map(|u| u.id))
    };
    let (Some(admin), Some(karim)) = (
        find(&mut conn, "admin@boussole.test")?,
        find(&mut conn, "consultant@boussole.test")?,
    ) else {
        return Ok(());
    };
    let now = db::now();
    let mut ids = std::collections::HashMap::new();
    let mut pending_file = None;
    for (n, (key, title, description, url, tags, all, by_admin)) in LIBRARY.iter().enumerate() {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        let at = now - chrono::Duration::days(30 - n as i64);
        let row = ResourceRow {
            id: db::new_id(),
            title: title.to_string(),
            description: Some(description.to_string()),
            kind: if url.is_some() { "link" } else { "file" }.into(),
            audience: if *all { "all" } else { "shared" }.into(),
            url: url.map(str::to_string),
            file_id: None,
            file_name: None,
            content_type: None,
            size: None,
            sha256: None,
            created_by: if *by_admin { &admin } else { &karim }.clone(),
            created_at: at,
            updated_at: at,
            archived_at: (*key == "pole-emploi").then_some(now - chrono::Duration::days(3)),
            search: search_text(title, Some(description), &tags),
        };
        diesel::insert_into(r::table)
            .values(&row)
            .execute(&mut conn)?;
        set_tags(&mut conn, &row.id, &tags)?;
        if url.is_none() {
            pending_file = Some(row.id.clone());
        }
        ids.insert(*key, row.id);
    }
    if let Some(resource) = pending_file {
        let bytes = guide_pdf(&mut conn)?;
        let file_id = db::new_id();
        let stored =
            crypto::seal_secret(&state.config.master_key, "resource-file", &file_id, &bytes)?;
        let sha = crate::bilans::sealed_names::stored_hash(&stored);
        state
            .storage
            .put(&format!("resources/{resource}/{file_id}"), stored)
            .await?;
        diesel::update(r::table.find(&resource))
            .set((
                r::file_id.eq(&file_id),
                r::file_name.eq("guide-enquete-metier.pdf"),
                r::content_type.eq("application/pdf"),
                r::size.eq(bytes.len() as i64),
                r::sha256.eq(&sha),
            ))
            .execute(&mut conn)?;
    }
    let people = [
        (
            "beneficiaire@boussole.test",
            &karim,
            &["k1801", "k1201", "lbb"][..],
            &["k1801", "k1801", "guide", "mcf", "lbb"][..],
        ),
        (
            "lucas.moreau@boussole.test",
            &karim,
            &["h2206", "lbb"][..],
            &["h2206", "lbb", "transitions"][..],
        ),
        (
            "ines.garcia@boussole.test",
            &admin,
            &["lbb"][..],
            &["orientest", "vae"][..],
        ),
    ];
    for (email, by, shared, opened) in people {
        let Some(who) = find(&mut conn, email)? else {
            continue;
        };
        for (n, key) in shared.iter().enumerate() {
            diesel::insert_into(rs::table)
                .values((
                    rs::resource_id.eq(&ids[key]),
                    rs::beneficiary_id.eq(&who),
                    rs::shared_by.eq(by),
                    rs::shared_at.eq(now - chrono::Duration::days(12 - n as i64)),
                ))
                .execute(&mut conn)?;
        }
        for (n, key) in opened.iter().enumerate() {
            diesel::insert_into(ra::table)
                .values((
                    ra::id.eq(db::new_id()),
                    ra::resource_id.eq(&ids[key]),
                    ra::user_id.eq(&who),
                    ra::at.eq(now - chrono::Duration::hours(200 - 30 * n as i64)),
                ))
                .execute(&mut conn)?;
        }
    }
    Ok(())
}
