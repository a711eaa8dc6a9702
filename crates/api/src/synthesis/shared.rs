//! The recipient's side of a sending, without an account: `/api/v1/shared/{token}`. The token is the
//! personal link; the one-time code sent to the recipient's address or mobile is the second check;
//! one download spends the link (410 after, as when it expired, was cancelled or locked). Wrong
//! codes count across codes: the fifth locks the link. Every step is journaled, never the content.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, post, web};
use boussole_shared::Slug;
use boussole_shared::notifications::NotificationKind;
use boussole_shared::signatures::CodeRequest;
use boussole_shared::synthesis::{SendingStatus, SharedDownload, SharedView};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::sending::{self, KEPT_PURPOSE, SendingRow, kept_key};
use crate::AppState;
use crate::auth::extract::ClientInfo;
use crate::auth::tokens::sha256_hex;
use crate::bilans::model::{self, Happened};
use crate::db::{self, Conn};
use crate::documents::store::DocumentRow;
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::json::JsonBody;
use crate::notifications::NewNotification;
use crate::onetime::{self, CODE_ATTEMPTS, CODE_MINUTES, Check, CodeMessage, TokenPath};
use crate::schema::{bilans, issued_documents, synthesis_sendings as q, users};

/// The sending of a link that still works (404 unknown, 410 spent, expired, cancelled or locked).
fn open(conn: &mut Conn, token: &str, now: NaiveDateTime) -> Result<SendingRow, ApiError> {
    if token.len() != 43 {
        return Err(ApiError::NotFound);
    }
    let row: SendingRow = q::table
        .filter(q::token_hash.eq(sha256_hex(token)))
        .select(SendingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let destroyed: Option<NaiveDateTime> = bilans::table
        .find(&row.bilan_id)
        .select(bilans::content_destroyed_at)
        .first(conn)?;
    let (slug, detail) = match row.status(now)? {
        SendingStatus::Pending if destroyed.is_none() => return Ok(row),
        SendingStatus::Pending => (
            Slug::SHARE_LINK_CANCELLED,
            "Ce document n'est plus disponible.",
        ),
        SendingStatus::Downloaded => (
            Slug::SHARE_LINK_USED,
            "Ce lien a déjà servi : le document a été téléchargé.",
        ),
        SendingStatus::Cancelled | SendingStatus::Revoked => {
            (Slug::SHARE_LINK_CANCELLED, "Cet envoi a été annulé.")
        }
        SendingStatus::Locked => (
            Slug::SHARE_LINK_LOCKED,
            "Trop de codes erronés : ce lien est verrouillé. Demandez un nouvel envoi.",
        ),
        SendingStatus::Expired => (Slug::SHARE_LINK_EXPIRED, "Ce lien a expiré."),
    };
    Err(ApiError::Gone {
        slug,
        detail: detail.into(),
    })
}

fn organisation(conn: &mut Conn) -> Result<String, ApiError> {
    Ok(crate::settings::organisation(conn)?.name.trim().to_string())
}

fn view(conn: &mut Conn, row: &SendingRow) -> Result<SharedView, ApiError> {
    let first_name: String = bilans::table
        .inner_join(users::table)
        .filter(bilans::id.eq(&row.bilan_id))
        .select(users::first_name)
        .first(conn)?;
    Ok(SharedView {
        organisation: organisation(conn)?,
        beneficiary: first_name,
        recipient: row.recipient.clone(),
        document_title: boussole_shared::documents::DocumentKind::Synthese
            .title()
            .to_string(),
        code_sent_to: onetime::sent_to(
            row.code_channel.as_deref(),
            row.code_sent_at,
            &row.email,
            row.phone.as_deref(),
        ),
        sms_available: row.phone.is_some(),
        expires_at: row.expires_at.and_utc(),
    })
}

/// A step of the recipient, in the audit journal (no account: the actor is anonymous, by IP).
fn journal(
    conn: &mut Conn,
    client: &ClientInfo,
    row: &SendingRow,
    action: &str,
) -> Result<(), ApiError> {
    let details = serde_json::json!({ "sending_id": row.id, "document_id": row.document_id });
    journal::record(
        conn,
        &Actor::anonymous(client.ip.clone()),
        action,
        "bilan",
        Some(&row.bilan_id),
        details,
    )?;
    Ok(())
}

/// What the recipient's page shows: who sends what, for whom; never the content.
#[utoipa::path(tag = "synthesis", params(TokenPath),
    responses((status = 200, description = "OK", body = SharedView), crate::problems::NotFound, crate::problems::Gone))]
#[get("/shared/{token}")]
async fn shared_view(
    state: web::Data<AppState>,
    path: web::Path<TokenPath>,
    client: ClientInfo,
) -> Result<web::Json<SharedView>, ApiError> {
    let now = state.config.clock.utc_now();
    let token = path.into_inner().token;
    let v = db::tx(&state.pool, move |conn| {
        let row = open(conn, &token, now)?;
        journal(conn, &client, &row, "synthesis.shared.open")?;
        view(conn, &row)
    })
    .await?;
    Ok(web::Json(v))
}

/// Sends the recipient a one-time code (6 digits, 10 minutes) by email or SMS; a new code voids the
/// previous one. One a minute at most (429).
#[utoipa::path(tag = "synthesis", params(TokenPath), request_body = CodeRequest,
    responses((status = 200, description = "Sent", body = SharedView), crate::problems::PublicWrite,
        crate::problems::NotFound, crate::problems::Gone, crate::problems::BusinessRule, crate::problems::TooManyRequests))]
#[post("/shared/{token}/code")]
async fn shared_code(
    state: web::Data<AppState>,
    path: web::Path<TokenPath>,
    client: ClientInfo,
    body: JsonBody<CodeRequest>,
) -> Result<web::Json<SharedView>, ApiError> {
    let channel = body.parse()?.channel;
    let now = state.config.clock.utc_now();
    let token = path.into_inner().token;
    let st = state.clone();
    let v = db::tx(&state.pool, move |conn| {
        let row = open(conn, &token, now)?;
        onetime::throttle(row.code_sent_at, now)?;
        let org = organisation(conn)?;
        let message = CodeMessage {
            channel,
            email: &row.email,
            phone: row.phone.as_deref(),
            kind: "share_code",
            subject: "Votre code de téléchargement",
            sms: format!(
                "{org} : votre code de téléchargement est {{code}} (valable {CODE_MINUTES} min)."
            ),
            text: format!(
                "Bonjour,\n\nVotre code pour télécharger le document que {org} vous transmet est : \
                 {{code}}\n\nIl est valable {CODE_MINUTES} minutes. Si vous n'avez rien demandé, \
                 ignorez ce message.\n"
            ),
        };
        let hash = onetime::send(conn, &st.config.master_key, &row.id, message)?;
        diesel::update(q::table.find(&row.id))
            .set((
                q::code_hash.eq(hash),
                q::code_channel.eq(channel.as_str()),
                q::code_sent_at.eq(now),
            ))
            .execute(conn)?;
        journal(conn, &client, &row, "synthesis.shared.code")?;
        let row = sending::find(conn, &row.id)?;
        view(conn, &row)
    })
    .await?;
    Ok(web::Json(v))
}

enum Outcome {
    Good(Box<SendingRow>, Box<DocumentRow>),
    Wrong { left: i32 },
}

/// The PDF of the synthèse, for the code received: the link is then spent (410 after). A wrong code
/// is 422 `share-code-invalid` with the tries left, the fifth locks the link (410
/// `share-link-locked`); an old code 422 `share-code-expired`. The beneficiary is told of the
/// download.
#[utoipa::path(tag = "synthesis", params(TokenPath), request_body = SharedDownload,
    responses((status = 200, description = "The synthèse's PDF", content_type = "application/pdf"),
        crate::problems::PublicWrite, crate::problems::NotFound, crate::problems::Gone, crate::problems::BusinessRule))]
#[post("/shared/{token}/download")]
async fn shared_download(
    state: web::Data<AppState>,
    path: web::Path<TokenPath>,
    client: ClientInfo,
    body: JsonBody<SharedDownload>,
) -> Result<HttpResponse, ApiError> {
    let code = body.validated()?.code;
    let now = state.config.clock.utc_now();
    let token = path.into_inner().token;
    let c = client.clone();
    // The code is checked in a transaction of its own, so that a wrong one counts although refused.
    let outcome = db::tx(&state.pool, move |conn| {
        let row = open(conn, &token, now)?;
        let checked = onetime::check(
            &row.id,
            row.code_hash.as_deref(),
            row.code_sent_at,
            row.code_attempts,
            &code,
            now,
        );
        match checked {
            Check::Good => {
                let doc: DocumentRow = issued_documents::table
                    .find(&row.document_id)
                    .select(DocumentRow::as_select())
                    .first(conn)?;
                Ok(Outcome::Good(Box::new(row), Box::new(doc)))
            }
            Check::Expired => Err(ApiError::Rule {
                slug: Slug::SHARE_CODE_EXPIRED,
                detail: "Ce code n'est plus valable : demandez-en un nouveau.".into(),
                missing: vec![],
            }),
            Check::Wrong { left } => {
                diesel::update(q::table.find(&row.id))
                    .set(q::code_attempts.eq(q::code_attempts + 1))
                    .execute(conn)?;
                journal(conn, &c, &row, "synthesis.shared.code_invalid")?;
                if row.code_attempts + 1 >= CODE_ATTEMPTS {
                    sending::end(conn, &row.id, SendingStatus::Locked, now)?;
                    journal(conn, &c, &row, "synthesis.shared.locked")?;
                }
                Ok(Outcome::Wrong { left })
            }
        }
    })
    .await;
    let (row, doc) = match outcome? {
        Outcome::Good(row, doc) => (row, doc),
        Outcome::Wrong { left } if left <= 0 => {
            return Err(ApiError::Gone {
                slug: Slug::SHARE_LINK_LOCKED,
                detail: "Trop de codes erronés : ce lien est verrouillé. Demandez un nouvel envoi."
                    .into(),
            });
        }
        Outcome::Wrong { left } => {
            return Err(ApiError::Rule {
                slug: Slug::SHARE_CODE_INVALID,
                detail: format!("Code incorrect : il reste {left} essai(s)."),
                missing: vec![],
            });
        }
    };
    let pdf = crate::documents::store::read_pdf(&state, &doc).await?;
    if row.is_cep {
        // What reaches the CEP operator is kept 3 years (R6313-7), apart from the bilan's content
        // and its key, which the end of the action destroys.
        let key = crate::crypto::derived_key(&state.config.master_key, KEPT_PURPOSE);
        let sealed = crate::crypto::encrypt_bytes(key.as_slice(), &doc.id, &pdf)?;
        state
            .storage
            .put(&kept_key(&doc.bilan_id, &doc.id), sealed)
            .await?;
    }
    let (r, v) = (row.clone(), doc.version);
    crate::notifications::tx(&state, move |conn| spend(conn, &client, &r, now)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!("synthese-v{v}.pdf"))],
        })
        .body(pdf))
}

/// Spends the link (410 when another download came first), journals the download on the bilan's
/// timeline, tells the beneficiary and the consultant who sent it.
fn spend(
    conn: &mut Conn,
    client: &ClientInfo,
    row: &SendingRow,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let changed = diesel::update(
        q::table
            .find(&row.id)
            .filter(q::status.eq(SendingStatus::Pending.as_str()))
            .filter(q::code_hash.eq(&row.code_hash)),
    )
    .set((
        q::status.eq(SendingStatus::Downloaded.as_str()),
        q::downloaded_at.eq(now),
        q::ended_at.eq(now),
        q::code_hash.eq(None::<String>),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(ApiError::Gone {
            slug: Slug::SHARE_LINK_USED,
            detail: "Ce lien a déjà servi : le document a été téléchargé.".into(),
        });
    }
    let details = serde_json::json!({
        "sending_id": row.id, "document_id": row.document_id, "cep": row.is_cep,
    });
    let what = Happened {
        event: "synthesis",
        action: "synthesis.shared.download",
        details,
        content: false,
    };
    model::journal(
        conn,
        &Actor::anonymous(client.ip.clone()),
        &row.bilan_id,
        what,
    )?;
    super::tell_beneficiary(
        conn,
        &row.bilan_id,
        "Votre document de synthèse a été téléchargé par son destinataire",
        &format!(
            "« {} », à qui vous avez accepté de communiquer votre document de synthèse, vient de \
             le télécharger. Le lien qui lui a été envoyé ne sert plus.",
            row.recipient
        ),
    )?;
    crate::notifications::notify(
        conn,
        &NewNotification {
            user_id: row.sent_by.clone(),
            kind: NotificationKind::DocumentIssued,
            title: "Document de synthèse téléchargé par son destinataire".into(),
            subject: Some(row.recipient.clone()),
            link: format!("/bilans/{}/synthese", row.bilan_id),
            email: None,
            sms: None,
            delivery: Default::default(),
        },
    )?;
    Ok(())
}
