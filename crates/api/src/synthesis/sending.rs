//! Sending the issued synthèse to the recipient the beneficiary named in a `share` agreement
//! (L6313-4): the only way bilan content leaves Boussole. Never as an attachment: the recipient gets
//! a personal link to a download page (`shared.rs`), a one-time code, and one download.
//!
//! An assigned consultant sends and cancels; the beneficiary and the assigned consultants list the
//! sendings; admins 403 (content), anyone else 404. The agreement is picked by id and names the
//! recipient; revoking it cancels what was not downloaded yet (`cancel_for_consent`).

use actix_web::{HttpResponse, get, post, web};
use boussole_shared::Slug;
use boussole_shared::bilans::ConsentKind;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::synthesis::{
    NewSynthesisSending, SendingStatus, SynthesisSending, SynthesisStatus,
};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::caller::{Consultant, Viewer};
use crate::auth::tokens::{random_token, sha256_hex};
use crate::bilans::BilanPath;
use crate::bilans::model::{self, Happened};
use crate::db::{self, Conn, uuid_of};
use crate::documents::store::DocumentRow;
use crate::error::ApiError;
use crate::journal::Actor;
use crate::json::JsonBody;
use crate::notify::Email;
use crate::schema::{bilan_consents, issued_documents, syntheses, synthesis_sendings as q};

/// A link works this long.
pub const LINK_DAYS: i64 = 7;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct SendingPath {
    /// Bilan id.
    pub id: uuid::Uuid,
    /// Sending id.
    pub sending_id: uuid::Uuid,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = q)]
pub struct SendingRow {
    pub id: String,
    pub bilan_id: String,
    pub document_id: String,
    pub consent_id: String,
    pub recipient: String,
    pub email: String,
    pub phone: Option<String>,
    pub is_cep: bool,
    pub status: String,
    pub code_hash: Option<String>,
    pub code_channel: Option<String>,
    pub code_sent_at: Option<NaiveDateTime>,
    pub code_attempts: i32,
    pub expires_at: NaiveDateTime,
    pub sent_by: String,
    pub sent_at: NaiveDateTime,
    pub downloaded_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
}

impl SendingRow {
    /// The status as of `now`: a pending link past its expiry is expired.
    pub fn status(&self, now: NaiveDateTime) -> Result<SendingStatus, ApiError> {
        let status = db::stored(
            SendingStatus::parse(&self.status),
            "synthesis_sendings.status",
            &self.status,
        )?;
        Ok(match status {
            SendingStatus::Pending if now > self.expires_at => SendingStatus::Expired,
            s => s,
        })
    }

    pub fn dto(self, now: NaiveDateTime) -> Result<SynthesisSending, ApiError> {
        Ok(SynthesisSending {
            status: self.status(now)?,
            id: uuid_of(&self.id)?,
            document_id: uuid_of(&self.document_id)?,
            consent_id: uuid_of(&self.consent_id)?,
            recipient: self.recipient,
            email: self.email,
            phone: self.phone,
            cep: self.is_cep,
            sent_at: self.sent_at.and_utc(),
            expires_at: self.expires_at.and_utc(),
            downloaded_at: self.downloaded_at.map(|t| t.and_utc()),
            ended_at: self.ended_at.map(|t| t.and_utc()),
        })
    }
}

pub fn find(conn: &mut Conn, id: &str) -> Result<SendingRow, ApiError> {
    q::table
        .find(id)
        .select(SendingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

fn rule(slug: Slug, detail: &str) -> ApiError {
    ApiError::Rule {
        slug,
        detail: detail.into(),
        missing: vec![],
    }
}

/// The issued synthèse of the bilan (422 `synthesis-not-issued` before).
fn issued(conn: &mut Conn, bilan_id: &str) -> Result<DocumentRow, ApiError> {
    let row: Option<(String, Option<String>)> = syntheses::table
        .find(bilan_id)
        .select((syntheses::status, syntheses::issued_document_id))
        .first(conn)
        .optional()?;
    let Some((_, Some(doc))) = row.filter(|r| r.0 == SynthesisStatus::Issued.as_str()) else {
        return Err(rule(
            Slug::SYNTHESIS_NOT_ISSUED,
            "Le document de synthèse n'est envoyé qu'une fois émis.",
        ));
    };
    Ok(issued_documents::table
        .find(&doc)
        .select(DocumentRow::as_select())
        .first(conn)?)
}

/// The recipient the agreement names, if it is a `share` agreement of this bilan, in force, whose
/// scope covers the synthèse; 422 otherwise, saying why.
fn recipient(conn: &mut Conn, bilan_id: &str, consent_id: &str) -> Result<String, ApiError> {
    type Agreement = (
        String,
        Option<String>,
        Option<String>,
        Option<NaiveDateTime>,
    );
    let found: Option<Agreement> = bilan_consents::table
        .find(consent_id)
        .filter(bilan_consents::bilan_id.eq(bilan_id))
        .select((
            bilan_consents::kind,
            bilan_consents::recipient,
            bilan_consents::scope,
            bilan_consents::revoked_at,
        ))
        .first(conn)
        .optional()?;
    let Some((_, Some(name), scope, revoked)) =
        found.filter(|c| c.0 == ConsentKind::Share.as_str())
    else {
        return Err(rule(
            Slug::SHARE_CONSENT_MISSING,
            "Le bénéficiaire n'a pas donné d'accord de partage avec ce destinataire.",
        ));
    };
    if revoked.is_some() {
        return Err(rule(
            Slug::SHARE_CONSENT_REVOKED,
            "Le bénéficiaire a retiré cet accord de partage.",
        ));
    }
    if !covers_synthesis(scope.as_deref().unwrap_or_default()) {
        return Err(rule(
            Slug::SHARE_CONSENT_SCOPE,
            "Cet accord de partage ne porte pas sur le document de synthèse.",
        ));
    }
    Ok(name)
}

/// Whether an agreement's scope, as the beneficiary wrote or chose it, names the synthèse.
pub fn covers_synthesis(scope: &str) -> bool {
    let scope = scope.to_lowercase();
    scope.contains("synthèse") || scope.contains("synthese")
}

fn event(
    conn: &mut Conn,
    actor: &Actor,
    bilan_id: &str,
    action: &str,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    // Who received what is not content (the recipient stays out of the details): admins see that
    // the synthèse left, as retention needs to.
    let what = Happened {
        event: "synthesis",
        action,
        details,
        content: false,
    };
    Ok(model::journal(conn, actor, bilan_id, what)?)
}

/// An assigned consultant sends the issued synthèse to the recipient named by the beneficiary's
/// `share` agreement `consent_id`: the recipient is emailed a personal link (7 days, one download
/// after a one-time code). 422 `synthesis-not-issued`, `share-consent-missing` (no such agreement
/// of this bilan), `share-consent-revoked`, `share-consent-scope` (it does not name the synthèse).
#[utoipa::path(tag = "synthesis", params(BilanPath), request_body = NewSynthesisSending,
    responses((status = 201, description = "Sent", body = SynthesisSending), crate::problems::Write,
        crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/synthesis/sendings")]
async fn send_synthesis(
    Consultant(user): Consultant,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewSynthesisSending>,
) -> Result<HttpResponse, ApiError> {
    let viewer = Viewer::Consultant(user.user.id.clone());
    let new = body.validated()?;
    let phone = new.phone.clone().filter(|p| !p.trim().is_empty());
    if let Some(p) = &phone
        && !crate::notify::sms::is_french_mobile(p)
    {
        return Err(ApiError::field(
            "phone",
            FieldRule::Phone,
            "un numéro de mobile français est attendu",
        ));
    }
    let (id, st, actor) = (path.id.to_string(), state.clone(), user.actor());
    let now = state.config.clock.utc_now();
    let out = db::tx(&state.pool, move |conn| {
        model::load_for_content(conn, &id, &viewer)?;
        let doc = issued(conn, &id)?;
        let consent = new.consent_id.to_string();
        let name = recipient(conn, &id, &consent)?;
        let sid = db::new_id();
        let token = random_token();
        let expires_at = now + Duration::days(LINK_DAYS);
        diesel::insert_into(q::table)
            .values((
                q::id.eq(&sid),
                q::bilan_id.eq(&id),
                q::document_id.eq(&doc.id),
                q::consent_id.eq(&consent),
                q::recipient.eq(&name),
                q::email.eq(new.email.trim()),
                q::phone.eq(&phone),
                q::is_cep.eq(new.cep),
                q::status.eq(SendingStatus::Pending.as_str()),
                q::token_hash.eq(sha256_hex(&token)),
                q::code_attempts.eq(0),
                q::expires_at.eq(expires_at),
                q::sent_by.eq(viewer.id()),
                q::sent_at.eq(now),
            ))
            .execute(conn)?;
        let org = crate::settings::organisation(conn)?.name.trim().to_string();
        let link = format!("{}/partage?token={token}", st.config.public_url);
        let until = boussole_shared::time::paris_date(expires_at).format("%d/%m/%Y");
        // The email says who sends, never whose bilan nor what it says.
        let email = Email {
            to: new.email.trim().to_string(),
            subject: format!("{org} vous transmet un document"),
            text: format!(
                "Bonjour,\n\n{org} vous transmet un document de synthèse de bilan de compétences, à \
                 la demande de la personne concernée, qui a accepté qu'il vous soit communiqué.\n\n\
                 Ouvrez ce lien personnel pour le télécharger ; un code à usage unique vous sera \
                 envoyé pour confirmer votre identité :\n{link}\n\n\
                 Ce lien ne sert qu'une fois et expire le {until}. Le document n'est jamais joint \
                 à un courriel. Si vous n'êtes pas le destinataire, ignorez ce message.\n"
            ),
            ics: None,
        };
        crate::notify::outbox::enqueue_email(
            conn,
            &st.config.master_key,
            "synthesis_sending",
            &email,
            Some(&link),
        )?;
        let details = serde_json::json!({
            "sending_id": sid, "document_id": doc.id, "consent_id": consent, "cep": new.cep,
        });
        event(conn, &actor, &id, "synthesis.send", details)?;
        find(conn, &sid)?.dto(now)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The sendings of the bilan's synthèse, newest first (the beneficiary and the assigned
/// consultants).
#[utoipa::path(tag = "synthesis", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<SynthesisSending>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/bilans/{id}/synthesis/sendings")]
async fn list_sendings(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<SynthesisSending>>, ApiError> {
    let id = path.id.to_string();
    let now = state.config.clock.utc_now();
    let out = db::run(&state.pool, move |conn| {
        model::load_for_content(conn, &id, &viewer)?;
        let rows: Vec<SendingRow> = q::table
            .filter(q::bilan_id.eq(&id))
            .order((q::sent_at.desc(), q::id.desc()))
            .select(SendingRow::as_select())
            .load(conn)?;
        rows.into_iter().map(|r| r.dto(now)).collect()
    })
    .await?;
    Ok(web::Json(out))
}

/// An assigned consultant cancels a sending not downloaded yet: its link stops working. 422
/// `sending-closed` when it had already ended.
#[utoipa::path(tag = "synthesis", params(SendingPath),
    responses((status = 200, description = "Cancelled", body = SynthesisSending), crate::problems::Read,
        crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/synthesis/sendings/{sending_id}/cancel")]
async fn cancel_sending(
    Consultant(user): Consultant,
    state: web::Data<AppState>,
    path: web::Path<SendingPath>,
) -> Result<web::Json<SynthesisSending>, ApiError> {
    let viewer = Viewer::Consultant(user.user.id.clone());
    let (id, sid, actor) = (
        path.id.to_string(),
        path.sending_id.to_string(),
        user.actor(),
    );
    let now = state.config.clock.utc_now();
    let out = db::tx(&state.pool, move |conn| {
        model::load_for_content(conn, &id, &viewer)?;
        let row = find(conn, &sid)?;
        if row.bilan_id != id {
            return Err(ApiError::NotFound);
        }
        if row.status(now)? != SendingStatus::Pending
            || end(conn, &sid, SendingStatus::Cancelled, now)? == 0
        {
            return Err(rule(Slug::SENDING_CLOSED, "Cet envoi est déjà terminé."));
        }
        event(
            conn,
            &actor,
            &id,
            "synthesis.send_cancel",
            serde_json::json!({ "sending_id": sid }),
        )?;
        find(conn, &sid)?.dto(now)
    })
    .await?;
    Ok(web::Json(out))
}

/// Ends a pending sending with `status`; the number of rows changed (0: it had ended).
pub fn end(
    conn: &mut Conn,
    id: &str,
    status: SendingStatus,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        q::table
            .find(id)
            .filter(q::status.eq(SendingStatus::Pending.as_str())),
    )
    .set((
        q::status.eq(status.as_str()),
        q::ended_at.eq(now),
        q::code_hash.eq(None::<String>),
    ))
    .execute(conn)
}

/// The beneficiary withdrew the agreement `consent_id`: what was sent under it and not downloaded
/// stops working (journaled with the withdrawal's actor).
pub fn cancel_for_consent(
    conn: &mut Conn,
    actor: &Actor,
    bilan_id: &str,
    consent_id: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let pending: Vec<String> = q::table
        .filter(q::consent_id.eq(consent_id))
        .filter(q::status.eq(SendingStatus::Pending.as_str()))
        .select(q::id)
        .load(conn)?;
    for sid in pending {
        if end(conn, &sid, SendingStatus::Revoked, now)? == 1 {
            let details = serde_json::json!({ "sending_id": sid, "consent_id": consent_id });
            event(conn, actor, bilan_id, "synthesis.send_revoked", details)?;
        }
    }
    Ok(())
}

/// Whether the document was sent to the beneficiary's CEP operator and reached them (downloaded):
/// the fact R6313-7's exception rests on.
pub fn sent_to_cep(conn: &mut Conn, document_id: &str) -> QueryResult<bool> {
    let n: i64 = q::table
        .filter(q::document_id.eq(document_id))
        .filter(q::is_cep.eq(true))
        .filter(q::status.eq(SendingStatus::Downloaded.as_str()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Where the copy of a synthèse downloaded by the CEP operator is kept apart from the bilan's
/// content (outside the `bilans/{id}` prefix that the end of the action deletes).
pub fn kept_key(bilan_id: &str, document_id: &str) -> String {
    format!("kept/synthese/{bilan_id}/{document_id}")
}

/// The key the kept copies are sealed under: not the bilan's, which the end of the action destroys.
pub const KEPT_PURPOSE: &str = "synthese-cep";
