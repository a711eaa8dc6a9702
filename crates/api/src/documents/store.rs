//! Issuing a document: read the facts, refuse what is missing, render, seal, store, then write the
//! row under the next version number (and the dated fact the workflow's gates read).
//!
//! The PDF is sealed under a key derived from the master key for issued documents, not under the
//! bilan's key: these are the administrative proofs that outlive the bilan's content (R6313-7,
//! DOMAIN.md §1.5), and destroying that key must not take them with it.

use actix_web::web;
use boussole_shared::bilans::{FactKind, NewFact};
use boussole_shared::documents::{DocumentKind, IssuedDocument};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::data;
use super::render::{self, Issue};
use crate::AppState;
use crate::audit::Actor;
use crate::auth::caller::Viewer;
use crate::bilans::model::{self, Happened};
use crate::bilans::sealed_names::stored_hash;
use crate::crypto;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::schema::issued_documents;

/// The purpose of the derived key the PDFs are sealed under.
const SEAL_PURPOSE: &str = "issued-document";

/// Id, bilan, kind, version, title, SHA-256, size, issuer, issue time.
pub type DocumentRow = (
    String,
    String,
    String,
    i64,
    String,
    String,
    i64,
    String,
    NaiveDateTime,
);

pub fn columns() -> (
    issued_documents::id,
    issued_documents::bilan_id,
    issued_documents::kind,
    issued_documents::version,
    issued_documents::title,
    issued_documents::sha256,
    issued_documents::size,
    issued_documents::issued_by,
    issued_documents::issued_at,
) {
    (
        issued_documents::id,
        issued_documents::bilan_id,
        issued_documents::kind,
        issued_documents::version,
        issued_documents::title,
        issued_documents::sha256,
        issued_documents::size,
        issued_documents::issued_by,
        issued_documents::issued_at,
    )
}

pub fn kind_of(row: &DocumentRow) -> Result<DocumentKind, ApiError> {
    db::stored(DocumentKind::parse(&row.2), "issued_documents.kind", &row.2)
}

pub fn dto(row: DocumentRow) -> Result<IssuedDocument, ApiError> {
    Ok(IssuedDocument {
        kind: kind_of(&row)?,
        id: uuid_of(&row.0)?,
        bilan_id: uuid_of(&row.1)?,
        version: row.3,
        title: row.4,
        sha256: row.5,
        size: row.6,
        issued_by: uuid_of(&row.7)?,
        issued_at: row.8.and_utc(),
    })
}

pub fn storage_key(bilan_id: &str, document_id: &str) -> String {
    format!("documents/{bilan_id}/{document_id}")
}

/// The PDF of a document row, opened and checked against its recorded hash.
pub async fn read_pdf(state: &AppState, row: &DocumentRow) -> Result<Vec<u8>, ApiError> {
    let sealed = state.storage.get(&storage_key(&row.1, &row.0)).await?;
    let pdf = crypto::open_secret(&state.config.master_key, SEAL_PURPOSE, &row.0, &sealed)?;
    if stored_hash(&pdf) != row.5 {
        return Err(ApiError::internal(
            "stored document does not match its SHA-256",
        ));
    }
    Ok(pdf.to_vec())
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
            let facts = data::gather(conn, &row)?;
            let missing = data::missing(kind, &facts);
            if !missing.is_empty() {
                return Err(ApiError::Rule {
                    slug: "document-data-missing",
                    detail: format!(
                        "Le document « {} » ne peut pas être émis : des données manquent.",
                        kind.title()
                    ),
                    missing,
                });
            }
            Ok((facts, next_version(conn, &b, kind)?))
        })
        .await?;
        let id = db::new_id();
        let issued_at = state.config.clock.utc_now();
        let doc_id = id.clone();
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
        let row: DocumentRow = (
            id.clone(),
            bilan_id.to_string(),
            kind.as_str().to_string(),
            version,
            kind.title().to_string(),
            stored_hash(&pdf),
            pdf.len() as i64,
            viewer.id().to_string(),
            issued_at,
        );
        let sealed = crypto::seal_secret(&state.config.master_key, SEAL_PURPOSE, &id, &pdf)?;
        let key = storage_key(bilan_id, &id);
        state.storage.put(&key, sealed).await?;
        let (r, actor) = (row.clone(), actor.clone());
        let written = db::tx(&state.pool, move |conn| record(conn, &actor, &r)).await;
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

/// The row, its journal entries, and for the pre-contract information the dated fact.
fn record(conn: &mut Conn, actor: &Actor, row: &DocumentRow) -> Result<(), ApiError> {
    diesel::insert_into(issued_documents::table)
        .values((
            issued_documents::id.eq(&row.0),
            issued_documents::bilan_id.eq(&row.1),
            issued_documents::kind.eq(&row.2),
            issued_documents::version.eq(row.3),
            issued_documents::title.eq(&row.4),
            issued_documents::sha256.eq(&row.5),
            issued_documents::size.eq(row.6),
            issued_documents::issued_by.eq(&row.7),
            issued_documents::issued_at.eq(row.8),
        ))
        .execute(conn)?;
    let details = serde_json::json!({
        "document_id": row.0, "kind": row.2, "version": row.3, "sha256": row.5,
    });
    let what = Happened {
        event: "document",
        action: "document.issue",
        details,
        content: false,
    };
    model::journal(conn, actor, &row.1, what)?;
    if row.2 == DocumentKind::PreContractInfo.as_str() {
        let fact = NewFact {
            kind: FactKind::PreContractInfo,
            occurred_on: boussole_shared::time::paris_date(row.8),
        };
        crate::bilans::records::record_fact(conn, actor, &row.1, &fact, &row.7)?;
    }
    Ok(())
}
