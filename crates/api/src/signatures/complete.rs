//! The end of a request whose signers all signed: the signed original is assembled, sealed and
//! stored, the request marked completed with the original's hash, and the dated fact the workflow's
//! gates read is recorded (`tripartite_convention_signed`, `individual_contract_signed`). Run right
//! after the last signature and again by the job for any request a stopped process left half done;
//! of two runs at once, the conditional update keeps one and the other removes its file.

use boussole_shared::bilans::{FactKind, NewFact};
use boussole_shared::documents::DocumentKind;
use boussole_shared::signatures::SignatureStatus;
use diesel::prelude::*;

use super::evidence::{Signed, signed_pdf};
use super::store::{self, RequestRow};
use crate::AppState;
use crate::bilans::model::{self, Happened};
use crate::bilans::sealed_names::stored_hash;
use crate::crypto;
use crate::db;
use crate::documents::store::{DocumentRow, read_pdf};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::schema::{issued_documents, signature_requests as q};

/// The purpose of the derived key signed originals are sealed under (bound to the request's id).
const SEAL_PURPOSE: &str = "signed-document";

pub(crate) fn storage_key(row: &RequestRow, sha256: &str) -> String {
    format!(
        "documents/{}/{}-signed-{}",
        row.bilan_id,
        row.id,
        &sha256[..16]
    )
}

/// Completes `request_id` if every signer signed and it is still pending; otherwise does nothing.
pub async fn finish(state: &AppState, request_id: &str) -> Result<(), ApiError> {
    let id = request_id.to_string();
    let found = db::run(&state.pool, move |conn| {
        let row = store::find(conn, &id)?;
        let signers = store::signers(conn, &id)?;
        if row.status != SignatureStatus::Pending.as_str()
            || signers.iter().any(|s| s.signed_at.is_none())
        {
            return Ok(None);
        }
        let doc: DocumentRow = issued_documents::table
            .find(&row.document_id)
            .select(DocumentRow::as_select())
            .first(conn)?;
        let org = crate::settings::organisation(conn)?;
        Ok(Some((row, signers, doc, org)))
    })
    .await?;
    let Some((row, signers, doc, org)) = found else {
        return Ok(());
    };
    let original = read_pdf(state, &doc).await?;
    let (d, s, o) = (doc.clone(), signers.clone(), org.clone());
    let signed = actix_web::web::block(move || {
        signed_pdf(
            &original,
            &Signed {
                org: &o,
                title: &d.title,
                document_id: &d.id,
                version: d.version,
                sha256: &d.sha256,
                signers: &s,
            },
        )
    })
    .await
    .map_err(ApiError::internal)??;
    let sha256 = stored_hash(&signed);
    let key = storage_key(&row, &sha256);
    let sealed = crypto::seal_secret(&state.config.master_key, SEAL_PURPOSE, &row.id, &signed)?;
    state.storage.put(&key, sealed).await?;
    let last = signers.iter().filter_map(|s| s.signed_at).max();
    let (r, h, size) = (row.clone(), sha256.clone(), signed.len() as i64);
    let kind = DocumentKind::parse(&doc.kind);
    let won = db::tx(&state.pool, move |conn| {
        let now = last.unwrap_or_else(db::now);
        let updated = diesel::update(
            q::table
                .find(&r.id)
                .filter(q::status.eq(SignatureStatus::Pending.as_str())),
        )
        .set((
            q::status.eq(SignatureStatus::Completed.as_str()),
            q::ended_at.eq(now),
            q::signed_sha256.eq(&h),
            q::signed_size.eq(size),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Ok(false);
        }
        let actor = Actor::system();
        let details = serde_json::json!({
            "document_id": r.document_id, "request_id": r.id, "signed_sha256": h,
        });
        let what = Happened {
            event: "document",
            action: "document.signed",
            details,
            content: false,
        };
        model::journal(conn, &actor, &r.bilan_id, what)?;
        let fact = match kind {
            Some(DocumentKind::TripartiteConvention) => Some(FactKind::TripartiteConventionSigned),
            Some(DocumentKind::IndividualContract) => Some(FactKind::IndividualContractSigned),
            _ => None,
        };
        // A second signed version does not date the gate again.
        let recorded: i64 = match fact {
            Some(kind) => crate::schema::bilan_facts::table
                .filter(crate::schema::bilan_facts::bilan_id.eq(&r.bilan_id))
                .filter(crate::schema::bilan_facts::kind.eq(kind.as_str()))
                .count()
                .get_result(conn)?,
            None => 0,
        };
        if let Some(kind) = fact.filter(|_| recorded == 0) {
            let new = NewFact {
                kind,
                occurred_on: boussole_shared::time::paris_date(now),
            };
            crate::bilans::records::record_fact(conn, &actor, &r.bilan_id, &new, &r.created_by)?;
        }
        Ok(true)
    })
    .await?;
    if !won {
        state.storage.delete(&key).await?;
    }
    Ok(())
}

/// The signed original of a completed request, checked against its recorded hash.
pub async fn read_signed(state: &AppState, row: &RequestRow) -> Result<Vec<u8>, ApiError> {
    let sha256 = row.signed_sha256.as_deref().ok_or(ApiError::NotFound)?;
    let sealed = state.storage.get(&storage_key(row, sha256)).await?;
    let pdf = crypto::open_secret(&state.config.master_key, SEAL_PURPOSE, &row.id, &sealed)?;
    if stored_hash(&pdf) != sha256 {
        return Err(ApiError::internal(
            "stored signed document does not match its SHA-256",
        ));
    }
    Ok(pdf.to_vec())
}
