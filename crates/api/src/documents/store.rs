//! Issuing a document: read the facts, refuse what is missing, render, seal, store, then write the
//! row under the next version number (and the dated fact the workflow's gates read).
//!
//! The PDF is sealed under a key derived from the master key for issued documents, not under the
//! bilan's key: these are the administrative proofs that outlive the bilan's content (R6313-7,
//! DOMAIN.md §1.5), and destroying that key must not take them with it.

use actix_web::web;
use boussole_shared::Slug;
use boussole_shared::bilans::{FactKind, NewFact};
use boussole_shared::documents::{DocumentKind, IssuedDocument};
use boussole_shared::notifications::NotificationKind;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::data;
use super::render::{self, Issue};
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::bilans::model::{self, Happened};
use crate::bilans::sealed_names::stored_hash;
use crate::crypto;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::notifications::{Delivery, NewNotification};
use crate::schema::issued_documents;

/// The purpose of the derived key the PDFs are sealed under.
const SEAL_PURPOSE: &str = "issued-document";

/// An issued document's row (never updated: a correction is the next version).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = issued_documents)]
pub struct DocumentRow {
    pub id: String,
    pub bilan_id: String,
    pub kind: String,
    pub version: i64,
    pub title: String,
    pub sha256: String,
    pub size: i64,
    pub issued_by: String,
    pub issued_at: NaiveDateTime,
}

pub fn kind_of(row: &DocumentRow) -> Result<DocumentKind, ApiError> {
    db::stored(
        DocumentKind::parse(&row.kind),
        "issued_documents.kind",
        &row.kind,
    )
}

pub fn dto(row: DocumentRow) -> Result<IssuedDocument, ApiError> {
    Ok(IssuedDocument {
        kind: kind_of(&row)?,
        id: uuid_of(&row.id)?,
        bilan_id: uuid_of(&row.bilan_id)?,
        version: row.version,
        title: row.title,
        sha256: row.sha256,
        size: row.size,
        issued_by: uuid_of(&row.issued_by)?,
        issued_at: row.issued_at.and_utc(),
    })
}

pub fn storage_key(bilan_id: &str, document_id: &str) -> String {
    format!("documents/{bilan_id}/{document_id}")
}

/// Where an issued content document's (the synthèse's) sealed PDF is stored: under the bilan's
/// prefix, which every destruction path deletes. `synthesis::issue` writes it there; its reading
/// is here so that every issued document opens through [`read_pdf`].
pub fn content_storage_key(bilan_id: &str, document_id: &str) -> String {
    format!("bilans/{bilan_id}/synthese/{document_id}")
}

/// The PDF of a document row, opened and checked against its recorded hash.
pub async fn read_pdf(state: &AppState, row: &DocumentRow) -> Result<Vec<u8>, ApiError> {
    if kind_of(row)?.is_content() {
        return read_content_pdf(state, row).await;
    }
    let sealed = state
        .storage
        .get(&storage_key(&row.bilan_id, &row.id))
        .await?;
    let pdf = crypto::open_secret(&state.config.master_key, SEAL_PURPOSE, &row.id, &sealed)?;
    if stored_hash(&pdf) != row.sha256 {
        return Err(ApiError::internal(
            "stored document does not match its SHA-256",
        ));
    }
    Ok(pdf.to_vec())
}

/// The PDF of an issued content document, opened with the bilan's key (gone once the content is
/// destroyed).
async fn read_content_pdf(state: &AppState, row: &DocumentRow) -> Result<Vec<u8>, ApiError> {
    let bilan = row.bilan_id.clone();
    let master = state.config.master_key.clone();
    let key = db::run(&state.pool, move |conn| {
        model::content_key(conn, &master, &bilan)
    })
    .await?;
    let sealed = state
        .storage
        .get(&content_storage_key(&row.bilan_id, &row.id))
        .await?;
    let pdf = crypto::decrypt_bytes(&key, &row.id, &sealed)?;
    if stored_hash(&pdf) != row.sha256 {
        return Err(ApiError::internal(
            "stored document does not match its SHA-256",
        ));
    }
    Ok(pdf)
}

fn next_version(conn: &mut Conn, bilan_id: &str, kind: DocumentKind) -> QueryResult<i64> {
    let max: Option<i64> = issued_documents::table
        .filter(issued_documents::bilan_id.eq(bilan_id))
        .filter(issued_documents::kind.eq(kind.as_str()))
        .select(diesel::dsl::max(issued_documents::version))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

fn taken_version(e: &ApiError) -> bool {
    matches!(e, ApiError::Database(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
        if info.message().contains("issued_documents"))
}

/// Issues `kind` for the bilan as `viewer` (the caller checked they are staff): 422 listing every
/// missing datum and nothing stored, or the new document. Two simultaneous issues of one kind both
/// succeed with distinct versions: the loser of the unique index renders again under the next.
pub async fn issue(
    state: &AppState,
    bilan_id: &str,
    kind: DocumentKind,
    viewer: &Viewer,
    actor: &Actor,
) -> Result<IssuedDocument, ApiError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (b, v) = (bilan_id.to_string(), viewer.clone());
        let (facts, version) = db::run(&state.pool, move |conn| {
            let row = model::load_for(conn, &b, &v)?;
            // The funder's convention prints the funding lines' amounts: a consultant issues it
            // only where the organisation shows them the amounts.
            if kind == DocumentKind::FunderConvention
                && !matches!(v, Viewer::Admin(_))
                && !crate::settings::accounting(conn)?.consultants_see_amounts
            {
                return Err(ApiError::forbidden(
                    Slug::AMOUNTS_HIDDEN,
                    "Les montants du financement ne sont pas visibles des consultants.",
                ));
            }
            let mut facts = data::gather(conn, &row)?;
            let missing = data::missing(kind, &facts);
            if !missing.is_empty() {
                return Err(ApiError::Rule {
                    slug: Slug::DOCUMENT_DATA_MISSING,
                    detail: format!(
                        "Le document « {} » ne peut pas être émis : des données manquent.",
                        kind.title()
                    ),
                    missing,
                });
            }
            let template = super::templates::current(conn, kind)?;
            facts.texts = template.texts;
            facts.template_version = template.version;
            Ok((facts, next_version(conn, &b, kind)?))
        })
        .await?;
        let id = db::new_id();
        let issued_at = state.config.clock.utc_now();
        let doc_id = id.clone();
        let template_version = facts.template_version;
        let pdf = web::block(move || {
            let issue = Issue {
                id: &doc_id,
                version,
                issued_at,
            };
            render::render(kind, &facts, &issue)
        })
        .await
        .map_err(ApiError::internal)??;
        let row = DocumentRow {
            id: id.clone(),
            bilan_id: bilan_id.to_string(),
            kind: kind.as_str().to_string(),
            version,
            title: kind.title().to_string(),
            sha256: stored_hash(&pdf),
            size: pdf.len() as i64,
            issued_by: viewer.id().to_string(),
            issued_at,
        };
        let sealed = crypto::seal_secret(&state.config.master_key, SEAL_PURPOSE, &id, &pdf)?;
        let key = storage_key(bilan_id, &id);
        state.storage.put(&key, sealed).await?;
        let (r, actor, url) = (row.clone(), actor.clone(), state.config.public_url.clone());
        let written = crate::notifications::tx(state, move |conn| {
            record(conn, &actor, &r, template_version, &url)
        })
        .await;
        match written {
            Ok(()) => return dto(row),
            Err(e) => {
                // Nothing of a refused issue stays in storage.
                state.storage.delete(&key).await?;
                if !(taken_version(&e) && attempt < 5) {
                    return Err(e);
                }
            }
        }
    }
}

/// The row, its journal entries, the beneficiary notified, and for the pre-contract information the
/// dated fact.
fn record(
    conn: &mut Conn,
    actor: &Actor,
    row: &DocumentRow,
    template_version: i64,
    url: &str,
) -> Result<(), ApiError> {
    diesel::insert_into(issued_documents::table)
        .values(row)
        .execute(conn)?;
    let details = serde_json::json!({
        "document_id": row.id, "kind": row.kind, "version": row.version, "sha256": row.sha256,
        "template_version": template_version,
    });
    let what = Happened {
        event: "document",
        action: "document.issue",
        details,
        content: false,
    };
    model::journal(conn, actor, &row.bilan_id, what)?;
    let data = crate::webhooks::DocumentEvent {
        document_id: row.id.clone(),
        bilan_id: row.bilan_id.clone(),
        kind: db::stored(
            DocumentKind::parse(&row.kind),
            "issued_documents.kind",
            &row.kind,
        )?,
        version: row.version,
        sha256: row.sha256.clone(),
        issued_at: row.issued_at.and_utc(),
    };
    crate::webhooks::emit(
        conn,
        crate::webhooks::WebhookEventKind::DocumentIssued,
        &data,
    )?;
    if row.kind == DocumentKind::PreContractInfo.as_str() {
        let fact = NewFact {
            kind: FactKind::PreContractInfo,
            occurred_on: boussole_shared::time::paris_date(row.issued_at),
        };
        crate::bilans::records::record_fact(conn, actor, &row.bilan_id, &fact, &row.issued_by)?;
    }
    tell_beneficiary(conn, row, url)
}

/// The beneficiary learns that a document of their bilan is there (its kind, never its content).
fn tell_beneficiary(conn: &mut Conn, row: &DocumentRow, url: &str) -> Result<(), ApiError> {
    let beneficiary: String = crate::schema::bilans::table
        .find(&row.bilan_id)
        .select(crate::schema::bilans::beneficiary_id)
        .first(conn)?;
    let title = format!("Nouveau document : {}", row.title);
    crate::notifications::notify(
        conn,
        &NewNotification {
            user_id: beneficiary,
            kind: NotificationKind::DocumentIssued,
            title: title.clone(),
            subject: Some(row.title.clone()),
            link: "/beneficiaire".into(),
            email: Some((
                format!("Boussole : {title}"),
                format!(
                    "Bonjour,\n\nUn document de votre bilan de compétences est disponible dans Boussole : {} (version {}).\n\nPour le consulter ou le télécharger : {url}/beneficiaire\n",
                    row.title, row.version
                ),
            )),
            sms: Some(format!("Boussole : {title}.")),
            delivery: Delivery::default(),
        },
    )?;
    Ok(())
}
