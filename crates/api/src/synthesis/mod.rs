//! The document de synthèse (issue 12, item 2): drafted by an assigned consultant in a structured
//! editor (prefilled from the bilan's assessment results and projection), commented on by both
//! sides, approved by the beneficiary at a revision, then issued as a PDF to the beneficiary only
//! (L6313-4).
//!
//! Bilan content throughout: the beneficiary and the assigned consultants only; admins 403 on every
//! route (and on the issued PDF, `DocumentKind::is_content`), anyone else 404. Sections and comments
//! are sealed under the bilan's key; every save names the revision it edited (409 when stale).
//! The beneficiary reads it once it has been submitted to them at least once.

pub mod consents;
pub mod demo;
pub mod issue;
pub mod pdf;
pub mod prefill;
pub mod sending;
pub mod shared;
pub mod store;

use actix_web::{HttpResponse, get, post, put, web};
use boussole_shared::Slug;
use boussole_shared::access::AccessKind;
use boussole_shared::documents::IssuedDocument;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::notifications::NotificationKind;
use boussole_shared::synthesis::{
    NewSynthesisComment, SECTION_KEYS, Synthesis, SynthesisApproval, SynthesisComment,
    SynthesisDraft, SynthesisStatus,
};
use boussole_shared::users::Role;
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::{Beneficiary, Consultant, Person, Viewer};
use crate::bilans::model::{self, Happened};
use crate::bilans::{BilanPath, access};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::json::JsonBody;
use crate::notifications::{Delivery, NewNotification};
use crate::schema::{bilan_consultants, bilans, syntheses};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_synthesis)
        .service(save_synthesis)
        .service(submit_synthesis)
        .service(comment_synthesis)
        .service(approve_synthesis)
        .service(issue_synthesis)
        .service(sending::send_synthesis)
        .service(sending::list_sendings)
        .service(sending::cancel_sending)
        .service(shared::shared_view)
        .service(shared::shared_code)
        .service(shared::shared_download)
        .service(consents::revoke_consent);
}

/// The synthèse with its comments. An assigned consultant always gets it: before the first save,
/// revision 0 with sections prefilled from the bilan's results and projection. The beneficiary gets
/// it once it has been submitted to them (404 before). Admins 403; others 404. Reads are journaled
/// in the beneficiary's access history.
#[utoipa::path(tag = "synthesis", params(BilanPath),
    responses((status = 200, description = "OK", body = Synthesis), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/bilans/{id}/synthesis")]
async fn get_synthesis(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Synthesis>, ApiError> {
    let (id, st) = (path.id.to_string(), state.clone());
    let out = db::run(&state.pool, move |conn| {
        let bilan = model::load_for_content(conn, &id, &viewer)?;
        let row = store::load(conn, &id)?;
        if let Viewer::Beneficiary(_) = viewer
            && row.as_ref().is_none_or(|r| r.submitted_revision.is_none())
        {
            return Err(ApiError::NotFound);
        }
        access::journal_read(conn, &id, &viewer, AccessKind::Synthesis, None)?;
        let key = model::content_key(conn, &st.config.master_key, &id)?;
        match row {
            Some(row) => store::dto(conn, &key, &row),
            None => {
                let sections = prefill::sections(conn, &key, &bilan, &st.rome)?;
                store::unsaved(conn, &key, &id, sections)
            }
        }
    })
    .await?;
    Ok(web::Json(out))
}

/// An assigned consultant saves the sections over `revision` (0 for the first save): 409 when
/// another save came first or once issued. Saving after submission or approval sends the synthèse
/// back to draft and clears the approval.
#[utoipa::path(tag = "synthesis", params(BilanPath), request_body = SynthesisDraft,
    responses((status = 200, description = "Saved", body = Synthesis), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/bilans/{id}/synthesis")]
async fn save_synthesis(
    Consultant(user): Consultant,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<SynthesisDraft>,
) -> Result<web::Json<Synthesis>, ApiError> {
    let viewer = Viewer::Consultant(user.user.id.clone());
    let draft = body.validated()?;
    let (id, st, actor) = (path.id.to_string(), state.clone(), user.actor());
    let out = db::tx(&state.pool, move |conn| {
        model::load_for_content(conn, &id, &viewer)?;
        let key = model::content_key(conn, &st.config.master_key, &id)?;
        let row = store::save(
            conn,
            &key,
            &id,
            viewer.id(),
            draft.revision,
            &draft.sections,
        )?;
        happened(conn, &actor, &id, "synthesis.save", row.revision)?;
        store::dto(conn, &key, &row)
    })
    .await?;
    Ok(web::Json(out))
}

/// An assigned consultant submits the saved synthèse to the beneficiary for comments and approval:
/// 422 `synthesis-incomplete` with `missing` listing the empty sections (keys of `SECTION_KEYS`),
/// 409 once approved or issued. The beneficiary is notified (never the content).
#[utoipa::path(tag = "synthesis", params(BilanPath),
    responses((status = 200, description = "Submitted", body = Synthesis), crate::problems::Read,
        crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/synthesis/submit")]
async fn submit_synthesis(
    Consultant(user): Consultant,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Synthesis>, ApiError> {
    let viewer = Viewer::Consultant(user.user.id.clone());
    let (id, st, actor) = (path.id.to_string(), state.clone(), user.actor());
    let out = crate::notifications::tx(&state, move |conn| {
        model::load_for_content(conn, &id, &viewer)?;
        let key = model::content_key(conn, &st.config.master_key, &id)?;
        let Some(row) = store::load(conn, &id)? else {
            return Err(incomplete(
                SECTION_KEYS.iter().map(|k| k.to_string()).collect(),
            ));
        };
        match row.status()? {
            SynthesisStatus::Submitted => return store::dto(conn, &key, &row),
            SynthesisStatus::Approved => {
                return Err(ApiError::conflict(
                    Slug::SYNTHESIS_ALREADY_APPROVED,
                    "Le bénéficiaire a déjà approuvé cette version.",
                ));
            }
            SynthesisStatus::Issued => return Err(store::issued()),
            SynthesisStatus::Draft => {}
        }
        let empty = store::sections(&key, &row)?.empty();
        if !empty.is_empty() {
            return Err(incomplete(empty));
        }
        let now = db::now();
        let changed = diesel::update(
            syntheses::table
                .filter(syntheses::bilan_id.eq(&id))
                .filter(syntheses::revision.eq(row.revision))
                .filter(syntheses::status.eq(SynthesisStatus::Draft.as_str())),
        )
        .set((
            syntheses::status.eq(SynthesisStatus::Submitted.as_str()),
            syntheses::submitted_revision.eq(Some(row.revision)),
            syntheses::submitted_at.eq(Some(now)),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(store::stale());
        }
        happened(conn, &actor, &id, "synthesis.submit", row.revision)?;
        tell_beneficiary(
            conn,
            &id,
            "Votre document de synthèse est prêt pour votre relecture",
            "Votre consultant vous soumet votre document de synthèse. Connectez-vous à Boussole \
             pour le relire, le commenter et l'approuver.",
        )?;
        let row = store::load(conn, &id)?.ok_or(ApiError::NotFound)?;
        store::dto(conn, &key, &row)
    })
    .await?;
    Ok(web::Json(out))
}

/// A comment on the synthèse or one of its sections (`section`: a key of `SECTION_KEYS`, 422
/// otherwise), by an assigned consultant or by the beneficiary once it was submitted to them (404
/// before); 409 once issued.
#[utoipa::path(tag = "synthesis", params(BilanPath), request_body = NewSynthesisComment,
    responses((status = 201, description = "Created", body = SynthesisComment), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/synthesis/comments")]
async fn comment_synthesis(
    Person { viewer, user }: Person,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewSynthesisComment>,
) -> Result<HttpResponse, ApiError> {
    if let Viewer::Admin(_) = viewer {
        return Err(model::content_refused());
    }
    let new = body.validated()?;
    if let Some(section) = &new.section
        && !SECTION_KEYS.contains(&section.as_str())
    {
        return Err(ApiError::field(
            "section",
            FieldRule::Unknown,
            format!("section inconnue ; attendues : {}", SECTION_KEYS.join(", ")),
        ));
    }
    if new.body.trim().is_empty() {
        return Err(ApiError::field(
            "body",
            FieldRule::Required,
            "le commentaire est vide",
        ));
    }
    let (id, st, actor) = (path.id.to_string(), state.clone(), user.actor());
    let out = crate::notifications::tx(&state, move |conn| {
        model::load_for_content(conn, &id, &viewer)?;
        let row = store::load(conn, &id)?;
        let role = match viewer {
            Viewer::Beneficiary(_) => {
                if row.as_ref().is_none_or(|r| r.submitted_revision.is_none()) {
                    return Err(ApiError::NotFound);
                }
                Role::Beneficiary
            }
            _ => Role::Consultant,
        };
        if let Some(r) = &row
            && r.status()? == SynthesisStatus::Issued
        {
            return Err(store::issued());
        }
        let key = model::content_key(conn, &st.config.master_key, &id)?;
        let comment = store::add_comment(
            conn,
            &key,
            &id,
            viewer.id(),
            role,
            new.section.clone(),
            new.body.trim(),
        )?;
        let details = serde_json::json!({ "comment_id": comment.id, "section": new.section });
        let what = Happened {
            event: "synthesis",
            action: "synthesis.comment",
            details,
            content: true,
        };
        model::journal(conn, &actor, &id, what)?;
        if role == Role::Beneficiary {
            tell_consultants(
                conn,
                &id,
                "Nouveau commentaire du bénéficiaire sur le document de synthèse",
            )?;
        }
        Ok(comment)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The beneficiary approves the submitted synthèse at the revision they read: 409 unless it is
/// submitted at exactly that revision (a later save needs a new submission).
#[utoipa::path(tag = "synthesis", params(BilanPath), request_body = SynthesisApproval,
    responses((status = 200, description = "Approved", body = Synthesis), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/synthesis/approve")]
async fn approve_synthesis(
    Beneficiary(user): Beneficiary,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<SynthesisApproval>,
) -> Result<web::Json<Synthesis>, ApiError> {
    let viewer = Viewer::Beneficiary(user.user.id.clone());
    let approval = body.parse()?;
    let (id, st, actor) = (path.id.to_string(), state.clone(), user.actor());
    let out = crate::notifications::tx(&state, move |conn| {
        model::load_for_content(conn, &id, &viewer)?;
        let row = store::load(conn, &id)?
            .filter(|r| r.submitted_revision.is_some())
            .ok_or(ApiError::NotFound)?;
        let now = db::now();
        let changed = diesel::update(
            syntheses::table
                .filter(syntheses::bilan_id.eq(&id))
                .filter(syntheses::revision.eq(approval.revision))
                .filter(syntheses::submitted_revision.eq(approval.revision))
                .filter(syntheses::status.eq(SynthesisStatus::Submitted.as_str())),
        )
        .set((
            syntheses::status.eq(SynthesisStatus::Approved.as_str()),
            syntheses::approved_revision.eq(Some(approval.revision)),
            syntheses::approved_at.eq(Some(now)),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(ApiError::conflict(
                Slug::SYNTHESIS_NOT_SUBMITTED,
                format!(
                    "Seule la version soumise peut être approuvée (version actuelle : {}, {}).",
                    row.revision,
                    match row.status()? {
                        SynthesisStatus::Draft => "en cours de rédaction",
                        SynthesisStatus::Submitted => "soumise",
                        SynthesisStatus::Approved => "déjà approuvée",
                        SynthesisStatus::Issued => "déjà émise",
                    }
                ),
            ));
        }
        happened(conn, &actor, &id, "synthesis.approve", approval.revision)?;
        tell_consultants(
            conn,
            &id,
            "Le bénéficiaire a approuvé le document de synthèse",
        )?;
        let key = model::content_key(conn, &st.config.master_key, &id)?;
        let row = store::load(conn, &id)?.ok_or(ApiError::NotFound)?;
        store::dto(conn, &key, &row)
    })
    .await?;
    Ok(web::Json(out))
}

/// An assigned consultant issues the approved synthèse: the PDF (kind `synthese`, content: admins
/// 403 on it), the `synthese_delivered` fact, the beneficiary notified. 409 unless approved at the
/// current revision; 422 naming the organisation's missing identity fields.
#[utoipa::path(tag = "synthesis", params(BilanPath),
    responses((status = 201, description = "Issued", body = IssuedDocument), crate::problems::Read,
        crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/synthesis/issue")]
async fn issue_synthesis(
    Consultant(user): Consultant,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<HttpResponse, ApiError> {
    let viewer = Viewer::Consultant(user.user.id.clone());
    let doc = issue::issue(&state, &path.id.to_string(), &viewer, &user.actor()).await?;
    Ok(HttpResponse::Created().json(doc))
}

/// 422: the sections still empty, by key.
fn incomplete(missing: Vec<String>) -> ApiError {
    ApiError::Rule {
        slug: Slug::SYNTHESIS_INCOMPLETE,
        detail: "Chaque section du document de synthèse doit être rédigée avant de le soumettre."
            .into(),
        missing,
    }
}

/// A step of the synthèse on the timeline (hidden from admins: content) and in the audit journal.
fn happened(
    conn: &mut Conn,
    actor: &Actor,
    bilan_id: &str,
    action: &str,
    revision: i64,
) -> Result<(), ApiError> {
    let what = Happened {
        event: "synthesis",
        action,
        details: serde_json::json!({ "revision": revision }),
        content: true,
    };
    Ok(model::journal(conn, actor, bilan_id, what)?)
}

/// Tells the bilan's beneficiary something about their synthèse, never its content: `title` in the
/// app, `body` by email, the title by SMS.
fn tell_beneficiary(
    conn: &mut Conn,
    bilan_id: &str,
    title: &str,
    body: &str,
) -> Result<(), ApiError> {
    let beneficiary: String = bilans::table
        .find(bilan_id)
        .select(bilans::beneficiary_id)
        .first(conn)?;
    let url = format!("/bilans/{bilan_id}/synthese");
    crate::notifications::notify(
        conn,
        &NewNotification {
            user_id: beneficiary,
            kind: NotificationKind::DocumentIssued,
            title: title.to_string(),
            subject: Some(
                boussole_shared::documents::DocumentKind::Synthese
                    .title()
                    .into(),
            ),
            link: url,
            email: Some((
                format!("Boussole : {title}"),
                format!("Bonjour,\n\n{body}\n"),
            )),
            sms: Some(format!("Boussole : {title}.")),
            delivery: Delivery::default(),
        },
    )?;
    Ok(())
}

/// Tells the bilan's assigned consultants, in the app only, that the beneficiary acted on the
/// synthèse (the title says what happened, never what was written).
fn tell_consultants(conn: &mut Conn, bilan_id: &str, title: &str) -> Result<(), ApiError> {
    let consultants: Vec<String> = bilan_consultants::table
        .filter(bilan_consultants::bilan_id.eq(bilan_id))
        .filter(bilan_consultants::unassigned_at.is_null())
        .select(bilan_consultants::consultant_id)
        .load(conn)?;
    for user_id in consultants {
        crate::notifications::notify(
            conn,
            &NewNotification {
                user_id,
                kind: NotificationKind::DocumentIssued,
                title: title.to_string(),
                subject: Some(
                    boussole_shared::documents::DocumentKind::Synthese
                        .title()
                        .into(),
                ),
                link: format!("/bilans/{bilan_id}/synthese"),
                email: None,
                sms: None,
                delivery: Delivery::default(),
            },
        )?;
    }
    Ok(())
}
