//! Issuing the approved synthèse: the PDF rendered from the approved revision, sealed under the
//! bilan's key and stored under the bilan's prefix (`bilans/{id}/…`), so that the bilan's
//! destruction (R6313-7) takes it twice over: the key is destroyed (crypto-shredding) and the
//! prefix deleted. The row in `issued_documents` (kind `synthese`) keeps only what proves the
//! delivery (date, version, SHA-256), never the text. Issuing records the `synthese_delivered`
//! fact the conclusion gate reads, and tells the beneficiary (never the content).

use actix_web::web;
use boussole_shared::Slug;
use boussole_shared::bilans::{FactKind, NewFact};
use boussole_shared::documents::{DocumentKind, HEADER_FIELDS, IssuedDocument};
use boussole_shared::synthesis::SynthesisStatus;
use diesel::prelude::*;

use super::pdf::{self, Parties};
use super::store;
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::bilans::model::{self, Happened};
use crate::bilans::sealed_names::stored_hash;
use crate::crypto;
use crate::db::{self, Conn};
use crate::documents::data;
use crate::documents::render::{Issue, day};
use crate::documents::store::{DocumentRow, content_storage_key, dto};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::schema::{issued_documents, syntheses};

/// Issues the approved synthèse of the bilan as an assigned consultant: 409 unless approved, 422
/// naming the organisation's missing identity fields, or the new document.
pub async fn issue(
    state: &AppState,
    bilan_id: &str,
    viewer: &Viewer,
    actor: &Actor,
) -> Result<IssuedDocument, ApiError> {
    let (b, v, master) = (
        bilan_id.to_string(),
        viewer.clone(),
        state.config.master_key.clone(),
    );
    let (key, row, facts, sections, version) = db::run(&state.pool, move |conn| {
        let bilan = model::load_for_content(conn, &b, &v)?;
        let key = model::content_key(conn, &master, &b)?;
        let row = store::load(conn, &b)?.ok_or_else(not_approved)?;
        if row.status()? != SynthesisStatus::Approved || row.approved_revision != Some(row.revision)
        {
            return Err(not_approved());
        }
        let facts = data::gather(conn, &bilan)?;
        let missing = facts.org.missing(HEADER_FIELDS);
        if !missing.is_empty() {
            return Err(ApiError::Rule {
                slug: Slug::DOCUMENT_DATA_MISSING,
                detail: "Le document de synthèse ne peut pas être émis : des données manquent."
                    .into(),
                missing,
            });
        }
        let sections = store::sections(&key, &row)?;
        let version = next_version(conn, &b)?;
        Ok((key, row, facts, sections, version))
    })
    .await?;
    let id = db::new_id();
    let issued_at = state.config.clock.utc_now();
    let doc_id = id.clone();
    let pdf = web::block(move || {
        let period = match (facts.sessions.first(), facts.sessions.last()) {
            (Some(a), Some(z)) => format!("du {} au {}", day(a.starts_at), day(z.ends_at)),
            _ => String::new(),
        };
        let parties = Parties {
            beneficiary: facts.beneficiary.clone(),
            consultants: facts.consultants.iter().map(|c| c.name.clone()).collect(),
            period,
        };
        let issue = Issue {
            id: &doc_id,
            version,
            issued_at,
        };
        pdf::render(&facts.org, &parties, &sections, &issue)
    })
    .await
    .map_err(ApiError::internal)??;
    let doc = DocumentRow {
        id: id.clone(),
        bilan_id: bilan_id.to_string(),
        kind: DocumentKind::Synthese.as_str().to_string(),
        version,
        title: DocumentKind::Synthese.title().to_string(),
        sha256: stored_hash(&pdf),
        size: pdf.len() as i64,
        issued_by: viewer.id().to_string(),
        issued_at,
    };
    let sealed = crypto::encrypt_bytes(&key, &id, &pdf)?;
    let storage_key = content_storage_key(bilan_id, &id);
    state.storage.put(&storage_key, sealed).await?;
    let (d, actor, revision) = (doc.clone(), actor.clone(), row.revision);
    let written =
        crate::notifications::tx(state, move |conn| record(conn, &actor, &d, revision)).await;
    match written {
        Ok(()) => dto(doc),
        Err(e) => {
            // Nothing of a refused issue stays in storage.
            state.storage.delete(&storage_key).await?;
            Err(e)
        }
    }
}

fn next_version(conn: &mut Conn, bilan_id: &str) -> QueryResult<i64> {
    let max: Option<i64> = issued_documents::table
        .filter(issued_documents::bilan_id.eq(bilan_id))
        .filter(issued_documents::kind.eq(DocumentKind::Synthese.as_str()))
        .select(diesel::dsl::max(issued_documents::version))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// 409: only an approved synthèse is issued, once.
fn not_approved() -> ApiError {
    ApiError::conflict(
        Slug::SYNTHESIS_NOT_APPROVED,
        "Le document de synthèse n'est émis qu'une fois approuvé par le bénéficiaire, dans la version approuvée.",
    )
}

/// The document row, the synthèse marked issued (if still approved at that revision: a save in
/// between refuses the issue), the journal, the `synthese_delivered` fact, the beneficiary told.
fn record(
    conn: &mut Conn,
    actor: &Actor,
    doc: &DocumentRow,
    revision: i64,
) -> Result<(), ApiError> {
    diesel::insert_into(issued_documents::table)
        .values(doc)
        .execute(conn)?;
    let changed = diesel::update(
        syntheses::table
            .filter(syntheses::bilan_id.eq(&doc.bilan_id))
            .filter(syntheses::revision.eq(revision))
            .filter(syntheses::status.eq(SynthesisStatus::Approved.as_str())),
    )
    .set((
        syntheses::status.eq(SynthesisStatus::Issued.as_str()),
        syntheses::issued_document_id.eq(Some(doc.id.clone())),
        syntheses::issued_at.eq(Some(doc.issued_at)),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(not_approved());
    }
    // What was issued and when, not what it says: admins see that the synthèse was delivered (the
    // conclusion gate needs it), never its text.
    let details = serde_json::json!({
        "document_id": doc.id, "kind": doc.kind, "version": doc.version, "revision": revision,
    });
    let what = Happened {
        event: "document",
        action: "document.issue",
        details,
        content: false,
    };
    model::journal(conn, actor, &doc.bilan_id, what)?;
    let fact = NewFact {
        kind: FactKind::SyntheseDelivered,
        occurred_on: boussole_shared::time::paris_date(doc.issued_at),
    };
    crate::bilans::records::record_fact(conn, actor, &doc.bilan_id, &fact, &doc.issued_by)?;
    super::tell_beneficiary(
        conn,
        &doc.bilan_id,
        "Votre document de synthèse est disponible",
        "Votre document de synthèse est disponible dans Boussole. Il vous est remis à vous seul : \
         connectez-vous pour le consulter et le télécharger.",
    )
}
