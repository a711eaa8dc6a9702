//! The rows of signature requests and their signers, their DTOs, and the writes that move a request
//! along: creation, each signer's invitation (a fresh personal link, emailed through the outbox as a
//! sealed secret part), the end of a request. Plain functions over `&mut Conn`.

use boussole_shared::Slug;
use boussole_shared::documents::DocumentKind;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::signatures::{
    NewSignatureRequest, SignatureRequest, SignatureStatus, Signer, SignerRole,
};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::tokens::{random_token, sha256_hex};
use crate::db::{self, Conn, uuid_of};
use crate::documents::contracts::CONVENTION_ANSWER_DAYS;
use crate::documents::store::DocumentRow;
use crate::error::ApiError;
use crate::notify::Email;
use crate::notify::outbox;
pub use crate::onetime::mask_email;
use crate::schema::{signature_requests as q, signature_signers as s, users};

/// An unfinished request expires after this many days.
pub const EXPIRY_DAYS: i64 = 30;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = q)]
pub struct RequestRow {
    pub id: String,
    pub document_id: String,
    pub bilan_id: String,
    pub status: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub answer_by: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
    pub signed_sha256: Option<String>,
    pub signed_size: Option<i64>,
}

impl RequestRow {
    pub fn status(&self) -> Result<SignatureStatus, ApiError> {
        db::stored(
            SignatureStatus::parse(&self.status),
            "signature_requests.status",
            &self.status,
        )
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = s)]
pub struct SignerRow {
    pub id: String,
    pub request_id: String,
    pub position: i32,
    pub role: String,
    pub user_id: Option<String>,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub invited_at: Option<NaiveDateTime>,
    pub reminded_at: Option<NaiveDateTime>,
    pub code_hash: Option<String>,
    pub code_channel: Option<String>,
    pub code_sent_at: Option<NaiveDateTime>,
    pub code_attempts: i32,
    pub signed_at: Option<NaiveDateTime>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub consent_text: Option<String>,
    pub identity_checks: Option<String>,
}

impl SignerRow {
    pub fn role(&self) -> Result<SignerRole, ApiError> {
        db::stored(
            SignerRole::parse(&self.role),
            "signature_signers.role",
            &self.role,
        )
    }
}

pub fn signers(conn: &mut Conn, request_id: &str) -> QueryResult<Vec<SignerRow>> {
    s::table
        .filter(s::request_id.eq(request_id))
        .order(s::position.asc())
        .select(SignerRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut Conn, id: &str) -> Result<RequestRow, ApiError> {
    q::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

pub fn dto(conn: &mut Conn, row: RequestRow) -> Result<SignatureRequest, ApiError> {
    let signers = signers(conn, &row.id)?
        .into_iter()
        .map(|r| {
            Ok(Signer {
                role: r.role()?,
                position: r.position,
                name: r.name,
                email: mask_email(&r.email),
                invited_at: r.invited_at.map(|t| t.and_utc()),
                reminded_at: r.reminded_at.map(|t| t.and_utc()),
                signed_at: r.signed_at.map(|t| t.and_utc()),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(SignatureRequest {
        id: uuid_of(&row.id)?,
        document_id: uuid_of(&row.document_id)?,
        status: row.status()?,
        signers,
        created_at: row.created_at.and_utc(),
        expires_at: row.expires_at.and_utc(),
        answer_by: row.answer_by.map(|t| t.and_utc()),
        ended_at: row.ended_at.map(|t| t.and_utc()),
        signed_sha256: row.signed_sha256,
    })
}

/// The roles a kind of document is signed by (each exactly once, in the order the request gives).
fn roles_of(kind: DocumentKind) -> &'static [SignerRole] {
    match kind {
        DocumentKind::TripartiteConvention => &[
            SignerRole::Beneficiary,
            SignerRole::Organisation,
            SignerRole::Employer,
        ],
        DocumentKind::IndividualContract => &[SignerRole::Beneficiary, SignerRole::Organisation],
        DocumentKind::Consent => &[SignerRole::Beneficiary],
        _ => &[],
    }
}

/// A signer as stored: name, address and mobile, the beneficiary's taken from their account.
struct Party {
    role: SignerRole,
    user_id: Option<String>,
    name: String,
    email: String,
    phone: Option<String>,
}

fn parties(
    conn: &mut Conn,
    kind: DocumentKind,
    beneficiary_id: &str,
    req: &NewSignatureRequest,
) -> Result<Vec<Party>, ApiError> {
    let needed = roles_of(kind);
    if needed.is_empty() {
        return Err(ApiError::Rule {
            slug: Slug::DOCUMENT_NOT_SIGNABLE,
            detail: format!("Le document « {} » ne se signe pas.", kind.title()),
            missing: vec![],
        });
    }
    let given: Vec<SignerRole> = req.signers.iter().map(|s| s.role).collect();
    let mut sorted = given.clone();
    sorted.sort_by_key(|r| r.as_str());
    let mut expected = needed.to_vec();
    expected.sort_by_key(|r| r.as_str());
    if sorted != expected {
        let names: Vec<&str> = needed.iter().map(|r| r.as_str()).collect();
        return Err(ApiError::field(
            "signers",
            FieldRule::Duplicate,
            format!(
                "ce document est signé par {} (chacun une fois)",
                names.join(", ")
            ),
        ));
    }
    let mut out = Vec::with_capacity(given.len());
    for (n, new) in req.signers.iter().enumerate() {
        let phone = new.phone.clone().filter(|p| !p.trim().is_empty());
        if let Some(p) = &phone
            && !crate::notify::sms::is_french_mobile(p)
        {
            return Err(ApiError::field(
                &format!("signers[{n}].phone"),
                FieldRule::Phone,
                "un numéro de mobile français est attendu",
            ));
        }
        let party = if new.role == SignerRole::Beneficiary {
            let (first, last, email, mobile): (String, String, String, Option<String>) =
                users::table
                    .find(beneficiary_id)
                    .select((
                        users::first_name,
                        users::last_name,
                        users::email,
                        users::phone,
                    ))
                    .first(conn)?;
            let mobile = mobile.filter(|p| crate::notify::sms::is_french_mobile(p));
            Party {
                role: new.role,
                user_id: Some(beneficiary_id.to_string()),
                name: format!("{first} {last}"),
                email,
                phone: phone.or(mobile),
            }
        } else {
            let name = new.name.clone().filter(|v| !v.trim().is_empty());
            let email = new.email.clone().filter(|v| !v.trim().is_empty());
            let (Some(name), Some(email)) = (name, email) else {
                return Err(ApiError::field(
                    &format!("signers[{n}]"),
                    FieldRule::Required,
                    "le nom et l'adresse électronique du signataire sont obligatoires",
                ));
            };
            Party {
                role: new.role,
                user_id: None,
                name: name.trim().to_string(),
                email: email.trim().to_string(),
                phone,
            }
        };
        out.push(party);
    }
    Ok(out)
}

/// What a sending needs besides the connection.
pub struct Mailing<'a> {
    pub master: &'a [u8; 32],
    pub public_url: &'a str,
    pub organisation: &'a str,
    pub document_title: &'a str,
}

/// Creates the request for `doc` (the caller checked it may) and invites its first signer. One
/// pending request per document (409), and only for the newest version of its kind (422).
pub fn create(
    conn: &mut Conn,
    doc: &DocumentRow,
    beneficiary_id: &str,
    created_by: &str,
    req: &NewSignatureRequest,
    now: NaiveDateTime,
    mailing: &Mailing<'_>,
) -> Result<String, ApiError> {
    let kind = crate::documents::store::kind_of(doc)?;
    let people = parties(conn, kind, beneficiary_id, req)?;
    let newest: Option<i64> = crate::schema::issued_documents::table
        .filter(crate::schema::issued_documents::bilan_id.eq(&doc.bilan_id))
        .filter(crate::schema::issued_documents::kind.eq(&doc.kind))
        .select(diesel::dsl::max(crate::schema::issued_documents::version))
        .first(conn)?;
    if newest != Some(doc.version) {
        return Err(ApiError::Rule {
            slug: Slug::DOCUMENT_SUPERSEDED,
            detail: "Une version plus récente de ce document existe : faites signer celle-ci."
                .into(),
            missing: vec![],
        });
    }
    let pending: i64 = q::table
        .filter(q::document_id.eq(&doc.id))
        .filter(q::status.eq(SignatureStatus::Pending.as_str()))
        .count()
        .get_result(conn)?;
    if pending > 0 {
        return Err(ApiError::conflict(
            Slug::SIGNATURE_ALREADY_REQUESTED,
            "une demande de signature de ce document est déjà en cours",
        ));
    }
    let id = db::new_id();
    // R6313-8: the employee's 10 days run from the draft's sending, which is this request.
    let answer_by = (kind == DocumentKind::TripartiteConvention)
        .then(|| now + Duration::days(CONVENTION_ANSWER_DAYS));
    diesel::insert_into(q::table)
        .values((
            q::id.eq(&id),
            q::document_id.eq(&doc.id),
            q::bilan_id.eq(&doc.bilan_id),
            q::status.eq(SignatureStatus::Pending.as_str()),
            q::created_by.eq(created_by),
            q::created_at.eq(now),
            q::expires_at.eq(now + Duration::days(EXPIRY_DAYS)),
            q::answer_by.eq(answer_by),
        ))
        .execute(conn)
        .map_err(|e| match e {
            // Two requests at once: the partial unique index keeps one.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => ApiError::conflict(
                Slug::SIGNATURE_ALREADY_REQUESTED,
                "une demande de signature de ce document est déjà en cours",
            ),
            e => ApiError::Database(e),
        })?;
    for (n, p) in people.iter().enumerate() {
        diesel::insert_into(s::table)
            .values((
                s::id.eq(db::new_id()),
                s::request_id.eq(&id),
                s::position.eq(n as i32 + 1),
                s::role.eq(p.role.as_str()),
                s::user_id.eq(&p.user_id),
                s::name.eq(&p.name),
                s::email.eq(&p.email),
                s::phone.eq(&p.phone),
                // A placeholder nobody holds: the real link is made when the signer's turn comes.
                s::token_hash.eq(sha256_hex(&random_token())),
                s::code_attempts.eq(0),
            ))
            .execute(conn)?;
    }
    invite_next(conn, &id, now, mailing, false)?;
    Ok(id)
}

/// Sends a fresh personal link to the first signer who has not signed (a reminder when `reminder`):
/// the previous link of that signer stops working. `None` when everyone signed.
pub fn invite_next(
    conn: &mut Conn,
    request_id: &str,
    now: NaiveDateTime,
    mailing: &Mailing<'_>,
    reminder: bool,
) -> Result<Option<SignerRow>, ApiError> {
    let Some(next) = signers(conn, request_id)?
        .into_iter()
        .find(|r| r.signed_at.is_none())
    else {
        return Ok(None);
    };
    let token = random_token();
    let changes = (
        s::token_hash.eq(sha256_hex(&token)),
        s::code_hash.eq(None::<String>),
        s::code_attempts.eq(0),
    );
    if reminder {
        diesel::update(s::table.find(&next.id))
            .set((changes, s::reminded_at.eq(now)))
            .execute(conn)?;
    } else {
        diesel::update(s::table.find(&next.id))
            .set((changes, s::invited_at.eq(now)))
            .execute(conn)?;
    }
    let link = format!("{}/signer?token={token}", mailing.public_url);
    let again = if reminder { "Rappel : " } else { "" };
    let email = Email {
        to: next.email.clone(),
        subject: format!("{again}document à signer : {}", mailing.document_title),
        text: format!(
            "Bonjour {},\n\n{} vous invite à signer électroniquement le document « {} ».\n\n\
             Ouvrez votre lien personnel pour le lire puis le signer ; un code à usage unique vous \
             sera envoyé pour confirmer votre identité :\n{link}\n\n\
             Ce lien vous est personnel : ne le transférez pas. Il ne sert qu'une fois.\n",
            next.name, mailing.organisation, mailing.document_title
        ),
        ics: None,
    };
    outbox::enqueue_email(
        conn,
        mailing.master,
        "signature_invitation",
        &email,
        Some(&link),
    )?;
    // A signer with an account also finds it in their notifications (in the app only: the email
    // above carries the link, which no notification may hold).
    if let Some(user) = &next.user_id {
        let notice = crate::notifications::NewNotification {
            user_id: user.clone(),
            kind: boussole_shared::notifications::NotificationKind::DocumentIssued,
            title: format!("Document à signer : {}", mailing.document_title),
            subject: Some(mailing.document_title.to_string()),
            link: "/beneficiaire".into(),
            email: None,
            sms: None,
            delivery: Default::default(),
        };
        crate::notifications::notify(conn, &notice)?;
    }
    Ok(Some(next))
}

/// Ends a pending request (`status` not pending); false when it had already ended.
pub fn end(
    conn: &mut Conn,
    request_id: &str,
    status: SignatureStatus,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    Ok(diesel::update(
        q::table
            .find(request_id)
            .filter(q::status.eq(SignatureStatus::Pending.as_str())),
    )
    .set((q::status.eq(status.as_str()), q::ended_at.eq(now)))
    .execute(conn)?
        == 1)
}

/// The status a pending request has reached by `now` without anyone acting: the employee's silence
/// past the convention's 10 days (R6313-8), or the request's expiry.
pub fn lapsed(
    row: &RequestRow,
    employee_signed: bool,
    now: NaiveDateTime,
) -> Option<SignatureStatus> {
    if row.status != SignatureStatus::Pending.as_str() {
        return None;
    }
    match row.answer_by {
        Some(by) if now > by && !employee_signed => Some(SignatureStatus::RefusedBySilence),
        _ if now > row.expires_at => Some(SignatureStatus::Expired),
        _ => None,
    }
}
