//! The beneficiary acknowledges the règlement intérieur issued for their bilan (L6352-3): a dated
//! fact (`reglement_interieur_acknowledged`) that the preliminary gate requires when the organisation
//! says so (`SecuritySettings::reglement_interieur_required`).

use actix_web::{HttpResponse, post, web};
use boussole_shared::Slug;
use boussole_shared::bilans::{Fact, FactKind, NewFact};
use boussole_shared::documents::DocumentKind;
use diesel::prelude::*;

use crate::AppState;
use crate::auth::caller::{Beneficiary, Viewer};
use crate::bilans::{BilanPath, model};
use crate::db::{self, uuid_of};
use crate::error::ApiError;
use crate::schema::{bilan_facts, issued_documents};

/// The beneficiary declares they have read the règlement intérieur issued for the bilan: 201 with the
/// dated fact the first time, 200 with the same fact afterwards (nothing new recorded); 422
/// `reglement-interieur-not-issued` while no règlement intérieur was issued for the bilan.
#[utoipa::path(tag = "documents", params(BilanPath),
    responses((status = 201, description = "Recorded", body = Fact),
        (status = 200, description = "Already recorded", body = Fact),
        crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/reglement-interieur/acknowledgement")]
pub async fn acknowledge_reglement(
    Beneficiary(user): Beneficiary,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<HttpResponse, ApiError> {
    let viewer = Viewer::Beneficiary(user.user.id.clone());
    let id = path.id.to_string();
    let actor = user.actor();
    let today = boussole_shared::time::paris_date(state.config.clock.utc_now());
    let (fact, created) = db::tx(&state.pool, move |conn| {
        model::load_for(conn, &id, &viewer)?;
        if let db::AnyConnection::Postgresql(pg) = conn {
            // Two taps at once record one fact: the second waits for the first to commit.
            diesel::sql_query("SELECT id FROM bilans WHERE id = $1 FOR UPDATE")
                .bind::<diesel::sql_types::Text, _>(&id)
                .execute(pg)?;
        }
        let kind = FactKind::ReglementInterieurAcknowledged;
        let existing: Option<(String, chrono::NaiveDate, chrono::NaiveDateTime)> =
            bilan_facts::table
                .filter(bilan_facts::bilan_id.eq(&id))
                .filter(bilan_facts::kind.eq(kind.as_str()))
                .order(bilan_facts::recorded_at.asc())
                .select((
                    bilan_facts::id,
                    bilan_facts::occurred_on,
                    bilan_facts::recorded_at,
                ))
                .first(conn)
                .optional()?;
        if let Some((fid, occurred_on, recorded_at)) = existing {
            let fact = Fact {
                id: uuid_of(&fid)?,
                kind,
                occurred_on,
                recorded_at: recorded_at.and_utc(),
            };
            return Ok((fact, false));
        }
        let issued: Option<(String, i64)> = issued_documents::table
            .filter(issued_documents::bilan_id.eq(&id))
            .filter(issued_documents::kind.eq(DocumentKind::ReglementInterieur.as_str()))
            .order(issued_documents::version.desc())
            .select((issued_documents::id, issued_documents::version))
            .first(conn)
            .optional()?;
        let Some((document_id, version)) = issued else {
            return Err(ApiError::Rule {
                slug: Slug::REGLEMENT_INTERIEUR_NOT_ISSUED,
                detail: "Le règlement intérieur n'a pas encore été remis pour ce bilan.".into(),
                missing: vec!["document.reglement_interieur".into()],
            });
        };
        let fact = NewFact {
            kind,
            occurred_on: today,
        };
        let recorded =
            crate::bilans::records::record_fact(conn, &actor, &id, &fact, viewer.id())?;
        crate::journal::record(
            conn,
            &actor,
            "document.acknowledge",
            "bilan",
            Some(&id),
            serde_json::json!({ "document_id": document_id, "kind": DocumentKind::ReglementInterieur.as_str(), "version": version }),
        )?;
        Ok((recorded, true))
    })
    .await?;
    Ok(if created {
        HttpResponse::Created().json(fact)
    } else {
        HttpResponse::Ok().json(fact)
    })
}
