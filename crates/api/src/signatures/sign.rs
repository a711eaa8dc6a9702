//! The signer's side, without an account: `/api/v1/sign/{token}`. The token is the personal link
//! (single use: once its holder signed, it signs nothing more); the one-time code sent to their
//! address or mobile is the second check. A wrong code counts against five attempts even though the
//! request is refused, so it is written in a transaction of its own.

use actix_web::{HttpResponse, get, post, web};
use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::signatures::{
    CodeRequest, SignDocument, SignerRole, SignerState, SigningView,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::complete;
use super::store::{self, RequestRow, SignerRow};
use crate::AppState;
use crate::auth::extract::ClientInfo;
use crate::auth::tokens::sha256_hex;
use crate::bilans::model::{self, Happened};
use crate::db::{self, Conn};
use crate::documents::store::DocumentRow;
use crate::error::ApiError;
use crate::journal::Actor;
use crate::json::JsonBody;
use crate::onetime::{self, CODE_MINUTES, Check, CodeMessage};
use crate::schema::{issued_documents, signature_signers as s};

pub use crate::onetime::TokenPath;

fn rule(slug: Slug, detail: &str) -> ApiError {
    ApiError::Rule {
        slug,
        detail: detail.into(),
        missing: vec![],
    }
}

/// The signer of a link, their request and its document; ends a request that lapsed meanwhile.
struct Found {
    signer: SignerRow,
    all: Vec<SignerRow>,
    request: RequestRow,
    document: DocumentRow,
}

fn found(conn: &mut Conn, token: &str, now: NaiveDateTime) -> Result<Found, ApiError> {
    if token.len() != 43 {
        return Err(ApiError::NotFound);
    }
    let signer: SignerRow = s::table
        .filter(s::token_hash.eq(sha256_hex(token)))
        .select(SignerRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let request = store::find(conn, &signer.request_id)?;
    let document: DocumentRow = issued_documents::table
        .find(&request.document_id)
        .select(DocumentRow::as_select())
        .first(conn)?;
    let all = store::signers(conn, &request.id)?;
    let employee_signed = all
        .iter()
        .any(|r| r.role == SignerRole::Beneficiary.as_str() && r.signed_at.is_some());
    if let Some(status) = store::lapsed(&request, employee_signed, now) {
        store::end(conn, &request.id, status, now)?;
    }
    Ok(Found {
        signer,
        all,
        request,
        document,
    })
}

/// Refuses what may no longer be signed through this link: a used link, an ended request.
fn open_for_signing(conn: &mut Conn, f: &Found) -> Result<(), ApiError> {
    if f.signer.signed_at.is_some() {
        return Err(rule(
            Slug::SIGNATURE_LINK_USED,
            "Ce lien a déjà servi : le document est signé.",
        ));
    }
    let status = store::find(conn, &f.request.id)?.status;
    if status != "pending" {
        return Err(rule(
            Slug::SIGNATURE_REQUEST_CLOSED,
            "Cette demande de signature est terminée (annulée, expirée ou refusée).",
        ));
    }
    if f.all
        .iter()
        .any(|r| r.position < f.signer.position && r.signed_at.is_none())
    {
        return Err(rule(
            Slug::SIGNATURE_NOT_YOUR_TURN,
            "Un signataire précédent n'a pas encore signé : vous recevrez un nouveau lien à votre tour.",
        ));
    }
    Ok(())
}

fn consent_text(f: &Found, organisation: &str) -> String {
    format!(
        "Je soussigné(e) {}, déclare avoir lu en entier le document « {} » (version {}, empreinte \
         SHA-256 {}) émis par {}, et en accepter les termes. Je consens à le signer \
         électroniquement ; ma signature, recueillie après vérification de mon identité par un lien \
         personnel et un code à usage unique, exprime mon consentement à son contenu (articles 1366 \
         et 1367 du Code civil).",
        f.signer.name, f.document.title, f.document.version, f.document.sha256, organisation
    )
}

fn view(f: &Found, organisation: &str) -> Result<SigningView, ApiError> {
    let state = if f.signer.signed_at.is_some() {
        SignerState::Signed
    } else if f
        .all
        .iter()
        .any(|r| r.position < f.signer.position && r.signed_at.is_none())
    {
        SignerState::Waiting
    } else {
        SignerState::YourTurn
    };
    let code_sent_to = onetime::sent_to(
        f.signer.code_channel.as_deref(),
        f.signer.code_sent_at,
        &f.signer.email,
        f.signer.phone.as_deref(),
    );
    Ok(SigningView {
        organisation: organisation.to_string(),
        document_title: f.document.title.clone(),
        document_sha256: f.document.sha256.clone(),
        signer_name: f.signer.name.clone(),
        role: f.signer.role()?,
        position: f.signer.position,
        signers: f.all.len() as i32,
        state,
        consent_text: consent_text(f, organisation),
        code_sent_to,
        sms_available: f.signer.phone.is_some(),
        expires_at: f.request.expires_at.and_utc(),
        answer_by: f.request.answer_by.map(|t| t.and_utc()),
    })
}

fn organisation(conn: &mut Conn) -> Result<String, ApiError> {
    Ok(crate::settings::organisation(conn)?.name.trim().to_string())
}

/// What the signer sees: the document's title and hash, their turn, the consent wording.
#[utoipa::path(tag = "signatures", params(TokenPath),
    responses((status = 200, description = "OK", body = SigningView), crate::problems::NotFound))]
#[get("/sign/{token}")]
async fn signing_view(
    state: web::Data<AppState>,
    path: web::Path<TokenPath>,
) -> Result<web::Json<SigningView>, ApiError> {
    let now = state.config.clock.utc_now();
    let token = path.into_inner().token;
    let v = db::tx(&state.pool, move |conn| {
        let f = found(conn, &token, now)?;
        view(&f, &organisation(conn)?)
    })
    .await?;
    Ok(web::Json(v))
}

/// The PDF to be signed, exactly as issued (its SHA-256 is the one shown).
#[utoipa::path(tag = "signatures", params(TokenPath),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), crate::problems::NotFound))]
#[get("/sign/{token}/pdf")]
async fn signing_pdf(
    state: web::Data<AppState>,
    path: web::Path<TokenPath>,
) -> Result<HttpResponse, ApiError> {
    let now = state.config.clock.utc_now();
    let token = path.into_inner().token;
    let doc = db::tx(&state.pool, move |conn| {
        Ok(found(conn, &token, now)?.document)
    })
    .await?;
    let pdf = crate::documents::store::read_pdf(&state, &doc).await?;
    Ok(HttpResponse::Ok().content_type("application/pdf").body(pdf))
}

/// Sends a one-time code (6 digits, 10 minutes) by email or SMS; a new code voids the previous one.
/// One a minute at most (429).
#[utoipa::path(tag = "signatures", params(TokenPath), request_body = CodeRequest,
    responses((status = 200, description = "Sent", body = SigningView), crate::problems::PublicWrite, crate::problems::NotFound, crate::problems::BusinessRule, crate::problems::TooManyRequests))]
#[post("/sign/{token}/code")]
async fn send_code(
    state: web::Data<AppState>,
    path: web::Path<TokenPath>,
    body: JsonBody<CodeRequest>,
) -> Result<web::Json<SigningView>, ApiError> {
    let channel = body.parse()?.channel;
    let now = state.config.clock.utc_now();
    let token = path.into_inner().token;
    let st = state.clone();
    let v = db::tx(&state.pool, move |conn| {
        let f = found(conn, &token, now)?;
        open_for_signing(conn, &f)?;
        onetime::throttle(f.signer.code_sent_at, now)?;
        let org = organisation(conn)?;
        let message = CodeMessage {
            channel,
            email: &f.signer.email,
            phone: f.signer.phone.as_deref(),
            kind: "signature_code",
            subject: "Votre code de signature",
            sms: format!("{org} : votre code de signature est {{code}} (valable {CODE_MINUTES} min)."),
            text: format!(
                "Bonjour {},\n\nVotre code pour signer « {} » est : {{code}}\n\nIl est valable {CODE_MINUTES} minutes. \
                 Si vous n'avez rien demandé, ignorez ce message.\n",
                f.signer.name, f.document.title
            ),
        };
        let hash = onetime::send(conn, &st.config.master_key, &f.signer.id, message)?;
        diesel::update(s::table.find(&f.signer.id))
            .set((
                s::code_hash.eq(hash),
                s::code_channel.eq(channel.as_str()),
                s::code_sent_at.eq(now),
                s::code_attempts.eq(0),
            ))
            .execute(conn)?;
        let f = found(conn, &token, now)?;
        view(&f, &org)
    })
    .await?;
    Ok(web::Json(v))
}

enum Outcome {
    Signed { request: String, last: bool },
    WrongCode { left: i32 },
}

/// Signs with the code received and the agreement to the wording shown. Refused, with nothing
/// recorded as signed: a wrong or expired code (five wrong codes void it), a used link, an ended
/// request, an earlier signer who has not signed. The last signature makes the signed original.
#[utoipa::path(tag = "signatures", params(TokenPath), request_body = SignDocument,
    responses((status = 200, description = "Signed", body = SigningView), crate::problems::PublicWrite, crate::problems::NotFound, crate::problems::BusinessRule))]
#[post("/sign/{token}")]
async fn sign(
    state: web::Data<AppState>,
    path: web::Path<TokenPath>,
    client: ClientInfo,
    body: JsonBody<SignDocument>,
) -> Result<web::Json<SigningView>, ApiError> {
    let answer = body.validated()?;
    if !answer.accept {
        return Err(ApiError::field(
            "accept",
            FieldRule::ConsentRequired,
            "la signature suppose d'accepter le texte affiché",
        ));
    }
    let now = state.config.clock.utc_now();
    let token = path.into_inner().token;
    let (t, st) = (token.clone(), state.clone());
    let outcome = db::tx(&state.pool, move |conn| {
        let f = found(conn, &t, now)?;
        open_for_signing(conn, &f)?;
        let checked = onetime::check(
            &f.signer.id,
            f.signer.code_hash.as_deref(),
            f.signer.code_sent_at,
            f.signer.code_attempts,
            &answer.code,
            now,
        );
        match checked {
            Check::Expired => {
                let detail = if f.signer.code_hash.is_none() {
                    "Demandez d'abord un code."
                } else {
                    "Ce code n'est plus valable : demandez-en un nouveau."
                };
                return Err(rule(Slug::SIGNATURE_CODE_EXPIRED, detail));
            }
            Check::Wrong { left } => {
                diesel::update(s::table.find(&f.signer.id))
                    .set(s::code_attempts.eq(s::code_attempts + 1))
                    .execute(conn)?;
                return Ok(Outcome::WrongCode { left });
            }
            Check::Good => {}
        }
        let org = organisation(conn)?;
        let channel = f.signer.code_channel.as_deref().unwrap_or("email");
        let checks = format!(
            "lien personnel à usage unique envoyé à {} ; code à usage unique envoyé par {} et vérifié",
            f.signer.email,
            if channel == "sms" {
                format!("SMS au {}", f.signer.phone.as_deref().unwrap_or_default())
            } else {
                "courriel".to_string()
            }
        );
        diesel::update(s::table.find(&f.signer.id))
            .set((
                s::signed_at.eq(now),
                s::ip.eq(&client.ip),
                s::user_agent.eq(&client.user_agent),
                s::consent_text.eq(consent_text(&f, &org)),
                s::identity_checks.eq(checks),
                s::code_hash.eq(None::<String>),
            ))
            .execute(conn)?;
        let actor = match &f.signer.user_id {
            Some(id) => Actor::user(id, client.ip.clone()),
            None => Actor::anonymous(client.ip.clone()),
        };
        let details = serde_json::json!({
            "document_id": f.document.id, "request_id": f.request.id,
            "position": f.signer.position, "role": f.signer.role,
        });
        let what = Happened { event: "signature", action: "document.sign", details, content: false };
        model::journal(conn, &actor, &f.request.bilan_id, what)?;
        let last = f.all.iter().all(|r| r.id == f.signer.id || r.signed_at.is_some());
        if !last {
            let mailing = store::Mailing {
                master: &st.config.master_key,
                public_url: &st.config.public_url,
                organisation: &org,
                document_title: &f.document.title,
            };
            store::invite_next(conn, &f.request.id, now, &mailing, false)?;
        }
        Ok(Outcome::Signed { request: f.request.id.clone(), last })
    })
    .await?;
    match outcome {
        Outcome::WrongCode { left } => Err(ApiError::Rule {
            slug: Slug::SIGNATURE_CODE_INVALID,
            detail: format!("Code incorrect : il reste {} essai(s).", left.max(0)),
            missing: vec![],
        }),
        Outcome::Signed { request, last } => {
            if last {
                complete::finish(&state, &request).await?;
            }
            let v = db::tx(&state.pool, move |conn| {
                let f = found(conn, &token, now)?;
                view(&f, &organisation(conn)?)
            })
            .await?;
            Ok(web::Json(v))
        }
    }
}
