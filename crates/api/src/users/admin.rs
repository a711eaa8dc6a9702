//! Account management by admins (and reading by integrations): list, search, deactivate, invite.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::users::{
    AcceptInvitation, Invitation, NewInvitation, Role, User, UserFilter, UserPatch, UserSort,
};
use boussole_shared::{Page, PageQuery};
use diesel::prelude::*;
use utoipa::IntoParams;

use super::account::check_new_password;
use crate::AppState;
use crate::accounts::{self, UserRow, search_pattern, search_text};
use crate::auth::caller::{Admin, ApiCaller, UsersRead};
use crate::auth::extract::ClientInfo;
use crate::auth::one_time::{self, Purpose};
use crate::auth::password;
use crate::db;
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::json::JsonBody;
use crate::notify::templates;
use crate::schema::users;

/// Pages of `GET /api/v1/users` as sent (JSON), keyed by the query (see `crate::cache`).
pub type UsersCache = crate::cache::ReadCache<web::Bytes>;

#[derive(Debug, serde::Deserialize, IntoParams)]
struct UserPath {
    /// Account id.
    id: uuid::Uuid,
}

/// Accounts, newest first, with search and filters (admins, or an API key with `users:read`).
#[utoipa::path(
    tag = "users",
    params(PageQuery, UserFilter),
    responses((status = 200, description = "OK", body = Page<User>), crate::problems::List),
    security(("bearer" = []), ("api_key" = []))
)]
#[get("/users")]
async fn list_users(
    _caller: ApiCaller<UsersRead>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let filter: UserFilter = crate::json::query(&req)?;
    let paged = crate::paged::Paged::from_request(&req)?;
    if filter.q.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(ApiError::field(
            "q",
            FieldRule::TooLong,
            "doit contenir au plus 100 caractères",
        ));
    }
    let key = format!(
        "{}:{}:{:?}:{:?}:{:?}:{:?}:{:?}",
        paged.page, paged.per_page, filter.q, filter.role, filter.active, filter.sort, filter.desc
    );
    let pool = state.pool.clone();
    let load = db::run(&pool, move |conn| {
        let query = || {
            let mut q = users::table.into_boxed();
            if let Some(pattern) = search_pattern(filter.q.as_deref()) {
                q = q.filter(users::search.like(pattern).escape('\\'));
            }
            if let Some(role) = filter.role {
                q = q.filter(users::role.eq(role.as_str()));
            }
            if let Some(active) = filter.active {
                q = q.filter(users::is_active.eq(active));
            }
            q
        };
        // Sorted in the database, so that the order holds across pages; the id breaks ties.
        let desc = filter.desc.unwrap_or(false);
        let page = paged.load(conn, query, |q| {
            let sorted = match (filter.sort, desc) {
                (None, _) => q.order((users::created_at.desc(), users::id.desc())),
                (Some(UserSort::Created), false) => {
                    q.order((users::created_at.asc(), users::id.asc()))
                }
                (Some(UserSort::Created), true) => {
                    q.order((users::created_at.desc(), users::id.desc()))
                }
                (Some(UserSort::Email), false) => q.order((users::email.asc(), users::id.asc())),
                (Some(UserSort::Email), true) => q.order((users::email.desc(), users::id.desc())),
                (Some(UserSort::Name), false) => {
                    q.order((lower_name().asc(), users::first_name.asc(), users::id.asc()))
                }
                (Some(UserSort::Name), true) => q.order((
                    lower_name().desc(),
                    users::first_name.desc(),
                    users::id.desc(),
                )),
            };
            sorted.select(UserRow::as_select())
        })?;
        page.try_map_items(|rows: Vec<UserRow>| rows.into_iter().map(User::try_from).collect())
    });
    let load = async move {
        let page = load.await?;
        Ok(web::Bytes::from(
            serde_json::to_vec(&page).map_err(ApiError::internal)?,
        ))
    };
    Ok(json_bytes(state.users_cache.get_or_load(key, load).await?))
}

/// `lower(last_name)`, which both databases have (SQLite folds ASCII letters only).
fn lower_name() -> diesel::expression::SqlLiteral<diesel::sql_types::Text> {
    diesel::dsl::sql::<diesel::sql_types::Text>("lower(users.last_name)")
}

fn json_bytes(bytes: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(bytes)
}

/// One account (admins, or an API key with `users:read`).
#[utoipa::path(
    tag = "users",
    params(UserPath),
    responses((status = 200, description = "OK", body = User), crate::problems::Read),
    security(("bearer" = []), ("api_key" = []))
)]
#[get("/users/{id}")]
async fn get_user(
    _caller: ApiCaller<UsersRead>,
    state: web::Data<AppState>,
    path: web::Path<UserPath>,
) -> Result<web::Json<User>, ApiError> {
    let id = path.id.to_string();
    let row = db::run(&state.pool, move |conn| {
        accounts::find_by_id(conn, &id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(row.try_into()?))
}

/// Changes an account (admins): names, phone, a consultant's qualification, and deactivation, which ends all its sessions at once.
#[utoipa::path(
    tag = "users",
    params(UserPath),
    request_body = UserPatch,
    responses((status = 200, description = "OK", body = User), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = []))
)]
#[patch("/users/{id}")]
async fn update_user(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<UserPath>,
    body: JsonBody<UserPatch>,
) -> Result<web::Json<User>, ApiError> {
    let patch = body.validated()?;
    let id = path.id.to_string();
    if patch.is_active == Some(false) && id == admin.user.id {
        return Err(ApiError::Rule {
            slug: Slug::CANNOT_DISABLE_SELF,
            detail: "Vous ne pouvez pas désactiver votre propre compte.".into(),
            missing: vec![],
        });
    }
    let updated = db::tx(&state.pool, move |conn| {
        let mut row = accounts::find_by_id(conn, &id)?.ok_or(ApiError::NotFound)?;
        if let Some(f) = &patch.first_name {
            row.first_name = f.trim().into();
        }
        if let Some(l) = &patch.last_name {
            row.last_name = l.trim().into();
        }
        if let Some(p) = &patch.phone {
            row.phone = Some(p.trim().to_string()).filter(|p| !p.is_empty());
        }
        accounts::set_qualification(&mut row, patch.qualification.as_deref())?;
        let deactivating = patch.is_active == Some(false) && row.is_active;
        if let Some(active) = patch.is_active {
            row.is_active = active;
        }
        row.search = search_text(&row.email, &row.first_name, &row.last_name);
        diesel::update(users::table.find(&row.id))
            .set((
                users::first_name.eq(&row.first_name),
                users::last_name.eq(&row.last_name),
                users::phone.eq(&row.phone),
                users::qualification.eq(&row.qualification),
                users::is_active.eq(row.is_active),
                users::search.eq(&row.search),
                users::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
        if deactivating {
            accounts::revoke_all_sessions(conn, &row.id)?;
        }
        let fields: Vec<&str> = [
            ("first_name", patch.first_name.is_some()),
            ("last_name", patch.last_name.is_some()),
            ("phone", patch.phone.is_some()),
            ("qualification", patch.qualification.is_some()),
        ]
        .iter()
        .filter(|(_, set)| *set)
        .map(|(f, _)| *f)
        .collect();
        let details = serde_json::json!({ "fields": fields, "is_active": patch.is_active });
        journal::record(
            conn,
            &admin.actor(),
            "user.update",
            "user",
            Some(&row.id),
            details,
        )?;
        Ok(row)
    })
    .await?;
    Ok(web::Json(updated.try_into()?))
}

/// Invites a consultant or an admin: the account is created without a password and a link to set one
/// is emailed (valid 7 days).
#[utoipa::path(
    tag = "users",
    request_body = NewInvitation,
    responses((status = 201, description = "Created", body = Invitation), crate::problems::Write, crate::problems::Conflict),
    security(("bearer" = []))
)]
#[post("/invitations")]
async fn create_invitation(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    body: JsonBody<NewInvitation>,
) -> Result<HttpResponse, ApiError> {
    let body = body.validated()?;
    if body.role == Role::Beneficiary {
        return Err(ApiError::field(
            "role",
            FieldRule::NotAllowed,
            "seuls les consultants et les admins sont invités ; les bénéficiaires s'inscrivent",
        ));
    }
    let st = state.clone();
    let (invitation, _) = db::tx(&state.pool, move |conn| {
        invite(conn, &st, &admin.actor(), &admin.user.display_name(), &body)
    })
    .await?;
    Ok(HttpResponse::Created().json(invitation))
}

/// Creates the invited account and its link (also used by `boussole create-admin`).
pub fn invite(
    conn: &mut db::Conn,
    state: &AppState,
    actor: &Actor,
    inviter: &str,
    body: &NewInvitation,
) -> Result<(Invitation, String), ApiError> {
    if accounts::find_by_email(conn, &body.email)?.is_some() {
        return Err(ApiError::conflict(
            Slug::EMAIL_TAKEN,
            "Un compte existe déjà avec cette adresse.",
        ));
    }
    let row = UserRow::new(
        &body.email,
        body.role,
        body.civility,
        &body.first_name,
        &body.last_name,
        None,
        Default::default(),
        None,
    );
    accounts::insert(conn, &row)?;
    let (expires_at, link) = invitation_for(conn, state, actor, inviter, &row)?;
    Ok((
        Invitation {
            user: row.try_into()?,
            expires_at,
        },
        link,
    ))
}

/// The invitation of an account just created without a password (staff, or a beneficiary created by
/// the office or a CRM): a single-use link to choose one, valid 7 days, journaled as `user.invite`.
/// The email goes through the outbox with the link as its secret part; returns when the link stops
/// working, and the link (for `boussole create-admin`, which prints it).
pub fn invitation_for(
    conn: &mut db::Conn,
    state: &AppState,
    actor: &Actor,
    inviter: &str,
    row: &UserRow,
) -> Result<(chrono::DateTime<chrono::Utc>, String), ApiError> {
    let role = row.role()?;
    let (token, expires_at) = one_time::create(conn, &row.id, Purpose::Invitation)?;
    journal::record(
        conn,
        actor,
        "user.invite",
        "user",
        Some(&row.id),
        serde_json::json!({ "role": role.as_str() }),
    )?;
    let link = format!("{}/invitation?token={token}", state.config.public_url);
    let role_fr = match role {
        Role::Admin => "administrateur·rice",
        Role::Consultant => "consultant·e",
        Role::Beneficiary => "bénéficiaire d'un bilan de compétences",
    };
    let email = templates::invitation(&row.email, &row.first_name, inviter, role_fr, &link);
    super::account::queue(conn, state, "account.invitation", &email, Some(&link))?;
    Ok((expires_at.and_utc(), link))
}

/// The invitee sets a password with the token from the link; the address counts as verified.
#[utoipa::path(
    tag = "users",
    request_body = AcceptInvitation,
    responses((status = 200, description = "OK", body = User), crate::problems::PublicWrite)
)]
#[post("/invitations/accept")]
async fn accept_invitation(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: JsonBody<AcceptInvitation>,
) -> Result<web::Json<User>, ApiError> {
    let AcceptInvitation {
        token,
        password: new_password,
    } = body.validated()?;
    let invalid = || {
        ApiError::field(
            "token",
            FieldRule::LinkInvalid,
            "invitation invalide, expirée ou déjà utilisée",
        )
    };
    let t = token.clone();
    let user = db::run(&state.pool, move |conn| {
        let id = one_time::peek(conn, &t, Purpose::Invitation)?.ok_or_else(invalid)?;
        accounts::find_by_id(conn, &id)?.ok_or_else(invalid)
    })
    .await?;
    check_new_password(&user, &new_password, "password")?;
    let hash = web::block(move || password::hash(&new_password)).await??;
    let user = db::tx(&state.pool, move |conn| {
        let id = one_time::consume(conn, &token, Purpose::Invitation)?.ok_or_else(invalid)?;
        let now = db::now();
        diesel::update(users::table.find(&id))
            .set((
                users::password_hash.eq(&hash),
                users::email_verified_at.eq(now),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        journal::record(
            conn,
            &Actor::user(&id, client.ip.clone()),
            "user.accept_invitation",
            "user",
            Some(&id),
            serde_json::json!({}),
        )?;
        accounts::find_by_id(conn, &id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(user.try_into()?))
}
